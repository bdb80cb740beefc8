"""`backup --to DIR --keep-days N`, as the nightly timer runs it, on every backend: a checked file
per run (SQLite's integrity check; a server's copy read back and counted), recorded in the
database's own audit log (so every replica and the admin page agree on the last backup), old files
rotated away but never the newest, and a server's backup restored with `migrate-data`."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from sqlalchemy import select

from data_access.store import backup, db, transfer
from data_access.store.models import AuditLog
from tests.helpers.cli import run_cli
from tests.helpers.databases import create_database


def _url(engine) -> str:  # type: ignore[no-untyped-def]
    return engine.url.render_as_string(hide_password=False)


def _counts(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return transfer.counts(conn)
    finally:
        engine.dispose()


@pytest.fixture
def demo_db(empty_db):  # type: ignore[no-untyped-def]
    """The demo on a database of its own (the backup writes to its audit log), on each backend."""
    from seed import qingyang2018

    with db.write_session(empty_db) as session:
        qingyang2018.load(session)
    return empty_db


def test_a_backup_into_a_folder_is_checked_recorded_and_restorable(demo_db, tmp_path):
    url, folder = _url(demo_db), tmp_path / "备份"
    before = _counts(url)
    kpis = run_cli("--database-url", url, "kpis", "--year", "2018", "--json")
    done = run_cli("--database-url", url, "backup", "--to", str(folder), "--keep-days", "7")
    assert done.returncode == 0, done.stderr
    files = sorted(folder.iterdir())
    assert len(files) == 1 and backup.BACKUP_NAME.fullmatch(files[0].name)
    assert "已通过完整性检查" in done.stdout and str(files[0]) in done.stdout
    assert backup.verify_backup_file(files[0]) == transfer.revision(demo_db.connect())
    assert _counts(f"sqlite:///{files[0]}") == before, "every row of every table is in the file"

    with db.read_session(demo_db) as s:
        last = backup.last_backup_at(s)
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "backup")).one()
    assert last is not None and abs((dt.datetime.now() - last).total_seconds()) < 300
    assert entry.detail.startswith(f"已备份到 {files[0]}（") and f"{sum(before.values())} 行" in entry.detail
    assert entry.username == "命令行" and entry.source == "备份命令"

    # The restore drill: the file into a freshly initialised database of the same backend.
    target, drop = create_database(demo_db.dialect.name.replace("mysql", "mariadb"), tmp_path)
    try:
        assert run_cli("--database-url", target, "init").returncode == 0
        restored = run_cli("migrate-data", "--from", f"sqlite:///{files[0]}", "--to", target, "--quiet")
        assert restored.returncode == 0, restored.stderr
        assert _counts(target) == before
        again = run_cli("--database-url", target, "kpis", "--year", "2018", "--json")
        assert json.loads(again.stdout) == json.loads(kpis.stdout)
    finally:
        drop()


def test_rotation_removes_only_old_backups_of_this_product_never_the_newest(empty_sqlite, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    url = _url(empty_sqlite)
    first = backup.backup_to_folder(url, folder, now=dt.datetime(2026, 11, 1, 2, 0, 0))
    now = dt.datetime(2026, 12, 3, 2, 0, 0)
    old = [
        folder / f"gongkai-{d:%Y%m%d}-020000.sqlite3" for d in (dt.date(2026, 11, 20), dt.date(2026, 11, 25))
    ]
    recent = folder / "gongkai-20261130-020000.sqlite3"
    for path in (*old, recent):
        shutil.copy(first.info.path, path)
    others = [folder / "notes.txt", folder / "gongkai-manual.sqlite3"]
    for path in others:
        path.write_text("不是本系统的定时备份")

    done = backup.backup_to_folder(url, folder, keep_days=7, now=now)
    kept = sorted(p.name for p in folder.iterdir())
    assert set(done.removed) == {first.info.path, *old}
    assert kept == sorted([done.info.path.name, recent.name, *(p.name for p in others)])

    # Every file past the limit, but the newest stays.
    later = now + dt.timedelta(days=30)
    assert backup.rotate(folder, 7, later) == (recent,)
    assert done.info.path.exists()


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(empty_sqlite, tmp_path):
    now = dt.datetime(2026, 12, 3, 2, 0, 0)
    a = backup.backup_to_folder(_url(empty_sqlite), tmp_path, now=now)
    b = backup.backup_to_folder(_url(empty_sqlite), tmp_path, now=now)
    assert a.info.path != b.info.path and a.info.path.exists() and b.info.path.exists()
    assert backup.BACKUP_NAME.fullmatch(b.info.path.name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup"], "二者选一"),
        (["backup", "x.sqlite3", "--to", "dir"], "二者选一"),
        (["backup", "x.sqlite3", "--keep-days", "3"], "只能与 --to"),
        (["backup", "--to", "DIR", "--keep-days", "0"], "至少为 1"),
    ],
)
def test_backup_options_that_do_not_go_together_are_refused(empty_sqlite, tmp_path, args, message):
    args = [str(tmp_path / a) if a == "DIR" else a for a in args]
    done = run_cli("--database-url", _url(empty_sqlite), *args)
    assert done.returncode == 1 and message in done.stderr
    assert not list(tmp_path.glob("gongkai-*"))


def test_a_database_that_was_never_initialised_leaves_no_backup_and_no_record(tmp_path):
    url = f"sqlite:///{tmp_path / 'bare.sqlite3'}"
    db.make_engine(url).connect().close()
    done = run_cli("--database-url", url, "backup", "--to", str(tmp_path / "out"))
    assert done.returncode == 1 and "未保留备份" in done.stderr
    assert not list((tmp_path / "out").glob("*"))
