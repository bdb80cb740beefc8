"""Login, server-side sessions, login throttling, roles and user administration (no Streamlit here).

Passwords are stored as argon2 hashes. A login is a row of `login_session`; the browser's
cookie carries a random value the database knows only by its keyed hash, so logging out ends
that login on the server, and a password change or disabling the user ends all of theirs.
Failed logins are counted per client address (`login_throttle`): past LOGIN_THROTTLE_FAILURES
an address waits 2, 4, 8 ... seconds before it may try again, and no password is checked
meanwhile. Functions that write take the caller's session: run them inside `db.write_session`
so the failure counters and the audit entry commit even when a login is refused. Times are
naive local time (see audit.local_now).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules import permissions
from data_access.rules.permissions import Principal
from data_access.rules.vocab import ROLES
from data_access.store import audit
from data_access.store.models import AppMeta, AppUser, LoginSession, LoginThrottle, OrgUnit

# Roles and what each may do: data_access.rules.permissions (declared once).
LEADER, STAFF, ADMIN = ROLES  # "leader", "staff", "admin"


# ------------------------------------------------------------------ passwords
class AuthError(ValueError):
    """A refused request (bad password, unknown user, ...) with a Chinese message."""


MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
_HASHER = PasswordHasher()
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable (Chinese), or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符"
    if password.isdigit():
        return "密码不能全是数字"
    if not password.strip():
        return "密码不能全是空格"
    return None


def check_password_policy(password: str) -> None:
    """Raise AuthError when a new password breaks the policy."""
    problem = password_problem(password)
    if problem is not None:
        raise AuthError(problem)


def hash_password(password: str) -> str:
    """An argon2 hash of the password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one uses outdated parameters, else None)."""
    try:
        _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, (_HASHER.hash(password) if _HASHER.check_needs_rehash(password_hash) else None)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_hex(16))


def generate_password(length: int = 12) -> str:
    """A random initial password without look-alike characters."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if password_problem(candidate) is None:
            return candidate


def _principal(user: AppUser, unit_code: str) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        unit_id=user.unit_id,
        unit_code=unit_code,
        must_change_password=bool(user.must_change_password),
    )


def _unit_code(session: Session, unit_id: int) -> str:
    return session.scalar(select(OrgUnit.code).where(OrgUnit.id == unit_id)) or ""


def normalize_username(username: str) -> str:
    """Usernames are compared trimmed and in lower case."""
    return username.strip().lower()


