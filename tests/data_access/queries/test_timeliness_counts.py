"""Timeliness from the running counts (dim 'pl', judged in the database against the stored
publication due dates) equals judging every item in Python, before and after the calendar
changes, and for an item formed outside the stored range; on every backend."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text

from data_access.read.queries import publications
from data_access.rules.duties import publication_timing
from data_access.rules.workdays import DayOverride
from data_access.store import db, tally
from data_access.store.holidays import load_calendar, set_overrides
from data_access.store.models import Category, OrgUnit, Publication
from seed import scale

SPEC = scale.ScaleSpec(units=2, years=2, per_year=800, seed=9)


def _one_by_one(session, ids, year, key):  # type: ignore[no-untyped-def]
    """(judged, on time, not judged) per group, judging every item."""
    cal = load_calendar(session)
    found: dict[str, list[int]] = {}
    rows = session.execute(
        select(Publication.unit_id, Publication.category_root_id, Publication.formed_date, Publication.published_date)
        .where(Publication.unit_id.in_(ids), Publication.attribute == "proactive", Publication.published_year == year)
    )  # fmt: skip
    names = dict(session.execute(select(Category.id, Category.name)).all())
    for unit_id, category_id, formed, published in rows:
        on_time = publication_timing(formed, published, cal).on_time
        for slot in ("", str(names[category_id] if key == "category" else unit_id)):
            counter = found.setdefault(slot, [0, 0, 0])
            if on_time is None:
                counter[2] += 1
            else:
                counter[0] += 1
                counter[1] += on_time
    return found


def _from_counts(session, ids, year, key):  # type: ignore[no-untyped-def]
    overall, groups = publications.timeliness_by(session, ids, year, key)
    shares = {"": overall, **groups}
    return {slot: [s.judged, s.on_time, s.unjudged] for slot, s in shares.items()}


def _check(engine, year: int) -> None:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        for key in ("category", "unit"):
            assert _from_counts(s, ids, year, key) == _one_by_one(s, ids, year, key)


def test_timeliness_counts_follow_the_calendar(empty_db) -> None:
    scale.load(empty_db, SPEC)
    year = SPEC.last_year
    _check(empty_db, year)
    with db.read_session(empty_db) as s:
        before = publications.timeliness_by(s, tuple(s.scalars(select(OrgUnit.id))), year)[0]
    assert 0 < before.on_time < before.judged, "the generated data should hold late and on-time items"

    # A week of holidays the office enters in March: due dates move, late items become on time.
    week = [DayOverride(dt.date(year, 3, d), False, "单位调整") for d in range(3, 8)]
    with db.write_session(empty_db) as s:
        set_overrides(s, week)
    _check(empty_db, year)
    with db.read_session(empty_db) as s:
        after = publications.timeliness_by(s, tuple(s.scalars(select(OrgUnit.id))), year)[0]
    assert after.on_time > before.on_time and after.judged == before.judged

    # An item formed before the stored range is judged in Python.
    with db.write_session(empty_db) as s:
        s.execute(
            text(
                "UPDATE publication SET formed_date = :d WHERE id = (SELECT min(id) FROM publication "
                "WHERE attribute = 'proactive' AND published_year = :y)"
            ),
            {"d": dt.date(1989, 6, 1), "y": year},
        )
    _check(empty_db, year)
    with empty_db.connect() as conn:
        flags = conn.execute(
            text("SELECT count(*) FROM stat_tally WHERE dim = 'pl' AND item LIKE '%|?' AND n > 0")
        )
        assert flags.scalar_one() == 1


def test_recount_restores_the_timeliness_counts(empty_sqlite) -> None:
    scale.load(empty_sqlite, SPEC)
    with empty_sqlite.begin() as conn:
        expected = conn.execute(
            text("SELECT * FROM stat_tally WHERE dim = 'pl' AND n > 0 ORDER BY 1, 2, 3, 4, 5")
        ).all()
        conn.execute(text("DELETE FROM stat_tally WHERE dim = 'pl'"))
        tally.recount(conn, ("pl",))
        again = conn.execute(
            text("SELECT * FROM stat_tally WHERE dim = 'pl' AND n > 0 ORDER BY 1, 2, 3, 4, 5")
        ).all()
    assert again == expected and expected
