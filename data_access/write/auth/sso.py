"""Single sign-on: a trusted proxy names the user in the TRUSTED_USER_HEADER header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules.permissions import Principal
from data_access.store import audit
from data_access.store.models import AppUser
from data_access.write.auth.passwords import normalize_username
from data_access.write.auth.principals import principal_for_username, principal_of, unit_code_of


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
    return principal_of(user, unit_code_of(session, user.unit_id))
