"""Running the app's pages in Streamlit's AppTest as a given user."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from data_access.rules import permissions
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.write import auth

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def principal(role: str = "leader", unit: str = "qingyang", must_change: bool = False) -> Principal:
    """A logged-in user as the session would hold it."""
    return Principal(1, f"t_{role}", f"测试{role}", role, 2, unit, must_change)


LEADER = principal()


def run(monkeypatch, url: str, page: str | None = None, query: dict | None = None,
        who: Principal | None = LEADER) -> AppTest:  # fmt: skip
    """Run the app as `who` (None: nobody logged in), optionally switching to a page."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    if who is not None:
        at.session_state["principal"] = who
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != PAGES[0].path:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("error", "info", "title", "markdown", "caption")
                    for e in at.get(kind))  # fmt: skip


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def staff(engine: Engine) -> permissions.Principal:
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, "demo_staff")


def frame(at, column: str):  # type: ignore[no-untyped-def]
    """The first table that has the column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
