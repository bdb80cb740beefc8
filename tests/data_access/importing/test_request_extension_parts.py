"""Requests as they move (issue 16, item 6), through the import on every backend: the extension's
approval date and working days (延期批准日期, 延长工作日数) decide the due date — an extension
approved after the original due date does not move it, more than the statutory 20 days is refused
at its cell — and a request answered in several parts keeps each part's outcome: the 2021 table
counts it once under its main outcome (the first, or the 主要答复类型 column's), the register
shows every part, a re-upload replaces the parts and undo puts them back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.read.queries import requests
from data_access.read.reports.requests_2021 import build_table_3
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import DisclosureRequest, RequestPart
from data_access.write.importing import commit, preview
from data_access.write.undo import undo
from tests.helpers.builders import UNIT, setup_unit, xlsx

HEAD = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
EXT = ["延长工作日数", "延期批准日期"]
# Received 2025-09-26: due 2025-10-30 (20 working days); 15 more days: 2025-11-20.
ROW = ["YSQ-2025-001", "2025-09-26", "网络", "自然人", "申请公开某项目审批文件", "2025-11-18", "予以公开"]
TWO = "予以公开；无法提供-本机关不掌握相关政府信息"


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def _ids(engine: Engine) -> tuple[int, ...]:
    with db.read_session(engine) as s:
        return tuple(s.scalars(select(DisclosureRequest.unit_id).distinct()))


def _on_time(engine: Engine) -> tuple[int, int]:
    with db.read_session(engine) as s:
        return requests.on_time_by_unit(s, _ids(engine), 2025, dt.date(2026, 1, 1), by_unit=False)[None]


def _parts(engine: Engine) -> list[tuple[str, int, str, bool]]:
    with db.read_session(engine) as s:
        rows = s.execute(
            select(DisclosureRequest.request_no, RequestPart.seq, RequestPart.outcome, RequestPart.is_main)
            .join(DisclosureRequest, DisclosureRequest.id == RequestPart.request_id)
            .order_by(DisclosureRequest.request_no, RequestPart.seq)
        )
        return [(no, seq, outcome, bool(main)) for no, seq, outcome, main in rows]


def _late_warnings(engine: Engine, data: bytes) -> list[str]:
    return [
        i.message
        for i in preview(engine, data, "requests", UNIT, None, "r.xlsx").issues
        if "已超期" in i.message
    ]


@pytest.mark.parametrize(
    ("days", "approved_on", "on_time"),
    [
        (15, "2025-10-20", True),  # approved within the limit: due 11-20, answered 11-18
        (15, "2025-10-30", True),  # approved on the last day still counts
        (15, "2025-10-31", False),  # approved after the due date: the original 10-30 binds
        (None, "2025-10-20", True),  # a date without days: the statutory 20
        (10, None, False),  # 10 days without a date: due 11-13, answered 11-18
    ],
)
def test_the_extension_approval_decides_the_due_date(
    engine: Engine, days: int | None, approved_on: str | None, on_time: bool
) -> None:
    data = xlsx([HEAD + EXT, ROW + [days, approved_on]])
    assert bool(_late_warnings(engine, data)) is not on_time
    result = commit(engine, OPERATOR, data, "requests", UNIT, None, "r.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]
    assert _on_time(engine) == (1, int(on_time))
    with db.read_session(engine) as s:
        row = s.execute(select(DisclosureRequest)).scalar_one()
        assert row.extension_approved and row.extension_days == (days or 0)
        assert row.extension_approved_on == (dt.date.fromisoformat(approved_on) if approved_on else None)
        line = requests.explain(
            s, _ids(engine), _ids(engine), row.unit_id, row.request_no, dt.date(2026, 1, 1)
        )
    assert line is not None and (line.status == "answered_late") is not on_time, line.status_label


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ([25, "2025-10-20"], "延长工作日数", "延长工作日数 25 超过法定上限：最多延长 20 个工作日"),
        ([10, "2025-09-20"], "延期批准日期", "早于收到日期 2025-09-26"),
        ([10, "2025-11-19"], "延期批准日期", "晚于答复日期 2025-11-18"),
        ([10, "2025-11-31"], "延期批准日期", "日期"),
    ],
)
def test_a_bad_extension_is_refused_at_its_cell(
    engine: Engine, cells: list, column: str, message: str
) -> None:  # type: ignore[type-arg]
    result = commit(engine, OPERATOR, xlsx([HEAD + EXT, ROW + cells]), "requests", UNIT, None, "bad.xlsx")
    assert result.status == "rejected"
    errors = [i for i in result.issues if i.level == "error"]
    assert any(message in i.message and i.row == 2 and column in (i.column or "") for i in errors), [
        (i.column, i.message) for i in errors
    ]
    with db.read_session(engine) as s:
        assert s.scalar(select(DisclosureRequest.id)) is None


def _row(no: str, applicant: str, outcome: str) -> list:  # type: ignore[type-arg]
    return [no, "2025-03-03", "网络", applicant, "申请公开若干文件", "2025-03-20", outcome]


def test_a_request_in_several_parts_is_counted_once_and_shown_whole(engine: Engine) -> None:
    data = xlsx([
        HEAD + ["主要答复类型"],
        _row("A", "自然人", TWO) + [None],
        _row("B", "自然人", TWO) + ["不掌握"],
        _row("C", "商业企业", "部分公开") + [None],
    ])  # fmt: skip
    result = commit(engine, OPERATOR, data, "requests", UNIT, None, "r.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]
    none = "无法提供-本机关不掌握相关政府信息"
    assert _parts(engine) == [
        ("A", 1, "予以公开", True), ("A", 2, none, False),
        ("B", 1, "予以公开", False), ("B", 2, none, True),
        ("C", 1, "部分公开", True),
    ]  # fmt: skip
    with db.read_session(engine) as s:
        ids = list(_ids(engine))
        table, warnings = build_table_3(s, ids, 2025)
        cells = {row["key"]: row["cells"] for row in table["rows"]}
        lines = {
            ln.request_no: ln
            for ln in requests.answered(s, tuple(ids), tuple(ids), 2025, dt.date(2026, 1, 1))
        }
    counted = {key: c["总计"] for key, c in cells.items() if key.startswith("三") and c["总计"]}
    # Three requests, each once: A under 予以公开, B under 本机关不掌握, C under 部分公开.
    # (一) 予以公开, (二) 部分公开, (四)1 本机关不掌握, (七) 总计.
    assert counted == {"三（一）": 1, "三（二）": 1, "三（四）1": 1, "三（七）": 3}, counted
    assert not warnings
    assert lines["A"].outcomes_text == f"予以公开（主要）；{none}"
    assert lines["B"].outcomes_text == f"予以公开；{none}（主要）"
    assert (
        lines["C"].outcomes_text == "部分公开"
        and lines["A"].outcome == "予以公开"
        and lines["B"].outcome == none
    )

    # A re-upload with one outcome for A replaces its parts; undo puts the two back.
    again = commit(engine, OPERATOR, xlsx([HEAD, _row("A", "自然人", "予以公开"), _row("B", "自然人", TWO),
                                           _row("C", "商业企业", "部分公开")]), "requests", UNIT, None, "r2.xlsx")  # fmt: skip
    assert again.status == "committed", [i.message for i in again.issues]
    assert [p for p in _parts(engine) if p[0] in "AB"] == [
        ("A", 1, "予以公开", True), ("B", 1, "予以公开", True), ("B", 2, none, False),
    ]  # fmt: skip
    undo(engine, OPERATOR, again.batch_id)
    assert _parts(engine)[:2] == [("A", 1, "予以公开", True), ("A", 2, none, False)]
    undo(engine, OPERATOR, result.batch_id)
    assert _parts(engine) == []


@pytest.mark.parametrize(
    ("outcome", "main", "column", "message"),
    [
        ("予以公开；不知道", None, "答复类型", "中的「不知道」无法识别"),
        (TWO, "部分公开", "主要答复类型", "不是本申请答复类型中的一项"),
        (TWO, "随便", "主要答复类型", "无法识别"),
    ],
)
def test_bad_parts_are_refused_at_their_cells(
    engine: Engine, outcome: str, main: str | None, column: str, message: str
) -> None:
    data = xlsx([HEAD + ["主要答复类型"], _row("A", "自然人", outcome) + [main]])
    result = commit(engine, OPERATOR, data, "requests", UNIT, None, "bad.xlsx")
    assert result.status == "rejected"
    errors = [i for i in result.issues if i.level == "error"]
    assert any(message in i.message and column in (i.column or "") for i in errors), [
        (i.column, i.message) for i in errors
    ]
    assert _parts(engine) == []
