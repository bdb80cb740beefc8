"""Online backups of SQLite while someone writes, checked restores, and guidance for server databases."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select

from data_access.cli import main as cli
from data_access.read import kpis
from data_access.rules.permissions import OPERATOR
from data_access.store import backup, db
from data_access.store.models import AppMeta, AuditLog, OrgUnit, Publication, StatTally, UploadBatch
from data_access.write.importing import commit
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, setup_unit, xlsx

ROOT = Path(__file__).resolve().parents[2]


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _count(path: Path, table: str = "audit_log") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_backup_while_another_thread_keeps_writing(empty_sqlite, tmp_path):
    writer_engine = db.make_engine(_url(empty_sqlite))
    stop = threading.Event()
    committed = [0]

    def write() -> None:
        batch = 0
        while not stop.is_set():
            with db.write_session(writer_engine) as s:
                for i in range(10):
                    s.execute(insert(AuditLog).values(action="upload", detail=f"批次 {batch} 第 {i} 行"))
                    time.sleep(0.0005)  # a transaction that takes a while
            batch += 1
            committed[0] = batch

    thread = threading.Thread(target=write)
    thread.start()
    counts = []
    try:
        while committed[0] < 3:
            time.sleep(0.01)
        for n in range(4):
            dest = tmp_path / f"backup-{n}.sqlite3"
            info = backup.backup_database(_url(empty_sqlite), dest)
            assert info.path == dest.resolve() and info.size_bytes == dest.stat().st_size
            counts.append(_count(dest))
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
        writer_engine.dispose()
    final = _count(Path(empty_sqlite.url.database))
    assert all(c > 0 and c % 10 == 0 for c in counts), counts
    assert counts == sorted(counts) and counts[0] < final, (counts, final)
    for n in range(4):
        path = tmp_path / f"backup-{n}.sqlite3"
        assert backup.verify_backup_file(path)
        assert not path.with_name(path.name + "-wal").exists()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def _consistency(url: str) -> dict[str, int]:
    """What a restored database must agree with itself on: every active upload whole, and the
    running counts equal to the rows they count."""
    engine = db.make_engine(url)
    try:
        with db.read_session(engine) as s:
            batches = s.execute(
                select(UploadBatch.id, UploadBatch.row_count).where(
                    UploadBatch.kind == "publications", UploadBatch.status == "active"
                )
            ).all()
            per_batch = dict(
                s.execute(select(Publication.batch_id, func.count()).group_by(Publication.batch_id)).all()
            )
            rows = s.scalar(select(func.count()).select_from(Publication)) or 0
            counted = s.scalar(select(func.sum(StatTally.n)).where(StatTally.dim == "pc")) or 0
            dated = s.scalar(select(func.count()).where(Publication.published_ym.is_not(None))) or 0
            total = kpis.compute(s, 2018, None, UNIT)["publications"]["total"] if rows else 0
    finally:
        engine.dispose()
    assert all(per_batch.get(batch, 0) == n for batch, n in batches), (batches, per_batch)
    assert rows == sum(n for _b, n in batches), "no row without its upload, no upload without its rows"
    assert counted == dated, "the running counts match the rows"
    assert total == rows, "the figures the app shows come out of it"
    return {"batches": len(batches), "rows": rows}


def test_backup_while_an_import_commits_restores_a_consistent_database(empty_sqlite, tmp_path):
    """Twelve uploads of 400 publication rows each commit one after another. At the last moment of
    each upload's transaction — its rows and running counts written, COMMIT not yet sent — another
    connection takes a backup. Each backup, restored into a fresh file, holds the uploads committed
    before it and nothing of the one in flight, whole uploads only, running counts equal to the rows,
    and the app's figures read from it."""
    setup_unit(empty_sqlite)
    url = _url(empty_sqlite)
    writer = db.make_engine(url)
    taken: list[tuple[Path, int]] = []

    def before_commit(conn) -> None:  # type: ignore[no-untyped-def]
        cursor = conn.connection.cursor()
        in_flight = cursor.execute("SELECT count(*) FROM publication").fetchone()[0]
        cursor.close()
        if in_flight and (not taken or in_flight != taken[-1][1]):
            dest = tmp_path / f"during-{len(taken)}.sqlite3"
            backup.backup_database(url, dest)
            taken.append((dest, in_flight))

    event.listen(writer, "commit", before_commit)
    try:
        for month in range(1, 13):
            rows = [
                [f"QY-B{month:02d}-2018-{i:05d}", *row[1:]]
                for i, row in enumerate(publication_rows(400, month))
            ]
            result = commit(
                writer,
                OPERATOR,
                xlsx([PUB_HEADER, *rows]),
                "publications",
                UNIT,
                f"2018-{month:02d}",
                f"{month}.xlsx",
            )
            assert result.status == "committed"
    finally:
        event.remove(writer, "commit", before_commit)
        writer.dispose()
    assert [n for _p, n in taken] == [400 * m for m in range(1, 13)], "one backup inside each upload"
    for n, (path, in_flight) in enumerate(taken):
        restored = tmp_path / f"restored-{n}.sqlite3"
        info = backup.restore_database(f"sqlite:///{restored}", path)
        assert not info.needs_upgrade and info.previous_saved_as is None
        state = _consistency(f"sqlite:///{restored}")
        assert state == {"batches": n, "rows": in_flight - 400}, "the upload in flight is not in it"
    assert _consistency(url) == {"batches": 12, "rows": 4800}


