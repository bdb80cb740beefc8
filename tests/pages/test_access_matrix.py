"""Who may open which page, written out as a table (not derived from the navigation registry, so a
change there that widens a role fails here): every page × anonymous, leader, staff, admin and the
lobby-screen URL, run in AppTest on the seeded demo.

Outcomes:
  OK      the page runs and shows itself (no 无权访问)
  DENIED  opened by URL (AppTest.switch_page) it shows only 无权访问: no figures, tables or charts
  LOGIN   nobody is logged in: the page's address shows the login form in place (every address is
          routed, so a shared link never meets "Page not found"); the page script run on its own
          (no router) shows the login form too
  SCREEN  a browser on the screen URL (?mode=screen) can reach only the lobby loop; the page script
          run on its own with ?mode=screen stops at 无权访问
  ONLY_VIA_SCREEN_URL  the lobby loop is not in a logged-in user's router; it opens only at ?mode=screen
  TO_OVERVIEW  a logged-in user sent to the login page is forwarded to 总览
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import ACCOUNT_PAGE, LOGIN_PAGE, PAGES, SCREEN_PAGE
from tests.helpers.pages import principal, run

ROOT = Path(__file__).resolve().parents[2]
OK, DENIED, LOGIN, SCREEN = "OK", "DENIED", "LOGIN", "SCREEN"
ONLY_VIA_SCREEN_URL, TO_OVERVIEW = "ONLY_VIA_SCREEN_URL", "TO_OVERVIEW"
ROLES = ("anonymous", "leader", "staff", "admin", "screen")

# page: (anonymous, leader, staff, admin, screen URL)
MATRIX: dict[str, tuple[str, str, str, str, str]] = {
    "pages/overview.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/publications.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/projects.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/requests.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/duties.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/annual_report.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/units.py": (LOGIN, OK, OK, OK, SCREEN),
    "pages/upload.py": (LOGIN, DENIED, OK, OK, SCREEN),
    "pages/records.py": (LOGIN, DENIED, OK, OK, SCREEN),
    "pages/screen_settings.py": (LOGIN, DENIED, OK, OK, SCREEN),
    "pages/admin_users.py": (LOGIN, DENIED, DENIED, OK, SCREEN),
    "pages/admin_units.py": (LOGIN, DENIED, DENIED, OK, SCREEN),
    "pages/admin_balances.py": (LOGIN, DENIED, DENIED, OK, SCREEN),
    "pages/admin_catalogue.py": (LOGIN, DENIED, DENIED, OK, SCREEN),
    "pages/admin_holidays.py": (LOGIN, DENIED, DENIED, OK, SCREEN),
    "pages/admin_audit.py": (LOGIN, DENIED, DENIED, OK, SCREEN),
    "pages/help.py": (LOGIN, OK, OK, OK, SCREEN),
    ACCOUNT_PAGE: (LOGIN, OK, OK, OK, SCREEN),
    LOGIN_PAGE: (OK, TO_OVERVIEW, TO_OVERVIEW, TO_OVERVIEW, SCREEN),
    SCREEN_PAGE: (LOGIN, ONLY_VIA_SCREEN_URL, ONLY_VIA_SCREEN_URL, ONLY_VIA_SCREEN_URL, OK),
}
CASES = [(page, role, outcomes[i]) for page, outcomes in MATRIX.items() for i, role in enumerate(ROLES)]
GUARDED = [spec.path for spec in PAGES]


def test_the_matrix_names_every_page():
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert set(MATRIX) == files, "a page without a row in the access table"


def _shows_no_data(at: AppTest) -> None:
    main = at.main
    assert not main.metric and not main.dataframe and not main.get("arrow_data_frame")
    assert not main.get("arrow_vega_lite_chart") and not main.get("vega_lite_chart")
    assert not main.text_input and not main.button and not main.get("download_button")
    assert not main.get("html"), "the lobby loop (or anything raw) must not be drawn"


def _denied(at: AppTest) -> None:
    assert [e.value for e in at.main.error] == ["无权访问"]
    _shows_no_data(at)


def _login_form(at: AppTest) -> None:
    assert [w.label for w in at.main.text_input] == ["用户名", "密码"]
    assert not at.main.metric and not at.main.dataframe


def _screen_only(at: AppTest) -> None:
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "data-slide=" in html, "the lobby loop is what this browser sees"
    assert not at.text_input and not at.button and not at.metric and not at.dataframe
    assert not at.get("page_link"), "no menu on the screen"


def _run_page_alone(monkeypatch, url: str, page: str, query: dict | None = None) -> AppTest:
    """The page script without the router: its own guard must stop it."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / page), default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("page", "role", "outcome"), CASES, ids=[f"{p[6:-3]}-{r}" for p, r, _o in CASES])
