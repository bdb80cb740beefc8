"""Who logs in and what they did: accounts, login sessions, the per-address login throttle and
the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from data_access.rules.vocab import ROLES
from data_access.store.models.base import Base, in_sql


class AppUser(Base):
    """A person who logs in; the password is stored only as an argon2 hash."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(in_sql("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Where reminders are e-mailed (migration 0021); None: no e-mail reminders for this user.
    email: Mapped[str | None] = mapped_column(String(254))


class LoginSession(Base):
    """One login a browser's cookie stands for, checked on the server (data_access.write.auth).

    The cookie's value is never stored: `token_hash` is its keyed hash (HMAC with the session
    secret). `handoff_hash` is the hash of a one-time code the browser trades, within a minute of
    logging in, for the HttpOnly cookie. Logging out, a password change and disabling the user
    set `revoked_at`; a row is deleted a day after it expired."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(100))


class LoginThrottle(Base):
    """Failed logins from one client address, so every process delays the same guesser."""

    __tablename__ = "login_throttle"

    address: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditLog(Base):
    """Append-only record of logins, uploads, undos, settings and exports."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))
