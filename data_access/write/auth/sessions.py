"""Login sessions kept in the database: a login is a row of `login_session`; the browser's cookie
carries a random value the database knows only by its keyed hash (keyed by the session secret), so
logging out ends that login on the server, and a password change or disabling the user ends all of
theirs. A new login's cookie reaches the browser through a one-time handoff code."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules.permissions import Principal
from data_access.store import audit, db
from data_access.store.models import AppMeta, AppUser, LoginSession, OrgUnit
from data_access.write.auth.principals import principal_of

_SECRET_KEY = "session_secret"
# How long the browser has to trade the one-time code for its HttpOnly cookie.
HANDOFF_SECONDS = 60
# How often a login's last_seen_at is brought up to date when a browser restores it.
SEEN_EVERY = dt.timedelta(minutes=10)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _keyed(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _cookie_value(secret: str, handoff: str) -> str:
    """The cookie a one-time code is traded for: only a holder of the secret can work it out."""
    return _b64(hmac.new(secret.encode(), f"cookie:{handoff}".encode(), hashlib.sha256).digest())


@dataclass(frozen=True)
class StartedSession:
    """A login session: the cookie's value (the server keeps it in the browser's session, never
    in the database), the one-time code the browser trades for that cookie, and when it ends."""

    token: str
    handoff: str
    expires_at: dt.datetime


def start_session(
    session: Session,
    principal: Principal,
    *,
    hours: float,
    source: str | None = None,
    now: dt.datetime | None = None,
) -> StartedSession:
    """Open a login session for the user that lasts `hours` (call in a write session)."""
    if hours <= 0:
        raise ValueError("会话时长应大于 0")
    now = now or audit.local_now()
    secret = session_secret(session)
    handoff = secrets.token_urlsafe(32)
    token = _cookie_value(secret, handoff)
    expires = (now + dt.timedelta(hours=hours)).replace(microsecond=0)
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now - dt.timedelta(days=1)))
    session.add(
        LoginSession(
            token_hash=_keyed(secret, "token", token),
            handoff_hash=_keyed(secret, "handoff", handoff),
            handoff_until=now + dt.timedelta(seconds=HANDOFF_SECONDS),
            user_id=principal.id,
            created_at=now,
            last_seen_at=now,
            expires_at=expires,
            source=source[:100] if source else None,
        )
    )
    session.flush()
    return StartedSession(token, handoff, expires)


def redeem_handoff(
    session: Session, handoff: str, *, now: dt.datetime | None = None
) -> StartedSession | None:
    """The cookie a one-time code stands for, once: None when the code is unknown, used, older than
    HANDOFF_SECONDS, or its login has ended (call in a write session)."""
    secret = existing_session_secret(session)
    if not handoff or not secret:
        return None
    now = now or audit.local_now()
    row = session.scalar(
        select(LoginSession)
        .where(LoginSession.handoff_hash == _keyed(secret, "handoff", handoff))
        .with_for_update()
    )
    if row is None:
        return None
    usable = row.handoff_until is not None and row.handoff_until >= now
    row.handoff_hash, row.handoff_until = None, None
    token = _cookie_value(secret, handoff)
    if not usable or row.revoked_at is not None or row.expires_at <= now:
        return None
    if not hmac.compare_digest(_keyed(secret, "token", token), row.token_hash):
        return None
    row.last_seen_at = now
    return StartedSession(token, handoff, row.expires_at)


def principal_from_token(
    session: Session, token: str, secret: str, now: dt.datetime | None = None
) -> Principal | None:
    """The user of a live login session (not ended, not expired, user still active), or None: a
    forged, stale, ended or expired cookie gets the login form. A read."""
    return login_of_token(session, token, secret, now)[0]


def login_of_token(
    session: Session, token: str, secret: str, now: dt.datetime | None = None
) -> tuple[Principal | None, bool]:
    """principal_from_token, and whether the login's last_seen_at is due (session_seen_due), in one
    query: every new browser tab asks both before its page draws. A read."""
    if not token or not secret:
        return None, False
    now = now or audit.local_now()
    found = session.execute(
        select(
            LoginSession.revoked_at, LoginSession.expires_at, LoginSession.last_seen_at, AppUser, OrgUnit.code
        )
        .join(AppUser, AppUser.id == LoginSession.user_id)
        .outerjoin(OrgUnit, OrgUnit.id == AppUser.unit_id)
        .where(LoginSession.token_hash == _keyed(secret, "token", token))
    ).first()
    if found is None:
        return None, False
    revoked_at, expires_at, last_seen_at, user, unit_code = found
    if revoked_at is not None or expires_at <= now or not user.active:
        return None, False
    return principal_of(user, unit_code or ""), last_seen_at < now - SEEN_EVERY


def session_seen_due(session: Session, token: str, secret: str, now: dt.datetime | None = None) -> bool:
    """Whether the login's last_seen_at is older than SEEN_EVERY (a read)."""
    return login_of_token(session, token, secret, now)[1]


