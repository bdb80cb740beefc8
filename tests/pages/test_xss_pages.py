"""Every string a user can store is drawn as text on every page that shows it (issue 7).

`hostile_database` loads the 2018 demo and then puts each string of the XSS list into every
text field people type or upload: publication titles, project names, request summaries and
applicants' names and contacts, interpretation titles, hotline officials and topics, board names
and update notes, upload file names, unit names, catalogue names, holiday names, user names and
audit details; and the city's name is all Markdown. Each page then runs in AppTest as an admin of
青阳街道 (who sees personal fields), the dashboards once more on the city, and the lobby screen runs
with each slide. On every page:

- an st.html element that shows stored text holds nothing but the screen's own layout tags (no
  tag, event handler or javascript: URL from the data), and nothing with unsafe_allow_html holds a
  stored string;
- no Markdown element (titles, captions, messages, link labels) holds a stored string that
  Markdown would change (links, images, emphasis, colour directives, entities): such strings are
  shown escaped, so they read exactly as typed;
- the page shows the stored strings it is expected to show (so the check cannot pass by showing
  nothing).

The browser half (tests/e2e/test_xss_browser.py) opens the same pages in chromium and checks that
no dialog ever fires.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from dashboard.widgets.attention import plain
from data_access.rules import permissions
from data_access.store import db
from data_access.write import auth
from tests.helpers.hostile_text import ALL_STORED, MARKDOWN_UNIT, TAGS, XSS, hostile_database, stored
from tests.helpers.pages import run

# What makes Markdown (as Streamlit renders it) show something other than the text typed: links and
# images, emphasis, code spans, character references, colour directives and bare URLs (autolinked).
# Raw HTML is not among them: without unsafe_allow_html Streamlit shows "<b>" as the text "<b>".
_MARKDOWN_ACTIVE = re.compile(r"\[|\*\*|`|&#?\w+;|:\w+\[|https?://")


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):  # type: ignore[no-untyped-def]
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('xss') / 'xss.sqlite3'}")
    db.upgrade(engine)
    try:
        hostile_database(engine)
        yield engine.url.render_as_string(hide_password=False)
    finally:
        engine.dispose()


def _admin(url: str) -> permissions.Principal:
    engine = db.make_engine(url)
    try:
        with db.read_session(engine) as s:
            admin = auth.principal_for_username(s, "demo_admin")
    finally:
        engine.dispose()
    assert admin is not None
    return admin


_MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "success", "info", "warning",
                   "error", "exception", "toast", "expandable", "tab", "page_link")  # fmt: skip
# Tags the app itself writes around data in st.html (the lobby screen, the phone's compact tables);
# anything else came from data.
_SAFE_TAGS = frozenset({"div", "span", "h2", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"})


class _Html(HTMLParser):
    """Tags, attributes and decoded text of an st.html body."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.feed(body)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _markdown_bodies(at) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    out = []
    for kind in _MARKDOWN_KINDS:
        for element in at.get(kind):
            proto = element.proto
            body = getattr(proto, "body", None) or getattr(proto, "label", None) or ""
            out.append((kind, body, bool(getattr(proto, "allow_html", False))))
    return out


