"""Who an account is: the Principal the app carries for a stored user."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal
from data_access.store.models import AppUser, OrgUnit
from data_access.write.auth.passwords import normalize_username


def principal_of(user: AppUser, unit_code: str) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        unit_id=user.unit_id,
        unit_code=unit_code,
        must_change_password=bool(user.must_change_password),
    )


def unit_code_of(session: Session, unit_id: int) -> str:
    return session.scalar(select(OrgUnit.code).where(OrgUnit.id == unit_id)) or ""


def principal_for_username(session: Session, username: str) -> Principal | None:
    """The active user with this username, or None."""
    user = session.scalar(select(AppUser).where(AppUser.username == normalize_username(username)))
    if user is None or not user.active:
        return None
    return principal_of(user, unit_code_of(session, user.unit_id))
