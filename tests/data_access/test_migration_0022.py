"""Migration 0022 (registers in the running counts) on every backend: the upgrade counts the listings
already there as dim 'pr' and from then on the triggers keep it; the downgrade drops the triggers and
the rows, and a listing written then is not counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers.checks import assert_exact
from tests.helpers.databases import demo_at_head, migrate

PER_REGISTER = "SELECT item, sum(n) FROM stat_tally WHERE dim = 'pr' GROUP BY item HAVING sum(n) <> 0"
LISTED = "SELECT register, count(*) FROM publication_listing GROUP BY register"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0022_round_trip(backend: str, tmp_path: Path) -> None:
    with demo_at_head(backend, tmp_path) as (engine, url):
        migrate(engine, url, "downgrade", "0021")
        with engine.begin() as conn:
            assert conn.execute(text(PER_REGISTER)).all() == []
            conn.execute(text("UPDATE publication_listing SET register = '政务新媒体' WHERE id % 3 = 0"))
            assert conn.execute(text(PER_REGISTER)).all() == []  # no triggers at 0021
            listed = {register: n for register, n in conn.execute(text(LISTED))}
        assert set(listed) == {"政府网站", "政务新媒体"}
        migrate(engine, url, "upgrade", "0022")
        with engine.connect() as conn:
            # every listing here has a published item (the demo's are all published)
            assert {item: int(n) for item, n in conn.execute(text(PER_REGISTER))} == listed
        with engine.begin() as conn:
            conn.execute(text("UPDATE publication_listing SET register = '政府公报' WHERE id % 3 = 1"))
        assert_exact(engine)