# ------------------------------------------------------------------ login
BAD_CREDENTIALS = "用户名或密码不正确"
THROTTLED = "登录尝试过于频繁，请 {seconds} 秒后再试"
# The throttle's key for a request whose client address is unknown (this machine, no proxy).
LOCAL_ADDRESS = "local"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user when ok, and a Chinese message."""

    ok: bool
    user: Principal | None
    message: str


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return f"账户已锁定，请 {minutes} 分钟后再试"


def _seconds_until(until: dt.datetime | None, now: dt.datetime) -> int:
    return max(0, math.ceil((until - now).total_seconds())) if until is not None else 0


def _address(source: str | None) -> str:
    return (source or LOCAL_ADDRESS)[:100]


def login_wait(session: Session, source: str | None, *, now: dt.datetime | None = None) -> int:
    """Seconds the client address must still wait before its next login attempt (0: none).

    A plain read: a refused attempt writes nothing, so a flood of them costs no writes."""
    blocked = session.scalar(
        select(LoginThrottle.blocked_until).where(LoginThrottle.address == _address(source))
    )
    return _seconds_until(blocked, now or audit.local_now())


def _count_failure(
    session: Session, source: str | None, now: dt.datetime, *, block: dt.timedelta | None = None
) -> str:
    """Count a failed login against the client address; past LOGIN_THROTTLE_FAILURES within the
    window the address waits 2^n seconds (n = failures over the limit, at most the window), and
    `block` makes it wait at least that long. Returns what to add to the audit detail ('' when
    the address need not wait)."""
    address = _address(source)
    try:
        # Insert first, then lock the row: a locking read of a missing row would take a gap lock
        # on MariaDB, and two such readers inserting deadlock.
        with session.begin_nested():
            session.add(LoginThrottle(address=address, failures=0, last_failure_at=now))
    except IntegrityError:
        pass
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.address == address).with_for_update())
    if row is None:  # pragma: no cover - the row was inserted or already there
        return ""
    window = dt.timedelta(minutes=max(0, settings.get_int("LOGIN_THROTTLE_WINDOW_MINUTES")))
    quiet_since = max(row.last_failure_at, row.blocked_until or row.last_failure_at)
    if now - quiet_since >= window:
        row.failures = 0
    row.failures = (row.failures or 0) + 1
    row.last_failure_at = now
    wait = dt.timedelta(0)
    limit = settings.get_int("LOGIN_THROTTLE_FAILURES")
    if 0 < limit <= row.failures:
        over = row.failures - limit + 1
        wait = min(dt.timedelta(seconds=2 ** min(over, 30)), window)
    if block is not None:
        wait = max(wait, block)
    if wait <= dt.timedelta(0):
        return ""
    row.blocked_until = max(row.blocked_until or now, now + wait)
    # Addresses quiet for a day are forgotten.
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - dt.timedelta(days=1),
            (LoginThrottle.blocked_until.is_(None)) | (LoginThrottle.blocked_until < now),
        )
    )
    return f"；该地址近期第 {row.failures} 次登录失败，暂停登录 {_seconds_until(row.blocked_until, now)} 秒"


def authenticate(
    session: Session,
    username: str,
    password: str,
    source: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a login and audit it. An address that must wait (see `login_wait`) is refused before
    anything is checked or counted; otherwise failures count against the address and the account,
    which locks after LOGIN_MAX_FAILURES. An admin account never locks: past LOGIN_MAX_FAILURES
    each wrong password blocks the address it came from for LOGIN_LOCK_MINUTES instead, so
    guessing cannot lock the administrators out."""
    now = now or audit.local_now()
    wait = login_wait(session, source, now=now)
    if wait:
        return LoginResult(False, None, THROTTLED.format(seconds=wait))

    def refused(fallback: str) -> LoginResult:
        wait = login_wait(session, source, now=now)
        return LoginResult(False, None, THROTTLED.format(seconds=wait) if wait else fallback)

    name = normalize_username(username)
    user = session.scalar(select(AppUser).where(AppUser.username == name).with_for_update())
    if user is None:
        verify_password(_dummy_hash(), password)  # same time as a known user
        note = _count_failure(session, source, now)
        audit.record(
            session, "login_failed", username=name, detail="用户名不存在" + note, source=source, at=now
        )
        return refused(BAD_CREDENTIALS)
    if user.role != ADMIN and user.locked_until is not None and user.locked_until > now:
        note = _count_failure(session, source, now)
        audit.record(
            session, "login_locked", user=user, detail="锁定期间尝试登录" + note, source=source, at=now
        )
        return LoginResult(False, None, _locked_message(user.locked_until, now))
    ok, new_hash = verify_password(user.password_hash, password)
    if not ok:
        user.failed_attempts = (user.failed_attempts or 0) + 1
        limit = settings.get_int("LOGIN_MAX_FAILURES")
        minutes = settings.get_int("LOGIN_LOCK_MINUTES")
        over_limit = 0 < limit <= user.failed_attempts
        if over_limit and user.role == ADMIN:
            note = _count_failure(session, source, now, block=dt.timedelta(minutes=minutes))
            detail = f"密码错误（连续第 {user.failed_attempts} 次）；管理员账户不锁定" + note
            audit.record(session, "login_failed", user=user, detail=detail, source=source, at=now)
            return refused(BAD_CREDENTIALS)
        note = _count_failure(session, source, now)
        detail = f"密码错误（连续第 {user.failed_attempts} 次）" + note
        audit.record(session, "login_failed", user=user, detail=detail, source=source, at=now)
        if over_limit:
            user.locked_until = now + dt.timedelta(minutes=minutes)
            user.failed_attempts = 0
            detail = f"连续 {limit} 次密码错误，锁定 {minutes} 分钟"
            audit.record(session, "login_locked", user=user, detail=detail, source=source, at=now)
            return LoginResult(False, None, _locked_message(user.locked_until, now))
        return refused(BAD_CREDENTIALS)
    if not user.active:
        note = _count_failure(session, source, now)
        audit.record(session, "login_failed", user=user, detail="账户已停用" + note, source=source, at=now)
        return LoginResult(False, None, "账户已停用，请联系管理员")
    if new_hash is not None:
        user.password_hash = new_hash
    user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
    audit.record(session, "login_ok", user=user, source=source, at=now)
    return LoginResult(True, _principal(user, _unit_code(session, user.unit_id)), "登录成功")


