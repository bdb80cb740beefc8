"""The screen's read path returns public data only: a withheld document and a request's
personal fields never come out of it, whatever the slide."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from sqlalchemy import select

from data_access.read import public
from data_access.store import db
from data_access.store.models import ProjectProgress
from seed import qingyang2018
from tests.helpers.canaries import CANARY_DOC, CANARY_NAME, CANARY_REQUEST, add_canaries


@pytest.fixture
def canary_db(empty_db):
    today = dt.date.today()
    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
        add_canaries(s, today)
    return empty_db, today


def test_screen_data_never_carries_the_canaries(canary_db):
    engine, today = canary_db
    with db.read_session(engine) as s:
        data = public.screen_data(s, "qingyang", today)
    text = repr(data)
    for canary in (CANARY_DOC, CANARY_REQUEST, CANARY_NAME, "13800000000"):
        assert canary not in text
    # Nothing public this year (only the withheld and on-request items): the screen shows the last
    # year with public items, and the canaries are not counted as published.
    assert (data.year, data.published_year) == (2018, 158)
    assert CANARY_DOC not in {i.title for i in data.newest}


def test_the_public_module_never_selects_personal_fields():
    source = inspect.getsource(public)
    for field in ("summary", "applicant_name", "applicant_contact", "withheld_reason", "withheld_note"):
        assert f"DisclosureRequest.{field}" not in source and f"Publication.{field}" not in source


def test_2018_figures_on_the_screen(seeded_db):
    with db.read_session(seeded_db) as s:
        data = public.screen_data(s, "qingyang", dt.date(2018, 12, 31))
    assert data.published_year == 158
    assert data.published_cumulative == 954
    assert data.published_month == 13
    assert data.by_category["安全生产、应急管理类"] == 30
    assert data.requests_received == 1 and data.replies["其他"] == 1
    assert data.deliveries == {"archive": 158, "library": 158}
    assert data.projects_month == 12 and data.projects_count == 25 and len(data.projects) == 10
    assert data.hotline == "0595-85601021"
    assert {b.name for b in data.boards} >= {"机关大院党（政）务公开栏", "西园社区居务公开栏"}
    assert data.newest[0].published <= dt.date(2018, 12, 31)


def test_the_screen_lists_the_projects_furthest_ahead_and_behind(seeded_db):
    """The database counts the month's projects and picks the lines shown: the same as judging
    every project in Python."""
    with db.read_session(seeded_db) as s:
        data = public.screen_data(s, "qingyang", dt.date(2018, 12, 31))
        rows = s.execute(
            select(ProjectProgress.ytd_invested, ProjectProgress.annual_plan).where(
                ProjectProgress.year == 2018, ProjectProgress.month == 12, ProjectProgress.annual_plan != 0
            )
        ).all()
    rates = sorted((float(Decimal(ytd) / plan) for ytd, plan in rows), reverse=True)
    shown = public.SHOWN_PROJECTS
    assert data.projects_count == len(rates) == 25
    assert [p.rate for p in data.projects] == pytest.approx(rates[:shown] + rates[-shown:])
    assert data.projects_rate == pytest.approx(
        float(sum(Decimal(y) for y, _p in rows) / sum(Decimal(p) for _y, p in rows))
    )


@pytest.mark.parametrize(
    ("threshold", "lagging"), [("100", lambda rate: False), ("0", lambda rate: rate < 1)]
)
def test_the_screen_marks_lagging_projects_by_the_threshold_setting(
    seeded_db, monkeypatch, threshold, lagging
):
    """December's line is 100% of the plan less LAG_THRESHOLD_PP points: the screen marks a project
    as the rule does with the office's setting, not a fixed 10 points."""
    monkeypatch.setenv("LAG_THRESHOLD_PP", threshold)
    with db.read_session(seeded_db) as s:
        data = public.screen_data(s, "qingyang", dt.date(2018, 12, 31))
    assert data.projects and [p.lagging for p in data.projects] == [lagging(p.rate) for p in data.projects]


def test_a_year_without_data_falls_back_to_the_last_year(seeded_db):
    with db.read_session(seeded_db) as s:
        data = public.screen_data(s, "qingyang", dt.date(2026, 11, 27))
        assert data.year == 2018
        assert public.screen_data(s, "nowhere", dt.date(2026, 11, 27)) is None


def test_playlist_default_save_and_validation(empty_db):
    known = ("headline", "categories", "newest")
    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
    with db.read_session(empty_db) as s:
        assert [e.key for e in public.playlist(s, "qingyang", known, 15)] == list(known)
    with db.write_session(empty_db) as s:
        public.save_playlist(
            s, "qingyang", [("newest", 5, True), ("headline", 8, False), ("categories", 20, True)]
        )
    with db.read_session(empty_db) as s:
        assert [(e.key, e.seconds) for e in public.playlist(s, "qingyang", known, 15)] == [
            ("newest", 5),
            ("categories", 20),
        ]
    with pytest.raises(ValueError, match="3–600"), db.write_session(empty_db) as s:
        public.save_playlist(s, "qingyang", [("newest", 1, True)])