def test_page_by_role(monkeypatch, seeded_sqlite_url, page, role, outcome):
    url = seeded_sqlite_url
    if role == "anonymous":
        at = run(monkeypatch, url, who=None)
        _login_form(at)
        if outcome == OK:  # the login page itself
            return
        assert outcome == LOGIN
        # Opened at its address: the login form there (in chromium, with the query kept and the
        # page opened after the login: tests/e2e/test_links_browser.py).
        if page in (*GUARDED, ACCOUNT_PAGE):
            _login_form(at.switch_page(page).run())
        if page in GUARDED:
            _login_form(_run_page_alone(monkeypatch, url, page))
        return
    if role == "screen":
        at = run(monkeypatch, url, query={"mode": "screen", "slide": "newest"}, who=None)
        _screen_only(at)
        if outcome == OK:
            return
        assert outcome == SCREEN
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(page)
        if page in GUARDED:
            _denied(_run_page_alone(monkeypatch, url, page, {"mode": "screen"}))
        return
    who = principal(role)
    if outcome == ONLY_VIA_SCREEN_URL:
        at = run(monkeypatch, url, who=who)
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(page)
        return
    at = run(monkeypatch, url, page, who=who)
    if outcome == DENIED:
        _denied(at)
    elif outcome == TO_OVERVIEW:
        assert at.title[0].value == "青阳街道 2018 年政务公开总览" and at.metric
    else:
        assert outcome == OK
        assert "无权访问" not in [e.value for e in at.error]
        assert at.main.title, "the page draws its title"


@pytest.mark.parametrize("role", ["leader", "staff", "admin"])
def test_the_menu_lists_only_the_pages_the_role_may_open(monkeypatch, seeded_sqlite_url, role):
    at = run(monkeypatch, seeded_sqlite_url, who=principal(role))
    index = ROLES.index(role)
    default = next(spec.path for spec in PAGES if spec.default)  # its link's URL path is ""
    expected = [
        "" if p == default else Path(p).stem for p, outcomes in MATRIX.items() if outcomes[index] == OK
    ]
    linked = [link.proto.page for link in at.sidebar.get("page_link")]
    assert sorted(linked) == sorted(expected)


def test_the_login_page_has_no_menu(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, who=None)
    assert not at.get("page_link")
    assert at.title[0].value == "政务公开看板" and at.button[0].label == "登录"


def test_logout_forgets_the_login_and_is_audited(monkeypatch, empty_sqlite):
    from data_access.store import audit, db
    from seed import qingyang2018

    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    at = run(monkeypatch, url, who=None)
    at.text_input[0].input("demo_leader")
    at.text_input[1].input("demo12345")
    at.button[0].click().run()
    assert at.metric and at.session_state["token"]
    at.switch_page(ACCOUNT_PAGE)
    at.run()
    next(b for b in at.button if b.label == "退出登录").click().run()
    # The account page's address now shows the login form; nothing of the account is left to show.
    _login_form(at)
    assert [b.label for b in at.main.button] == ["登录"] and not at.main.markdown
    assert "token" not in at.session_state and "principal" not in at.session_state
    assert at.session_state["logged_out"] is True
    with db.read_session(empty_sqlite) as s:
        actions = [e.action for e in audit.list_entries(s, 5, username="demo_leader")]
    assert actions[:2] == ["logout", "login_ok"]


