"""User administration: create, reset a password, change one's own, disable, enable, list, and
the first admin of a new installation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules import permissions
from data_access.rules.permissions import ADMIN, OPERATOR, Principal, require
from data_access.rules.vocab import ROLES
from data_access.store import audit
from data_access.store.models import AppUser, OrgUnit
from data_access.write.auth.passwords import (
    AuthError,
    check_password_policy,
    generate_password,
    hash_password,
    normalize_username,
    password_problem,
    verify_password,
)
from data_access.write.auth.principals import principal_of, unit_code_of
from data_access.write.auth.sessions import end_user_sessions

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
    email: str | None = None  # where reminders are e-mailed (None: not set)


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
    actor: Principal,
    source: str | None = None,
) -> tuple[Principal, str]:
    """Add a user; returns it and its password (a random one when none is given)."""
    require(actor, "admin_users")
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
    return principal_of(user, unit.code), password


def set_password(
    session: Session,
    username: str,
    new_password: str,
    *,
    actor: Principal,
    source: str | None = None,
    keep_token: str | None = None,
) -> Principal:
    """Set a password and unlock, ending every login of the user but the one `keep_token` stands
    for (the session of a user who set it themself); the user must change it at next login
    unless they set it themself."""
    require(actor, "admin_users")
    return _set_password(session, _user_or_error(session, username), new_password, actor, source, keep_token)


def _set_password(
    session: Session,
    user: AppUser,
    new_password: str,
    actor: Principal,
    source: str | None,
    keep_token: str | None,
) -> Principal:
    check_password_policy(new_password)
    by_self = actor.id == user.id
    user.password_hash = hash_password(new_password)
    user.must_change_password = not by_self
    user.failed_attempts, user.locked_until = 0, None
    end_user_sessions(session, user.id, keep_token=keep_token if by_self else None)
    detail = "修改本人密码" if by_self else f"重置用户 {user.username} 的密码"
    audit.record(session, "user_change", user=actor, detail=detail, source=source)
    return principal_of(user, unit_code_of(session, user.unit_id))


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
    stands for goes on. Returns the refreshed principal. Self-service: no permission needed, and it
    acts only on the principal's own account."""
    user = session.get(AppUser, principal.id, with_for_update=True)
    if user is None or not user.active:
        raise AuthError("账户不存在或已停用")
    if not verify_password(user.password_hash, old_password)[0]:
        raise AuthError("原密码不正确")
    if old_password == new_password:
        raise AuthError("新密码不能与原密码相同")
    return _set_password(session, user, new_password, principal, source, keep_token)


# A plain address (local@domain.tld), as an office's mail server accepts it; at most 254 characters.
_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")


def clean_email(email: str | None) -> str | None:
    """The address trimmed (None for empty), or an AuthError saying what is wrong with it."""
    text = (email or "").strip()
    if not text:
        return None
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise AuthError(f"邮箱地址格式不正确：{text[:60]}（应如 zhangsan@example.gov.cn）")
    return text


def _store_email(
    session: Session, user: AppUser, email: str | None, actor: Principal, source: str | None
) -> bool:
    address = clean_email(email)
    if user.email == address:
        return False
    user.email = address
    what = f"设置用户 {user.username} 的提醒邮箱" if address else f"清除用户 {user.username} 的提醒邮箱"
    audit.record(session, "user_change", user=actor, detail=what, source=source)
    return True


def set_email(
    session: Session, username: str, email: str | None, *, actor: Principal, source: str | None = None
) -> bool:
    """Set (or, with an empty address, clear) the address a user's reminders are e-mailed to;
    False when it was already so."""
    require(actor, "admin_users")
    return _store_email(session, _user_or_error(session, username), email, actor, source)


def set_own_email(
    session: Session, principal: Principal, email: str | None, *, source: str | None = None
) -> bool:
    """The logged-in user sets (or clears) their own reminder address. Self-service, like the password."""
    user = session.get(AppUser, principal.id, with_for_update=True)
    if user is None or not user.active:
        raise AuthError("账户不存在或已停用")
    return _store_email(session, user, email, principal, source)


def own_email(session: Session, principal: Principal) -> str | None:
    """The logged-in user's reminder address."""
    return session.scalar(select(AppUser.email).where(AppUser.id == principal.id))


def _active_admins(session: Session) -> int:
    stmt = select(func.count()).select_from(AppUser).where(AppUser.role == ADMIN, AppUser.active.is_(True))
    return int(session.scalar(stmt) or 0)


def disable_user(session: Session, username: str, *, actor: Principal, source: str | None = None) -> bool:
    """Disable a user (ends their sessions); False when already disabled."""
    require(actor, "admin_users")
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


def enable_user(session: Session, username: str, *, actor: Principal, source: str | None = None) -> bool:
    """Enable a disabled user and clear any lock; False when already enabled."""
    require(actor, "admin_users")
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
            u.email,
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
            actor=OPERATOR,
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
