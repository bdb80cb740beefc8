"""Engines, sessions and migrations for SQLite, PostgreSQL and MariaDB.

SQLite gets WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE` for write
transactions, so two writers queue instead of failing with "database is locked".
Callers own the transaction: `with write_session(engine) as s: ...`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from data_access import settings
from data_access.store.models import AppMeta, Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_IMMEDIATE = "gongkai_write"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for the URL (default: the configured one) with per-backend settings."""
    url = url or settings.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine, settings.get_int("SQLITE_BUSY_TIMEOUT_MS"))
        return engine
    if parsed.get_backend_name() in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return create_engine(parsed, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # A writer takes the write lock up front (and waits busy_timeout for it)
        # instead of failing half-way when it upgrades a read lock.
        mode = "IMMEDIATE" if conn.get_execution_options().get(_IMMEDIATE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed."""
    with Session(engine) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose single transaction commits on success and rolls back on any error."""
    bind = engine.execution_options(**{_IMMEDIATE: True})
    with Session(bind) as session, session.begin():
        yield session


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    """An Alembic config pointing at our migrations and the given database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    return set(current) == set(script.get_heads())


def has_table(engine: Engine, name: str) -> bool:
    """True when the table exists."""
    return inspect(engine).has_table(name)


def data_version(session: Session) -> int:
    """The counter every write bumps; caches key on it so an upload shows everywhere."""
    value = session.scalar(select(AppMeta.value).where(AppMeta.key == "data_version"))
    return int(value) if value is not None else 0


def bump_data_version(session: Session) -> None:
    """Increase the data version inside the caller's write transaction."""
    result = session.execute(
        update(AppMeta).where(AppMeta.key == "data_version").values(value=str(data_version(session) + 1))
    )
    if result.rowcount == 0:
        session.add(AppMeta(key="data_version", value="1"))


__all__ = [
    "Base",
    "bump_data_version",
    "data_version",
    "has_table",
    "make_engine",
    "read_session",
    "schema_is_current",
    "upgrade",
    "write_session",
]
