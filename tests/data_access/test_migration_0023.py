"""Migration 0023 (the roll-up per ancestor unit) on every backend: the upgrade fills unit_ancestor
from the unit tree and sums the counts already there into stat_rollup (SQLite and PostgreSQL; MariaDB
keeps both empty), and the triggers keep it from then on; the downgrade drops both tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from data_access.store import tally
from tests.helpers.checks import assert_exact
from tests.helpers.databases import demo_at_head, migrate

CITY = ("SELECT sum(n) FROM stat_rollup WHERE dim = 'pc' AND unit_id = "
        "(SELECT id FROM org_unit WHERE code = 'jinjiang')")  # fmt: skip
OWN = "SELECT sum(n) FROM stat_tally WHERE dim = 'pc'"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0023_round_trip(backend: str, tmp_path: Path) -> None:
    with demo_at_head(backend, tmp_path) as (engine, url):
        migrate(engine, url, "downgrade", "0022")
        with engine.connect() as conn:
            assert not inspect(conn).has_table("stat_rollup") and not inspect(conn).has_table("unit_ancestor")
        with engine.begin() as conn:  # written at 0022: the upgrade's sum must include it
            conn.execute(text("UPDATE publication SET published_ym = 201811, published_date = '2018-11-20' "
                              "WHERE published_ym = 201812"))  # fmt: skip
        if backend == "postgresql":  # a database made before 0023 folds its counts in no order
            with engine.begin() as conn:
                unordered = conn.execute(
                    text("SELECT pg_get_functiondef('tally_fold'::regproc)")
                ).scalar_one()
                assert "ORDER BY unit_id, dim, attribute, ym, item" in unordered
                conn.execute(text(unordered.replace("ORDER BY unit_id, dim, attribute, ym, item", "")))
        migrate(engine, url, "upgrade", "0023")
        if backend == "postgresql":
            with engine.connect() as conn:
                fold = conn.execute(text("SELECT pg_get_functiondef('tally_fold'::regproc)")).scalar_one()
            assert "ORDER BY unit_id, dim, attribute, ym, item" in fold
        with engine.connect() as conn:
            total = int(conn.execute(text(OWN)).scalar_one())
            rolled = conn.execute(text(CITY)).scalar()
            tree = conn.execute(text("SELECT count(*) FROM unit_ancestor")).scalar_one()
        if tally.rollup.kept(backend if backend != "mariadb" else "mysql"):
            # every count of the demo is 青阳街道's or its communities', all under 晋江市
            assert (int(rolled), tree > 0) == (total, True)
        else:
            assert (rolled, tree) == (None, 0)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM publication_listing WHERE publication_id IN "
                              "(SELECT id FROM publication WHERE published_ym = 201811)"))  # fmt: skip
            conn.execute(text("DELETE FROM publication WHERE published_ym = 201811"))
        assert_exact(engine)
