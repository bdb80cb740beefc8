"""Demo login accounts for the 2018 Qingyang demo (password `demo12345`, no forced change).

Only for the demo database: `load_demo_users` is called when the demo seed is loaded.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.permissions import OPERATOR
from data_access.store.models import AppUser
from data_access.write import auth

DEMO_PASSWORD = "demo12345"

# (username, display name, role, unit code)
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("demo_leader", "演示领导", auth.LEADER, "qingyang"),
    ("demo_staff", "演示工作人员", auth.STAFF, "qingyang"),
    ("demo_admin", "演示管理员", auth.ADMIN, "qingyang"),
    ("demo_city", "演示市领导", auth.LEADER, "jinjiang"),
)


def load_demo_users(session: Session) -> int:
    """Create the demo accounts that are missing; return how many were added."""
    existing = set(session.scalars(select(AppUser.username)))
    added = 0
    for username, name, role, unit in DEMO_USERS:
        if username in existing:
            continue
        auth.create_user(
            session,
            username,
            role=role,
            unit_code=unit,
            display_name=name,
            password=DEMO_PASSWORD,
            must_change_password=False,
            actor=OPERATOR,
            source="演示数据",
        )
        added += 1
    return added
