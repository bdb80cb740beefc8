"""The request statistics judge each distinct request shape once; the figures must equal judging
every request on its own (the definition), over generated data with pauses, extensions, late
replies and open requests, on every backend."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from data_access.read.queries import requests
from data_access.rules.deadlines import (
    DeadlineError,
    Pause,
    compute_deadline,
    deadline_for_request,
    paused_effective_due,
    paused_status,
    plain_status,
    request_status,
)
from data_access.rules.workdays import Calendar, DayOverride
from data_access.store import db
from data_access.store.holidays import load_calendar, set_overrides
from data_access.store.models import DisclosureRequest, OrgUnit
from seed import scale

SPEC = scale.ScaleSpec(units=2, years=2, per_year=600, seed=5)


def _one_by_one(session, ids, year, today) -> Counter:  # type: ignore[no-untyped-def]
    """(unit id, answered) and (unit id, on time) counted request by request: every request
    answered in the year (received after `today` too, as the generated data has)."""
    cal = load_calendar(session)
    counts: Counter = Counter()
    rows = session.scalars(
        select(DisclosureRequest)
        .options(selectinload(DisclosureRequest.pauses))
        .where(
            DisclosureRequest.unit_id.in_(ids),
            DisclosureRequest.reply_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
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


def _check_on_time(engine, today) -> None:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        for year in range(SPEC.first_year, SPEC.last_year + 1):
            grouped: Counter = Counter()
            for unit_id, (answered, on_time) in requests.on_time_by_unit(s, ids, year, today).items():
                grouped[(unit_id, "answered")] += answered
                grouped[(unit_id, "on_time")] += on_time
            assert +grouped == +_one_by_one(s, ids, year, today)


def _open_one_by_one(session, ids, today, first):  # type: ignore[no-untyped-def]
    """open_figures by its definition: every open request judged on its own."""
    lines = requests.stats(session, ids, (), today.year, today).open
    urgent = [ln for ln in lines if ln.status in ("overdue", "due_soon")]
    figures = requests.OpenFigures(
        len(lines),
        sum(ln.status == "overdue" for ln in lines),
        sum(ln.status == "due_soon" for ln in lines),
        tuple(urgent[:first]),
    )
    return figures, lines


def _check_open(engine, days) -> None:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        for today in days:
            expected, lines = _open_one_by_one(s, ids, today, 12)
            got = requests.open_figures(s, ids, today, 12)
            assert (got.open, got.overdue, got.due_soon) == (
                expected.open,
                expected.overdue,
                expected.due_soon,
            )
            # Lines with the same due date and received day may come in either order.
            key = [(ln.due, ln.received, ln.request_no, ln.status_label) for ln in got.first]
            assert sorted(key) == sorted((ln.due, ln.received, ln.request_no, ln.status_label)
                                         for ln in expected.first)  # fmt: skip
            assert [k[:2] for k in key] == [(ln.due, ln.received) for ln in expected.first]
            one = requests.open_figures(s, ids, today, 1)
            assert one.first == got.first[:1] and one.open == got.open


def test_open_figures_equal_judging_each_open_request(empty_db) -> None:
    """Counts of open, overdue and due-soon requests and the first urgent ones, computed in the
    database against workday_count, equal judging every open request — also with pauses,
    after the office enters holidays, and for a request received before the table starts."""
    scale.load(empty_db, SPEC)
    days = [
        dt.date(SPEC.last_year, 11, 15),
        SPEC.end,
        dt.date(SPEC.last_year, 6, 3),
        SPEC.end + dt.timedelta(days=30),
    ]
    _check_open(empty_db, days)
    with db.read_session(empty_db) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        later, now = requests.open_figures(s, ids, days[-1], 12), requests.open_figures(s, ids, SPEC.end, 12)
    assert later.overdue and now.open > now.overdue, "the data should hold overdue and other open requests"
    with db.write_session(empty_db) as s:
        set_overrides(
            s, [DayOverride(dt.date(SPEC.last_year, 12, d), False, "单位调整") for d in range(7, 12)]
        )
        s.execute(
            text("UPDATE disclosure_request SET received_date = :d WHERE id = (SELECT min(id) FROM "
                 "disclosure_request WHERE reply_date IS NULL)"),
            {"d": dt.date(1989, 12, 28)},
        )  # fmt: skip
        # The request's id first: MariaDB refuses a pause inserted by a statement that reads
        # disclosure_request, whose pause flag the pause's trigger sets (tally.pauses).
        newest = s.scalar(text("SELECT max(id) FROM disclosure_request WHERE reply_date IS NULL"))
        s.execute(
            text(
                "INSERT INTO request_pause (request_id, kind, start_date, end_date) VALUES (:r, 'third_party', :a, :b)"
            ),
            {"r": newest, "a": SPEC.end - dt.timedelta(days=20), "b": SPEC.end - dt.timedelta(days=5)},
        )
    _check_open(empty_db, days)


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


def test_on_time_counts_follow_the_calendar_and_odd_rows(empty_db) -> None:
    """The running counts (dim 'rt') are recounted when the office changes the calendar, and the
    readers correct rows the counts could not judge (received outside workday_count)."""
    scale.load(empty_db, SPEC)
    today = SPEC.end
    year = SPEC.last_year
    with db.read_session(empty_db) as s:
        ids = tuple(s.scalars(select(OrgUnit.id)))
        before = requests.on_time_by_unit(s, ids, year, today, by_unit=False)[None]
        late = next(ln for ln in requests.answered(s, ids, (), year, today) if ln.status == "answered_late")
    # The office declares the days between one late request's receipt and reply days off: it is on time now.
    span = (late.reply_date - late.received).days
    off = [DayOverride(late.received + dt.timedelta(days=d), False, "单位调整") for d in range(1, span + 1)]
    with db.write_session(empty_db) as s:
        set_overrides(s, off)
    _check_on_time(empty_db, today)
    with db.read_session(empty_db) as s:
        after = requests.on_time_by_unit(s, ids, year, today, by_unit=False)[None]
    assert after[0] == before[0] and after[1] > before[1], "days off give the late request more time"
    with db.write_session(empty_db) as s:
        s.execute(
            text("UPDATE disclosure_request SET received_date = :d WHERE id = (SELECT min(id) FROM "
                 "disclosure_request WHERE reply_date >= :first)"),
            {"d": dt.date(1989, 12, 20), "first": dt.date(year, 1, 1)},
        )  # fmt: skip
    _check_on_time(empty_db, today)
    with empty_db.connect() as conn:
        odd = conn.execute(text("SELECT sum(n) FROM stat_tally WHERE dim = 'rt' AND item = '?'"))
        assert odd.scalar_one() == 1


def _pauses(kinds: list[str], least: int):  # type: ignore[no-untyped-def]
    """Up to three pauses: (kind, start days after receipt, length in days or None while open)."""
    days = st.integers(least, 40)
    return st.lists(
        st.tuples(st.sampled_from(kinds), days, st.one_of(st.none(), st.integers(least, 30))), max_size=3
    )


_CAL = Calendar(
    [DayOverride(dt.date(2019, 10, 12), True, "调休"), DayOverride(dt.date(2020, 1, 2), False, "单位调整")]
)


@settings(max_examples=300, deadline=None)
@given(
    received=st.dates(dt.date(2017, 1, 1), dt.date(2028, 12, 31)),
    approved=st.booleans(),
    days=st.integers(0, 25),
    reply_after=st.one_of(st.none(), st.integers(-3, 90)),
    today_after=st.integers(0, 120),
    channel=st.sampled_from([None, "当面", "网络", "信函", "传真"]),
)
def test_plain_status_equals_the_full_working_out(
    received, approved, days, reply_after, today_after, channel
) -> None:  # type: ignore[no-untyped-def]
    reply = None if reply_after is None else received + dt.timedelta(days=reply_after)
    today = received + dt.timedelta(days=today_after)
    deadline = compute_deadline(received, channel=channel, extension_approved=approved, extension_days=days,
                                calendar=_CAL)  # fmt: skip
    full = request_status(deadline, today, reply, _CAL)
    fast = plain_status(received, approved, days, reply, today, _CAL)
    assert fast == full


@settings(max_examples=400, deadline=None)
@given(
    received=st.dates(dt.date(2017, 1, 1), dt.date(2028, 12, 31)),
    approved=st.booleans(),
    days=st.integers(0, 25),
    pauses=_pauses(["correction", "third_party"], 0),
)
def test_paused_due_equals_the_full_working_out(received, approved, days, pauses) -> None:  # type: ignore[no-untyped-def]
    spans = [Pause(kind, received + dt.timedelta(days=a), None if n is None else received + dt.timedelta(days=a + n))
             for kind, a, n in pauses]  # fmt: skip
    full = compute_deadline(received, channel="网络", pauses=spans, extension_approved=approved, extension_days=days,
                            calendar=_CAL)  # fmt: skip
    assert paused_effective_due(received, "网络", spans, approved, days, _CAL) == full.effective_due


@settings(max_examples=400, deadline=None)
@given(
    received=st.dates(dt.date(2017, 1, 1), dt.date(2028, 12, 31)),
    approved=st.booleans(),
    days=st.integers(0, 25),
    pauses=_pauses(["correction", "third_party", "unknown"], -2),
    reply_after=st.one_of(st.none(), st.integers(-3, 120)),
    today_after=st.integers(0, 150),
    channel=st.sampled_from([None, "网络", "信函", "邮件"]),
)
def test_paused_status_equals_the_full_working_out(
    received, approved, days, pauses, reply_after, today_after, channel
) -> None:  # type: ignore[no-untyped-def]
    """Status, due date, days left or late and warnings of a paused request, as the full working-out
    gives them; a pause or channel that cannot be raises the same error."""
    spans = [Pause(kind, received + dt.timedelta(days=a), None if n is None else received + dt.timedelta(days=a + n))
             for kind, a, n in pauses]  # fmt: skip
    reply = None if reply_after is None else received + dt.timedelta(days=reply_after)
    today = received + dt.timedelta(days=today_after)
    try:
        full = request_status(compute_deadline(received, channel=channel, pauses=spans, extension_approved=approved,
                                               extension_days=days, calendar=_CAL), today, reply, _CAL)  # fmt: skip
    except DeadlineError as exc:
        with pytest.raises(DeadlineError) as raised:
            paused_status(received, channel, spans, approved, days, reply, today, _CAL)
        assert str(raised.value) == str(exc)
        return
    assert paused_status(received, channel, spans, approved, days, reply, today, _CAL) == full


@settings(max_examples=400, deadline=None)
@given(
    start=st.dates(dt.date(2018, 1, 1), dt.date(2027, 12, 31)),
    length=st.integers(-3, 80),
    spans=st.lists(st.tuples(st.integers(-10, 80), st.integers(0, 30)), max_size=4),
)
def test_counting_around_pauses_equals_the_day_by_day_count(start, length, spans) -> None:  # type: ignore[no-untyped-def]
    from data_access.rules.deadlines.statute import counted_days as _count

    end = start + dt.timedelta(days=length)
    ranges = tuple((start + dt.timedelta(days=a), start + dt.timedelta(days=a + n)) for a, n in spans)
    by_day, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        by_day += _CAL.is_workday(day) and not any(a <= day <= b for a, b in ranges)
    assert _count(_CAL, start, end, ranges) == by_day


def test_single_pause_requests_judged_in_the_database_equal_the_definition(empty_db) -> None:
    """requests.on_time_by_unit judges a request with one ended pause in SQL (against workday_count);
    over a grid of pauses — a correction or a third-party consultation, starting the day received or
    later, ending before, on or after the reply, over weekends and the National Day week, with and
    without an extension, under the 2008 and the 2019 rules — and requests it leaves to Python (two
    pauses, an open pause, an extension approval date), every count equals judging each request."""
    from data_access.store.models import RequestPause, UploadBatch
    from tests.helpers.requests_2021 import add_unit

    with db.write_session(empty_db) as s:
        unit = add_unit(s)
        batch = UploadBatch(
            kind="requests", unit_id=unit.id, period_key="grid", file_name="申请.xlsx", file_hash="g"
        )
        s.add(batch)
        s.flush()
        n = 0
        for received in (dt.date(2019, 3, 29), dt.date(2019, 9, 20), dt.date(2019, 9, 27)):
            for kind in ("correction", "third_party"):
                for start_after in (0, 1, 3, 9, 30):
                    for length in (0, 2, 8, 15, 40):
                        for reply_after in (10, 20, 28, 35, 45):
                            for extension in ((False, 0), (True, 0), (True, 7)):
                                n += 1
                                r = DisclosureRequest(
                                    unit_id=unit.id, request_no=f"G-{n}", received_date=received,
                                    received_year=received.year, channel="网络", applicant_type="自然人",
                                    summary="网格", extension_approved=extension[0], extension_days=extension[1],
                                    reply_date=received + dt.timedelta(days=reply_after), outcome="予以公开",
                                    batch_id=batch.id,
                                )  # fmt: skip
                                start = received + dt.timedelta(days=start_after)
                                r.pauses.append(RequestPause(kind=kind, start_date=start,
                                                             end_date=start + dt.timedelta(days=length)))  # fmt: skip
                                if n % 17 == 0:  # a second pause: judged in Python
                                    r.pauses.append(RequestPause(kind="third_party", start_date=start,
                                                                 end_date=start + dt.timedelta(days=3)))  # fmt: skip
                                if n % 23 == 0:  # an open pause: judged in Python
                                    r.pauses[0].end_date = None
                                if n % 29 == 0:  # an extension approval date: judged in Python
                                    r.extension_approved_on = received + dt.timedelta(days=12)
                                s.add(r)
        unit_id = unit.id
    with db.read_session(empty_db) as s:
        expected = _one_by_one(s, (unit_id,), 2019, dt.date(2020, 6, 1))
        assert expected[(unit_id, "answered")] == n
        assert 0 < expected[(unit_id, "on_time")] < n
        judged = requests.on_time_by_unit(s, (unit_id,), 2019, dt.date(2020, 6, 1))
        assert judged[unit_id] == (n, expected[(unit_id, "on_time")])
