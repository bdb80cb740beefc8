"""serve.py's two cookie routes: a login's one-time code is traded, once, for an HttpOnly,
SameSite=Strict cookie (Secure behind HTTPS) that lasts as long as the login; logout ends the
login on the server and deletes the cookie; requests not from a page of this site get nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.requests import Request

from dashboard import cookie_routes
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit
from data_access.write import auth


@pytest.fixture
def started(empty_sqlite, monkeypatch, fast_hashing):
    """A login of `wang` just made (SESSION_HOURS 8) on a database the routes use."""
    monkeypatch.setenv("DATABASE_URL", empty_sqlite.url.render_as_string(hide_password=False))
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    with db.write_session(empty_sqlite) as s:
        s.add(OrgUnit(code="jinjiang", name="晋江市", level="city"))
    with db.write_session(empty_sqlite) as s:
        principal, _ = auth.create_user(
            s, "wang", role="staff", unit_code="jinjiang", password="pass-word-1", actor=OPERATOR
        )
        return auth.start_session(s, principal, hours=8)


def _post(path: str, headers: dict[str, str], cookie: str | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    if cookie is not None:
        raw.append((b"cookie", f"gk_session={cookie}".encode()))
    return Request({"type": "http", "method": "POST", "path": path, "headers": raw, "query_string": b""})


def _ours(scheme: str = "http", **extra: str) -> dict[str, str]:
    return {"Host": "gk.example.gov.cn", "Origin": f"{scheme}://gk.example.gov.cn", **extra}


def _who(engine, token):  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        return auth.principal_from_token(s, token, auth.existing_session_secret(s))


def test_the_code_is_traded_once_for_an_http_only_cookie(started, empty_sqlite):
    response = cookie_routes.store_cookie(_post("/_gk/session", _ours(**{"X-Gk-Handoff": started.handoff})))
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"gk_session={started.token};")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "samesite", "max-age"} <= attributes and "secure" not in attributes
    assert "SameSite=strict" in cookie and "Path=/" in cookie
    max_age = int(cookie.split("Max-Age=")[1].split(";")[0])
    assert 8 * 3600 - 60 <= max_age <= 8 * 3600, "as long as the login"
    assert response.headers["cache-control"] == "no-store"
    again = cookie_routes.store_cookie(_post("/_gk/session", _ours(**{"X-Gk-Handoff": started.handoff})))
    assert again.status_code == 403 and "set-cookie" not in again.headers


def test_behind_https_the_cookie_is_secure(started):
    response = cookie_routes.store_cookie(
        _post("/_gk/session", _ours("https", **{"X-Gk-Handoff": started.handoff}))
    )
    assert "; secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "gk.example.gov.cn", "Origin": "https://evil.example"},  # another site's page
        {"Host": "gk.example.gov.cn"},  # no Origin: not a script's POST from our page
        {"Host": "gk.example.gov.cn", "Origin": "null"},
    ],
)
def test_other_sites_get_nothing(started, headers):
    response = cookie_routes.store_cookie(_post("/_gk/session", {**headers, "X-Gk-Handoff": started.handoff}))
    assert response.status_code == 403 and "set-cookie" not in response.headers
    # The code was not used up by the refused request.
    ok = cookie_routes.store_cookie(_post("/_gk/session", _ours(**{"X-Gk-Handoff": started.handoff})))
    assert ok.status_code == 204


def test_a_code_needs_the_header_and_its_minute(started, monkeypatch):
    missing = cookie_routes.store_cookie(_post("/_gk/session", _ours()))
    assert missing.status_code == 403
    wrong = cookie_routes.store_cookie(_post("/_gk/session", _ours(**{"X-Gk-Handoff": "x" * 43})))
    assert wrong.status_code == 403
    later = auth.audit.local_now() + dt.timedelta(seconds=auth.HANDOFF_SECONDS + 1)
    monkeypatch.setattr(auth.audit, "local_now", lambda: later)
    late = cookie_routes.store_cookie(_post("/_gk/session", _ours(**{"X-Gk-Handoff": started.handoff})))
    assert late.status_code == 403


def test_logout_ends_the_login_and_deletes_the_cookie(started, empty_sqlite):
    assert _who(empty_sqlite, started.token) is not None
    refused = cookie_routes.clear_cookie(_post("/_gk/logout", {"Host": "gk.example.gov.cn"}, started.token))
    assert refused.status_code == 403 and _who(empty_sqlite, started.token) is not None
    response = cookie_routes.clear_cookie(_post("/_gk/logout", _ours(**{"X-Gk-Logout": "1"}), started.token))
    assert response.status_code == 204
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith('gk_session="";') and "max-age=0" in cookie and "httponly" in cookie
    assert _who(empty_sqlite, started.token) is None
