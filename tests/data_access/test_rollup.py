"""The roll-up of the running counts per ancestor unit (data_access.store.tally.rollup), on every
backend: it always equals the counts summed over the unit tree, whoever wrote them (uploads small
and large, an undo, a unit added or moved with its counts, a database copied from another), and a
city's or district's figures read from it equal those summed unit by unit. A tree changed behind
its back (no refresh) is read the slow way, never wrongly. MariaDB keeps no roll-up: its tables stay
empty and every figure is summed unit by unit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from data_access.read import kpis
from data_access.rules.permissions import OPERATOR
from data_access.store import db, tally, transfer
from data_access.store.models import OrgUnit
from data_access.store.reference import ensure_reference_data, unit_and_descendants
from data_access.write import admin
from data_access.write.importing import commit
from data_access.write.undo import undo
from tests.helpers.builders import PUB_HEADER, publication_rows, xlsx
from tests.helpers.checks import assert_exact
from tests.helpers.databases import migrated_database

TREE = (
    ("city", "某市", "city", None),
    ("dist", "某区", "district", "city"),
    ("sd-a", "甲街道", "subdistrict", "dist"),
    ("sd-b", "乙街道", "subdistrict", "dist"),
    ("comm-a1", "甲一社区", "community", "sd-a"),
    ("zone", "高新区", "district", "city"),
    ("sd-c", "丙街道", "subdistrict", "zone"),
)
DIMS = ("pc", "pt", "ph", "pf", "pl", "pr", "yf", "yh")


def _build(engine: Engine) -> None:
    with db.write_session(engine) as s:
        ensure_reference_data(s)
        for code, name, level, parent in TREE:
            admin.add_unit(s, code=code, name=name, level=level, parent_code=parent, actor=OPERATOR)


def _upload(engine: Engine, unit: str, n: int, month: int = 12) -> int:
    done = commit(engine, OPERATOR, xlsx([PUB_HEADER, *publication_rows(n, month)]), "publications", unit,
                  f"2018-{month:02d}", f"{unit}.xlsx")  # fmt: skip
    assert done.status == "committed", done
    return int(done.batch_id)


def _figures(engine: Engine, code: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int | None, tuple, tuple]:
    """(the roll-up's root for the unit's scope, its sums and months as read, as summed unit by unit)."""
    with db.read_session(engine) as s:
        uid = s.scalar(select(OrgUnit.id).where(OrgUnit.code == code))
        assert uid is not None
        ids = unit_and_descendants(s, uid)
        root = tally.rollup.root_of(s, ids)
        read = (
            tally.sums(s, ids, DIMS, tally.ANY_ATTRIBUTE, 0, 999_912),
            tally.monthly(s, ids, DIMS, tally.ANY_ATTRIBUTE, 0, 999_912),
        )
        # the scope walked down from the code, with its root checked in the same statement
        assert tally.rollup.scope_of_code(s, code) == (ids, root)
        years = kpis.years_with_data(s, code)
        with monkeypatch.context() as m:
            m.setattr(tally.rollup, "root_of", lambda _s, _ids: None)
            summed = (
                tally.sums(s, ids, DIMS, tally.ANY_ATTRIBUTE, 0, 999_912),
                tally.monthly(s, ids, DIMS, tally.ANY_ATTRIBUTE, 0, 999_912),
            )
            counted = tally.monthly(s, ids, kpis.DATA_YEAR_DIMS, tally.ANY_ATTRIBUTE, 0, 999_900)
        assert tally.rollup.scope_of_code(s, "no-such-unit") is None
    assert read == summed
    assert years == sorted({ym // 100 for _d, ym, _n in counted}, reverse=True)
    return root, read[0], read[1]


def _roots(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """Per unit with units under it: whether its figures came from the roll-up."""
    with db.read_session(engine) as s:
        ids = dict(s.execute(select(OrgUnit.code, OrgUnit.id)).all())
    found = {}
    for code in ("city", "dist", "zone", "sd-a"):
        root, _counts, _months = _figures(engine, code, monkeypatch)
        found[code] = root == ids[code]
    return found


def test_the_rollup_follows_every_write_and_every_move(
    empty_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(empty_db)
    kept = tally.rollup.kept(empty_db.dialect.name)
    everywhere = dict.fromkeys(("city", "dist", "zone", "sd-a"), kept)
    _upload(empty_db, "sd-a", 6)
    _upload(empty_db, "comm-a1", 3, month=11)
    large = _upload(empty_db, "sd-b", tally.BULK_ROWS + 20)  # counted by grouped recounts, not per row
    _upload(empty_db, "sd-c", 4, month=10)
    assert_exact(empty_db)
    with empty_db.begin() as conn:  # some dims recounted wholesale (as after a calendar change)
        tally.recount(conn, ("pc", "pl"))
    assert_exact(empty_db)
    assert _roots(empty_db, monkeypatch) == everywhere
    _root, city, _months = _figures(empty_db, "city", monkeypatch)
    assert sum(n for (dim, _item), n in city.items() if dim == "pc") == 6 + 3 + tally.BULK_ROWS + 20 + 4

    with db.write_session(empty_db) as s:  # a sub-district with counts moves to the other district
        assert admin.move_unit(s, "sd-b", "zone", actor=OPERATOR)
    assert_exact(empty_db)
    assert _roots(empty_db, monkeypatch) == everywhere
    _root, zone, _months = _figures(empty_db, "zone", monkeypatch)
    assert sum(n for (dim, _item), n in zone.items() if dim == "pc") == tally.BULK_ROWS + 20 + 4

    undo(empty_db, OPERATOR, large)
    _upload(empty_db, "sd-a", 2)  # replaces its 6 items
    assert_exact(empty_db)
    _root, city, _months = _figures(empty_db, "city", monkeypatch)
    assert sum(n for (dim, _item), n in city.items() if dim == "pc") == 2 + 3 + 4

    with db.write_session(empty_db) as s:  # a unit added under one with counts: only its ancestors
        admin.add_unit(
            s, code="comm-a2", name="甲二社区", level="community", parent_code="sd-a", actor=OPERATOR
        )
    assert_exact(empty_db)
    assert _roots(empty_db, monkeypatch) == everywhere

    # The tree changed without a refresh: the district's scope no longer matches unit_ancestor and is
    # summed unit by unit (_figures checks the figures); the city's scope still holds the same units.
    with empty_db.begin() as conn:
        conn.execute(text("UPDATE org_unit SET parent_id = (SELECT id FROM org_unit WHERE code = 'zone') "
                          "WHERE code = 'sd-a'"))  # fmt: skip
    roots = _roots(empty_db, monkeypatch)
    assert roots == {"city": kept, "dist": False, "zone": False, "sd-a": kept}
    assert_exact(empty_db)
    with empty_db.begin() as conn:
        tally.rollup.refresh(conn)
    # the district has no unit left under it: it reads its own rows
    assert _roots(empty_db, monkeypatch) == {**everywhere, "dist": False}
    assert_exact(empty_db)


def test_a_copied_database_sums_its_rollup_afresh(
    empty_db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(empty_db)
    _upload(empty_db, "sd-a", 5)
    _upload(empty_db, "sd-c", 3)
    source = {code: _figures(empty_db, code, monkeypatch)[1:] for code in ("city", "dist", "zone")}
    (tmp_path / "copy").mkdir()
    url, drop = migrated_database("sqlite", tmp_path / "copy")
    target = db.make_engine(url)
    try:
        transfer.copy_database(empty_db, target)
        assert_exact(target)
        assert _roots(target, monkeypatch) == dict.fromkeys(("city", "dist", "zone", "sd-a"), True)
        assert {code: _figures(target, code, monkeypatch)[1:] for code in source} == source
    finally:
        target.dispose()
        drop()
