"""Who may do what: the roles, the actions, the one table that says which role may do which,
and the logged-in principal that carries a role.

The menu, the router, each page's guard and every write ask `can(role, action)`; nothing else
declares permissions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from data_access.rules.vocab import ROLES

LEADER, STAFF, ADMIN = ROLES  # "leader", "staff", "admin"
ROLE_LABELS: dict[str, str] = {LEADER: "领导", STAFF: "工作人员", ADMIN: "管理员"}

PERMISSION_ACTIONS: tuple[str, ...] = (
    "view_dashboards",
    "view_reports",
    "upload",
    "undo",
    "edit_records",
    "download_templates",
    "edit_boards_deliveries",
    "statutory_letters",
    "admin_users",
    "admin_units",
    "admin_catalogue",
    "admin_targets",
    "admin_holidays",
    "screen_settings",
    "view_audit",
)
_LEADER = frozenset({"view_dashboards", "view_reports"})
_STAFF = _LEADER | {
    "upload",
    "undo",
    "edit_records",
    "download_templates",
    "edit_boards_deliveries",
    "statutory_letters",
    "screen_settings",
}
PERMISSIONS: Mapping[str, frozenset[str]] = {
    LEADER: _LEADER,
    STAFF: _STAFF,
    ADMIN: frozenset(PERMISSION_ACTIONS),
}


def can(role: str, action: str) -> bool:
    """Whether a role may do an action; unknown roles may do nothing, unknown actions raise."""
    if action not in PERMISSION_ACTIONS:
        raise ValueError(f"未知的权限动作：{action!r}")
    return action in PERMISSIONS.get(role, frozenset())


@dataclass(frozen=True)
class Principal:
    """The logged-in user as the app sees it."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: int
    unit_code: str
    must_change_password: bool

    def can(self, action: str) -> bool:
        """Whether this user's role allows the action."""
        return can(self.role, action)

    @property
    def role_label(self) -> str:
        """The role in Chinese."""
        return ROLE_LABELS.get(self.role, self.role)


def can_see_personal(principal: Principal, unit_id: int, scope: Collection[int]) -> bool:
    """Withheld documents and applicants' personal fields: staff/admin whose scope (visible_unit_ids) has the unit."""
    return principal.role in (STAFF, ADMIN) and unit_id in scope
