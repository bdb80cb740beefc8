"""Engines, sessions and migrations for SQLite, PostgreSQL and MariaDB.

SQLite gets WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE` for write
transactions, so two writers queue instead of failing with "database is locked";
the writers of one process queue on a lock of their own first, so the threads of one
server never fight over the file. Callers own the transaction:
`with write_session(engine) as s: ...`. `retrying(work)` runs a whole write transaction
again when it lost to another writer (SQLite still busy after its timeout, a deadlock, a
lock wait timeout, or a `WriteConflict` the writer noticed), with backoff, for up to
WRITE_WAIT_SECONDS; then it raises `Busy` (a Chinese message to try again).
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.store.models import AppMeta, Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_IMMEDIATE = "gongkai_write"
_MEMO = "gongkai_read_memo"
_log = logging.getLogger(__name__)
T = TypeVar("T")


class Busy(SQLAlchemyError):
    """Other writers kept the database busy for longer than WRITE_WAIT_SECONDS; Chinese message."""


class WriteConflict(Exception):
    """The database was not as the writer planned (a row count or a unique key did not match)."""


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for the URL (default: the configured one) with per-backend settings."""
    url = url or settings.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        cache_mb = settings.get_int("SQLITE_CACHE_MB")
        if cache_mb < 1:
            raise ValueError(f"设置 SQLITE_CACHE_MB 应为正整数（MB），实际为 {cache_mb}")
        _configure_sqlite(engine, settings.get_int("SQLITE_BUSY_TIMEOUT_MS"), cache_mb)
        return engine
    if parsed.get_backend_name() in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return create_engine(parsed, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, cache_mb: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        # A negative size is in KiB. SQLite's 2 MB default holds too few of a city's pages: a view
        # read them again from the file at each visit (docs/benchmarks.md).
        cur.execute(f"PRAGMA cache_size = {-1024 * int(cache_mb)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # A writer takes the write lock up front (and waits busy_timeout for it)
        # instead of failing half-way when it upgrades a read lock.
        mode = "IMMEDIATE" if conn.get_execution_options().get(_IMMEDIATE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed. What it reads once and asks again
    for (the unit tree, the calendar) it may keep (`remembered`)."""
    with Session(engine) as session:
        session.info[_MEMO] = {}
        yield session


def remembered(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), once per read session for each key: a read session writes nothing and reads one
    snapshot (SQLite keeps its read transaction; on a server each statement reads what was committed
    before it, as the first one did), so a city's view asks for its unit tree or calendar once, not
    at each of its parts. In any other session it is computed every time (a writer may have changed
    it since). The value is shared: callers only read it."""
    memo = session.info.get(_MEMO)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_GUARD = threading.Lock()


def _writer_lock(engine: Engine) -> threading.RLock | None:
    """The lock the writers of this process take before a SQLite file's write lock (None otherwise)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    key = os.path.realpath(engine.url.database)
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, threading.RLock())


def wait_seconds() -> float:
    """How long a writer keeps waiting for the others (WRITE_WAIT_SECONDS)."""
    return settings.get_float("WRITE_WAIT_SECONDS")


def busy_message() -> str:
    """What the user reads when other writers kept the database busy too long."""
    return f"数据库正忙（其他同事正在导入或撤销数据），等待 {wait_seconds():g} 秒后仍未能写入，未作任何改动，请稍后重试"


@contextmanager
def write_session(engine: Engine, *, read_committed: bool = False) -> Iterator[Session]:
    """A session whose single transaction commits on success and rolls back on any error.

    With `read_committed`, every statement on PostgreSQL and MariaDB sees what was committed
    before it ran (MariaDB's default would keep the snapshot of the transaction's first read):
    for writers that take a lock and then read.
    """
    options: dict = {_IMMEDIATE: True}
    if read_committed and engine.dialect.name != "sqlite":
        options["isolation_level"] = "READ COMMITTED"
    bind = engine.execution_options(**options)
    queue = _writer_lock(engine)
    if queue is not None and not queue.acquire(timeout=wait_seconds()):
        raise Busy(busy_message())
    try:
        with Session(bind) as session, session.begin():
            yield session
    finally:
        if queue is not None:
            queue.release()


_PG_RETRY = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_MYSQL_RETRY = {1205, 1213}  # lock wait timeout, deadlock


def lost_to_another_writer(exc: BaseException) -> bool:
    """True when the error only says another writer held a lock (trying again may succeed)."""
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return "locked" in text or "busy" in text
    if getattr(orig, "sqlstate", None) in _PG_RETRY:
        return True
    args = getattr(orig, "args", ())
    return bool(args) and args[0] in _MYSQL_RETRY


def is_unique_violation(exc: BaseException) -> bool:
    """True when an IntegrityError is a duplicate key (another writer stored the same key first)."""
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    if isinstance(orig, sqlite3.IntegrityError):
        return "UNIQUE constraint failed" in str(orig)
    if getattr(orig, "sqlstate", None) == "23505":
        return True
    args = getattr(orig, "args", ())
    return bool(args) and args[0] == 1062


def retrying(work: Callable[[], T], *, conflicts: int = 3) -> T:
    """Run `work` (one whole write transaction) again whenever it lost to another writer.

    Lock contention (SQLite busy, a deadlock, a lock wait timeout) is retried with backoff
    until WRITE_WAIT_SECONDS have passed, then Busy is raised. A WriteConflict or a duplicate
    key (the data changed under the writer) is retried at most `conflicts` times in all, then
    raised as WriteConflict. Any other error is raised at once.
    """
    deadline = time.monotonic() + wait_seconds()
    pause, seen = 0.05, 0
    while True:
        try:
            return work()
        except Exception as exc:
            conflict = isinstance(exc, WriteConflict) or is_unique_violation(exc)
            if not conflict and not lost_to_another_writer(exc):
                raise
            late = time.monotonic() + pause > deadline
            if conflict:
                seen += 1
                if seen >= conflicts or late:
                    if isinstance(exc, WriteConflict):
                        raise
                    raise WriteConflict(str(getattr(exc, "orig", exc))) from exc
            elif late:
                raise Busy(busy_message()) from exc
            _log.info("write lost to another writer (%s: %.200s); trying again", type(exc).__name__, exc)
        time.sleep(pause * random.uniform(0.5, 1.5))
        pause = min(pause * 2, 2.0)


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


def analyse_new_index(conn: Connection, name: str) -> None:
    """After a migration makes an index: on a SQLite file that holds the planner's figures
    (sqlite_stat1, written by ANALYZE), work out the new index's beside the others', so that the
    planner does not weigh it blind. Nothing elsewhere (the servers keep their own statistics)."""
    analysed = (
        conn.dialect.name == "sqlite"
        and conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    )
    if analysed:
        conn.exec_driver_sql(f"ANALYZE {name}")


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
    "Busy",
    "WriteConflict",
    "bump_data_version",
    "data_version",
    "has_table",
    "make_engine",
    "read_session",
    "retrying",
    "schema_is_current",
    "upgrade",
    "write_session",
]
