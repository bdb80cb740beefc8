"""Requests and appeals around 2021 for the 2021-format annual report, and the table 三 they make."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, text

from data_access.store import db
from data_access.store.models import (
    AnnualFigure,
    Appeal,
    Category,
    DisclosureRequest,
    OrgUnit,
    Publication,
    UploadBatch,
)
from data_access.store.reference import ensure_reference_data

D = dt.date
# request_no, received, applicant type, reply date, outcome
REQUESTS_2021 = [
    ("R01", D(2020, 12, 20), "自然人", D(2021, 1, 10), "予以公开"),  # carried over, answered
    ("R02", D(2020, 11, 2), "商业企业", None, None),  # carried over, still open at year end
    ("R03", D(2020, 6, 1), "自然人", D(2020, 6, 20), "予以公开"),  # closed before the year: not counted
    ("R04", D(2021, 3, 1), "自然人", D(2021, 3, 20), "部分公开"),
    ("R05", D(2021, 4, 1), "法律服务机构", D(2021, 4, 15), "予以公开；不予公开-保护第三方合法权益"),
    ("R06", D(2021, 5, 1), "科研机构", D(2021, 5, 20), "不予公开-属于国家秘密"),
    ("R07", D(2021, 6, 1), "社会公益组织", D(2021, 6, 10), "无法提供-没有现成信息需要另行制作"),
    ("R08", D(2021, 7, 1), "其他", D(2021, 7, 5), "不予处理-重复申请"),
    ("R09", D(2021, 8, 1), "自然人", D(2021, 8, 9), "其他处理-其他"),
    ("R10", D(2021, 12, 20), "自然人", D(2022, 1, 5), "予以公开"),  # answered after 31 Dec: carried on
    ("R11", D(2021, 12, 28), "商业企业", None, None),
    ("R12", D(2022, 1, 3), "自然人", None, None),  # next year: not counted
]
# kind, litigation path, filed, result, closed
APPEALS_2021 = [
    ("reconsideration", None, D(2021, 5, 3), "维持", D(2021, 7, 1)),
    ("reconsideration", None, D(2021, 11, 3), None, None),
    ("litigation", "direct", D(2021, 6, 8), "纠正", D(2021, 10, 9)),
    (
        "litigation",
        "after_reconsideration",
        D(2021, 9, 1),
        "其他结果",
        D(2022, 2, 1),
    ),  # closed after the year
    ("reconsideration", None, D(2020, 3, 1), "维持", D(2020, 5, 1)),  # earlier year
    ("complaint", None, D(2021, 2, 1), None, None),  # not part of table 四
]

# Non-zero cells of table 三 (every other cell must be 0).
EXPECTED_3 = {
    "一": {
        "自然人": 3,
        "商业企业": 1,
        "科研机构": 1,
        "社会公益组织": 1,
        "法律服务机构": 1,
        "其他": 1,
        "总计": 8,
    },
    "二": {"自然人": 1, "商业企业": 1, "总计": 2},
    "三（一）": {"自然人": 1, "总计": 1},
    "三（二）": {"自然人": 1, "法律服务机构": 1, "总计": 2},
    "三（三）1": {"科研机构": 1, "总计": 1},
    "三（四）2": {"社会公益组织": 1, "总计": 1},
    "三（五）2": {"其他": 1, "总计": 1},
    "三（六）3": {"自然人": 1, "总计": 1},
    "三（七）": {"自然人": 3, "科研机构": 1, "社会公益组织": 1, "法律服务机构": 1, "其他": 1, "总计": 7},
    "四": {"自然人": 1, "商业企业": 2, "总计": 3},
}


def add_unit(session, code: str = "test") -> OrgUnit:
    ensure_reference_data(session)
    unit = OrgUnit(code=code, name="测试街道", level="subdistrict")
    session.add(unit)
    session.flush()
    return unit


def add_requests(session, unit: OrgUnit, requests, appeals=(), period: str = "2021") -> None:
    batch = UploadBatch(
        kind="requests", unit_id=unit.id, period_key=period, file_name="申请.xlsx", file_hash=period
    )
    session.add(batch)
    session.flush()
    for no, received, applicant, replied, outcome in requests:
        session.add(
            DisclosureRequest(
                unit_id=unit.id,
                request_no=no,
                received_date=received,
                received_year=received.year,
                channel="网络",
                applicant_type=applicant,
                summary=f"申请 {no}",
                reply_date=replied,
                outcome=outcome,
                batch_id=batch.id,
            )
        )
    for kind, path, filed, result, closed in appeals:
        session.add(
            Appeal(
                unit_id=unit.id,
                kind=kind,
                litigation_path=path,
                filed_date=filed,
                filed_year=filed.year,
                result=result,
                closed_date=closed,
                batch_id=batch.id,
            )
        )


def populate_2021(engine: Engine) -> None:
    """Unit 'test' with the 2021 requests and appeals above and two 2021 publications (one 规范性文件)."""
    with db.write_session(engine) as s:
        unit = add_unit(s)
        add_requests(s, unit, REQUESTS_2021, APPEALS_2021)
        batch = UploadBatch(
            kind="publications", unit_id=unit.id, period_key="2021-06", file_name="目录.xlsx", file_hash="p"
        )
        s.add(batch)
        s.flush()
        for i, code in enumerate(("020101", "010101"), start=1):
            leaf = s.scalar(select(Category).where(Category.code == code))
            s.add(
                Publication(
                    unit_id=unit.id,
                    index_no=f"T-{code}-{i}",
                    title=f"测试文件{i}",
                    category_id=leaf.id,
                    category_root_id=leaf.root_id,
                    formed_date=D(2021, 6, i),
                    published_date=D(2021, 6, 10 + i),
                    published_year=2021,
                    published_ym=202106,
                    batch_id=batch.id,
                )
            )


def enter_table_2(engine: Engine, unit_code: str = "test", year: int = 2021) -> None:
    """Table 二 as an office enters it: 规章 不适用, 行政规范性文件 1 issued (废止 not entered) and 5 in
    force, 行政许可 41 decisions; the other items not entered (未录入)."""
    with db.write_session(engine) as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
        batch = UploadBatch(
            kind="annual-figures",
            unit_id=unit.id,
            period_key=str(year),
            file_name="表二.xlsx",
            file_hash="t2",
        )
        s.add(batch)
        s.flush()
        s.add_all(
            [
                AnnualFigure(
                    unit_id=unit.id, year=year, item="rules", not_applicable=True, batch_id=batch.id
                ),
                AnnualFigure(
                    unit_id=unit.id,
                    year=year,
                    item="normative",
                    issued=1,
                    in_force=5,
                    not_applicable=False,
                    batch_id=batch.id,
                ),
                AnnualFigure(
                    unit_id=unit.id,
                    year=year,
                    item="licensing",
                    decisions=41,
                    not_applicable=False,
                    batch_id=batch.id,
                ),
            ]
        )


def record_correction(engine: Engine) -> int:
    """A 补正 (7–10 May 2018) recorded on the database's first answered request, in SQL as a user's
    database at any migration takes it: that request (its id returned) then has a pause for the
    year's timeliness."""
    with engine.begin() as conn:
        request = conn.execute(
            text("SELECT id FROM disclosure_request WHERE reply_date IS NOT NULL")
        ).scalar()
        conn.execute(
            text("INSERT INTO request_pause (request_id, kind, start_date, end_date) "
                 "VALUES (:r, 'correction', '2018-05-07', '2018-05-10')"),
            {"r": request},
        )  # fmt: skip
    return int(request)
