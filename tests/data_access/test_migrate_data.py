"""`migrate-data`: the seeded demo copied from SQLite into a freshly initialised PostgreSQL, MariaDB
(and SQLite) database, checked by every table's row count and the `kpis --json` output; the copy
keeps working afterwards (PostgreSQL's sequences moved past the copied ids); a target with data of
its own, one that was never initialised, or at another schema revision is refused untouched."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db, transfer
from data_access.store.models import OrgUnit
from data_access.write import auth
from tests.helpers.cli import run_cli
from tests.helpers.databases import create_database


def _counts(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return transfer.counts(conn)
    finally:
        engine.dispose()


def _kpis(url: str, year: int) -> dict:
    done = run_cli("--database-url", url, "kpis", "--year", str(year), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(params=["postgresql", "mariadb", "sqlite"])
def fresh_target(request, tmp_path):
    """A database `init` has just made (no data of its own), on each backend."""
    url, drop = create_database(request.param, tmp_path)
    try:
        done = run_cli("--database-url", url, "init")
        assert done.returncode == 0, done.stderr
        yield url
    finally:
        drop()


def test_the_demo_is_copied_whole_and_the_copy_keeps_working(seeded_sqlite_url, fresh_target, fast_hashing):
    before = _counts(seeded_sqlite_url)
    assert before["publication"] > 900 and before["stat_tally"] > 0 and before["org_unit"] > 1
    kpis_before = {year: _kpis(seeded_sqlite_url, year) for year in (2017, 2018)}

    done = run_cli("migrate-data", "--from", seeded_sqlite_url, "--to", fresh_target)
    assert done.returncode == 0, done.stderr
    assert f"共 {sum(before.values())} 行" in done.stdout
    assert "publication：" in done.stdout  # each table's count as it goes

    assert _counts(fresh_target) == before
    assert _counts(seeded_sqlite_url) == before, "the source is only read"
    for year, figures in kpis_before.items():
        assert _kpis(fresh_target, year) == figures

    # New rows get new ids (sequences past the copied ones) and the count triggers still count.
    engine = db.make_engine(fresh_target)
    try:
        with db.write_session(engine) as s:
            s.add(OrgUnit(code="xinzhen", name="新镇街道", level="subdistrict"))
            auth.create_user(s, "new_clerk", role="staff", unit_code="xinzhen", password="pass-word-1",
                             actor=OPERATOR)  # fmt: skip
            audit.record(s, "user_change", username="new_clerk", detail="迁移后新建")
        with engine.connect() as conn:
            tally_rows = conn.execute(text("SELECT COUNT(*) FROM stat_tally")).scalar()
            triggers = {
                "postgresql": "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'tally_%'",
                "mysql": "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
                "sqlite": "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'",
            }[conn.dialect.name]
            assert conn.execute(text(triggers)).scalar() >= 9
    finally:
        engine.dispose()
    after = _counts(fresh_target)
    assert after["org_unit"] == before["org_unit"] + 1 and after["app_user"] == before["app_user"] + 1
    assert after["audit_log"] >= before["audit_log"] + 1
    assert tally_rows == before["stat_tally"]

    # A second copy into the same (now non-empty) target is refused and changes nothing.
    again = run_cli("migrate-data", "--from", seeded_sqlite_url, "--to", fresh_target)
    assert again.returncode == 1
    assert "目标数据库已有数据" in again.stderr and "org_unit" in again.stderr
    assert _counts(fresh_target) == after


def test_a_target_that_is_not_initialised_or_is_the_source_is_refused(seeded_sqlite_url, tmp_path):
    bare = f"sqlite:///{tmp_path / 'bare.sqlite3'}"
    done = run_cli("migrate-data", "--from", seeded_sqlite_url, "--to", bare)
    assert done.returncode == 1 and "目标数据库尚未初始化" in done.stderr
    same = run_cli("migrate-data", "--from", seeded_sqlite_url, "--to", seeded_sqlite_url)
    assert same.returncode == 1 and "同一个" in same.stderr
    missing = run_cli("migrate-data", "--to", bare)
    assert missing.returncode == 2


def test_a_target_at_another_schema_revision_is_refused(seeded_sqlite_url, empty_sqlite):
    with empty_sqlite.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0017'"))
    url = empty_sqlite.url.render_as_string(hide_password=False)
    done = run_cli("migrate-data", "--from", seeded_sqlite_url, "--to", url)
    assert done.returncode == 1 and "结构版本不同" in done.stderr
    assert _counts(url)["org_unit"] == 0


def test_a_failure_half_way_leaves_the_target_as_it_was(seeded_sqlite_url, tmp_path, monkeypatch):
    url, _drop = create_database("sqlite", tmp_path)
    assert run_cli("--database-url", url, "init").returncode == 0
    before = _counts(url)
    real = transfer.read_batches

    def failing(conn, table):  # type: ignore[no-untyped-def]
        if table.name == "publication":
            raise transfer.TransferError("模拟：读取 publication 时连接中断")
        yield from real(conn, table)

    monkeypatch.setattr(transfer, "read_batches", failing)
    done = run_cli("migrate-data", "--from", seeded_sqlite_url, "--to", url)
    assert done.returncode == 1 and "publication" in done.stderr
    assert _counts(url) == before


def test_parents_come_before_the_rows_that_refer_to_them():
    rows = [
        {"id": 3, "parent_id": 5},
        {"id": 5, "parent_id": None},
        {"id": 4, "parent_id": 3},
        {"id": 7, "parent_id": 7},  # refers to itself
        {"id": 8, "parent_id": 99},  # refers to a row that is not there
    ]
    ordered = [r["id"] for r in transfer._parents_first(rows, [("parent_id", "id")])]
    assert sorted(ordered) == [3, 4, 5, 7, 8]
    assert ordered.index(5) < ordered.index(3) < ordered.index(4)
