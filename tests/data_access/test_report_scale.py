"""The annual report read through aggregates equals the row-by-row reference, on generated data.

Table 三 and the "requests recorded" test are counted in the database (data_access.read.reports):
here the same report is built a second time with those two parts done the slow way — every
request of the units loaded and judged one by one, as the report did before — and the two
reports must be the same JSON, for both templates, for the city and a sub-district. Requests
that the generated data lacks (answered before received, outcomes without a reply date,
unknown, several or empty outcomes, 2008-rule years) are added so every warning path runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from sqlalchemy import Engine, delete, exists, or_, select
from sqlalchemy.orm import Session

from data_access.read import reports
from data_access.read.reports import common, format_2021, old_format, requests_2021
from data_access.read.reports.requests_2021 import classify_outcome
from data_access.rules.vocab import APPLICANT_TYPES
from data_access.store import db
from data_access.store.models import Appeal, DisclosureRequest, OrgUnit, UploadBatch
from data_access.store.reference import unit_and_descendants
from seed import scale

SPEC = scale.ScaleSpec(units=3, years=2, per_year=300, seed=7)
D = dt.date
# unit code, request_no, received, applicant type, reply date, outcome
ODD_REQUESTS = [
    ("sd001-c1", "X-01", D(2025, 3, 10), "自然人", D(2025, 3, 1), "予以公开"),  # answered before received
    ("sd001-c1", "X-02", D(2025, 1, 5), "商业企业", D(2024, 12, 20), "部分公开"),  # … and before the year
    ("sd001-c1", "X-03", D(2025, 6, 1), "科研机构", None, "予以公开"),  # an outcome, no reply date
    ("sd001", "X-04", D(2024, 11, 3), "社会公益组织", None, "部分公开"),  # carried over, the same
    ("sd001", "X-05", D(2025, 4, 2), "法律服务机构", D(2025, 4, 20), "无法识别的结果"),
    ("sd001", "X-06", D(2025, 4, 3), "其他", D(2025, 4, 21), "不予公开"),  # a group without its item
    ("sd001", "X-07", D(2025, 4, 4), "自然人", D(2025, 4, 22), "其他"),
    ("sd001", "X-08", D(2025, 4, 5), "自然人", D(2025, 4, 23), "予以公开；不予公开-个人隐私"),
    ("sd001", "X-09", D(2025, 4, 6), "商业企业", D(2025, 4, 24), "不予处理-重复申请；无法提供-其他"),
    ("sd001", "X-10", D(2025, 4, 7), "自然人", D(2025, 4, 25), ""),
    ("sd001", "X-11", D(2025, 4, 8), "自然人", D(2025, 4, 26), None),
    ("sd001", "X-12", D(2025, 4, 9), "自然人", D(2025, 4, 27), "  予以公开 "),
    ("sd001", "X-13", D(2025, 12, 30), "自然人", D(2026, 1, 6), "予以公开"),  # answered next year
    ("sd002", "X-14", D(2026, 1, 10), "自然人", D(2025, 12, 30), "予以公开"),  # received next year
    ("sd002", "X-15", D(2024, 12, 30), "商业企业", D(2025, 1, 2), "无法识别的结果"),  # carried, answered
    ("sd002", "X-16", D(2025, 2, 1), "自然人", D(2025, 2, 2), "不予公开-个人隐私"),
    ("sd001", "X-22", D(2024, 12, 28), "自然人", D(2025, 1, 1), "予以公开"),  # answered on 1 January
    ("sd001-c3", "X-23", D(2019, 5, 6), "自然人", None, None),  # 2019: received only
    ("sd003", "X-24", D(2015, 12, 21), "自然人", D(2016, 1, 4), "予以公开"),  # 2016: answered only
    ("sd003", "X-25", D(2017, 3, 1), "自然人", D(2017, 3, 9), "予以公开"),  # deleted again (counts of 0)
    # Years under the 2008 rules: old reply names, 其他 as stored by the importer.
    ("sd001", "X-17", D(2018, 3, 1), "自然人", D(2018, 3, 9), "同意公开"),
    ("sd001", "X-18", D(2018, 3, 2), "自然人", D(2018, 3, 10), "其他处理-其他"),
    ("sd001-c2", "X-19", D(2017, 12, 28), "商业企业", D(2018, 1, 8), "同意部分公开"),
    ("sd001-c2", "X-20", D(2018, 5, 2), "自然人", None, None),
    ("sd002", "X-21", D(2018, 6, 2), "科研机构", D(2018, 6, 12), "其他处理-其他"),
]
CASES = [(code, year) for code in ("city", "sd001") for year in (2025, 2024, 2019, 2018)]


def _reference_table_3(session: Session, ids: list[int], year: int) -> tuple[dict, list[str]]:
    """Table 三 as the report counted it before: every request loaded and judged in Python."""
    start, end = D(year, 1, 1), D(year, 12, 31)
    r = DisclosureRequest
    rows = session.execute(
        select(r.request_no, r.received_date, r.applicant_type, r.reply_date, r.outcome)
        .where(r.unit_id.in_(ids))
        .order_by(r.received_date, r.request_no)
    ).all()
    counted: Counter[tuple[str, str]] = Counter()
    warnings: list[str] = []
    for no, received, applicant, replied, outcome in rows:
        if received > end or (received < start and replied is not None and replied < start):
            continue
        column = applicant if applicant in APPLICANT_TYPES else "其他"
        counted[("一" if received >= start else "二", column)] += 1
        if replied is not None and replied < received:
            warnings.append(f"申请 {no}：答复日期 {replied} 早于收到日期 {received}，请核实")
        if replied is None or replied > end:
            counted[("四", column)] += 1
            if replied is None and outcome:
                warnings.append(f"申请 {no}：登记了办理结果“{outcome}”但没有答复日期，按未办结统计")
        elif replied >= start:
            key, warning = classify_outcome(outcome, year)
            if key is not None:
                counted[(key, column)] += 1
            if warning:
                warnings.append(f"申请 {no}：{warning}")
    return requests_2021._table(counted, 0), warnings


def _reference_requests_recorded(session: Session, ids: list[int], year: int) -> bool:
    """An active upload of the year, or any request received or answered, or appeal filed, in it."""
    start, end = D(year, 1, 1), D(year, 12, 31)
    r = DisclosureRequest
    batch = exists().where(
        UploadBatch.unit_id.in_(ids),
        UploadBatch.kind.in_(("requests", "seed")),
        UploadBatch.status == "active",
        UploadBatch.period_key.like(f"{year}%"),
    )
    row = exists().where(
        r.unit_id.in_(ids), or_(r.received_date.between(start, end), r.reply_date.between(start, end))
    )
    appeal = exists().where(Appeal.unit_id.in_(ids), Appeal.filed_date.between(start, end))
    return bool(session.scalar(select(or_(batch, row, appeal))))


def _add_odd_requests(engine: Engine) -> None:
    with db.write_session(engine) as s:
        units = dict(s.execute(select(OrgUnit.code, OrgUnit.id)).all())
        batch = UploadBatch(kind="requests", unit_id=units["sd001"], file_name="补录.xlsx", file_hash="odd")
        s.add(batch)
        s.flush()
        for code, no, received, applicant, replied, outcome in ODD_REQUESTS:
            s.add(
                DisclosureRequest(
                    unit_id=units[code], request_no=no, received_date=received, received_year=received.year,
                    channel="网络", applicant_type=applicant, summary=f"申请 {no}", reply_date=replied,
                    outcome=outcome, batch_id=batch.id,
                )
            )  # fmt: skip
    with db.write_session(engine) as s:
        s.execute(delete(DisclosureRequest).where(DisclosureRequest.request_no == "X-25"))


@pytest.fixture
def scale_db(empty_db: Engine) -> Engine:
    scale.load(empty_db, SPEC)
    _add_odd_requests(empty_db)
    return empty_db


def test_requests_recorded_equals_the_reference(scale_db: Engine) -> None:
    with db.read_session(scale_db) as s:
        units = dict(s.execute(select(OrgUnit.code, OrgUnit.id)).all())
        for code in ("city", "sd001", "sd001-c3", "sd002", "sd003"):
            ids = unit_and_descendants(s, units[code])
            found = {year: common.requests_recorded(s, ids, year) for year in range(2014, 2028)}
            assert found == {year: _reference_requests_recorded(s, ids, year) for year in found}, code
        assert common.requests_recorded(s, [units["sd003"]], 2016)  # answered only
        assert common.requests_recorded(s, [units["sd001-c3"]], 2019)  # received only
        assert not common.requests_recorded(s, [units["sd003"]], 2017)


def _json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, default=str, indent=1)


def _reports(engine: Engine) -> dict[tuple[str, int, str], str]:
    with db.read_session(engine) as s:
        return {
            (code, year, template): _json(reports.build(s, year, code, template))
            for code, year in CASES
            for template in reports.TEMPLATES
        }


def test_report_equals_the_row_by_row_reference(scale_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _reports(scale_db)
    monkeypatch.setattr(requests_2021, "build_table_3", _reference_table_3)
    for module in (common, format_2021, old_format):
        monkeypatch.setattr(module, "requests_recorded", _reference_requests_recorded)
    slow = _reports(scale_db)
    assert fast.keys() == slow.keys()
    for key, report in fast.items():
        assert report == slow[key], key
    # The cases cover what they are meant to: warnings of every kind, carried-over and open requests.
    warnings = "\n".join(json.loads(fast[("sd001", 2025, "2021")])["warnings"])
    for expected in ("X-01：答复日期", "X-02：答复日期", "X-03：登记了办理结果", "X-04：登记了办理结果",
                     "X-05：无法识别", "X-06：办理结果“不予公开”", "X-07：办理结果“其他”", "X-09：登记了多项",
                     "X-10：已答复但未录入", "X-11：已答复但未录入"):  # fmt: skip
        assert expected in warnings
    assert "X-08" not in warnings and "X-12" not in warnings and "X-13" not in warnings
    city = json.loads(fast[("city", 2025, "2021")])
    assert "X-14" not in "".join(city["warnings"]) and "申请 X-15：无法识别" in "".join(city["warnings"])
    rows = {row["key"]: row["cells"]["总计"] for row in city["tables"]["三"]["rows"]}
    assert rows["二"] > 0 and rows["四"] > 0 and rows["三（七）"] > 0
    old_rules = json.loads(fast[("sd001", 2018, "2021")])["warnings"]
    assert any("X-18：旧口径“其他”类答复" in w for w in old_rules)
    assert json.loads(fast[("sd001", 2018, "old")])["rows"][3]["本年度"] == 3  # received in 2018
    assert json.loads(fast[("sd001", 2019, "old")])["rows"][3]["本年度"] == 1  # recorded: received only
