"""Uploads and undos of the same data at the same time, on real concurrent connections.

Commit and undo of a (kind, unit) run one after the other (batches.lock) and plan under the
lock; the database holds one active batch per (kind, unit, period); a write that lost to
another writer is tried again, and what still cannot be written is a Chinese 'conflict'
result, never a traceback. Each race below starts its racers together (threads with their
own engine and a barrier) and checks the database against what the racers were told.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import (
    MONTHLY_UPLOAD_KINDS,
    YEARLY_UPLOAD_KINDS,
    OrgUnit,
    Publication,
    PublicationListing,
    UploadBatch,
)
from data_access.write.importing import UndoRefused, batches, commit, store
from data_access.write.importing.kinds import SPECS
from data_access.write.importing.pipeline import CONFLICT_MESSAGE
from data_access.write.undo import undo
from tests.helpers import races
from tests.helpers.builders import UNIT, setup_unit, table_counts
from tests.helpers.checks import assert_exact
from tests.helpers.databases import create_database, migrate

ROUNDS = 3


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _titles(engine: Engine, batch_id: int) -> set[str]:
    with db.read_session(engine) as s:
        return set(s.scalars(select(Publication.title).where(Publication.batch_id == batch_id)))


def _file_of(engine: Engine, batch_id: int) -> str:
    with db.read_session(engine) as s:
        return s.get(UploadBatch, batch_id).file_name


def _assert_clean(outcomes: list[races.Outcome]) -> None:
    for o in outcomes:
        assert not o.unhandled, o.message
        assert o.status in ("committed", "conflict", "undone", "refused"), o
        if o.status == "conflict":
            assert CONFLICT_MESSAGE in o.message, o.message


# ------------------------------------------------------------------ two uploads for one key


def test_two_uploads_with_disjoint_index_numbers_leave_one_batch_in_force(engine: Engine) -> None:
    for r in range(ROUNDS):
        period = f"2018-{r + 1:02d}"
        outcomes, found = races.disjoint(_url(engine), engine, period)
        _assert_clean(outcomes)
        assert found == [], found
        committed = [o for o in outcomes if o.status == "committed"]
        assert committed
        [active] = races.key_state(engine, period).active
        assert races.key_state(engine, period).rows == races.ROWS == active.row_count  # one file's figures
        assert_exact(engine)
        # Undo works, and brings back exactly what the batch replaced.
        assert undo(engine, OPERATOR, active.id) == races.ROWS
        after = races.key_state(engine, period)
        if len(committed) == 2:
            [back] = after.active
            assert back.id != active.id and after.rows_by_batch == {back.id: races.ROWS}
        else:
            assert after.active == [] and after.rows == 0
        assert_exact(engine)


def test_two_uploads_with_the_same_index_numbers_never_raise(engine: Engine) -> None:
    for r in range(ROUNDS):
        period = f"2018-{r + 4:02d}"
        outcomes, found = races.overlapping(_url(engine), engine, period)
        _assert_clean(outcomes)
        assert found == [], found
        [active] = races.key_state(engine, period).active
        title = "甲" if _file_of(engine, active.id) == "a.xlsx" else "乙"
        assert _titles(engine, active.id) == {f"{title}{i}" for i in range(races.ROWS)}
        assert_exact(engine)


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8])
def test_an_upload_racing_the_undo_of_the_batch_it_replaces(engine: Engine, delay: float) -> None:
    period = "2018-07"
    outcomes, found = races.against_undo(_url(engine), engine, period, delay)
    _assert_clean(outcomes)
    assert found == [], found
    upload, undoing = outcomes
    state = races.key_state(engine, period)
    if upload.status == "committed":  # 已导入 N 行: N rows are there, in force
        assert [b.id for b in state.active] == [upload.batch_id]
        assert state.rows_by_batch == {upload.batch_id: upload.rows}
        assert _titles(engine, upload.batch_id) == {f"改{i}" for i in range(races.ROWS)}
    if undoing.status == "refused":  # the upload came first and replaced it
        assert "已被之后上传的文件替换" in undoing.message
    assert_exact(engine)


# ------------------------------------------------------------------ what the database enforces


def _batch(unit_id: int, kind: str, period: str, digest: str, status: str = "active") -> dict:
    return dict(
        kind=kind,
        unit_id=unit_id,
        period_key=period,
        file_name=f"{digest}.xlsx",
        file_hash=digest,
        status=status,
        row_count=0,
    )


def test_the_database_holds_one_active_upload_per_key(engine: Engine) -> None:
    with db.read_session(engine) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
    with db.write_session(engine) as s:
        s.execute(insert(UploadBatch).values(_batch(unit_id, "publications", "2018-11", "a")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "publications", "2018-11", "b", "superseded")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "publications", "2018-11", "c", "undone")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "publications", "2018-10", "d")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "requests", "2019", "e")))
        # Forms file yearly kinds under a month: as many in force as were saved.
        s.execute(insert(UploadBatch).values(_batch(unit_id, "requests", "2019-06", "f")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "requests", "2019-06", "g")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "hotline", "2019-06", "h")))
        s.execute(insert(UploadBatch).values(_batch(unit_id, "hotline", "2019-06", "i")))
    for kind, period in (("publications", "2018-11"), ("requests", "2019"), ("projects", "2018-11")):
        if kind == "projects":
            with db.write_session(engine) as s:
                s.execute(insert(UploadBatch).values(_batch(unit_id, kind, period, "j")))
        with pytest.raises(IntegrityError), db.write_session(engine) as s:
            s.execute(insert(UploadBatch).values(_batch(unit_id, kind, period, "second")))
    with pytest.raises(IntegrityError), db.write_session(engine) as s:  # nor by bringing one back
        s.execute(update(UploadBatch).where(UploadBatch.file_hash == "b").values(status="active"))
    with db.read_session(engine) as s:
        assert s.scalar(select(func.count()).where(UploadBatch.status == "active")) == 8


def test_the_computed_key_follows_the_kinds() -> None:
    assert set(MONTHLY_UPLOAD_KINDS) == {k for k, spec in SPECS.items() if spec.period == "month"}
    assert set(YEARLY_UPLOAD_KINDS) == {k for k, spec in SPECS.items() if spec.period == "year"}


# ------------------------------------------------------------------ conflicts and a busy database


def test_a_conflict_that_persists_is_a_chinese_message_and_nothing_is_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_counts(engine)
    tries = []

    def changed_under_us(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        tries.append(1)
        raise db.WriteConflict("delete publication: 0 rows where the plan has 1")

    monkeypatch.setattr(store, "apply", changed_under_us)
    result = commit(
        engine, OPERATOR, races.pub_file("C", "2018-08"), "publications", UNIT, "2018-08", "c.xlsx"
    )
    assert result.status == "conflict" and result.batch_id is None
    assert CONFLICT_MESSAGE in [i.message for i in result.issues if i.level == "error"]
    assert len(tries) == 3 and table_counts(engine) == before


def test_a_conflict_once_is_planned_again_and_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, tries = store.apply, []

    def once(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        tries.append(1)
        if len(tries) == 1:
            raise db.WriteConflict("update publication: 299 rows where the plan has 300")
        real(*args, **kwargs)

    monkeypatch.setattr(store, "apply", once)
    result = commit(
        engine, OPERATOR, races.pub_file("D", "2018-09"), "publications", UNIT, "2018-09", "d.xlsx"
    )
    assert result.status == "committed" and len(tries) == 2
    assert races.key_state(engine, "2018-09").rows_by_batch == {result.batch_id: races.ROWS}


def test_a_row_gone_since_the_plan_is_a_conflict_not_a_silent_no_op(engine: Engine) -> None:
    first = commit(
        engine, OPERATOR, races.pub_file("E", "2018-10"), "publications", UNIT, "2018-10", "e1.xlsx"
    )
    table = Publication.__table__
    with pytest.raises(db.WriteConflict), db.write_session(engine) as s:
        planned = store.select_rows(s, select(table).where(table.c.batch_id == first.batch_id))
        listing = PublicationListing.__table__  # its register listing goes with it
        s.execute(listing.delete().where(listing.c.publication_id == planned[0]["id"]))
        s.execute(table.delete().where(table.c.id == planned[0]["id"]))  # gone since the plan
        store.update_by_id(s, table, [dict(id=r["id"], title="新") for r in planned])
    assert races.key_state(engine, "2018-10").rows == races.ROWS


def test_undo_of_a_batch_no_longer_in_force_says_why(engine: Engine) -> None:
    a = commit(engine, OPERATOR, races.pub_file("F", "2018-12"), "publications", UNIT, "2018-12", "f1.xlsx")
    b = commit(
        engine,
        OPERATOR,
        races.pub_file("F", "2018-12", title="改"),
        "publications",
        UNIT,
        "2018-12",
        "f2.xlsx",
    )
    with pytest.raises(UndoRefused, match="已被之后上传的文件替换"):
        undo(engine, OPERATOR, a.batch_id)
    undo(engine, OPERATOR, b.batch_id)
    with pytest.raises(UndoRefused, match=f"第 {b.batch_id} 批已撤销，不能再次撤销"):
        undo(engine, OPERATOR, b.batch_id)


def _hold_sqlite_write_lock(path: str, seconds: float, started: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        other.execute("COMMIT")
    finally:
        other.close()


def test_sqlite_busy_longer_than_its_timeout_is_waited_for(
    empty_sqlite: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_unit(empty_sqlite)
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_MS", "100")
    engine = db.make_engine(_url(empty_sqlite))
    started = threading.Event()
    holder = threading.Thread(target=_hold_sqlite_write_lock, args=(empty_sqlite.url.database, 1.5, started))
    holder.start()
    started.wait()
    try:
        result = commit(
            engine, OPERATOR, races.pub_file("G", "2018-06"), "publications", UNIT, "2018-06", "g.xlsx"
        )
    finally:
        holder.join()
        engine.dispose()
    assert result.status == "committed"


def test_sqlite_busy_beyond_the_bound_asks_to_try_again(
    empty_sqlite: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_unit(empty_sqlite)
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_MS", "100")
    monkeypatch.setenv("WRITE_WAIT_SECONDS", "0.5")
    engine = db.make_engine(_url(empty_sqlite))
    started = threading.Event()
    holder = threading.Thread(target=_hold_sqlite_write_lock, args=(empty_sqlite.url.database, 2.0, started))
    holder.start()
    started.wait()
    try:
        result = commit(
            engine, OPERATOR, races.pub_file("H", "2018-05"), "publications", UNIT, "2018-05", "h.xlsx"
        )
        with pytest.raises(UndoRefused, match="数据库正忙"):
            undo(engine, OPERATOR, 1)
    finally:
        holder.join()
        engine.dispose()
    assert result.status == "conflict"
    assert any("数据库正忙" in i.message and "请稍后重试" in i.message for i in result.issues)
    assert races.key_state(empty_sqlite, "2018-05").active == []


def test_threads_of_one_server_queue_for_sqlite(
    empty_sqlite: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight threads, one engine, a busy timeout of 1 ms: they queue inside the process."""
    setup_unit(empty_sqlite)
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_MS", "1")
    engine = db.make_engine(_url(empty_sqlite))
    files = [races.pub_file("T", "2018-04", title=f"第{t}版") for t in range(8)]
    barrier = threading.Barrier(8)
    seen_locked = []

    def run(t: int) -> str:
        barrier.wait()
        return commit(engine, OPERATOR, files[t], "publications", UNIT, "2018-04", f"t{t}.xlsx").status

    real = db.lost_to_another_writer

    def spy(exc: BaseException) -> bool:
        seen_locked.append(exc)
        return real(exc)

    monkeypatch.setattr(db, "lost_to_another_writer", spy)
    results: list[str] = [""] * 8
    threads = [threading.Thread(target=lambda t=t: results.__setitem__(t, run(t))) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert results == ["committed"] * 8
    assert seen_locked == []  # never even met the file lock
    state = races.key_state(empty_sqlite, "2018-04")
    assert len(state.active) == 1 and state.rows == races.ROWS


def test_eight_processes_re_uploading_a_large_file_all_get_through(empty_sqlite: Engine) -> None:
    """Each replaces every row of the one before; a busy timeout of 200 ms makes them contend."""
    setup_unit(empty_sqlite)
    rows = int(os.environ.get("RACE_SQLITE_ROWS", "4000"))
    outcomes, _wall = races.eight_reuploads(_url(empty_sqlite), rows, busy_ms=200)
    assert sorted(o[0] for o in outcomes) == ["committed"] * 8, [o[:2] for o in outcomes]
    state = races.key_state(empty_sqlite, "2018-03")
    assert len(state.active) == 1 and state.rows_by_batch == {state.active[0].id: rows}


# ------------------------------------------------------------------ the migration


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_repairs_keys_that_already_have_two_active_batches(backend: str, tmp_path: Path) -> None:
    """A database where a race left two active batches for one key upgrades: the newest stays in
    force and takes over the older one's rows; undoing it (or re-uploading) sets things right."""

    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        setup_unit(engine)
        a = commit(
            engine, OPERATOR, races.pub_file("MA", "2018-11"), "publications", UNIT, "2018-11", "a.xlsx"
        )
        b = commit(
            engine, OPERATOR, races.pub_file("MB", "2018-10"), "publications", UNIT, "2018-10", "b.xlsx"
        )
        migrate(engine, url, "downgrade", "0008")
        with engine.begin() as conn:  # what a race did before 0009: two in force for 2018-11
            conn.execute(
                update(UploadBatch.__table__).where(UploadBatch.id == b.batch_id).values(period_key="2018-11")
            )
            unit_id = conn.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
            for digest in ("form1", "form2"):  # forms: several in force, left alone
                conn.execute(
                    insert(UploadBatch.__table__).values(_batch(unit_id, "requests", "2019-06", digest))
                )
        db.upgrade(engine)
        with db.read_session(engine) as s:
            status = dict(s.execute(select(UploadBatch.id, UploadBatch.status)).all())
            notes = dict(s.execute(select(UploadBatch.id, UploadBatch.note)).all())
            owners = dict(
                s.execute(select(Publication.batch_id, func.count()).group_by(Publication.batch_id)).all()
            )
        assert status[a.batch_id] == "superseded" and status[b.batch_id] == "active"
        assert list(status.values()).count("active") == 3
        assert owners == {b.batch_id: 2 * races.ROWS}  # no figure changed
        assert "迁移 0009" in notes[a.batch_id] and "迁移 0009" in notes[b.batch_id]
        assert undo(engine, OPERATOR, b.batch_id) == races.ROWS
        with db.read_session(engine) as s:
            assert s.scalar(select(func.count()).select_from(Publication)) == 0
        assert_exact(engine)
        migrate(engine, url, "downgrade", "0008")  # and back down and up again
        db.upgrade(engine)
        assert db.schema_is_current(engine)
    finally:
        engine.dispose()
        drop()


def test_the_lock_row_counts_the_writes(engine: Engine) -> None:
    """The lock row is created on the first write of a (kind, unit) and counts the writes."""
    r = commit(engine, OPERATOR, races.pub_file("K", "2018-02"), "publications", UNIT, "2018-02", "k.xlsx")
    undo(engine, OPERATOR, r.batch_id)
    with db.write_session(engine) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
        assert batches.lock(s, "publications", unit_id) == 3


def test_the_command_line_reports_a_conflict_and_exits_1(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from data_access.cli import main as cli

    def changed_under_us(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        raise db.WriteConflict("delete publication: 0 rows where the plan has 1")

    monkeypatch.setattr(store, "apply", changed_under_us)
    path = tmp_path / "m.xlsx"
    path.write_bytes(races.pub_file("M", "2018-03"))
    code = cli.main(["--database-url", _url(engine), "import", "--kind", "publications", "--period", "2018-03",
                     str(path)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1 and out.startswith("未导入（其他同事正在导入或撤销同一数据") and CONFLICT_MESSAGE in out
