"""Migration 0013 (unit levels as data, the unit profile) keeps every unit and what its reports print,
on every backend: the demo's units get the demo's profile, other units none (their fallbacks); the
level becomes a foreign key to unit_level (an office's own level is accepted, an unknown one refused);
the downgrade puts the four-level CHECK back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import admin
from seed.qingyang_data import UNIT_PROFILES
from tests.helpers.databases import create_database, migrate

UNITS = (  # (code, name, level, parent): the demo's city and sub-district, and another office's
    ("jinjiang", "晋江市", "city", None),
    ("qingyang", "青阳街道", "subdistrict", "jinjiang"),
    ("qingyang-xiyuan", "西园社区", "community", "qingyang"),
    ("other", "另一街道", "subdistrict", None),
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0013_keeps_units_and_their_words(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0012")
        with engine.begin() as conn:
            for code, name, level, parent in UNITS:
                parent_id = conn.scalar(text("SELECT id FROM org_unit WHERE code = :p"), {"p": parent})
                conn.execute(
                    text(
                        "INSERT INTO org_unit (code, name, level, parent_id, sort_order) "
                        "VALUES (:c, :n, :l, :parent, 0)"
                    ),
                    {"c": code, "n": name, "l": level, "parent": parent_id},
                )
        migrate(engine, url, "upgrade", "head")
        with engine.connect() as conn:
            rows = {
                r.code: r
                for r in conn.execute(
                    text(
                        "SELECT u.code, u.name, u.level, p.code AS parent, u.full_name, u.archive_name, "
                        "u.hotline_name, u.signature FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id"
                    )
                )
            }
            levels = conn.execute(text("SELECT code, label FROM unit_level ORDER BY sort_order")).all()
        assert {c: (r.name, r.level, r.parent) for c, r in rows.items()} == {
            c: (n, lv, p) for c, n, lv, p in UNITS
        }
        assert [c for c, _label in levels] == [
            "province",
            "city",
            "district",
            "subdistrict",
            "community",
            "department",
        ]
        demo = UNIT_PROFILES["qingyang"][1]
        q = rows["qingyang"]
        assert (q.full_name, q.archive_name, q.hotline_name, q.signature) == (
            demo["full_name"],
            demo["archive_name"],
            demo["hotline_name"],
            demo["signature"],
        )
        for code in ("qingyang-xiyuan", "other"):  # not the demo's: nothing guessed
            r = rows[code]
            assert (r.full_name, r.archive_name, r.hotline_name, r.signature) == (None,) * 4
        with db.write_session(engine) as s:
            admin.add_level(s, "zone", "开发区", actor=OPERATOR)
            admin.add_unit(
                s, code="zone", name="高新区", level="zone", parent_code="jinjiang", actor=OPERATOR
            )
            admin.add_unit(
                s, code="dist", name="某区", level="district", parent_code="jinjiang", actor=OPERATOR
            )
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text("INSERT INTO org_unit (code, name, level, sort_order) VALUES ('x', 'x', 'galaxy', 0)")
            )
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM org_unit WHERE code IN ('zone', 'dist')"))
            conn.execute(text("DELETE FROM unit_level WHERE code = 'zone'"))
        migrate(engine, url, "downgrade", "0012")
        assert "unit_level" not in inspect(engine).get_table_names()
        assert "full_name" not in {c["name"] for c in inspect(engine).get_columns("org_unit")}
        with (
            pytest.raises(DBAPIError),
            engine.begin() as conn,
        ):  # the CHECK is back (MariaDB: not an IntegrityError)
            conn.execute(
                text("INSERT INTO org_unit (code, name, level, sort_order) VALUES ('x', 'x', 'district', 0)")
            )
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM org_unit")) == len(UNITS)
        migrate(engine, url, "upgrade", "head")
    finally:
        engine.dispose()
        drop()
