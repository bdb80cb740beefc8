"""A template sent back with its header and no data rows is a 零报告, through the real import path.

For the kinds with a 零报告 meaning (data_access.write.importing.zero.ZERO_KINDS) the preview says
that committing files one, the commit files it (the figure becomes 0 in kpis.compute, not None),
and undoing the upload brings back 未录入 (None). 公开栏 has no 零报告 and is refused, naming the
file and the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from data_access.read import kpis
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AuditLog, ZeroReport
from data_access.write import balances, importing
from data_access.write.importing.kinds import SPECS
from data_access.write.importing.zero import ZERO_KINDS
from data_access.write.undo import undo
from tests.helpers.builders import PUB_HEADER, UNIT, csv_bytes, setup_unit, table_counts, xlsx

YEAR = 2020


@pytest.fixture
def office(empty_db: Engine) -> Engine:
    """青阳街道 with one item published in January (no 重点领域: topics are not entered)."""
    setup_unit(empty_db)
    row = [
        f"QY-{YEAR}01-0001",
        "一月信息",
        "机构职能类",
        None,
        f"{YEAR}-01-02",
        f"{YEAR}-01-03",
        "政府门户网站",
        "是",
    ]
    january = csv_bytes([PUB_HEADER, row])
    result = importing.commit(empty_db, OPERATOR, january, "publications", UNIT, f"{YEAR}-01", "一月.csv")
    assert result.status == "committed", result.issues
    return empty_db


def _header(kind: str) -> list[str]:
    return [c.label for c in SPECS[kind].columns if c.required or c.field == "topic"]


def _topics(k: kpis.Kpis) -> object:
    by_topic = k["publications"]["by_topic"]
    return None if by_topic is None else sorted(set(by_topic.values()))


def _deliveries(k: kpis.Kpis) -> object:
    return (
        None
        if k["deliveries"]["archive"] is None
        else (k["deliveries"]["archive"], k["deliveries"]["library"])
    )


def _projects(k: kpis.Kpis) -> object:
    figures = k.get("projects")
    return None if figures is None else figures["count"]


def _appeals(k: kpis.Kpis) -> object:
    req = k["requests"]
    figures = (req["reconsiderations"], req["litigations"], req["complaints"])
    return None if figures == (None, None, None) else figures


def _figure(engine: Engine, read: Callable[[kpis.Kpis], object]) -> object:
    with db.read_session(engine) as session:
        return read(kpis.compute(session, YEAR, 12, UNIT))


# kind, period, the figure it reports and its value once the 零报告 is in.
CASES: list[tuple[str, str, Callable[[kpis.Kpis], object], Any]] = [
    ("publications", f"{YEAR}-03", _topics, [0]),
    ("projects", f"{YEAR}-10", _projects, 0),
    ("deliveries", str(YEAR), _deliveries, (0, 0)),
    ("requests", str(YEAR), _appeals, (0, 0, 0)),
]


def _zero_reports(engine: Engine) -> list[tuple[str, int]]:
    with db.read_session(engine) as session:
        return [(z.kind, z.year) for z in session.scalars(select(ZeroReport).order_by(ZeroReport.kind))]


@pytest.mark.parametrize(("kind", "period", "read", "zero"), CASES, ids=[c[0] for c in CASES])
def test_an_empty_template_is_a_zero_report_and_undo_takes_it_back(office, kind, period, read, zero):
    data = xlsx([_header(kind)], title=SPECS[kind].title)
    assert _figure(office, read) is None
    shown = importing.preview(office, data, kind, UNIT, period, "空表.xlsx")
    assert shown.status == "valid", shown.issues
    assert shown.rows == 0 and not shown.removed
    said = [i.message for i in shown.issues if i.level == importing.WARNING]
    assert len(said) == 1 and said[0].startswith("本表没有数据行：确认导入即登记为")
    assert "零报告" in said[0] and "本期为 0，而不是未录入" in said[0]
    assert ("本月" if SPECS[kind].period == "month" else "本年") in said[0]
    assert _figure(office, read) is None  # the preview wrote nothing

    result = importing.commit(office, OPERATOR, data, kind, UNIT, period, "空表.xlsx")
    assert result.status == "committed", result.issues
    assert any("零报告" in i.message and i.level == importing.INFO for i in result.issues)
    assert _figure(office, read) == zero
    filed = [] if kind == "requests" else [(k, YEAR) for k in ZERO_KINDS[kind]]
    assert _zero_reports(office) == filed  # the yearly 依申请公开 sheet itself enters its figures
    if filed:
        with db.read_session(office) as session:
            audited = session.scalars(
                select(AuditLog.detail).where(AuditLog.action == "settings_change")
            ).all()
        assert any("零报告" in d for d in audited)

    assert undo(office, OPERATOR, result.batch_id) == 0
    assert _figure(office, read) is None
    assert _zero_reports(office) == []


def test_a_csv_with_only_the_header_is_a_zero_report(office):
    data = csv_bytes([PUB_HEADER])
    result = importing.commit(office, OPERATOR, data, "publications", UNIT, f"{YEAR}-05", "空表.csv")
    assert result.status == "committed", result.issues
    assert _zero_reports(office) == [("topics", YEAR)]
    assert _figure(office, _topics) == [0]
    undo(office, OPERATOR, result.batch_id)
    assert _figure(office, _topics) is None


def _publications(month: int, n: int) -> bytes:
    rows = [
        [f"QY-{YEAR}{month:02d}-{i:04d}", f"测试信息{i}", "机构职能类", None,
         f"{YEAR}-{month:02d}-02", f"{YEAR}-{month:02d}-0{3 + i}", "政府门户网站", "是", "公共服务"]
        for i in range(n)
    ]  # fmt: skip
    return csv_bytes([[*PUB_HEADER, "重点领域"], *rows])


def test_an_empty_month_replaces_its_rows_and_the_preview_lists_them(office):
    month = f"{YEAR}-03"
    first = importing.commit(office, OPERATOR, _publications(3, 2), "publications", UNIT, month, "三月.csv")
    assert first.status == "committed", first.issues
    assert _figure(office, _topics) == [0, 2]  # 公共服务 2, the other topics 0

    empty = csv_bytes([PUB_HEADER])
    shown = importing.preview(office, empty, "publications", UNIT, month, "三月空表.csv")
    assert shown.status == "valid", shown.issues
    assert sorted(r["index_no"] for r in shown.removed) == [f"QY-{YEAR}03-0000", f"QY-{YEAR}03-0001"]
    result = importing.commit(office, OPERATOR, empty, "publications", UNIT, month, "三月空表.csv")
    assert result.status == "committed", result.issues
    with db.read_session(office) as session:
        k = kpis.compute(session, YEAR, 12, UNIT)
    assert k["publications"]["total"] == 1  # January's item
    assert _topics(k) == [0]  # entered by the 零报告 the empty month filed, not a guess
    assert _zero_reports(office) == [("topics", YEAR)]

    undo(office, OPERATOR, result.batch_id)
    assert _figure(office, _topics) == [0, 2]
    assert _zero_reports(office) == []


def test_an_empty_month_of_a_year_with_records_files_no_zero_report(office):
    importing.commit(office, OPERATOR, _publications(2, 1), "publications", UNIT, f"{YEAR}-02", "二月.csv")
    result = importing.commit(
        office, OPERATOR, csv_bytes([PUB_HEADER]), "publications", UNIT, f"{YEAR}-03", "三月空表.csv"
    )
    assert result.status == "committed", result.issues
    assert any("已有重点领域信息记录，以记录为准" in i.message for i in result.issues)
    assert _zero_reports(office) == []
    assert _figure(office, _topics) == [0, 1]


def test_an_empty_upload_keeps_a_zero_report_filed_before_it(office):
    with db.write_session(office) as session:
        assert balances.record_zero_report(session, UNIT, "deliveries", YEAR, actor=OPERATOR)
    data = xlsx([_header("deliveries")])
    result = importing.commit(office, OPERATOR, data, "deliveries", UNIT, str(YEAR), "空表.xlsx")
    assert result.status == "committed", result.issues
    assert any("此前已登记" in i.message for i in result.issues)
    undo(office, OPERATOR, result.batch_id)
    assert _zero_reports(office) == [("deliveries", YEAR)]  # not the upload's to take back
    assert _figure(office, _deliveries) == (0, 0)


def test_kinds_without_a_zero_report_and_a_missing_year_are_refused_where(office):
    before = table_counts(office)
    boards = xlsx([_header("boards")], title="公开栏")
    result = importing.commit(office, OPERATOR, boards, "boards", UNIT, str(YEAR), "公开栏.xlsx")
    assert result.status == "rejected"
    errors = [i for i in result.issues if i.level == importing.ERROR]
    assert len(errors) == 1 and errors[0].sheet == "公开栏"
    assert "文件「公开栏.xlsx」的工作表「公开栏」没有数据行" in errors[0].message
    assert "公开栏更新记录没有零报告" in errors[0].message

    requests = xlsx([_header("requests")], title="依申请")
    result = importing.commit(office, OPERATOR, requests, "requests", UNIT, None, "依申请.xlsx")
    assert result.status == "rejected"
    assert any("登记零报告须指定所属年份" in i.message for i in result.issues)
    with db.read_session(office) as session:
        assert session.scalar(select(func.count()).select_from(ZeroReport)) == 0
    assert table_counts(office) == before
