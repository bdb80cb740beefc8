"""`among`: a column in a list of unit ids, with the ids written into the SQL text."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.dialects import sqlite

from data_access.store import db
from data_access.store.id_lists import among
from data_access.store.models import OrgUnit, UnitLevel


@pytest.mark.parametrize(
    ("ids", "sql"),
    [
        ((), "0 = 1"),
        ((7,), "org_unit.id = ?"),
        ((7, 7), "org_unit.id = ?"),
        ((9, 3, 7, 3), "org_unit.id IN (3,7,9)"),
        (("12", 4), "org_unit.id IN (4,12)"),
    ],
)
def test_the_sql_it_writes(ids: tuple[int, ...], sql: str) -> None:
    text = str(select(OrgUnit.id).where(among(OrgUnit.id, ids)).compile(dialect=sqlite.dialect()))
    assert text.split("WHERE ", 1)[1].strip("() ") == sql.strip("()")


@pytest.mark.parametrize("bad", ["1) OR (1=1", "1,2", "x", None])
def test_only_integers_reach_the_sql(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        among(OrgUnit.id, [1, bad])  # type: ignore[list-item]


def test_each_list_finds_its_units_on_every_backend(empty_db: Engine) -> None:
    with db.write_session(empty_db) as session:
        level = session.scalars(select(UnitLevel.code)).first()
        assert level is not None
        units = [OrgUnit(code=f"u{i}", name=f"单位{i}", level=level) for i in range(5)]
        session.add_all(units)
        session.flush()
        ids = [u.id for u in units]
        for wanted in ([], ids[:1], ids[1:4], ids, [ids[0], ids[0], ids[4]]):
            found = session.scalars(select(OrgUnit.id).where(among(OrgUnit.id, wanted))).all()
            assert sorted(found) == sorted(set(wanted))
            excluded = session.scalars(
                select(OrgUnit.id).where(OrgUnit.id.in_(ids), ~among(OrgUnit.id, wanted))
            ).all()
            assert sorted(excluded) == sorted(set(ids) - set(wanted))


def test_a_list_asked_for_once_is_written_alike_and_not_kept() -> None:
    from data_access.store import id_lists

    ids = [9_000_001, 9_000_003, 9_000_002]
    kept = id_lists._listed.cache_info().currsize
    once = str(select(OrgUnit.id).where(among(OrgUnit.id, ids, once=True)).compile(dialect=sqlite.dialect()))
    assert id_lists._listed.cache_info().currsize == kept
    assert once == str(select(OrgUnit.id).where(among(OrgUnit.id, ids)).compile(dialect=sqlite.dialect()))
    with pytest.raises((ValueError, TypeError)):
        among(OrgUnit.id, [1, "1) OR (1=1"], once=True)  # type: ignore[list-item]
