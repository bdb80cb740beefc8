"""The request statistics judge each distinct request shape once; the figures must equal judging
every request on its own (the definition), over generated data with pauses, extensions, late
replies and open requests, on every backend."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from data_access import db
from data_access.deadlines import DeadlineError, deadline_for_request, request_status
from data_access.models import DisclosureRequest, OrgUnit
from data_access.queries import requests
from data_access.workdays import load_calendar
from seed import scale

SPEC = scale.ScaleSpec(units=2, years=2, per_year=600, seed=5)


def _one_by_one(session, ids, year, today) -> Counter:  # type: ignore[no-untyped-def]
    """(unit id, answered) and (unit id, on time) counted request by request."""
    cal = load_calendar(session)
    counts: Counter = Counter()
    rows = session.scalars(
        select(DisclosureRequest)
        .options(selectinload(DisclosureRequest.pauses))
        .where(
            DisclosureRequest.unit_id.in_(ids),
            DisclosureRequest.reply_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
            DisclosureRequest.received_date <= today,
        )
    )
    for r in rows:
        counts[(r.unit_id, "answered")] += 1
        try:
            status = request_status(deadline_for_request(r, cal), today, r.reply_date, cal)
        except DeadlineError:
            continue
        counts[(r.unit_id, "on_time")] += status.code == "answered_on_time"
    return counts


def test_grouped_on_time_counts_equal_judging_each_request(empty_db) -> None:
    scale.load(empty_db, SPEC)
    today = dt.date(SPEC.last_year, 11, 15)
    with db.read_session(empty_db) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        paused = s.scalar(select(DisclosureRequest.id).where(DisclosureRequest.pauses.any()).limit(1))
        assert paused is not None, "the generated data should include requests with pauses"
        for year in range(SPEC.first_year, SPEC.last_year + 1):
            expected = _one_by_one(s, ids, year, today)
            grouped: Counter = Counter()
            for unit_id, (answered, on_time) in requests.on_time_by_unit(s, ids, year, today).items():
                grouped[(unit_id, "answered")] += answered
                grouped[(unit_id, "on_time")] += on_time
            assert +grouped == +expected
            stats = requests.stats(s, ids, (), year, today)
            on_time = sum(v for (_u, k), v in expected.items() if k == "on_time")
            assert stats.answered_on_time == on_time
            assert 0 < on_time < stats.answered, "the data should hold late and on-time replies"
            # A page at a time gives the same requests as all at once.
            total = requests.answered_count(s, ids, year, today)
            everything = requests.answered(s, ids, (), year, today)
            assert len(everything) == total == sum(v for (_u, k), v in expected.items() if k == "answered")
            paged = [
                *requests.answered(s, ids, (), year, today, 0, 50),
                *requests.answered(s, ids, (), year, today, 50, None),
            ]
            assert [x.request_no for x in paged] == [x.request_no for x in everything]
            assert sum(x.status == "answered_on_time" for x in everything) == on_time


def test_open_requests_are_listed_soonest_due_first(empty_sqlite) -> None:
    scale.load(empty_sqlite, SPEC)
    year, today = SPEC.last_year, SPEC.end
    with db.read_session(empty_sqlite) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        stats = requests.stats(s, ids, ids, year, today)
    assert stats.open, "the generated data should leave requests open"
    dues = [r.due or dt.date.max for r in stats.open]
    assert dues == sorted(dues)
    assert all(r.reply_date is None and r.received <= today for r in stats.open)
    assert all(r.applicant_name is not None for r in stats.open if r.status != "invalid")
