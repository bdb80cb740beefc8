"""A fresh office (not the 2018 demo) with every record kind entered for one year, as its clerks
would enter it: each import kind uploaded as an .xlsx built from the kind's own column labels, and
the form-only kinds (政策解读, 热线值班接听) through the record forms.

`build_full_office(engine)` returns the figures entered, so a test can look for them in a report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from data_access.rules.permissions import OPERATOR
from data_access.rules.vocab import CATEGORY_NAMES
from data_access.store import db
from data_access.store.models import OrgUnit
from data_access.store.reference import ensure_reference_data
from data_access.write import records
from data_access.write.importing import SPECS, commit
from tests.helpers.builders import xlsx

UNIT = "liuzhen"
UNIT_NAME = "柳镇街道"
YEAR = 2022
PER_MONTH = 3  # publications per month
# (编号, 收到, 答复, 答复类型, 主要答复类型, extra columns by field)
REQUESTS: list[tuple[str, str, str, str, str, dict[str, str]]] = [
    ("LZ-2022-01", "2022-02-14", "2022-03-01", "予以公开", "", {}),
    ("LZ-2022-02", "2022-03-07", "2022-04-15", "部分公开", "",
     {"correction_sent": "2022-03-09", "correction_received": "2022-03-21"}),
    ("LZ-2022-03", "2022-05-09", "2022-06-30", "不予公开-保护第三方合法权益", "",
     {"third_party_from": "2022-05-16", "third_party_to": "2022-06-06"}),
    ("LZ-2022-04", "2022-07-04", "2022-08-19", "无法提供-本机关不掌握相关政府信息", "",
     {"extension_days": "15", "extension_approved_on": "2022-07-25"}),
    ("LZ-2022-05", "2022-09-05", "2022-09-23", "予以公开；无法提供-本机关不掌握相关政府信息", "予以公开", {}),
    ("LZ-2022-06", "2022-10-10", "2022-10-28", "不予处理-重复申请", "", {}),
    ("LZ-2022-07", "2022-12-26", "", "", "", {}),  # still open at year end
]  # fmt: skip
# (类型, 收到, 涉及申请, 诉讼途径, 结果, 审结)
APPEALS = [
    ("行政复议", "2022-04-20", "LZ-2022-02", "", "维持", "2022-06-10"),
    ("行政复议", "2022-11-02", "", "", "尚未审结", ""),
    ("行政诉讼", "2022-07-11", "LZ-2022-03", "复议后起诉", "纠正", "2022-10-20"),
    ("行政诉讼", "2022-08-30", "", "未经复议直接起诉", "其他结果", "2022-12-01"),
]
COMPLAINT_SOURCES = ("12345", "信访", "网络", "来信", "12345")
# 表二: (信息内容, 本年制发, 本年废止, 现行有效, 处理决定数量, 收费金额)
TABLE_2 = [
    ("规章", 2, 1, 9, None, None),
    ("行政规范性文件", 4, 2, 17, None, None),
    ("行政许可", None, None, None, 236, None),
    ("行政处罚", None, None, None, 58, None),
    ("行政强制", None, None, None, 7, None),
    ("行政事业性收费", None, None, None, None, "31.46"),
]
# 公文: made, of which 主动公开 / 依申请公开 / 不予公开
DOCUMENTS = {"主动公开": 13, "依申请公开": 4, "不予公开": 3}
INTERPRETATIONS = 5
HOTLINE_DUTIES = 6


@dataclass
class Entered:
    """What build_full_office entered."""

    unit: str = UNIT
    year: int = YEAR
    publications: int = 0
    normative: int = 0
    requests: int = len(REQUESTS)
    appeals: int = len(APPEALS)
    complaints: int = len(COMPLAINT_SOURCES)
    documents: dict[str, int] = field(default_factory=lambda: dict(DOCUMENTS))
    interpretations: int = INTERPRETATIONS
    hotline: int = HOTLINE_DUTIES
    batches: list[str] = field(default_factory=list)


def _sheet(kind: str, rows: list[dict[str, Any]]) -> bytes:
    """An .xlsx with the kind's own column labels and one row per dict (field → value)."""
    columns = [c for c in SPECS[kind].columns if c.field != "month_named"]
    used = [c for c in columns if c.required or any(c.field in r for r in rows)]
    body = [[r.get(c.field) for c in used] for r in rows]
    return xlsx([[c.label for c in used], *body])


def _upload(engine: Engine, kind: str, period: str, rows: list[dict[str, Any]], entered: Entered) -> None:
    result = commit(engine, OPERATOR, _sheet(kind, rows), kind, UNIT, period, f"{kind}-{period}.xlsx")
    problems = [f"{i.level} {i.row} {i.column} {i.message}" for i in result.issues if i.level == "error"]
    assert result.status == "committed", (kind, period, problems)
    entered.batches.append(f"{kind} {period}")


