"""The data model: Alembic's migrations build exactly the models, on every backend; every
imported row points at its upload batch; SQLite runs with WAL, foreign keys, a busy timeout and
writers that take the write lock when their transaction begins."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data_access import settings
from data_access.store import db, tally
from data_access.store.models import NAMING_CONVENTION, Base, OrgUnit
from data_access.store.models.records import PARTIAL_INDEXES

# Tables whose rows arrive in a monthly spreadsheet (or are registered one at a time).
IMPORTED = (
    "publication",
    "project_progress",
    "disclosure_request",
    "appeal",
    "board_update",
    "delivery",
    "policy_interpretation",
    "hotline_duty",
)


def _compared(dialect: str):  # type: ignore[no-untyped-def]
    def include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
        # PostgreSQL's running counts fold in from an unlogged delta table the migrations create
        # beside the model (data_access.store.tally); it has no model on purpose.
        if type_ == "table" and name == tally.DELTA:
            return False
        # A partial index exists only where the backend has them (Index.ddl_if, which Alembic's
        # comparison does not read).
        partial = type_ == "index" and not reflected and obj.dialect_options["sqlite"]["where"] is not None
        return not partial or dialect in PARTIAL_INDEXES

    return include


def test_migrations_build_exactly_the_models(empty_db: Engine) -> None:
    with empty_db.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _compared(empty_db.dialect.name)}
        )
        assert compare_metadata(context, Base.metadata) == []
    assert db.schema_is_current(empty_db)


def test_every_imported_row_points_at_its_batch() -> None:
    for name in IMPORTED:
        column = Base.metadata.tables[name].c.batch_id
        assert not column.nullable, name
        assert {fk.column.table.name for fk in column.foreign_keys} == {"upload_batch"}, name
    batch = Base.metadata.tables["upload_batch"].c
    for field in (
        "uploaded_by",
        "uploaded_at",
        "file_name",
        "file_hash",
        "kind",
        "unit_id",
        "period_key",
        "status",
    ):
        assert field in batch, field


def test_constraints_are_named_by_the_convention() -> None:
    assert Base.metadata.naming_convention == NAMING_CONVENTION
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            assert fk.name and fk.name.startswith(f"fk_{table.name}_"), (table.name, fk.name)


def test_a_sqlite_cache_below_one_mb_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SQLITE_CACHE_MB", "0")
    with pytest.raises(ValueError, match="SQLITE_CACHE_MB 应为正整数"):
        db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")


def test_sqlite_runs_wal_with_foreign_keys_and_writers_take_the_lock_up_front(empty_sqlite: Engine) -> None:
    with empty_sqlite.connect() as conn:
        pragma = conn.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == settings.get_int("SQLITE_BUSY_TIMEOUT_MS")
        assert pragma("PRAGMA cache_size").scalar() == -1024 * settings.get_int("SQLITE_CACHE_MB")
    with pytest.raises(IntegrityError), db.write_session(empty_sqlite) as s:
        s.add(OrgUnit(code="orphan", name="无上级", level="community", parent_id=999))
    path = empty_sqlite.url.database
    with db.write_session(empty_sqlite) as s:
        s.execute(select(OrgUnit.id)).all()  # only a read so far, yet the write lock is held
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            assert other.execute("SELECT count(*) FROM org_unit").fetchone() == (0,)  # readers go on
        finally:
            other.close()


def test_the_model_covers_the_whole_product() -> None:
    tables = set(Base.metadata.tables)
    assert tables >= {
        "org_unit", "category", "topic", "publication", "project", "project_progress",
        "disclosure_request", "request_pause", "appeal", "board", "board_update", "delivery",
        "policy_interpretation", "hotline_duty", "annual_target", "workday_override",
        "upload_batch", "app_user", "audit_log",
    }  # fmt: skip
    publication = Base.metadata.tables["publication"].c
    for field in ("index_no", "doc_no", "formed_date", "published_date", "channel", "full_text",
                  "attribute", "withheld_reason", "secrecy_reviewed", "secrecy_reviewer", "secrecy_review_date"):  # fmt: skip
        assert field in publication, field
    [parent] = Base.metadata.tables["org_unit"].c.parent_id.foreign_keys
    assert parent.column.table.name == "org_unit"  # city → sub-district → community/department
