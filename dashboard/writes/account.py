"""Writes the pages ask for: each opens one transaction through data_access and then lets
every cache see the new data version (pages never open sessions themselves)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard.reads import cache as resources
from data_access import settings
from data_access.read import letters, public
from data_access.rules import permissions
from data_access.store import audit, db
from data_access.write import auth

log = logging.getLogger(__name__)


def save_screen_playlist(unit: str, entries: list[tuple[str, int, bool]]) -> None:
    """Store the lobby screen's playlist for a unit (raises ValueError with a Chinese message)."""
    with db.write_session(resources.engine()) as session:
        public.save_playlist(session, unit, entries)
    resources.refresh()


def log_in(
    username: str, password: str, source: str | None
) -> tuple[auth.LoginResult, auth.StartedSession | None]:
    """Check a login (throttled, failures counted and audited); on success also open its session.

    An address that must wait is answered from a read first: a flood of refused attempts takes no
    write lock (on SQLite it would queue behind uploads and hold up other writers)."""
    with db.read_session(resources.engine()) as session:
        wait = auth.login_wait(session, source)
    if wait:
        return auth.LoginResult(False, None, auth.THROTTLED.format(seconds=wait)), None
    with db.write_session(resources.engine()) as session:
        result = auth.authenticate(session, username, password, source)
        started = None
        if result.ok and result.user is not None:
            started = auth.start_session(
                session, result.user, hours=settings.get_float("SESSION_HOURS"), source=source
            )
    return result, started


def principal_from_token(token: str) -> permissions.Principal | None:
    """The user of the live login a session cookie stands for, or None (forged, ended, expired).

    A read session: on SQLite a page load must not wait for the write lock an upload holds. The
    login's last_seen_at, when due, is brought up to date on another thread for the same reason."""
    with db.read_session(resources.engine()) as session:
        secret = auth.existing_session_secret(session)
        if secret is None:  # no login was ever made on this database
            return None
        principal = auth.principal_from_token(session, token, secret)
        due = principal is not None and auth.session_seen_due(session, token, secret)
    if due:
        _SEEN.submit(_mark_seen, resources.engine(), token)
    return principal


# One thread, so marking logins seen never takes more than one connection or queues writers.
_SEEN = ThreadPoolExecutor(max_workers=1, thread_name_prefix="login-seen")


def _mark_seen(engine: Engine, token: str) -> None:
    try:
        with db.write_session(engine) as session:
            auth.mark_session_seen(session, token)
    except SQLAlchemyError:
        log.info("login not marked seen: the database could not be written", exc_info=True)


def principal_from_header(headers: dict[str, str]) -> permissions.Principal | None:
    """The principal named by the trusted single-sign-on header (TRUSTED_USER_HEADER)."""
    with db.read_session(resources.engine()) as session:
        return auth.principal_from_header(session, headers)


def log_out(principal: permissions.Principal, token: str | None, source: str | None) -> None:
    """End the login the session cookie `token` stands for, on the server, and audit the logout."""
    with db.write_session(resources.engine()) as session:
        auth.record_logout(session, principal, source, token=token)


def change_own_password(
    principal: permissions.Principal, old: str, new: str, source: str | None, token: str | None
) -> permissions.Principal:
    """Change the user's own password, ending their other logins (this one, `token`, goes on);
    returns the refreshed principal."""
    with db.write_session(resources.engine()) as session:
        return auth.change_own_password(session, principal, old, new, source=source, keep_token=token)


def record_export(principal: permissions.Principal, detail: str, source: str | None) -> None:
    """Audit an export that carries personal data."""
    with db.write_session(resources.engine()) as session:
        audit.record(session, "export_personal", user=principal, detail=detail, source=source)


def build_letter(
    unit: str, request_no: str, kind: str, principal: permissions.Principal, source: str | None
) -> letters.Letter:
    """A statutory letter for a request (audited; raises LetterError with a Chinese message)."""
    with db.write_session(resources.engine()) as session:
        return letters.build(session, unit, request_no, kind, username=principal.username, source=source)


def sso_login(
    headers: Mapping[str, str], source: str | None
) -> tuple[permissions.Principal | None, auth.StartedSession | None]:
    """A login through the trusted single-sign-on header (audited); the principal and its new
    login session (for the cookie), or (None, None) when the header names no active user."""
    with db.write_session(resources.engine()) as s:
        principal = auth.sso_login(s, headers, source)
        if principal is None:
            return None, None
        started = auth.start_session(s, principal, hours=settings.get_float("SESSION_HOURS"), source=source)
    return principal, started
