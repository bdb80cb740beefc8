"""Shared fixtures: a fresh database on every backend, empty or seeded with 2018 Qingyang.

SQLite always runs. PostgreSQL and MariaDB run when TEST_POSTGRES_URL /
TEST_MARIADB_URL name a server (any database on it: each test database is
copied from a migrated template beside it and dropped afterwards; see
tests/helpers/databases.py). With REQUIRE_ALL_BACKENDS=1 (set by .ci/run) a missing
server is a failure, not a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.store import db
from tests.helpers.databases import BACKENDS, migrated_database
from tests.helpers.hashing import cheap_hasher


def _fresh_engine(backend: str, tmp_dir: Path) -> Iterator[Engine]:
    url, drop = migrated_database(backend, tmp_dir)
    engine = db.make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        drop()


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for the test's password hashes."""
    from data_access.write.auth import passwords

    monkeypatch.setattr(passwords, "_HASHER", cheap_hasher())


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make `--dist loadgroup` group again: pytest-xdist marks a test of an xdist_group by renaming
    it `<nodeid>@<group>` through `item._nodeid`, which pytest 9 no longer reads (it reads `_id`),
    so grouped tests were spread over the workers and each started its module's app again."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})  # fmt: skip
        if groups and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")  # type: ignore[attr-defined]
