"""Writes the pages ask for: each opens one transaction through data_access and then lets
every cache see the new data version (pages never open sessions themselves)."""

from __future__ import annotations

from collections.abc import Mapping

from dashboard import resources
from data_access import settings
from data_access.read import letters, public
from data_access.rules import permissions
from data_access.store import audit, db
from data_access.write import auth


def save_screen_playlist(unit: str, entries: list[tuple[str, int, bool]]) -> None:
    """Store the lobby screen's playlist for a unit (raises ValueError with a Chinese message)."""
    with db.write_session(resources.engine()) as session:
        public.save_playlist(session, unit, entries)
    resources.refresh()


def log_in(username: str, password: str, source: str | None) -> tuple[auth.LoginResult, str | None]:
    """Check a login (failures counted and audited); on success also issue a session token."""
    with db.write_session(resources.engine()) as session:
        result = auth.authenticate(session, username, password, source)
        token = None
        if result.ok and result.user is not None:
            token = auth.issue_token(
                result.user, auth.session_secret(session), settings.get_float("SESSION_HOURS")
            )
    return result, token


def principal_from_token(token: str) -> permissions.Principal | None:
    """The principal a session cookie stands for, checked against the database.

    A read session: on SQLite a page load must not wait for the write lock an upload holds.
    Only a database that never made its secret needs a write (and then no cookie can be valid)."""
    with db.read_session(resources.engine()) as session:
        secret = auth.existing_session_secret(session)
        if secret is not None:
            return auth.principal_from_token(session, token, secret)
    with db.write_session(resources.engine()) as session:
        return auth.principal_from_token(session, token, auth.session_secret(session))


def principal_from_header(headers: dict[str, str]) -> permissions.Principal | None:
    """The principal named by the trusted single-sign-on header (TRUSTED_USER_HEADER)."""
    with db.read_session(resources.engine()) as session:
        return auth.principal_from_header(session, headers)


def log_out(principal: permissions.Principal, source: str | None) -> None:
    """Audit a logout."""
    with db.write_session(resources.engine()) as session:
        auth.record_logout(session, principal, source)


def change_own_password(
    principal: permissions.Principal, old: str, new: str, source: str | None
) -> tuple[permissions.Principal, str]:
    """Change the user's own password; returns the refreshed principal and a new token."""
    with db.write_session(resources.engine()) as session:
        updated = auth.change_own_password(session, principal, old, new, source=source)
        token = auth.issue_token(updated, auth.session_secret(session), settings.get_float("SESSION_HOURS"))
    return updated, token


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
) -> tuple[permissions.Principal | None, str | None]:
    """A login through the trusted single-sign-on header (audited); the principal and a session
    token for the cookie, or (None, None) when the header names no active user."""
    with db.write_session(resources.engine()) as s:
        principal = auth.sso_login(s, headers, source)
        if principal is None:
            return None, None
        token = auth.issue_token(principal, auth.session_secret(s), settings.get_float("SESSION_HOURS"))
    return principal, token
