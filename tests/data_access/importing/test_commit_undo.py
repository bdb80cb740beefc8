"""All or nothing, idempotent re-uploads, supersede and exact undo — on every backend."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import Engine, select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AppMeta, UploadBatch
from data_access.write.importing import UndoRefused, batches, commit, history
from data_access.write.importing.changelog import ChangeLog
from data_access.write.undo import undo
from tests.helpers.builders import (
    PROJECT_HEADER,
    PUB_HEADER,
    UNIT,
    csv_bytes,
    project_rows,
    publication_rows,
    setup_unit,
    snapshot,
    table_counts,
    xlsx,
)

LIVE = (
    "publication",
    "project",
    "project_progress",
    "disclosure_request",
    "appeal",
    "board",
    "board_update",
    "delivery",
)


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def _version(engine: Engine) -> str | None:
    with db.read_session(engine) as s:
        return s.scalar(select(AppMeta.value).where(AppMeta.key == "data_version"))


def test_a_bad_row_anywhere_leaves_nothing_behind(engine: Engine) -> None:
    rng = random.Random(7)
    rows = [["青阳街道2018年12月主动公开政府信息目录"], PUB_HEADER, *publication_rows(600)]
    rows[rng.randrange(2, len(rows))][5] = "2018-12-45"
    before = table_counts(engine)
    result = commit(engine, OPERATOR, xlsx(rows), "publications", UNIT, None, "big.xlsx")
    assert result.status == "rejected" and len([i for i in result.issues if i.level == "error"]) == 1
    assert table_counts(engine) == before


def test_a_failure_while_writing_rolls_everything_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_counts(engine)

    def boom(self: ChangeLog, session) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(ChangeLog, "write", boom)
    with pytest.raises(RuntimeError):
        commit(
            engine,
            OPERATOR,
            xlsx([PUB_HEADER, *publication_rows(300)]),
            "publications",
            UNIT,
            "2018-12",
            "x.xlsx",
        )
    assert table_counts(engine) == before


def test_same_file_again_is_unchanged_even_in_a_race(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx([PUB_HEADER, *publication_rows(5)])
    first = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "a.xlsx")
    version = _version(engine)
    again = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "a.xlsx")
    assert (first.status, again.status, again.batch_id) == ("committed", "unchanged", first.batch_id)
    assert _version(engine) == version
    # The other uploader's read-check saw nothing: the unique constraint decides.
    monkeypatch.setattr(batches, "same_file", lambda *a, **k: batches.SameFile(None, 0))
    raced = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "a.xlsx")
    assert (raced.status, raced.batch_id) == ("unchanged", first.batch_id)
    with db.read_session(engine) as s:
        assert len(list(s.scalars(select(UploadBatch.id)))) == 1
    assert _version(engine) == version


def test_supersede_then_undo_restores_exactly(engine: Engine) -> None:
    first = [PUB_HEADER, *publication_rows(4)]
    assert (
        commit(engine, OPERATOR, xlsx(first), "publications", UNIT, "2018-12", "v1.xlsx").status
        == "committed"
    )
    after_first = snapshot(engine, LIVE)
    second = [PUB_HEADER, *publication_rows(3)]
    second[1][1] = "改过的标题"
    second.append(
        [
            "QY-NEW-2018-1",
            "新增一条",
            "机构职能类",
            "青街〔2018〕1号",
            "2018-12-01",
            "2018-12-02",
            "公报",
            "否",
        ]
    )
    result = commit(engine, OPERATOR, xlsx(second), "publications", UNIT, "2018-12", "v2.xlsx")
    assert (len(result.added), len(result.changed), len(result.removed)) == (1, 1, 1)
    statuses = {b.file_name: b.status for b in history(engine)}
    assert statuses == {"v1.xlsx": "superseded", "v2.xlsx": "active"}
    version = _version(engine)
    undo(engine, OPERATOR, result.batch_id)
    assert _version(engine) != version
    assert snapshot(engine, LIVE) == after_first
    assert {b.file_name: b.status for b in history(engine)} == {"v1.xlsx": "active", "v2.xlsx": "undone"}
    with pytest.raises(UndoRefused):
        undo(engine, OPERATOR, result.batch_id)
    again = commit(engine, OPERATOR, xlsx(second), "publications", UNIT, "2018-12", "v2.xlsx")
    assert again.status == "committed" and again.batch_id != result.batch_id


def test_projects_and_requests_supersede_and_undo(engine: Engine) -> None:
    empty = snapshot(engine, LIVE)
    oct_rows = [PROJECT_HEADER, *project_rows()]
    a = commit(engine, OPERATOR, xlsx(oct_rows), "projects", UNIT, "2018-10", "p1.xlsx")
    after_a = snapshot(engine, LIVE)
    changed = [
        PROJECT_HEADER,
        [1, "甲项目", 1500, 10, 100, 250, None, None],
        [4, "丁项目", 10, 1, 1, 10, None, None],
    ]
    b = commit(engine, OPERATOR, xlsx(changed), "projects", UNIT, "2018-10", "p2.xlsx")
    assert (len(b.added), len(b.changed), len(b.removed)) == (1, 1, 2)
    undo(engine, OPERATOR, b.batch_id)
    assert snapshot(engine, LIVE) == after_a
    undo(engine, OPERATOR, a.batch_id)
    assert snapshot(engine, LIVE) == empty

    header = [
        "编号",
        "收到日期",
        "申请方式",
        "申请人类型",
        "申请内容摘要",
        "答复日期",
        "答复类型",
        "复议诉讼类型",
        "复议诉讼日期",
    ]
    r1 = [
        header,
        ["R1", "2019-06-03", "网络", "自然人", "甲", "2019-06-10", "予以公开", "行政复议", "2019-07-01"],
        ["R2", "2019-06-04", "当面", "自然人", "乙", None, None, None, None],
    ]
    first = commit(engine, OPERATOR, csv_bytes(r1), "requests", UNIT, None, "r1.csv")
    after_first = snapshot(engine, LIVE)
    r2 = [header, ["R1", "2019-06-03", "网络", "自然人", "甲（改）", "2019-06-10", "部分公开", None, None]]
    second = commit(engine, OPERATOR, csv_bytes(r2), "requests", UNIT, None, "r2.csv")
    assert first.status == second.status == "committed" and len(second.removed) == 1
    with pytest.raises(UndoRefused, match=str(second.batch_id)):
        _undo_superseded_first(engine, first.batch_id)
    undo(engine, OPERATOR, second.batch_id)
    assert snapshot(engine, LIVE) == after_first


def _undo_superseded_first(engine: Engine, batch_id: int) -> None:
    """Force the first batch active again to show a later upload blocks its undo (filed under
    another period: the database holds one active batch per key)."""
    from sqlalchemy import update

    with db.write_session(engine) as s:
        period = s.get(UploadBatch, batch_id).period_key
        s.execute(
            update(UploadBatch).where(UploadBatch.id == batch_id).values(status="active", period_key="")
        )
    try:
        undo(engine, OPERATOR, batch_id)
    finally:
        with db.write_session(engine) as s:
            s.execute(
                update(UploadBatch)
                .where(UploadBatch.id == batch_id)
                .values(status="superseded", period_key=period)
            )