def unsafe_renderings(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Each stored string that reached the page as markup: HTML, or Markdown that changes it."""
    found = []
    for element in at.get("html"):
        body = element.proto.body
        parsed = _Html(body)
        text = "".join(parsed.text)
        if not any(x in text for x in ALL_STORED):
            continue  # the app's own CSS and scripts, no data in them
        for tag, attrs in parsed.tags:
            if tag not in _SAFE_TAGS:
                found.append(f"html: <{tag}> beside stored text")
            for name, value in attrs:
                if name.startswith("on") or "javascript:" in (value or "").lower():
                    found.append(f"html: {tag} {name}={value!r}")
    for kind, body, allow_html in _markdown_bodies(at):
        if allow_html:
            found += [f"{kind} (allow_html): {x!r}" for x in ALL_STORED if x in body]
        found += [f"{kind}: {x!r}" for x in ALL_STORED if _MARKDOWN_ACTIVE.search(x) and x in body]
    return found


def shown(at) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Per kind of stored text, how many of its strings the page shows exactly as typed: in tables,
    st.text, pickers and code as they are, in Markdown escaped, in st.html as decoded text."""
    texts: list[str] = []
    for frame in list(at.dataframe) + list(at.table):
        values = frame.value
        texts += [str(v) for column in values.columns for v in values[column].tolist()]
    texts += [str(e.value) for e in at.get("text")] + [str(e.value) for e in at.get("code")]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in at.get(kind):
            texts += [str(o) for o in getattr(widget, "options", [])]
    texts += ["".join(_Html(e.proto.body).text) for e in at.get("html")]
    plain_text = "\n".join(texts)
    markdown = "\n".join(body for _kind, body, _html in _markdown_bodies(at))
    return {field: sum(1 for x in stored(field) if x in plain_text or plain(x) in markdown) for field in TAGS}


def _year(at, value: int):  # type: ignore[no-untyped-def]
    next(w for w in at.number_input if w.label in ("年份", "年度")).set_value(value).run()


def _audit_settings(at):  # type: ignore[no-untyped-def]
    next(w for w in at.selectbox if w.label == "操作类型").set_value("settings_change").run()


def _each_request(at):  # type: ignore[no-untyped-def]
    """逐条登记 shows the chosen request's summary: choose each hostile one in turn."""
    picker = next(w for w in at.selectbox if w.key == "pg_pick")
    for i in range(len(XSS)):
        picker.set_value(f"YSQ-2018-X{i:02d}").run()
        assert unsafe_renderings(at) == [], f"YSQ-2018-X{i:02d}"
        picker = next(w for w in at.selectbox if w.key == "pg_pick")


ALL = len(XSS)
# page, query, what to do on it first, and how many strings of each kind it must show at least.
PAGES: list = [
    ("pages/overview.py", {"year": "2018"}, None, {"unit": ALL}),
    ("pages/publications.py", {"year": "2018"}, None, {"title": 20}),
    ("pages/projects.py", {"year": "2018", "month": "10"}, None, {"project": ALL}),
    ("pages/requests.py", {"year": "2018"}, None, {"summary": ALL, "applicant": ALL, "contact": ALL}),
    ("pages/duties.py", {"year": "2018"}, None, {"board": 1, "note": 1}),
    ("pages/annual_report.py", {"year": "2018"}, None, {"unit": ALL}),
    ("pages/units.py", {"year": "2018"}, None, {"unit": ALL}),
    ("pages/upload.py", {}, None, {"file": 1}),
    pytest.param(
        "pages/records.py",
        {},
        _each_request,
        {"summary": ALL, "board": 1},
    ),
    ("pages/screen_settings.py", {}, None, {"unit": ALL}),
    ("pages/admin_users.py", {}, None, {"user": ALL, "unit": ALL}),
    ("pages/admin_units.py", {}, None, {"unit": ALL}),
    ("pages/admin_catalogue.py", {}, None, {"category": ALL}),
    ("pages/admin_holidays.py", {}, lambda at: _year(at, 2031), {"holiday": ALL}),
    ("pages/admin_audit.py", {}, _audit_settings, {"audit": ALL}),
    ("pages/account.py", {}, None, {}),
]


def test_the_list_is_long_enough():
    assert len(XSS) >= 20 and len(set(XSS)) == len(XSS)
    assert len(ALL_STORED) == len(TAGS) * len(XSS) + 1


def _id(case) -> str:  # type: ignore[no-untyped-def]
    return (case.values if hasattr(case, "values") else case)[0][6:-3]


@pytest.mark.parametrize(("page", "query", "drive", "least"), PAGES, ids=[_id(p) for p in PAGES])
def test_stored_strings_render_as_text(monkeypatch, hostile_url, page, query, drive, least):
    at = run(monkeypatch, hostile_url, page, query=query, who=_admin(hostile_url))
    if drive is not None:
        drive(at)
    assert not at.exception and "无权访问" not in [e.value for e in at.error]
    assert unsafe_renderings(at) == []
    counts = shown(at)
    assert all(counts[field] >= n for field, n in least.items()), counts


SLIDES = {"headline": {}, "categories": {}, "newest": {"title": 8}, "projects": {"project": 5},
          "requests": {}, "duties": {"board": 1}}  # fmt: skip


@pytest.mark.parametrize("slide", list(SLIDES))
def test_the_screen_escapes_every_stored_string(monkeypatch, hostile_url, slide):
    at = run(monkeypatch, hostile_url, query={"mode": "screen", "slide": slide}, who=None)
    assert unsafe_renderings(at) == []
    counts = shown(at)
    assert counts["title"] >= 12, "the ticker shows the newest titles, escaped"
    assert all(counts[field] >= n for field, n in SLIDES[slide].items()), counts
    assert not any(counts[f] for f in ("summary", "applicant", "contact")), "no personal data on the screen"


# An admin-entered unit name such as "[x](…)![i](http://…)" must not draw a link or load an image
# in the pages' headings and captions.
DASHBOARDS = [
    *(pytest.param(p, id=p[6:-3])
      for p in ("pages/overview.py", "pages/publications.py", "pages/projects.py", "pages/requests.py",
                "pages/duties.py", "pages/annual_report.py", "pages/units.py")),
    pytest.param("pages/screen_settings.py", id="screen_settings"),
]  # fmt: skip


@pytest.mark.parametrize("page", DASHBOARDS)
def test_a_unit_named_in_markdown_is_shown_as_typed(monkeypatch, hostile_url, page):
    """Headings and captions name the chosen unit: its name must not turn into links or emphasis."""
    engine = db.make_engine(hostile_url)
    with db.read_session(engine) as s:
        city = auth.principal_for_username(s, "demo_city")
    engine.dispose()
    assert city is not None
    who = dataclasses.replace(city, role="admin")
    at = run(monkeypatch, hostile_url, page, query={"unit": MARKDOWN_UNIT[0], "year": "2018"}, who=who)
    picker = next(w for w in at.sidebar.selectbox if w.label == "单位")
    assert picker.value == MARKDOWN_UNIT[0], "the hostile unit is the one chosen"
    assert not at.exception
    assert unsafe_renderings(at) == []


def _named(url: str, name: str) -> permissions.Principal:
    return dataclasses.replace(_admin(url), display_name=name)


def test_the_account_page_shows_a_markdown_name_as_typed(monkeypatch, hostile_url):
    at = run(monkeypatch, hostile_url, "pages/account.py", who=_named(hostile_url, MARKDOWN_UNIT[1]))
    assert unsafe_renderings(at.main) == []
    assert any(plain(MARKDOWN_UNIT[1]) in body for _k, body, _h in _markdown_bodies(at.main))


def test_the_sidebar_shows_a_markdown_name_as_typed(monkeypatch, hostile_url):
    at = run(monkeypatch, hostile_url, who=_named(hostile_url, MARKDOWN_UNIT[1]))
    assert any("当前用户" in c.value for c in at.sidebar.caption)
    assert unsafe_renderings(at.sidebar) == []
