"""Login, session tokens, roles and user administration (no Streamlit here).

Passwords are stored as argon2 hashes. A login token is `v1.<payload>.<HMAC-SHA256>`;
its payload carries the user and a fingerprint of the password hash, so changing
the password (or disabling the user, checked against the database) ends every old
session. Functions that write take the caller's session: run them inside
`db.write_session` so the failure counter and the audit entry commit even when a
login is refused. Times are naive local time (see audit.local_now).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules import permissions
from data_access.rules.permissions import Principal
from data_access.rules.vocab import ROLES
from data_access.store import audit
from data_access.store.models import AppMeta, AppUser, OrgUnit

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


def session_key(password_hash: str) -> str:
    """Fingerprint of a password hash; a token is valid only while it matches."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _principal(user: AppUser, unit_code: str) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        unit_id=user.unit_id,
        unit_code=unit_code,
        must_change_password=bool(user.must_change_password),
        session_key=session_key(user.password_hash),
    )


def _unit_code(session: Session, unit_id: int) -> str:
    return session.scalar(select(OrgUnit.code).where(OrgUnit.id == unit_id)) or ""


def normalize_username(username: str) -> str:
    """Usernames are compared trimmed and in lower case."""
    return username.strip().lower()


# ------------------------------------------------------------------ login
BAD_CREDENTIALS = "用户名或密码不正确"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user when ok, and a Chinese message."""

    ok: bool
    user: Principal | None
    message: str


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return f"账户已锁定，请 {minutes} 分钟后再试"


def authenticate(
    session: Session,
    username: str,
    password: str,
    source: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a login, count failures, lock after LOGIN_MAX_FAILURES, audit every attempt."""
    now = now or audit.local_now()
    name = normalize_username(username)
    user = session.scalar(select(AppUser).where(AppUser.username == name).with_for_update())
    if user is None:
        verify_password(_dummy_hash(), password)  # same time as a known user
        audit.record(session, "login_failed", username=name, detail="用户名不存在", source=source, at=now)
        return LoginResult(False, None, BAD_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, "login_locked", user=user, detail="锁定期间尝试登录", source=source, at=now)
        return LoginResult(False, None, _locked_message(user.locked_until, now))
    ok, new_hash = verify_password(user.password_hash, password)
    if not ok:
        user.failed_attempts = (user.failed_attempts or 0) + 1
        audit.record(
            session,
            "login_failed",
            user=user,
            detail=f"密码错误（连续第 {user.failed_attempts} 次）",
            source=source,
            at=now,
        )
        limit = settings.get_int("LOGIN_MAX_FAILURES")
        if 0 < limit <= user.failed_attempts:
            minutes = settings.get_int("LOGIN_LOCK_MINUTES")
            user.locked_until = now + dt.timedelta(minutes=minutes)
            user.failed_attempts = 0
            detail = f"连续 {limit} 次密码错误，锁定 {minutes} 分钟"
            audit.record(session, "login_locked", user=user, detail=detail, source=source, at=now)
            return LoginResult(False, None, _locked_message(user.locked_until, now))
        return LoginResult(False, None, BAD_CREDENTIALS)
    if not user.active:
        audit.record(session, "login_failed", user=user, detail="账户已停用", source=source, at=now)
        return LoginResult(False, None, "账户已停用，请联系管理员")
    if new_hash is not None:
        user.password_hash = new_hash
    user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
    audit.record(session, "login_ok", user=user, source=source, at=now)
    return LoginResult(True, _principal(user, _unit_code(session, user.unit_id)), "登录成功")


def record_logout(session: Session, principal: Principal, source: str | None = None) -> None:
    """Audit a logout (the caller forgets the token)."""
    audit.record(session, "logout", user=principal, source=source)


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


# ------------------------------------------------------------------ tokens
_TOKEN_VERSION = "v1"
_SECRET_KEY = "session_secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode("ascii"), hashlib.sha256).digest())


def issue_token(principal: Principal, secret: str, hours: float, *, now: dt.datetime | None = None) -> str:
    """A signed token for the user that expires after `hours`."""
    if not secret:
        raise ValueError("会话密钥为空")
    issued = int((now or audit.local_now()).timestamp())
    payload = {
        "id": principal.id,
        "u": principal.username,
        "n": principal.display_name,
        "r": principal.role,
        "ui": principal.unit_id,
        "uc": principal.unit_code,
        "m": principal.must_change_password,
        "k": principal.session_key,
        "exp": issued + int(hours * 3600),
    }
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    body = f"{_TOKEN_VERSION}.{_b64(raw)}"
    return f"{body}.{_signature(secret, body)}"


def verify_token(token: str, secret: str, now: dt.datetime | None = None) -> Principal | None:
    """The principal a token was issued for, or None when forged, malformed or expired."""
    if not token or not secret:
        return None
    try:
        version, data, signature = token.split(".")
        body = f"{version}.{data}"
        if version != _TOKEN_VERSION or not hmac.compare_digest(
            _signature(secret, body).encode(), signature.encode()
        ):
            return None
        p = json.loads(_unb64(data))
        principal = Principal(
            int(p["id"]),
            str(p["u"]),
            str(p["n"]),
            str(p["r"]),
            int(p["ui"]),
            str(p["uc"]),
            bool(p["m"]),
            str(p["k"]),
        )
        expires = int(p["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    return principal if expires > (now or audit.local_now()).timestamp() else None


def principal_from_token(
    session: Session, token: str, secret: str, now: dt.datetime | None = None
) -> Principal | None:
    """The current principal for a token, checked against the database (active, same password)."""
    claimed = verify_token(token, secret, now)
    if claimed is None:
        return None
    user = session.get(AppUser, claimed.id)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(session_key(user.password_hash), claimed.session_key):
        return None
    return _principal(user, _unit_code(session, user.unit_id))


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
) -> Principal:
    """Set a password and unlock; the user must change it at next login unless they set it themself."""
    user = _user_or_error(session, username)
    check_password_policy(new_password)
    by_self = actor is not None and actor.id == user.id
    user.password_hash = hash_password(new_password)
    user.must_change_password = not by_self
    user.failed_attempts, user.locked_until = 0, None
    detail = "修改本人密码" if by_self else f"重置用户 {user.username} 的密码"
    audit.record(session, "user_change", user=actor, detail=detail, source=source)
    return _principal(user, _unit_code(session, user.unit_id))


def change_own_password(
    session: Session, principal: Principal, old_password: str, new_password: str, *, source: str | None = None
) -> Principal:
    """The logged-in user changes their password; returns the principal to issue a new token for."""
    user = session.get(AppUser, principal.id)
    if user is None or not user.active:
        raise AuthError("账户不存在或已停用")
    if not verify_password(user.password_hash, old_password)[0]:
        raise AuthError("原密码不正确")
    if old_password == new_password:
        raise AuthError("新密码不能与原密码相同")
    return set_password(session, user.username, new_password, actor=principal, source=source)


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
