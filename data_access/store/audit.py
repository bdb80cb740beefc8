"""The audit log: who logged in, uploaded, undid, changed settings or exported personal data.

Append-only by design: this module offers `record` and read functions and nothing
that updates or deletes an entry. Times are the server's local wall-clock time
(naive, to the second), set here rather than by the database so that every
backend stores the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.rules.permissions import OPERATOR_ID
from data_access.store.models import AuditLog

ACTIONS: tuple[str, ...] = (
    "login_ok",
    "login_failed",
    "login_locked",
    "logout",
    "upload",
    "undo",
    "settings_change",
    "user_change",
    "export_personal",
    "backup",
    "publication_change",
    "reminder",
)

ACTION_LABELS: dict[str, str] = {
    "login_ok": "登录成功",
    "login_failed": "登录失败",
    "login_locked": "账户锁定",
    "logout": "退出登录",
    "upload": "上传数据",
    "undo": "撤销上传",
    "settings_change": "修改设置",
    "user_change": "用户管理",
    "export_personal": "导出个人信息",
    "backup": "数据库备份",
    "publication_change": "更正或撤回公开信息",
    "reminder": "发送提醒",
}


class _HasIdentity(Protocol):
    id: int
    username: str


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log as the admin page shows it."""

    id: int
    at: dt.datetime
    user_id: int | None
    username: str | None
    action: str
    detail: str | None
    source: str | None

    @property
    def action_label(self) -> str:
        """The action in Chinese."""
        return ACTION_LABELS.get(self.action, self.action)


def local_now() -> dt.datetime:
    """The current local time, naive and to the second (how every time here is stored)."""
    return dt.datetime.now().replace(microsecond=0)


def record(
    session: Session,
    action: str,
    *,
    user: _HasIdentity | None = None,
    username: str | None = None,
    detail: str | Mapping[str, Any] | None = None,
    source: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one entry in the caller's transaction; `user` is a Principal or AppUser (the
    operator, permissions.OPERATOR, is recorded by name only)."""
    if action not in ACTIONS:
        raise ValueError(f"未知的审计动作：{action!r}")
    if isinstance(detail, Mapping):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    name = username if username is not None else (user.username if user is not None else None)
    account = user.id if user is not None and user.id != OPERATOR_ID else None  # the operator: no account
    session.add(
        AuditLog(
            at=at or local_now(),
            user_id=account,
            username=name[:60] if name is not None else None,
            action=action,
            detail=detail,
            source=source[:100] if source is not None else None,
        )
    )
    session.flush()


def _filtered(stmt, action: str | None, username: str | None):  # type: ignore[no-untyped-def]
    if action is not None:
        stmt = stmt.where(AuditLog.action == action)
    if username is not None:
        stmt = stmt.where(AuditLog.username == username)
    return stmt


def list_entries(
    session: Session,
    limit: int = 100,
    offset: int = 0,
    action: str | None = None,
    username: str | None = None,
) -> list[AuditEntry]:
    """Entries newest first, optionally only one action and/or one username."""
    stmt = _filtered(select(AuditLog), action, username)
    stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)
    return [
        AuditEntry(r.id, r.at, r.user_id, r.username, r.action, r.detail, r.source)
        for r in session.scalars(stmt)
    ]


def count_entries(session: Session, action: str | None = None, username: str | None = None) -> int:
    """How many entries match (for paging the admin page)."""
    stmt = _filtered(select(func.count()).select_from(AuditLog), action, username)
    return int(session.scalar(stmt) or 0)


def last_at(session: Session, action: str) -> dt.datetime | None:
    """When the newest entry of an action was recorded (None: never)."""
    return session.scalar(select(func.max(AuditLog.at)).where(AuditLog.action == action))
