"""Who is using this browser: login, the signed cookie that survives a reload, logout.

The token is HMAC-signed and expiring (data_access.write.auth); it lives in a cookie set by a
small script, because Streamlit can read request cookies but not set them. Pages ask
`current()` for the principal; they never see passwords or tokens.
"""

from __future__ import annotations

import ipaddress
import re

import streamlit as st

from dashboard import actions
from data_access import settings
from data_access.rules.permissions import Principal
from data_access.write import auth

COOKIE = "gk_session"
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-.]{20,2000}")


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
        return principal
    if st.session_state.get("logged_out"):
        return None
    principal = None
    token = st.context.cookies.get(COOKIE)
    if isinstance(token, str) and _TOKEN_SHAPE.fullmatch(token):
        principal = actions.principal_from_token(token)
        if principal is not None:
            st.session_state["token"] = token
    if settings.get("TRUSTED_USER_HEADER"):
        principal = _single_sign_on(principal)
    if principal is not None:
        st.session_state["principal"] = principal
    return principal


def _single_sign_on(from_cookie: Principal | None) -> Principal | None:
    """The user the trusted proxy names wins over the cookie; a new single-sign-on login is audited
    and gets a cookie, so reloading the page does not log it again."""

    headers = dict(st.context.headers)
    named = auth.sso_username(headers)
    if named is None or (from_cookie is not None and from_cookie.username == named):
        return from_cookie
    principal, token = actions.sso_login(headers, source())
    if principal is None:
        st.session_state.pop("token", None)
        return None
    st.session_state["token"] = token
    return principal


def log_in(username: str, password: str) -> str | None:
    """Try to log in; on success remember the principal and token and return None, else the message."""
    result, token = actions.log_in(username, password, source())
    if not result.ok or result.user is None or token is None:
        return result.message
    st.session_state.pop("logged_out", None)
    st.session_state["principal"] = result.user
    st.session_state["token"] = token
    return None


def replace_principal(principal: Principal, token: str) -> None:
    """After a password change: the new principal and its new token."""
    st.session_state["principal"] = principal
    st.session_state["token"] = token


def log_out() -> None:
    """Forget the login in this session and, through the cookie script, in the browser."""
    principal = st.session_state.get("principal")
    if principal is not None:
        actions.log_out(principal, source())
    for key in ("principal", "token"):
        st.session_state.pop(key, None)
    st.session_state["logged_out"] = True


def sync_cookie() -> None:
    """Write (or, after logout, delete) the session cookie in the browser."""
    token = st.session_state.get("token")
    if token and _TOKEN_SHAPE.fullmatch(token):
        # The cookie lives as long as the token it carries (SESSION_HOURS); the token's own expiry,
        # checked on the server, is what counts.
        # Served over HTTPS (a proxy terminating TLS), the cookie is also marked Secure.
        seconds = max(60, round(settings.get_float("SESSION_HOURS") * 3600))
        script = (
            f"document.cookie = '{COOKIE}={token}; path=/; SameSite=Strict; max-age={seconds}'"
            " + (location.protocol === 'https:' ? '; Secure' : '');"
        )
    elif st.session_state.get("logged_out"):
        script = f"document.cookie = '{COOKIE}=; path=/; SameSite=Strict; max-age=0';"
    else:
        return
    with st.sidebar:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True, width=1)
