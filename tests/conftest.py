"""Shared fixtures: a fresh database on every backend, empty or seeded with 2018 Qingyang.

SQLite always runs. PostgreSQL and MariaDB run when TEST_POSTGRES_URL /
TEST_MARIADB_URL name a server (any database on it: each test database is
created fresh beside it and dropped afterwards). With REQUIRE_ALL_BACKENDS=1
(set by .ci/run) a missing server is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data_access import db

BACKENDS = ("sqlite", "postgresql", "mariadb")
_ENV = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}


def _server_url(backend: str) -> str | None:
    url = os.environ.get(_ENV[backend], "").strip()
    if not url:
        if os.environ.get("REQUIRE_ALL_BACKENDS") == "1":
            pytest.fail(f"{_ENV[backend]} is not set but REQUIRE_ALL_BACKENDS=1")
        pytest.skip(f"{_ENV[backend]} not set: {backend} tests skipped")
    return url


def create_database(backend: str, tmp_dir: Path) -> tuple[str, callable]:
    """Create an empty database on the backend; return its URL and a function that drops it."""
    if backend == "sqlite":
        path = tmp_dir / f"test-{uuid.uuid4().hex[:8]}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    server = make_url(_server_url(backend))
    name = f"gkb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if backend == "postgresql":
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        else:
            conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))

    def drop() -> None:
        with admin.connect() as conn:
            if backend == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def _fresh_engine(backend: str, tmp_dir: Path) -> Iterator[Engine]:
    url, drop = create_database(backend, tmp_dir)
    engine = db.make_engine(url)
    db.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        drop()


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database with no data, on each backend in turn."""
    yield from _fresh_engine(request.param, tmp_path)


@pytest.fixture
def empty_sqlite(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database with no data."""
    yield from _fresh_engine("sqlite", tmp_path)


def _seed(engine: Engine) -> Engine:
    from seed import qingyang2018

    with db.write_session(engine) as session:
        qingyang2018.load(session)
    return engine


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The 2018 Qingyang demo on each backend (shared by the session: do not write to it)."""
    for engine in _fresh_engine(request.param, tmp_path_factory.mktemp("seeded")):
        yield _seed(engine)


@pytest.fixture(scope="session")
def seeded_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a seeded SQLite file (for the app and command-line tests; do not write to it)."""
    for engine in _fresh_engine("sqlite", tmp_path_factory.mktemp("seeded-sqlite")):
        _seed(engine)
        yield engine.url.render_as_string(hide_password=False)
