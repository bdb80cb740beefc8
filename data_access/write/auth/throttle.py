"""Login throttling per client address: failed logins are counted in `login_throttle`; past
LOGIN_THROTTLE_FAILURES within LOGIN_THROTTLE_WINDOW_MINUTES an address waits 2, 4, 8 ... seconds
before it may try again, and no password is checked meanwhile."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.store import audit
from data_access.store.models import LoginThrottle

THROTTLED = "登录尝试过于频繁，请 {seconds} 秒后再试"
# The throttle's key for a request whose client address is unknown (this machine, no proxy).
LOCAL_ADDRESS = "local"


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


def count_failure(
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