def record_logout(
    session: Session,
    principal: Principal,
    source: str | None = None,
    *,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """End the login the cookie `token` stands for (when given) and audit the logout."""
    now = now or audit.local_now()
    if token:
        end_session(session, token, now=now)
    audit.record(session, "logout", user=principal, source=source, at=now)


def principal_for_username(session: Session, username: str) -> Principal | None:
    """The active user with this username, or None."""
    user = session.scalar(select(AppUser).where(AppUser.username == normalize_username(username)))
    if user is None or not user.active:
        return None
    return _principal(user, _unit_code(session, user.unit_id))


def sso_username(headers: Mapping[str, str]) -> str | None:
    """The username the trusted single-sign-on header (TRUSTED_USER_HEADER) carries; None when off or absent."""
    header = settings.get("TRUSTED_USER_HEADER").lower()
    if not header:
        return None
    value = next((v for k, v in headers.items() if k.lower() == header), "")
    return normalize_username(value) or None


def principal_from_header(session: Session, headers: Mapping[str, str]) -> Principal | None:
    """The user named by TRUSTED_USER_HEADER (single sign-on proxy); None when off or unknown."""
    name = sso_username(headers)
    return principal_for_username(session, name) if name else None


def sso_login(
    session: Session,
    headers: Mapping[str, str],
    source: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> Principal | None:
    """A login through the single-sign-on header, audited like a password login (success or
    failure); None when the header is off or absent, or names no active user."""
    name = sso_username(headers)
    if name is None:
        return None
    now = now or audit.local_now()
    via = f"单点登录（{settings.get('TRUSTED_USER_HEADER')}）"
    user = session.scalar(select(AppUser).where(AppUser.username == name).with_for_update())
    if user is None or not user.active:
        why = "用户名不存在" if user is None else "账户已停用"
        audit.record(
            session,
            "login_failed",
            user=user,
            username=name[:60],
            detail=f"{via}：{why}",
            source=source,
            at=now,
        )
        return None
    user.last_login_at = now
    audit.record(session, "login_ok", user=user, detail=via, source=source, at=now)
    return _principal(user, _unit_code(session, user.unit_id))


# ------------------------------------------------------------------ sessions
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


def _live_session(session: Session, token: str, secret: str, now: dt.datetime) -> LoginSession | None:
    if not token or not secret:
        return None
    row = session.scalar(
        select(LoginSession).where(LoginSession.token_hash == _keyed(secret, "token", token))
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def principal_from_token(
    session: Session, token: str, secret: str, now: dt.datetime | None = None
) -> Principal | None:
    """The user of a live login session (not ended, not expired, user still active), or None: a
    forged, stale, ended or expired cookie gets the login form. A read."""
    row = _live_session(session, token, secret, now or audit.local_now())
    if row is None:
        return None
    user = session.get(AppUser, row.user_id)
    if user is None or not user.active:
        return None
    return _principal(user, _unit_code(session, user.unit_id))


def session_seen_due(session: Session, token: str, secret: str, now: dt.datetime | None = None) -> bool:
    """Whether the login's last_seen_at is older than SEEN_EVERY (a read)."""
    now = now or audit.local_now()
    row = _live_session(session, token, secret, now)
    return row is not None and row.last_seen_at < now - SEEN_EVERY


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


def end_session(session: Session, token: str, *, now: dt.datetime | None = None) -> bool:
    """End the login a cookie stands for (logout); False when it was not live."""
    secret = existing_session_secret(session)
    if not token or not secret:
        return False
    now = now or audit.local_now()
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _keyed(secret, "token", token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
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


def session_secret(session: Session) -> str:
    """SESSION_SECRET, or the random secret kept in app_meta (created once; call in a write session)."""
    existing = existing_session_secret(session)
    if existing:
        return existing
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


# ------------------------------------------------------------------ administration
_USERNAME = re.compile(r"[a-z0-9][a-z0-9_.-]{1,59}")


@dataclass(frozen=True)
class UserInfo:
    """One user as the admin page lists it."""

    id: int
    username: str
    display_name: str
    role: str
    unit_code: str
    unit_name: str
    active: bool
    must_change_password: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    created_at: dt.datetime | None


def _user_or_error(session: Session, username: str) -> AppUser:
    name = normalize_username(username)
    user = session.scalar(select(AppUser).where(AppUser.username == name).with_for_update())
    if user is None:
        raise AuthError(f"用户 {name} 不存在")
    return user


def create_user(
    session: Session,
    username: str,
    *,
    role: str,
    unit_code: str,
    display_name: str | None = None,
    password: str | None = None,
    must_change_password: bool = True,
    actor: Principal | None = None,
    source: str | None = None,
) -> tuple[Principal, str]:
    """Add a user; returns it and its password (a random one when none is given)."""
    name = normalize_username(username)
    if not _USERNAME.fullmatch(name):
        raise AuthError("用户名只能由字母、数字、下划线、点和连字符组成，以字母或数字开头，长度 2–60")
    if role not in ROLES:
        raise AuthError(f"角色应为 leader（领导）、staff（工作人员）或 admin（管理员），而不是 {role!r}")
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        raise AuthError(f"单位代码 {unit_code} 不存在")
    shown = (display_name or "").strip() or name
    if len(shown) > 60:
        raise AuthError("显示名不能超过 60 个字符")
    if password is None:
        password = generate_password()
    else:
        check_password_policy(password)
    if session.scalar(select(AppUser.id).where(AppUser.username == name)) is not None:
        raise AuthError(f"用户名 {name} 已存在")
    user = AppUser(
        username=name,
        display_name=shown,
        password_hash=hash_password(password),
        role=role,
        unit_id=unit.id,
        active=True,
        must_change_password=must_change_password,
        failed_attempts=0,
    )
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        raise AuthError(f"用户名 {name} 已存在") from None
    detail = f"新建用户 {name}（{permissions.ROLE_LABELS[role]}，{unit.name}）"
    audit.record(session, "user_change", user=actor, detail=detail, source=source)
    return _principal(user, unit.code), password


def set_password(
    session: Session,
    username: str,
    new_password: str,
    *,
    actor: Principal | None = None,
    source: str | None = None,
    keep_token: str | None = None,
) -> Principal:
    """Set a password and unlock, ending every login of the user but the one `keep_token` stands
    for (the session of a user who set it themself); the user must change it at next login
    unless they set it themself."""
    user = _user_or_error(session, username)
    check_password_policy(new_password)
    by_self = actor is not None and actor.id == user.id
    user.password_hash = hash_password(new_password)
    user.must_change_password = not by_self
    user.failed_attempts, user.locked_until = 0, None
    end_user_sessions(session, user.id, keep_token=keep_token if by_self else None)
    detail = "修改本人密码" if by_self else f"重置用户 {user.username} 的密码"
    audit.record(session, "user_change", user=actor, detail=detail, source=source)
    return _principal(user, _unit_code(session, user.unit_id))


def change_own_password(
    session: Session,
    principal: Principal,
    old_password: str,
    new_password: str,
    *,
    source: str | None = None,
    keep_token: str | None = None,
) -> Principal:
    """The logged-in user changes their password; their other logins end, the one `keep_token`
    stands for goes on. Returns the refreshed principal."""
    user = session.get(AppUser, principal.id)
    if user is None or not user.active:
        raise AuthError("账户不存在或已停用")
    if not verify_password(user.password_hash, old_password)[0]:
        raise AuthError("原密码不正确")
    if old_password == new_password:
        raise AuthError("新密码不能与原密码相同")
    return set_password(
        session, user.username, new_password, actor=principal, source=source, keep_token=keep_token
    )


def _active_admins(session: Session) -> int:
    stmt = select(func.count()).select_from(AppUser).where(AppUser.role == ADMIN, AppUser.active.is_(True))
    return int(session.scalar(stmt) or 0)


def disable_user(
    session: Session, username: str, *, actor: Principal | None = None, source: str | None = None
) -> bool:
    """Disable a user (ends their sessions); False when already disabled."""
    user = _user_or_error(session, username)
    if not user.active:
        return False
    if actor is not None and actor.id == user.id:
        raise AuthError("不能停用自己的账户")
    if user.role == ADMIN and _active_admins(session) <= 1:
        raise AuthError("这是唯一启用的管理员账户，不能停用")
    user.active = False
    end_user_sessions(session, user.id)
    audit.record(session, "user_change", user=actor, detail=f"停用用户 {user.username}", source=source)
    return True


def enable_user(
    session: Session, username: str, *, actor: Principal | None = None, source: str | None = None
) -> bool:
    """Enable a disabled user and clear any lock; False when already enabled."""
    user = _user_or_error(session, username)
    if user.active:
        return False
    user.active, user.failed_attempts, user.locked_until = True, 0, None
    audit.record(session, "user_change", user=actor, detail=f"启用用户 {user.username}", source=source)
    return True


def list_users(session: Session) -> list[UserInfo]:
    """Every user, by username."""
    rows = session.execute(
        select(AppUser, OrgUnit.code, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == AppUser.unit_id)
        .order_by(AppUser.username)
    )
    return [
        UserInfo(
            u.id,
            u.username,
            u.display_name,
            u.role,
            code,
            unit_name,
            bool(u.active),
            bool(u.must_change_password),
            u.locked_until,
            u.last_login_at,
            u.created_at,
        )
        for u, code, unit_name in rows
    ]


def ensure_first_admin(session: Session) -> str | None:
    """Create `admin` in the root unit when no real admin exists yet; return its password to print once.

    The demo accounts (demo_*) do not count: a fresh embedded install with the demo loaded
    still gets its own `admin`, whose password only the person who installed it has seen.
    """
    real_admin = select(AppUser.id).where(
        AppUser.role == ADMIN, ~AppUser.username.startswith("demo_", autoescape=True)
    )
    if session.scalar(real_admin.limit(1)) is not None:
        return None
    root = session.scalar(
        select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.sort_order, OrgUnit.id).limit(1)
    )
    if root is None:
        return None
    configured = settings.get("ADMIN_INITIAL_PASSWORD") or None
    if configured is not None and (problem := password_problem(configured)):
        raise AuthError(f"设置 ADMIN_INITIAL_PASSWORD 不符合密码规则：{problem}")
    try:
        _, password = create_user(
            session,
            "admin",
            role=ADMIN,
            unit_code=root.code,
            display_name="系统管理员",
            password=configured,
            source="首次启动",
        )
    except AuthError:
        # Another replica created it at the same moment.
        if (
            session.scalar(select(AppUser.id).where(AppUser.username == "admin").with_for_update())
            is not None
        ):
            return None
        raise
    return password
