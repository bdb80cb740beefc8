"""Test databases: migrated once per test process, then copied for each test.

Running the migrations takes about a second per database on every backend; a copy of a
migrated template takes a few milliseconds on SQLite (a file copy), tens on PostgreSQL
(`CREATE DATABASE … TEMPLATE`) and a few hundred on MariaDB (the template's DDL, data and
triggers replayed: MariaDB has no template databases). The template of each backend is
made lazily by the first test that asks for it and dropped when the process ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from data_access.store import db

BACKENDS = ("sqlite", "postgresql", "mariadb")
SERVER_ENV = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}


def server_url(backend: str) -> str:
    """The server URL of a backend from the environment; skip (or fail under REQUIRE_ALL_BACKENDS)."""
    url = os.environ.get(SERVER_ENV[backend], "").strip()
    if not url:
        if os.environ.get("REQUIRE_ALL_BACKENDS") == "1":
            pytest.fail(f"{SERVER_ENV[backend]} is not set but REQUIRE_ALL_BACKENDS=1")
        pytest.skip(f"{SERVER_ENV[backend]} not set: {backend} tests skipped")
    return url


def _quote(backend: str, name: str) -> str:
    return f'"{name}"' if backend == "postgresql" else f"`{name}`"


def create_database(backend: str, tmp_dir: Path) -> tuple[str, Callable[[], None]]:
    """Create an empty database (no schema) on the backend; return its URL and a function that drops it."""
    if backend == "sqlite":
        path = tmp_dir / f"test-{uuid.uuid4().hex[:8]}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    server = make_url(server_url(backend))
    name = f"gkb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if backend == "postgresql":
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        else:
            conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    return server.set(database=name).render_as_string(hide_password=False), _dropper(backend, admin, name)


def _dropper(backend: str, admin: Engine, name: str) -> Callable[[], None]:
    def drop() -> None:
        with admin.connect() as conn:
            force = " WITH (FORCE)" if backend == "postgresql" else ""
            conn.execute(text(f"DROP DATABASE IF EXISTS {_quote(backend, name)}{force}"))
        admin.dispose()

    return drop


class _Template:
    """One migrated, empty database of a backend, to copy from."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        folder = Path(tempfile.mkdtemp(prefix="gkb-template-"))
        self.url, self._drop = create_database(backend, folder)
        engine = db.make_engine(self.url)
        try:
            db.upgrade(engine)
            if backend == "mariadb":
                self._mariadb_script = _mariadb_script(engine)
        finally:
            engine.dispose()  # SQLite: closing the last connection folds the WAL into the file
        atexit.register(self.close)
        self._folder = folder

    def close(self) -> None:
        try:
            self._drop()
        except Exception:  # noqa: BLE001 - a server gone at exit leaves a database for the next run's cleanup
            pass
        shutil.rmtree(self._folder, ignore_errors=True)

    def copy(self, tmp_dir: Path) -> tuple[str, Callable[[], None]]:
        """A new database with the template's schema and rows; its URL and a function that drops it."""
        url, drop = create_database(self.backend, tmp_dir)
        if self.backend == "sqlite":
            shutil.copyfile(make_url(self.url).database, make_url(url).database)
        elif self.backend == "postgresql":
            drop()  # CREATE DATABASE … TEMPLATE makes it in one statement
            server = make_url(self.url)
            admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
            name, template = make_url(url).database, server.database
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            drop = _dropper("postgresql", admin, name)
        else:
            engine = create_engine(make_url(url).update_query_dict({"charset": "utf8mb4"}))
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
                    for statement in self._mariadb_script:
                        conn.exec_driver_sql(statement.replace("%", "%%"))
                    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
            finally:
                engine.dispose()
        return url, drop


def _mariadb_script(engine: Engine) -> list[str]:
    """The statements that rebuild a MariaDB database: tables (with keys), rows, views, triggers."""
    schema = engine.url.database
    out: list[str] = []
    with engine.connect() as conn:
        kinds = dict(conn.exec_driver_sql("SHOW FULL TABLES").all())
        tables = sorted(t for t, kind in kinds.items() if kind == "BASE TABLE")
        for table in tables:
            out.append(conn.exec_driver_sql(f"SHOW CREATE TABLE `{table}`").one()[1])
        for table in tables:
            if conn.exec_driver_sql(f"SELECT 1 FROM `{table}` LIMIT 1").first() is not None:
                out.append(f"INSERT INTO `{table}` SELECT * FROM `{schema}`.`{table}`")
        for view in sorted(t for t, kind in kinds.items() if kind == "VIEW"):
            out.append(conn.exec_driver_sql(f"SHOW CREATE VIEW `{view}`").one()[1])
        for trigger in conn.exec_driver_sql("SHOW TRIGGERS").all():
            out.append(conn.exec_driver_sql(f"SHOW CREATE TRIGGER `{trigger[0]}`").one()[2])
    return out


_templates: dict[str, _Template] = {}


def migrated_database(backend: str, tmp_dir: Path) -> tuple[str, Callable[[], None]]:
    """A new database at the newest schema, copied from this process's template of the backend."""
    if backend != "sqlite":
        server_url(backend)  # skip or fail before building anything
    if backend not in _templates:
        _templates[backend] = _Template(backend)
    return _templates[backend].copy(tmp_dir)


def migrate(engine: Engine, url: str, direction: str, revision: str) -> None:
    """Move the schema of `url` (reached through `engine`) up or down to an Alembic revision."""
    from alembic import command

    cfg = db.alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, direction)(cfg, revision)


def add_unit(conn: Connection) -> int:
    """The one sub-district a migration test's rows belong to (raw SQL: the schema is an old revision's)."""
    conn.execute(
        text("INSERT INTO org_unit (code, name, level, sort_order) VALUES ('u', '某街道', 'subdistrict', 0)")
    )
    return int(conn.scalar(text("SELECT id FROM org_unit")))


@contextmanager
def demo_at_head(backend: str, tmp_dir: Path) -> Iterator[tuple[Engine, str]]:
    """A new database on the backend at the newest schema, holding the 2018 demo; (engine, url) for a
    migration test to move down and up again. Dropped afterwards."""
    from seed import qingyang2018

    url, drop = create_database(backend, tmp_dir)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "head")
        with db.write_session(engine) as session:
            qingyang2018.load(session)
        yield engine, url
    finally:
        engine.dispose()
        drop()
