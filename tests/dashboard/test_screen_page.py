"""The lobby screen's page in AppTest, its loop's shape, and the read path it is confined to."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import event, func, inspect, select, table
from streamlit.testing.v1 import AppTest

from dashboard.screen.slides import SLIDES
from data_access.read import public
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import admin
from seed import qingyang2018
from tests.helpers.canaries import (
    CANARY_DOC,
    CANARY_NAME,
    CANARY_REQUEST,
    FRESH,
    add_canaries,
    add_public_item,
)

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
SCREEN_FILES = [ROOT / "pages" / "screen.py", *sorted((ROOT / "dashboard" / "screen").glob("*.py"))]


def screen(monkeypatch, url: str, **query: str) -> tuple[AppTest, str]:
    """Run the app at the screen URL with nobody logged in; return it and the HTML it drew."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in {"mode": "screen", **query}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, " ".join(h.proto.body for h in at.get("html"))


# ----------------------------------------------------------------------------------- AppTest


@pytest.mark.parametrize("preset", ["1080p", "720p", "wide"])
@pytest.mark.parametrize("slide", list(SLIDES))
def test_each_slide_renders_the_demo_at_each_size(monkeypatch, seeded_sqlite_url, slide, preset):
    at, html = screen(monkeypatch, seeded_sqlite_url, slide=slide, preset=preset)
    assert f'data-slide="{slide}"' in html
    assert "青阳街道政务公开" in html and "政务热线 0595-85601021" in html
    assert 'class="tick"' in html and "暂无数据" not in html
    assert '<span class="stamp">' not in html, "fresh data carries no stamp"
    assert not at.text_input and not at.selectbox and not at.button


def test_the_strip_shows_one_figure_and_the_ticker(monkeypatch, seeded_sqlite_url):
    _at, html = screen(monkeypatch, seeded_sqlite_url, preset="strip")
    assert "data-slide" not in html and 'class="strip"' in html
    assert "2018年主动公开" in html and ">158<" in html
    # The strip has no header: the office and the hotline lead its ticker.
    assert "青阳街道政务公开　政务热线 0595-85601021" in html


@pytest.fixture
def unit_without_data(empty_sqlite):
    """A migrated database holding the office itself and nothing else."""
    with db.write_session(empty_sqlite) as s:
        admin.add_unit(
            s,
            code="qingyang",
            name="青阳街道",
            level="subdistrict",
            parent_code=None,
            hotline="0595-85601021",
            actor=OPERATOR,
        )
    return empty_sqlite.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("slide", list(SLIDES))
def test_each_slide_renders_for_a_unit_without_data(monkeypatch, unit_without_data, slide):
    _at, html = screen(monkeypatch, unit_without_data, slide=slide)
    assert f'data-slide="{slide}"' in html and "<h2>" in html
    assert "政务热线 0595-85601021" in html
    assert "暂无数据" not in html, "a slide fell over on an empty database"
    if slide in ("newest", "projects"):
        assert "暂无" in html
    assert "欢迎查阅政府信息公开内容" in html, "an empty ticker says something, not nothing"


def test_the_screen_changes_nothing(monkeypatch, seeded_sqlite_url):
    engine = db.make_engine(seeded_sqlite_url)

    def snapshot() -> dict[str, int]:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            return {t: conn.scalar(select(func.count()).select_from(table(t))) for t in tables}

    before = snapshot()
    for slide in SLIDES:
        screen(monkeypatch, seeded_sqlite_url, slide=slide)
    screen(monkeypatch, seeded_sqlite_url, preset="strip")
    assert snapshot() == before, "opening the screen wrote to the database (audit, sessions, anything)"
    engine.dispose()


# ------------------------------------------------------------------------------ the loop's shape


