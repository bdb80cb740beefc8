"""Who may do what: the roles, the actions, the one table that says which role may do which,
and the logged-in principal that carries a role.

The menu, the router, each page's guard and every write ask `can(role, action)`; nothing else
declares permissions. Every write of data_access.write calls `require(principal, action)` before it
touches anything: a role without the action gets `PermissionDenied` with a Chinese message naming
the role and the action (`ACTION_LABELS`).

The command line (and the first-run seed) act as the server's operator: `OPERATOR`, an admin
that is no account (its id, `OPERATOR_ID`, is never a row of app_user, so the audit log and the
upload history store no user id for it, only its name) and whose scope is every unit.
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
    "restore_withdrawn",
)
# Each action as a refusal names it (「您的角色（领导）无权进行此操作：管理单位」).
ACTION_LABELS: Mapping[str, str] = {
    "view_dashboards": "查看看板",
    "view_reports": "查看报表",
    "upload": "上传数据",
    "undo": "撤销上传或登记",
    "edit_records": "逐条登记",
    "download_templates": "下载模板",
    "edit_boards_deliveries": "登记公开栏与送交两馆",
    "statutory_letters": "生成法定告知书",
    "admin_users": "管理用户",
    "admin_units": "管理单位",
    "admin_catalogue": "管理公开目录",
    "admin_targets": "设置年度目标",
    "admin_holidays": "管理节假日安排",
    "screen_settings": "大屏设置",
    "view_audit": "查看操作日志",
    "restore_withdrawn": "恢复已撤回的信息",
}
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


class PermissionDenied(PermissionError):
    """The acting principal's role does not allow the action (message in Chinese)."""


# The operator's id: ids of app_user start at 1, so no account has it.
OPERATOR_ID = 0
OPERATOR_NAME = "命令行"


@dataclass(frozen=True)
class Principal:
    """The logged-in user as the app sees it (or the operator: see `Principal.operator`)."""

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

    @classmethod
    def operator(cls, username: str | None = None) -> Principal:
        """The server's operator (the command line, the first-run seed): an admin over every unit
        that is no account; `username` (default 命令行) is the name the audit log records."""
        name = username or OPERATOR_NAME
        return cls(OPERATOR_ID, name, name, ADMIN, OPERATOR_ID, "", False)

    @property
    def is_operator(self) -> bool:
        """Whether this is the operator (no account; its scope is every unit)."""
        return self.id == OPERATOR_ID

    @property
    def account_id(self) -> int | None:
        """The app_user id to store (audit log, upload history); None for the operator."""
        return None if self.is_operator else self.id


OPERATOR = Principal.operator()


def require(principal: Principal | None, action: str) -> None:
    """Refuse (PermissionDenied, Chinese) unless the principal's role may do the action."""
    if principal is None:
        raise PermissionDenied(f"请先登录后再进行此操作：{ACTION_LABELS[action]}")
    if not principal.can(action):
        raise PermissionDenied(f"您的角色（{principal.role_label}）无权进行此操作：{ACTION_LABELS[action]}")


def can_see_personal(principal: Principal, unit_id: int, scope: Collection[int]) -> bool:
    """Withheld documents and applicants' personal fields: staff/admin whose scope (visible_unit_ids) has the unit."""
    return principal.role in (STAFF, ADMIN) and unit_id in scope
