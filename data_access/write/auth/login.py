"""A password login: checked, throttled (`throttle`), counted against the account, which locks after
LOGIN_MAX_FAILURES (an admin's never does), and audited, success or failure."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules.permissions import ADMIN, Principal
from data_access.store import audit
from data_access.store.models import AppUser
from data_access.write.auth.passwords import dummy_hash, normalize_username, verify_password
from data_access.write.auth.principals import principal_of, unit_code_of
from data_access.write.auth.throttle import THROTTLED, count_failure, login_wait

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
        verify_password(dummy_hash(), password)  # same time as a known user
        note = count_failure(session, source, now)
        audit.record(
            session, "login_failed", username=name, detail="用户名不存在" + note, source=source, at=now
        )
        return refused(BAD_CREDENTIALS)
    if user.role != ADMIN and user.locked_until is not None and user.locked_until > now:
        note = count_failure(session, source, now)
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
            note = count_failure(session, source, now, block=dt.timedelta(minutes=minutes))
            detail = f"密码错误（连续第 {user.failed_attempts} 次）；管理员账户不锁定" + note
            audit.record(session, "login_failed", user=user, detail=detail, source=source, at=now)
            return refused(BAD_CREDENTIALS)
        note = count_failure(session, source, now)
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
        note = count_failure(session, source, now)
        audit.record(session, "login_failed", user=user, detail="账户已停用" + note, source=source, at=now)
        return LoginResult(False, None, "账户已停用，请联系管理员")
    if new_hash is not None:
        user.password_hash = new_hash
    user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
    audit.record(session, "login_ok", user=user, source=source, at=now)
    return LoginResult(True, principal_of(user, unit_code_of(session, user.unit_id)), "登录成功")