def build_full_office(engine: Engine) -> Entered:
    """The office 柳镇街道 with a year of every kind entered; the figures it entered."""
    entered = Entered()
    with db.write_session(engine) as s:
        ensure_reference_data(s)
        s.add(OrgUnit(code=UNIT, name=UNIT_NAME, level="subdistrict", sort_order=0))
    d = dt.date
    for month in range(1, 13):
        rows = []
        for i in range(PER_MONTH):
            category = CATEGORY_NAMES[(month + i) % len(CATEGORY_NAMES)]
            entered.normative += category == "政策、规范性文件类"
            rows.append(
                {
                    "index_no": f"LZ-{YEAR}-{month:02d}{i:02d}",
                    "title": f"柳镇街道{month}月第{i + 1}条公开信息",
                    "category": category,
                    "formed_date": d(YEAR, month, 3 + i).isoformat(),
                    "published_date": d(YEAR, month, 8 + i).isoformat(),
                    "channel": "政府门户网站",
                    "topic": "公共服务" if i == 0 else None,
                }
            )
        _upload(engine, "publications", f"{YEAR}-{month:02d}", rows, entered)
        entered.publications += len(rows)
        ytd = 120 * month
        _upload(
            engine,
            "projects",
            f"{YEAR}-{month:02d}",
            [
                {
                    "name": "柳镇老旧小区改造",
                    "total_investment": 3000,
                    "month_invested": 120,
                    "ytd_invested": ytd,
                    "annual_plan": 1440,
                    "notes": f"完成{month}个楼栋",
                }
            ],  # fmt: skip
            entered,
        )
    request_rows = []
    for no, received, replied, outcome, main, extra in REQUESTS:
        request_rows.append(
            {
                "request_no": no,
                "received_date": received,
                "channel": "网络",
                "applicant_type": "自然人",
                "summary": f"申请公开{no}所涉信息",
                "reply_date": replied or None,
                "outcome": outcome or None,
                "main_outcome": main or None,
                **extra,
            }  # fmt: skip
        )
    _upload(engine, "requests", str(YEAR), request_rows, entered)
    boards = [
        {
            "board": "柳镇街道公开栏",
            "update_date": f"{YEAR}-{m:02d}-05",
            "kind": "季度更新",
            "note": f"第{q}季度",
        }
        for q, m in enumerate((1, 4, 7, 10), start=1)
    ]
    _upload(engine, "boards", str(YEAR), boards, entered)
    deliveries = [
        {
            "period_ym": f"{YEAR}年{m}月",
            "recipient": r,
            "delivered_date": f"{YEAR}-{m:02d}-20",
            "item_count": 3,
        }
        for m in range(1, 13)
        for r in ("档案馆", "图书馆")
    ]
    _upload(engine, "deliveries", str(YEAR), deliveries, entered)
    documents = []
    for attribute, count in DOCUMENTS.items():
        for _ in range(count):
            n = len(documents) + 1
            documents.append(
                {
                    "doc_no": f"柳街〔{YEAR}〕{n}号",
                    "title": f"柳镇街道公文{n}",
                    "formed_date": f"{YEAR}-{(n % 12) + 1:02d}-10",
                    "attribute": attribute,
                    "withheld_reason": "工作秘密" if attribute == "不予公开" else None,
                }  # fmt: skip
            )
    _upload(engine, "documents", str(YEAR), documents, entered)
    _upload(
        engine,
        "annual-figures",
        str(YEAR),
        [
            {"item": item, "issued": a, "abolished": b, "in_force": c, "decisions": n, "fees": fee}
            for item, a, b, c, n, fee in TABLE_2
        ],  # fmt: skip
        entered,
    )
    _upload(
        engine,
        "appeals",
        str(YEAR),
        [
            {
                "kind": k,
                "filed_date": f,
                "request_no": r or None,
                "litigation_path": p or None,
                "result": res,
                "closed_date": c or None,
                "summary": "不服政府信息公开答复",
            }
            for k, f, r, p, res, c in APPEALS
        ],  # fmt: skip
        entered,
    )
    _upload(
        engine,
        "complaints",
        str(YEAR),
        [
            {
                "filed_date": f"{YEAR}-{2 * i + 1:02d}-15",
                "source": src,
                "summary": f"反映公开栏事项{i + 1}",
                "handling": "已办结",
            }
            for i, src in enumerate(COMPLAINT_SOURCES)
        ],  # fmt: skip
        entered,
    )
    today = d(YEAR, 12, 31)
    with db.write_session(engine) as s:
        for i in range(INTERPRETATIONS):
            records.add_interpretation(
                s, OPERATOR, UNIT, {"title": f"《柳镇街道政策{i + 1}》解读", "published_date": f"{YEAR}-{i + 2:02d}-12"},
                today,
            )  # fmt: skip
        for i in range(HOTLINE_DUTIES):
            records.add_hotline(
                s, OPERATOR, UNIT, {"duty_date": f"{YEAR}-{2 * i + 1:02d}-09", "official": "周主任"}, today
            )
    return entered