def _add_unit(engine, code: str) -> None:
    with db.write_session(engine) as s:
        s.add(OrgUnit(code=code, name=code, level="subdistrict"))
        db.bump_data_version(s)


def _unit_codes(engine) -> set[str]:
    with db.read_session(engine) as s:
        return set(s.scalars(select(OrgUnit.code)))


def test_restore_round_trip_keeps_the_old_database_and_bumps_the_version(empty_sqlite, tmp_path):
    _add_unit(empty_sqlite, "before")
    saved = tmp_path / "saved.sqlite3"
    backup.backup_database(_url(empty_sqlite), saved)
    for code in ("after1", "after2", "after3"):
        _add_unit(empty_sqlite, code)
    with db.read_session(empty_sqlite) as s:
        version_before = db.data_version(s)
    assert _unit_codes(empty_sqlite) == {"before", "after1", "after2", "after3"}

    info = backup.restore_database(_url(empty_sqlite), saved)

    # The running engine (a replica) sees the restored data and a newer data version.
    assert _unit_codes(empty_sqlite) == {"before"}
    with db.read_session(empty_sqlite) as s:
        assert db.data_version(s) == version_before + 1
    assert db.schema_is_current(empty_sqlite) and not info.needs_upgrade
    assert info.previous_saved_as is not None and _count(info.previous_saved_as, "org_unit") == 4
    _add_unit(empty_sqlite, "later")  # still writable
    assert _unit_codes(empty_sqlite) == {"before", "later"}


