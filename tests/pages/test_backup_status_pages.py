"""The last backup's age for the admins: always on 操作日志, and a warning on 总览 when there has
been none for more than 2 days (never for leaders or staff)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.store import audit, backup, db
from tests.helpers.pages import principal, run

ADMIN = principal("admin")


@pytest.fixture
def demo_copy(seeded_sqlite_url, tmp_path):  # type: ignore[no-untyped-def]
    """A copy of the seeded demo this test may write to."""
    path = tmp_path / "demo.sqlite3"
    backup.backup_database(seeded_sqlite_url, path)
    return f"sqlite:///{path}"


def _warnings(at) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(w.value) for w in at.warning)


def _record_backup(url: str, at: dt.datetime) -> None:
    engine = db.make_engine(url)
    try:
        with db.write_session(engine) as s:
            audit.record(s, backup.BACKUP_ACTION, username="命令行", detail="已备份", at=at)
    finally:
        engine.dispose()


def test_no_backup_ever_warns_the_admin_on_the_overview_only(monkeypatch, demo_copy):
    at = run(monkeypatch, demo_copy, who=ADMIN)
    assert "尚无数据库备份记录" in _warnings(at)
    for role in ("leader", "staff"):
        other = run(monkeypatch, demo_copy, who=principal(role))
        assert "备份" not in _warnings(other)


def test_a_recent_backup_silences_the_warning_and_shows_on_the_audit_page(monkeypatch, demo_copy, tmp_path):
    done = backup.backup_to_folder(demo_copy, tmp_path / "backups", keep_days=30)
    at = run(monkeypatch, demo_copy, who=ADMIN)
    assert "备份" not in _warnings(at)
    page = run(monkeypatch, demo_copy, "pages/admin_audit.py", who=ADMIN)
    shown = " ".join(str(i.value) for i in page.info)
    with db.read_session(db.make_engine(demo_copy)) as s:
        last = backup.last_backup_at(s)
    assert last is not None and f"上次数据库备份：{last:%Y-%m-%d %H:%M}（0 天前）" in shown
    assert done.info.path.exists()


def test_a_backup_three_days_old_warns_with_its_age(monkeypatch, demo_copy):
    _record_backup(demo_copy, audit.local_now() - dt.timedelta(days=3, hours=1))
    at = run(monkeypatch, demo_copy, who=ADMIN)
    warned = _warnings(at)
    assert "3 天前" in warned and "已超过 2 天没有备份" in warned
    page = run(monkeypatch, demo_copy, "pages/admin_audit.py", who=ADMIN)
    assert "已超过 2 天没有备份" in _warnings(page)
