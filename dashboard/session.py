"""Who is using this browser: login, the HttpOnly cookie that survives a reload, logout.

A login is a session on the server (data_access.write.auth); the browser's cookie only names it. The
cookie is HttpOnly, so it is set by an HTTP answer, not by a script: after a login the page posts
a one-time code to a route of serve.py (dashboard/cookie_routes.py), whose answer sets it. Logout
ends the session on the server, so a copy of the cookie is worthless at once; an open browser
session re-checks its login every CACHE_TTL_SECONDS, so a password change or a disabled account
elsewhere ends it too. Pages ask `current()` for the principal; they never see passwords or
cookies.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import time

import streamlit as st

from dashboard.cookie_routes import (
    CODE_SHAPE,
    COOKIE,
    HANDOFF_HEADER,
    LOGOUT_HEADER,
    LOGOUT_PATH,
    SESSION_PATH,
)
from dashboard.writes import account
from data_access import settings
from data_access.rules.permissions import Principal
from data_access.write import auth


def source() -> str | None:
    """Where the request comes from, for the audit log.

    Streamlit gives the connection's peer, and none for this machine. A reverse proxy on this
    machine (the deployment in the README) is such a peer: then the client's address is the last
    hop the proxy added to X-Forwarded-For (or its X-Real-IP). A header from any other peer is
    ignored: only a proxy of ours may say who the client is."""
    address = getattr(st.context, "ip_address", None)
    if isinstance(address, str) and address:
        return address
    headers = {k.lower(): v for k, v in st.context.headers.items()}
    for candidate in (headers.get("x-forwarded-for", "").split(",")[-1], headers.get("x-real-ip", "")):
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return None


def current() -> Principal | None:
    """The logged-in principal of this browser session, restoring it from the cookie or SSO header."""
    principal = st.session_state.get("principal")
    if principal is not None:
        return _rechecked(principal)
    if st.session_state.get("logged_out"):
        return None
    principal = None
    cookie = st.context.cookies.get(COOKIE)
    if isinstance(cookie, str) and CODE_SHAPE.fullmatch(cookie):
        principal = account.principal_from_token(cookie)
        if principal is not None:
            _remember(cookie)
    if settings.get("TRUSTED_USER_HEADER"):
        principal = _single_sign_on(principal)
    if principal is not None:
        st.session_state["principal"] = principal
    return principal


def token() -> str | None:
    """The session cookie's value this browser session stands for (kept on the server only)."""
    return st.session_state.get("token")


def _remember(cookie: str, handoff: str | None = None) -> None:
    st.session_state["token"] = cookie
    st.session_state["checked_at"] = time.monotonic()
    if handoff is not None:
        # The page trades the code for the cookie while it is valid (a little less, for the trip).
        st.session_state["cookie_handoff"] = (handoff, time.monotonic() + auth.HANDOFF_SECONDS - 5)


def _rechecked(principal: Principal) -> Principal | None:
    """Every CACHE_TTL_SECONDS: is this login still live (not logged out elsewhere, password not
    changed, user not disabled)? Ends this browser session when not; takes role changes on."""
    cookie = token()
    if cookie is None:  # a principal set without a login (tests)
        return principal
    if time.monotonic() - st.session_state.get("checked_at", 0.0) < settings.get_int("CACHE_TTL_SECONDS"):
        return principal
    fresh = account.principal_from_token(cookie)
    if fresh is None:
        _forget()
        return None
    st.session_state["principal"] = fresh
    st.session_state["checked_at"] = time.monotonic()
    return fresh


def _forget() -> None:
    for key in ("principal", "token", "checked_at", "cookie_handoff"):
        st.session_state.pop(key, None)
    st.session_state["logged_out"] = True
    st.session_state["logout_nonce"] = secrets.token_hex(8)  # this logout's cookie script runs once


def _single_sign_on(from_cookie: Principal | None) -> Principal | None:
    """The user the trusted proxy names wins over the cookie; a new single-sign-on login is audited
    and gets a cookie, so reloading the page does not log it again."""

    headers = dict(st.context.headers)
    named = auth.sso_username(headers)
    if named is None or (from_cookie is not None and from_cookie.username == named):
        return from_cookie
    principal, started = account.sso_login(headers, source())
    if principal is None or started is None:
        st.session_state.pop("token", None)
        return None
    _remember(started.token, started.handoff)
    return principal


def log_in(username: str, password: str) -> str | None:
    """Try to log in; on success remember the principal and its session and return None, else the message."""
    result, started = account.log_in(username, password, source())
    if not result.ok or result.user is None or started is None:
        return result.message
    st.session_state.pop("logged_out", None)
    st.session_state["principal"] = result.user
    _remember(started.token, started.handoff)
    return None


def replace_principal(principal: Principal) -> None:
    """After a password change: the refreshed principal (the login goes on)."""
    st.session_state["principal"] = principal


def log_out() -> None:
    """End the login on the server, forget it in this session and, through the cookie route, in the browser."""
    principal = st.session_state.get("principal")
    if principal is not None:
        account.log_out(principal, token(), source=source())
    _forget()


def _post(path: str, header: str, value: str, guard: str) -> str:
    """A script that posts once per page to one of serve.py's cookie routes."""
    key = json.dumps(f"{path}:{value}:{guard}")
    return (
        f"(() => {{ const key = {key}; if (window.__gkCookie === key) return; window.__gkCookie = key;"
        f" fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', cache: 'no-store',"
        f" headers: {{{json.dumps(header)}: {json.dumps(value)}}}}}); }})();"
    )


def sync_cookie() -> None:
    """Have the browser store the login's HttpOnly cookie (or, after logout, delete it)."""
    handoff = st.session_state.get("cookie_handoff")
    logged_out = st.session_state.get("logged_out")
    if handoff and handoff[1] > time.monotonic() and CODE_SHAPE.fullmatch(handoff[0]):
        script = _post(SESSION_PATH, HANDOFF_HEADER, handoff[0], "")
    elif logged_out:
        script = _post(LOGOUT_PATH, LOGOUT_HEADER, "1", st.session_state.get("logout_nonce", ""))
    else:
        return
    with st.sidebar:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True, width=1)