def _plain_sqlite(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def _corrupted(path: Path, good: Path) -> Path:
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    return path


TABLES = [
    "CREATE TABLE app_meta (key TEXT)",
    "CREATE TABLE org_unit (id INTEGER)",
    "CREATE TABLE app_user (id INTEGER)",
    "CREATE TABLE alembic_version (version_num TEXT)",
]

REFUSALS = {
    "missing": (lambda tmp, good: tmp / "nope.sqlite3", "文件不存在"),
    "text file": (lambda tmp, good: _write(tmp / "notes.txt", "不是数据库"), "不是 SQLite 数据库文件"),
    "foreign database": (lambda tmp, good: _plain_sqlite(tmp / "other.db", "CREATE TABLE t (x)"), "缺少表"),
    "no revision": (lambda tmp, good: _plain_sqlite(tmp / "empty-rev.db", *TABLES), "没有数据库结构版本"),
    "unknown revision": (
        lambda tmp, good: _plain_sqlite(
            tmp / "future.db", *TABLES, "INSERT INTO alembic_version VALUES ('9999')"
        ),
        "不为本程序所知",
    ),
    "corrupted": (lambda tmp, good: _corrupted(tmp / "broken.sqlite3", good), "损坏"),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", REFUSALS)
def test_restore_refuses_files_that_are_not_sound_backups(empty_sqlite, tmp_path, case):
    for i in range(200):  # enough pages to corrupt
        _add_unit(empty_sqlite, f"unit-{i:03d}")
    good = backup.backup_database(_url(empty_sqlite), tmp_path / "good.sqlite3").path
    make, message = REFUSALS[case]
    with pytest.raises(backup.BackupError, match=message):
        backup.restore_database(_url(empty_sqlite), make(tmp_path, good))
    assert len(_unit_codes(empty_sqlite)) == 200
    assert not list(tmp_path.glob("*before-restore*"))


def test_backup_refusals(empty_sqlite, tmp_path):
    url = _url(empty_sqlite)
    with pytest.raises(backup.BackupError, match="不能是数据库文件本身"):
        backup.backup_database(url, Path(empty_sqlite.url.database))
    with pytest.raises(backup.BackupError, match="是目录"):
        backup.backup_database(url, tmp_path)
    with pytest.raises(backup.BackupError, match="数据库文件不存在"):
        backup.backup_database(f"sqlite:///{tmp_path / 'absent.sqlite3'}", tmp_path / "b.sqlite3")
    blank = _plain_sqlite(tmp_path / "blank.sqlite3", "CREATE TABLE t (x)")
    with pytest.raises(backup.BackupError, match="请先运行 init"):
        backup.backup_database(f"sqlite:///{blank}", tmp_path / "b.sqlite3")
    assert not (tmp_path / "b.sqlite3").exists() and not list(tmp_path.glob(".*.tmp"))
    with pytest.raises(backup.BackupError, match="内存数据库"):
        backup.backup_database("sqlite://", tmp_path / "c.sqlite3")


@pytest.mark.parametrize(
    ("url", "restore", "command"),
    [
        (
            "postgresql+psycopg://gk@db.intra:5433/gongkai",
            False,
            "pg_dump -Fc -h db.intra -p 5433 -U gk -d gongkai -f '/backups/gk 1.dump'",
        ),
        (
            "postgresql+psycopg://gk@db.intra:5433/gongkai",
            True,
            "pg_restore --clean --if-exists --no-owner -h db.intra -p 5433 -U gk -d gongkai '/backups/gk 1.dump'",
        ),
        (
            "mysql+pymysql://gk:secret@10.1.2.3:3306/gongkai?charset=utf8mb4",
            False,
            "mariadb-dump --single-transaction --routines --triggers --default-character-set=utf8mb4 "
            "-h 10.1.2.3 -P 3306 -u gk -p '--result-file=/backups/gk 1.dump' gongkai",
        ),
        (
            "mariadb+pymysql://gk@10.1.2.3/gongkai",
            True,
            "mariadb --default-character-set=utf8mb4 -h 10.1.2.3 -u gk gongkai < '/backups/gk 1.dump'",
        ),
    ],
)
def test_server_databases_get_the_exact_command(url, restore, command, capsys):
    message = backup.guidance(url, Path("/backups/gk 1.dump"), restore=restore)
    assert f"\n  {command}\n" in message and "secret" not in message
    argv = ["--database-url", url, "restore" if restore else "backup", "/backups/gk 1.dump"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：当前数据库是 ") and command in err


def test_command_line_backup_and_restore(empty_sqlite, tmp_path):
    _add_unit(empty_sqlite, "kept")
    url, dest = _url(empty_sqlite), tmp_path / "nightly" / "gk.sqlite3"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "data_access", "--database-url", url, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = run("backup", str(dest))
    assert done.returncode == 0 and "已备份到" in done.stdout, done.stderr
    _add_unit(empty_sqlite, "dropped")
    done = run("restore", str(dest))
    assert done.returncode == 0 and "恢复前的数据库已另存为" in done.stdout, done.stderr
    assert _unit_codes(empty_sqlite) == {"kept"}
    bad = run("restore", str(_write(tmp_path / "x.txt", "hello")))
    assert bad.returncode == 1 and bad.stderr.startswith("错误：") and "不是 SQLite 数据库文件" in bad.stderr
    with db.read_session(empty_sqlite) as s:
        # the restore moved the data version (the publication due dates' package key is the other row)
        assert s.scalar(select(func.count()).select_from(AppMeta).where(AppMeta.key == "data_version")) == 1
