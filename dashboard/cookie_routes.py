"""The two HTTP routes that set and clear the login cookie, served beside the app by serve.py.

Streamlit talks to the browser over a websocket and cannot set a cookie, and a cookie written by
a script cannot be HttpOnly. So a login hands the page a one-time code (valid
auth.HANDOFF_SECONDS); a small script posts it to SESSION_PATH, and the answer sets the cookie
HttpOnly (no script can read it), SameSite=Strict, and Secure when the page came over HTTPS.
LOGOUT_PATH ends the cookie's login on the server too and deletes it.

Both answer only a POST from a page of this site: it must carry the custom header, which a form
or a script of another site cannot send without a CORS permission this server never gives, and
an Origin with this host's name. No Streamlit here: these run outside any script run.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data_access import settings
from data_access.store import audit, db
from data_access.write import auth

COOKIE = "gk_session"
SESSION_PATH = "/_gk/session"
LOGOUT_PATH = "/_gk/logout"
HANDOFF_HEADER = "X-Gk-Handoff"
LOGOUT_HEADER = "X-Gk-Logout"
# What a login's one-time code (secrets.token_urlsafe) and its cookie look like.
CODE_SHAPE = re.compile(r"[A-Za-z0-9_\-]{20,200}")

log = logging.getLogger(__name__)
_ENGINES: dict[str, Engine] = {}


def _engine() -> Engine:
    url = settings.database_url()
    if url not in _ENGINES:
        _ENGINES[url] = db.make_engine(url)
    return _ENGINES[url]


def _from_this_site(request: Request, header: str) -> tuple[bool, bool]:
    """(the request is a script's POST from a page of this site, that page came over HTTPS)."""
    origin = urlsplit(request.headers.get("origin", ""))
    host = urlsplit("//" + request.headers.get("host", "")).hostname
    ok = bool(request.headers.get(header)) and origin.hostname is not None and origin.hostname == host
    return ok, origin.scheme == "https"


def _answer(status: int) -> Response:
    return Response(status_code=status, headers={"Cache-Control": "no-store"})


def store_cookie(request: Request) -> Response:
    """Trade a login's one-time code for its HttpOnly session cookie."""
    ours, https = _from_this_site(request, HANDOFF_HEADER)
    code = request.headers.get(HANDOFF_HEADER, "")
    if not ours or not CODE_SHAPE.fullmatch(code):
        return _answer(403)
    try:
        with db.write_session(_engine()) as session:
            started = auth.redeem_handoff(session, code)
    except SQLAlchemyError:
        log.warning("login cookie not stored: the database could not be written", exc_info=True)
        return _answer(503)
    if started is None:
        return _answer(403)
    response = _answer(204)
    seconds = max(1, int((started.expires_at - audit.local_now()).total_seconds()))
    response.set_cookie(
        COOKIE, started.token, max_age=seconds, path="/", secure=https, httponly=True, samesite="strict"
    )
    return response


def clear_cookie(request: Request) -> Response:
    """End the cookie's login on the server (the page has already, this is a second lock) and delete it."""
    ours, https = _from_this_site(request, LOGOUT_HEADER)
    if not ours:
        return _answer(403)
    token = request.cookies.get(COOKIE, "")
    if CODE_SHAPE.fullmatch(token):
        try:
            with db.write_session(_engine()) as session:
                auth.end_session(session, token)
        except SQLAlchemyError:
            log.warning("logout: the database could not be written", exc_info=True)
    response = _answer(204)
    response.delete_cookie(COOKIE, path="/", secure=https, httponly=True, samesite="strict")
    return response


ROUTES = [
    Route(SESSION_PATH, store_cookie, methods=["POST"]),
    Route(LOGOUT_PATH, clear_cookie, methods=["POST"]),
]
