"""Logins and the user's own account: log in (password or single sign-on), restore a login from
its cookie, log out, change one's password.

The three that establish who is acting — log_in, sso_login, principal_from_token — are the only
writes of dashboard/writes that take no Principal (there is none yet); dashboard/session.py is
their one caller.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard.reads.cache import engine
from data_access import settings
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.write import auth

log = logging.getLogger(__name__)


def log_in(
    username: str, password: str, source: str | None
) -> tuple[auth.LoginResult, auth.StartedSession | None]:
    """Check a login (throttled, failures counted and audited); on success also open its session.

    An address that must wait is answered from a read first: a flood of refused attempts takes no
    write lock (on SQLite it would queue behind uploads and hold up other writers)."""
    with db.read_session(engine()) as session:
        wait = auth.login_wait(session, source)
    if wait:
        return auth.LoginResult(False, None, auth.THROTTLED.format(seconds=wait)), None
    with db.write_session(engine()) as session:
        result = auth.authenticate(session, username, password, source)
        started = None
        if result.ok and result.user is not None:
            started = auth.start_session(
                session, result.user, hours=settings.get_float("SESSION_HOURS"), source=source
            )
    return result, started


def principal_from_token(token: str) -> Principal | None:
    """The user of the live login a session cookie stands for, or None (forged, ended, expired).

    A read session: on SQLite a page load must not wait for the write lock an upload holds. The
    login's last_seen_at, when due, is brought up to date on another thread for the same reason."""
    with db.read_session(engine()) as session:
        secret = auth.existing_session_secret(session)
        if secret is None:  # no login was ever made on this database
            return None
        principal, due = auth.login_of_token(session, token, secret)
    if due:
        _SEEN.submit(_mark_seen, engine(), token)
    return principal


# One thread, so marking logins seen never takes more than one connection or queues writers.
_SEEN = ThreadPoolExecutor(max_workers=1, thread_name_prefix="login-seen")


def _mark_seen(engine: Engine, token: str) -> None:
    try:
        with db.write_session(engine) as session:
            auth.mark_session_seen(session, token)
    except SQLAlchemyError:
        log.info("login not marked seen: the database could not be written", exc_info=True)


def sso_login(
    headers: Mapping[str, str], source: str | None
) -> tuple[Principal | None, auth.StartedSession | None]:
    """A login through the trusted single-sign-on header (audited); the principal and its new
    login session (for the cookie), or (None, None) when the header names no active user."""
    with db.write_session(engine()) as s:
        principal = auth.sso_login(s, headers, source)
        if principal is None:
            return None, None
        started = auth.start_session(s, principal, hours=settings.get_float("SESSION_HOURS"), source=source)
    return principal, started


def log_out(who: Principal, token: str | None, *, source: str | None) -> None:
    """End the login the session cookie `token` stands for, on the server, and audit the logout."""
    with db.write_session(engine()) as session:
        auth.record_logout(session, who, source, token=token)


def change_own_password(
    who: Principal, old: str, new: str, *, source: str | None, keep_token: str | None
) -> Principal:
    """Change the user's own password, ending their other logins (this one, `keep_token`, goes
    on); returns the refreshed principal (raises auth.AuthError with a Chinese message)."""
    with db.write_session(engine()) as session:
        return auth.change_own_password(session, who, old, new, source=source, keep_token=keep_token)


def reminder_email(who: Principal) -> str | None:
    """The address the user's reminders are e-mailed to (None: not set)."""
    with db.read_session(engine()) as session:
        return auth.own_email(session, who)


def set_reminder_email(who: Principal, email: str, *, source: str | None) -> bool:
    """Set (empty: clear) the user's own reminder address; False when unchanged (raises
    auth.AuthError with a Chinese message for a malformed one)."""
    with db.write_session(engine()) as session:
        return auth.set_own_email(session, who, email, source=source)