def _cookie_scripts(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html") if "/_gk/" in h.proto.body)


def test_the_page_trades_a_one_time_code_for_the_cookie_and_logout_deletes_it(monkeypatch, seeded_sqlite_url):
    """The cookie is HttpOnly, so no script writes it: the page posts the login's one-time code to
    serve.py's route, whose answer sets it (tests/dashboard/test_cookie_routes.py); the cookie's
    value itself never reaches the page."""
    import time

    token, code = "t" * 43, "c" * 43
    monkeypatch.setenv("DATABASE_URL", seeded_sqlite_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.session_state["principal"] = principal("leader")
    at.session_state["token"] = token
    at.session_state["checked_at"] = time.monotonic()  # (a made-up login: not re-checked now)
    at.session_state["cookie_handoff"] = (code, time.monotonic() + 50)
    at.run()
    script = _cookie_scripts(at)
    assert '"/_gk/session"' in script and f'"X-Gk-Handoff": "{code}"' in script
    assert token not in script and "document.cookie" not in script
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.session_state["principal"] = principal("leader")
    at.session_state["token"] = token
    at.session_state["checked_at"] = time.monotonic()
    at.session_state["cookie_handoff"] = (code, time.monotonic() - 1)  # its minute is over
    at.run()
    assert _cookie_scripts(at) == ""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.session_state["logged_out"] = True
    at.run()
    assert '"/_gk/logout"' in _cookie_scripts(at) and "document.cookie" not in _cookie_scripts(at)
    _login_form(at)


def test_single_sign_on_logs_in_once_and_the_cookie_carries_it(monkeypatch, empty_sqlite):
    """Behind a trusted proxy the header names the user: the first page load is an audited login
    that writes the session cookie; a reload carrying that cookie is not another login."""
    import streamlit as st

    from data_access.store import audit, db
    from seed import qingyang2018

    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    monkeypatch.setenv("TRUSTED_USER_HEADER", "X-Remote-User")
    cookies: dict[str, str] = {}
    context = type(st.context)
    monkeypatch.setattr(context, "headers", property(lambda _self: {"X-Remote-User": "demo_leader"}))
    monkeypatch.setattr(context, "cookies", property(lambda _self: cookies))

    first = run(monkeypatch, url, who=None)
    assert first.title[0].value == "青阳街道 2018 年政务公开总览"
    cookies["gk_session"] = first.session_state["token"]
    again = run(monkeypatch, url, who=None)
    assert again.title[0].value == "青阳街道 2018 年政务公开总览"
    with db.read_session(empty_sqlite) as s:
        logins = audit.list_entries(s, 10, action="login_ok")
    assert [(e.username, e.detail) for e in logins] == [("demo_leader", "单点登录（X-Remote-User）")]


@pytest.mark.parametrize(
    ("peer", "headers", "recorded"),
    [
        (None, {"X-Forwarded-For": "6.6.6.6, 10.20.30.40"}, "10.20.30.40"),  # the hop our proxy added
        (None, {"X-Real-IP": "10.20.30.41"}, "10.20.30.41"),
        (None, {"X-Forwarded-For": "not-an-address"}, None),
        ("10.9.8.7", {"X-Forwarded-For": "6.6.6.6"}, "10.9.8.7"),  # not through our proxy: the peer
    ],
)
def test_the_audit_log_records_the_clients_address_behind_the_proxy(
    monkeypatch, empty_sqlite, peer, headers, recorded
):
    import streamlit as st

    from data_access.store import audit, db
    from seed import qingyang2018

    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    context = type(st.context)
    monkeypatch.setattr(context, "headers", property(lambda _self: headers))
    monkeypatch.setattr(context, "ip_address", property(lambda _self: peer))
    at = run(monkeypatch, empty_sqlite.url.render_as_string(hide_password=False), who=None)
    at.text_input[0].input("demo_staff")
    at.text_input[1].input("demo12345")
    at.button[0].click().run()
    with db.read_session(empty_sqlite) as s:
        entry = audit.list_entries(s, 1, action="login_ok")[0]
    assert (entry.username, entry.source) == ("demo_staff", recorded)


def test_the_registry_opens_each_page_to_the_roles_of_the_matrix():
    """The same table without running a page: the permission table and the registry together must
    open each registered page to exactly the roles marked OK above (fails fast, before AppTest)."""
    for spec in PAGES:
        expected = {role for role, outcome in zip(ROLES, MATRIX[spec.path], strict=True) if outcome == OK}
        opened = {role for role in ("leader", "staff", "admin") if spec.allows(role)}
        assert opened == expected - {"anonymous", "screen"}, spec.path
