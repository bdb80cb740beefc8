"""补正 and 征求第三方意见 in the requests import (issue 16, item 6): the dates in the file pause or
restart the reply clock, so a request corrected before its answer is judged on time from the
import alone; a re-upload changes them, a file without the columns keeps those entered on the
form, undo puts the old ones back — on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.read.queries import requests
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import DisclosureRequest, RequestPause
from data_access.write.importing import commit, preview
from data_access.write.undo import undo
from tests.helpers.builders import UNIT, csv_bytes, setup_unit, xlsx

HEAD = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
PAUSES = ["补正告知日期", "补正完成日期", "征求第三方意见开始日期", "征求第三方意见结束日期"]
# Received 2025-09-26, told to correct on 09-28, corrected on 10-11: due 11-07, answered 11-07.
ROW = ["YSQ-2025-001", "2025-09-26", "网络", "自然人", "申请公开某项目审批文件", "2025-11-07", "予以公开"]


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def _pauses(engine: Engine) -> list[tuple[str, dt.date, dt.date | None]]:
    with db.read_session(engine) as s:
        return [
            tuple(r)  # type: ignore[misc]
            for r in s.execute(
                select(RequestPause.kind, RequestPause.start_date, RequestPause.end_date).order_by(
                    RequestPause.start_date
                )
            )
        ]


def _on_time(engine: Engine) -> tuple[int, int]:
    with db.read_session(engine) as s:
        ids = tuple(s.scalars(select(DisclosureRequest.unit_id).distinct()))
        return requests.on_time_by_unit(s, ids, 2025, dt.date(2026, 1, 1), by_unit=False)[None]


def test_a_corrected_request_is_on_time_from_the_import_alone(engine: Engine) -> None:
    plain = preview(engine, xlsx([HEAD, ROW]), "requests", UNIT, None, "r.xlsx")
    assert any("已超期" in i.message for i in plain.issues)  # without the 补正 it looks 6 days late
    data = xlsx([HEAD + PAUSES, ROW + ["2025-09-28", "2025-10-11", None, None]])
    checked = preview(engine, data, "requests", UNIT, None, "r.xlsx")
    assert not [i.message for i in checked.issues if "已超期" in i.message]
    result = commit(engine, OPERATOR, data, "requests", UNIT, None, "r.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]
    assert _pauses(engine) == [("correction", dt.date(2025, 9, 28), dt.date(2025, 10, 11))]
    assert _on_time(engine) == (1, 1)

    # Two 补正 and a consultation in a re-upload: they replace the first; the last 补正 counts.
    again = xlsx([
        HEAD + PAUSES,
        ROW + ["2025-09-28；2025-10-09", "2025-10-08；2025-10-11", "2025-10-20", "2025-10-24"],
    ])  # fmt: skip
    second = commit(engine, OPERATOR, again, "requests", UNIT, None, "r2.xlsx")
    assert second.status == "committed" and len(second.changed) == 1
    assert [p[0] for p in _pauses(engine)] == ["correction", "correction", "third_party"]
    # A file without the columns leaves the pauses as they are.
    # (its summary differs: a file with the very data in force is not imported at all)
    edited = [*ROW[:4], "申请公开某项目审批文件及附件", *ROW[5:]]
    third = commit(engine, OPERATOR, csv_bytes([HEAD, edited]), "requests", UNIT, None, "r3.csv")
    assert third.status == "committed" and len(_pauses(engine)) == 3
    assert _on_time(engine) == (1, 1)
    undo(engine, OPERATOR, third.batch_id)
    undo(engine, OPERATOR, second.batch_id)
    assert _pauses(engine) == [("correction", dt.date(2025, 9, 28), dt.date(2025, 10, 11))]
    undo(engine, OPERATOR, result.batch_id)
    assert _pauses(engine) == []


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["2025-09-28", "2025-09-27", None, None], "补正完成日期", "早于补正告知日期"),
        ([None, "2025-10-11", None, None], "补正完成日期", "每次补正应有告知日期"),
        (["2025-09-20", "2025-10-11", None, None], "补正告知日期", "早于收到日期 2025-09-26"),
        ([None, None, "2025-10-20", "2025-10-19"], "征求第三方意见结束日期", "早于开始日期"),
        (["2025-13-40", None, None, None], "补正告知日期", "日期"),
    ],
)
def test_bad_pause_dates_are_refused_at_their_cells(
    engine: Engine, cells: list, column: str, message: str
) -> None:  # type: ignore[type-arg]
    result = commit(engine, OPERATOR, xlsx([HEAD + PAUSES, ROW + cells]), "requests", UNIT, None, "bad.xlsx")
    assert result.status == "rejected"
    errors = [i for i in result.issues if i.level == "error"]
    assert any(message in i.message and i.row == 2 for i in errors), [i.message for i in errors]
    assert any(column in (i.column or "") for i in errors), [(i.column, i.message) for i in errors]
    assert _pauses(engine) == []