def mark_session_seen(session: Session, token: str, *, now: dt.datetime | None = None) -> None:
    """Set the login's last_seen_at to now (call in a write session)."""
    secret = existing_session_secret(session)
    if not token or not secret:
        return
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _keyed(secret, "token", token))
        .values(last_seen_at=now or audit.local_now())
    )


def end_session(
    session: Session, token: str, *, now: dt.datetime | None = None, user_id: int | None = None
) -> bool:
    """End the login a cookie stands for (logout); False when it was not live (or, with
    `user_id`, not that user's)."""
    secret = existing_session_secret(session)
    if not token or not secret:
        return False
    now = now or audit.local_now()
    stmt = update(LoginSession).where(
        LoginSession.token_hash == _keyed(secret, "token", token), LoginSession.revoked_at.is_(None)
    )
    if user_id is not None:
        stmt = stmt.where(LoginSession.user_id == user_id)
    result = session.execute(stmt.values(revoked_at=now))
    return bool(result.rowcount)


def end_user_sessions(
    session: Session, user_id: int, *, keep_token: str | None = None, now: dt.datetime | None = None
) -> int:
    """End every live login of a user (but the one `keep_token` stands for); how many ended."""
    now = now or audit.local_now()
    stmt = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
    secret = existing_session_secret(session)
    if keep_token and secret:
        stmt = stmt.where(LoginSession.token_hash != _keyed(secret, "token", keep_token))
    return int(session.execute(stmt.values(revoked_at=now)).rowcount or 0)


def _stored_secret(session: Session, *, lock: bool = False) -> str | None:
    stmt = select(AppMeta.value).where(AppMeta.key == _SECRET_KEY)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def existing_session_secret(session: Session) -> str | None:
    """SESSION_SECRET or the secret already kept in app_meta; None before the first one is made.

    A read: checking a cookie must not take SQLite's write lock (it would wait behind an upload)."""
    configured = settings.get("SESSION_SECRET")
    if configured:
        if len(configured) < 16:
            raise ValueError("设置 SESSION_SECRET 至少需要 16 个字符")
        return configured
    return _stored_secret(session) or None


def ensure_session_secret(session: Session) -> None:
    """Make the stored secret unless SESSION_SECRET is set or it exists (`python -m data_access init`
    calls this, so that the app never creates it under load; see `session_secret`)."""
    if existing_session_secret(session) is None:
        _create_secret(session)


def session_secret(session: Session) -> str:
    """SESSION_SECRET, or the random secret kept in app_meta (call in a write session).

    `init` creates it (`ensure_session_secret`); a database that skipped `init` gets it at its first
    login. On PostgreSQL and MariaDB that happens in a short transaction of its own, tried again
    when simultaneous first logins deadlock on the new row (MariaDB error 1213), so a deadlock
    never takes the login's own transaction with it. SQLite has one writer at a time: no race.
    """
    existing = existing_session_secret(session)
    if existing:
        return existing
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" or not isinstance(bind, Engine):
        return _create_secret(session)
    return db.retrying(lambda: _secret_in_own_transaction(bind))


def _secret_in_own_transaction(engine: Engine) -> str:
    with db.write_session(engine) as session:
        return _stored_secret(session) or _create_secret(session)


def _create_secret(session: Session) -> str:
    candidate = secrets.token_hex(32)
    try:
        with session.begin_nested():
            session.add(AppMeta(key=_SECRET_KEY, value=candidate))
    except IntegrityError:
        # Another process created it first: a locking read sees its committed row.
        stored = _stored_secret(session, lock=True)
        if not stored:
            raise
        return stored
    return candidate


def record_logout(
    session: Session,
    principal: Principal,
    source: str | None = None,
    *,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """End the login the cookie `token` stands for (when given) and audit the logout.
    Self-service: no permission needed, and it ends only a login of the principal's own."""
    now = now or audit.local_now()
    if token:
        end_session(session, token, now=now, user_id=principal.id)
    audit.record(session, "logout", user=principal, source=source, at=now)
