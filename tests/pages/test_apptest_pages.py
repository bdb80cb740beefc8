"""Every page runs in AppTest against the seeded demo and against an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _run(monkeypatch: pytest.MonkeyPatch, url: str, page: str, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0].path:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_page_runs_on_the_demo(monkeypatch, seeded_sqlite_url, page):
    _run(monkeypatch, seeded_sqlite_url, page)


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_page_runs_on_an_empty_database(monkeypatch, empty_sqlite, page):
    at = _run(monkeypatch, empty_sqlite.url.render_as_string(hide_password=False), page)
    assert at.info, "an empty database should say what to do"


def test_overview_shows_the_2018_figures(monkeypatch, seeded_sqlite_url):
    at = _run(monkeypatch, seeded_sqlite_url, "pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["主动公开信息（条）"] == "158"
    assert metrics["全文电子化率"] == "100.0%"
    assert metrics["依申请公开（件）"] == "1"
    assert metrics["送交两馆（份）"] == "158 / 158"
    assert metrics["市长专线接听（次）"] == "2"
    assert metrics["政策解读（篇）"] == "0"
    assert metrics["行政复议 / 诉讼 / 申诉举报"] == "0 / 0 / 0"
    assert any("历年累计 954 条" in c.value for c in at.caption)
    assert at.title[0].value == "青阳街道 2018 年政务公开总览"
    assert at.query_params["year"] == ["2018"] or at.query_params["year"] == "2018"


def test_overview_follows_the_url_and_the_unit(monkeypatch, seeded_sqlite_url):
    at = _run(monkeypatch, seeded_sqlite_url, "pages/overview.py", {"unit": "jinjiang", "year": "2017"})
    metrics = {m.label: m.value for m in at.metric}
    assert at.title[0].value == "晋江市 2017 年政务公开总览"
    assert metrics["主动公开信息（条）"] == "141"


def test_english_locale(monkeypatch, seeded_sqlite_url):
    at = _run(monkeypatch, seeded_sqlite_url, "pages/overview.py", {"lang": "en"})
    assert {m.label for m in at.metric} >= {"Items published", "Full text online"}