def _fragments(tree: ast.AST) -> list[tuple[ast.FunctionDef, ast.Call]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and ast.unparse(deco.func) == "st.fragment":
                    found.append((node, deco))
                elif ast.unparse(deco) == "st.fragment":
                    found.append((node, ast.Call(func=deco, args=[], keywords=[])))
    return found


def test_one_top_level_fragment_turns_the_loop():
    """One module-level st.fragment(run_every=…) called once; no while loop, no sleep, no other fragment."""
    tree = ast.parse((ROOT / "pages" / "screen.py").read_text(encoding="utf-8"))
    fragments = _fragments(tree)
    assert len(fragments) == 1, "exactly one fragment"
    function, deco = fragments[0]
    assert function in tree.body, "the fragment is defined at the top level, not inside another function"
    assert [k.arg for k in deco.keywords] == ["run_every"]
    calls = [n for n in tree.body if isinstance(n, ast.Expr) and ast.unparse(n) == f"{function.name}()"]
    assert len(calls) == 1, "the fragment is called once, at the top level"
    for path in SCREEN_FILES:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        assert not any(isinstance(n, ast.While) for n in ast.walk(tree)), f"{path.name} has a while loop"
        assert "time.sleep" not in source and "st.rerun" not in source, path.name
        if path.name != "screen.py":
            assert not _fragments(tree), f"{path.name} defines a fragment"


# -------------------------------------------------------------------------- the public read path


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


@pytest.mark.parametrize("path", SCREEN_FILES, ids=lambda p: p.name)
def test_the_screen_code_reaches_data_only_through_the_public_module(path):
    """The screen's page and slides import from data_access only `public` and `settings`, and use
    only the screen's two readers of dashboard.reads.lobby (which call data_access.read.public alone)."""
    data_imports = {n for n in _imports(path) if n.startswith("data_access")}
    assert data_imports <= {
        "data_access.read.public",
        "data_access.read.public.ScreenData",
        "data_access.settings",
    }
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = {
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "lobby"
    }
    assert used <= {"screen_snapshot", "screen_playlist"}, f"{path.name} reads lobby.{used}"


def test_the_screen_readers_in_lobby_call_only_the_public_module():
    """dashboard/reads/lobby.py, every reader of the screen: it imports from data_access only
    `public` and `settings`, and calls nothing else that reads."""
    path = ROOT / "dashboard" / "reads" / "lobby.py"
    data_imports = {n for n in _imports(path) if n.startswith(("data_access", "dashboard"))}
    assert data_imports <= {
        "data_access.read.public",
        "data_access.settings",
        "dashboard.reads.cache.cached_read",
        "dashboard.reads.cache.read_session",
    }
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert {"screen_snapshot", "screen_playlist", "_screen_data", "_playlist"} <= set(functions)
    for name, function in functions.items():
        called = {ast.unparse(n.func) for n in ast.walk(function) if isinstance(n, ast.Call)}
        assert called <= {
            "public.screen_data",
            "public.playlist",
            "public.playlist_for_editing",
            "public.PlaylistEntry",
            "read_session",
            "cached_read",
            "_screen_data",
            "_playlist",
            "settings.get_int",
            "dt.date.today",
            "_LAST_GOOD.get",
            "tuple",
        }, (name, called)


PRIVATE_TABLES = ("disclosure_request", "request_pause", "appeal", "app_user", "audit_log", "import_change")
PRIVATE_COLUMNS = ("applicant_name", "applicant_contact", "summary", "withheld_reason", "withheld_note")
# A withdrawal's reason and who recorded it are internal: the read path only asks which items are withdrawn.
PRIVATE_COLUMNS += ("publication_withdrawal.reason", "publication_withdrawal.username")


@pytest.fixture
def canaries_this_year(empty_db):
    """The demo, the non-public canaries dated today and one public item today (so the screen shows
    this year, where the canaries would be the newest items and would be counted if let through)."""
    today = dt.date.today()
    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
        add_canaries(s, today)
        add_public_item(s, FRESH, today)
    return empty_db, today


def test_every_statement_of_the_read_path_is_public(canaries_this_year):
    engine, today = canaries_this_year
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        statements.append((statement.lower(), parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with db.read_session(engine) as s:
            data = public.screen_data(s, "qingyang", today)
            public.playlist(s, "qingyang", tuple(SLIDES), 15)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert statements
    for sql, params in statements:
        for name in PRIVATE_TABLES:
            assert f" {name}" not in sql and f'"{name}"' not in sql and f"`{name}`" not in sql, sql
        for column in PRIVATE_COLUMNS:
            assert column not in sql, sql
        if re.search(r"\b(from|join) publication\b", sql):  # the register's own table
            assert "publication.attribute" in sql and "proactive" in repr(params), (sql, params)
    # The canaries are dated today like the public item, yet only the public item is counted and shown.
    assert (data.year, data.published_year, sum(data.by_category.values())) == (today.year, 1, 1)
    assert [i.title for i in data.newest][:1] == [FRESH]
    text = repr(data)
    for canary in (CANARY_DOC, CANARY_REQUEST, CANARY_NAME, "13800000000"):
        assert canary not in text


def test_the_screen_page_never_shows_the_canaries(monkeypatch, canaries_this_year):
    engine, _today = canaries_this_year
    if engine.dialect.name != "sqlite":
        pytest.skip("the page reads the same public module on every backend")
    url = engine.url.render_as_string(hide_password=False)
    for slide in SLIDES:
        _at, html = screen(monkeypatch, url, slide=slide)
        for canary in (CANARY_DOC, CANARY_REQUEST, CANARY_NAME, "13800000000"):
            assert canary not in html, (slide, canary)
    _at, html = screen(monkeypatch, url, slide="newest")
    assert FRESH in html
