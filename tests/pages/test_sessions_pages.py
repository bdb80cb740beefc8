"""Logins end on the server, in AppTest: a cookie replayed after logout gets the login form, and
a password reset or a disabled account ends a browser session that is already open."""

from __future__ import annotations

import pytest
import streamlit as st

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import auth
from seed import qingyang2018
from tests.helpers.pages import run

OVERVIEW = "青阳街道 2018 年政务公开总览"


@pytest.fixture
def demo_url(empty_sqlite):
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite.url.render_as_string(hide_password=False)


@pytest.fixture
def cookies(monkeypatch):
    """The cookies the browser sends with its next page load (st.context.cookies)."""
    jar: dict[str, str] = {}
    monkeypatch.setattr(type(st.context), "cookies", property(lambda _self: jar))
    return jar


def _log_in(monkeypatch, url, username="demo_leader", password="demo12345"):  # type: ignore[no-untyped-def]
    at = run(monkeypatch, url, who=None)
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert at.title[0].value == OVERVIEW
    return at


def _is_login_form(at) -> bool:  # type: ignore[no-untyped-def]
    return [w.label for w in at.main.text_input] == ["用户名", "密码"] and not at.main.metric


def _ended(at) -> bool:  # type: ignore[no-untyped-def]
    """The open session is logged out and shows the login form, nothing of the page. (AppTest runs a
    page's file without the router after the first run, so the page's own check answers.)"""
    return "principal" not in at.session_state and _is_login_form(at)


def test_a_cookie_replayed_after_logout_is_refused(monkeypatch, demo_url, cookies):
    at = _log_in(monkeypatch, demo_url)
    cookies["gk_session"] = at.session_state["token"]
    assert run(monkeypatch, demo_url, who=None).title[0].value == OVERVIEW, "a reload keeps the login"
    at.switch_page("pages/account.py")
    at.run()
    next(b for b in at.button if b.label == "退出登录").click().run()
    # Someone who copied the cookie before the logout replays it: the login form.
    assert _is_login_form(run(monkeypatch, demo_url, who=None))


@pytest.mark.parametrize("change", ["reset", "disable"])
def test_an_admin_ends_an_open_session(monkeypatch, demo_url, cookies, change):
    monkeypatch.setenv("CACHE_TTL_SECONDS", "0")  # re-check the login on every rerun
    at = _log_in(monkeypatch, demo_url)
    cookies["gk_session"] = at.session_state["token"]
    with db.write_session(db.make_engine(demo_url)) as s:
        if change == "reset":
            auth.set_password(s, "demo_leader", "another-pass-1", actor=OPERATOR)
        else:
            auth.disable_user(s, "demo_leader", actor=OPERATOR)
    at.run()  # the open tab's next interaction
    assert _ended(at), "the open session ended"
    assert _is_login_form(run(monkeypatch, demo_url, who=None)), "and its cookie no longer logs in"


def test_changing_ones_own_password_ends_the_other_sessions_only(monkeypatch, demo_url, cookies):
    monkeypatch.setenv("CACHE_TTL_SECONDS", "0")
    other = _log_in(monkeypatch, demo_url)  # the same user in another browser
    at = _log_in(monkeypatch, demo_url)
    at.switch_page("pages/account.py")
    at.run()
    old, new, again = at.text_input[0], at.text_input[1], at.text_input[2]
    old.input("demo12345")
    new.input("a-new-password-9")
    again.input("a-new-password-9")
    next(b for b in at.button if b.label == "修改密码").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [m.value for m in at.success] == ["已修改：新密码已生效，请记住它。"], "said after the rerun"
    assert [box.value for box in at.text_input[:3]] == ["", "", ""], "no password left in the boxes"
    other.run()
    assert _ended(other), "the other browser's session ended"
    at.switch_page("pages/overview.py")
    at.run()
    assert at.title[0].value == OVERVIEW, "the session that changed the password goes on"
    cookies["gk_session"] = at.session_state["token"]
    assert run(monkeypatch, demo_url, who=None).title[0].value == OVERVIEW


def test_the_login_form_says_when_to_try_again(monkeypatch, demo_url):
    """Past LOGIN_THROTTLE_FAILURES from one address the form answers at once, checking nothing."""
    from data_access.store import audit

    monkeypatch.setenv("LOGIN_THROTTLE_FAILURES", "3")
    frozen = audit.local_now()
    monkeypatch.setattr(audit, "local_now", lambda: frozen)  # all five in the same second
    at = run(monkeypatch, demo_url, who=None)
    messages = []
    for attempt in range(5):
        at.text_input[0].input(f"guess{attempt}")
        at.text_input[1].input("wrong-password")
        at.button[0].click().run()
        messages.append(at.error[0].value)
    assert messages[:2] == ["用户名或密码不正确"] * 2
    assert messages[2:] == ["登录尝试过于频繁，请 2 秒后再试"] * 3
    with db.read_session(db.make_engine(demo_url)) as s:
        assert len(audit.list_entries(s, 10, action="login_failed")) == 3, "refused attempts were not checked"
