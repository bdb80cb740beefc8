"""我的账户: a user sets, changes and clears the address their reminders are e-mailed to (AppTest);
a malformed address is refused in Chinese and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data_access.store import db
from data_access.store.models import AppUser, AuditLog
from seed import qingyang2018
from tests.helpers.pages import run, staff, url


@pytest.fixture
def demo(empty_sqlite):  # type: ignore[no-untyped-def]
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def _email(engine) -> str | None:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        return s.scalar(select(AppUser.email).where(AppUser.username == "demo_staff"))


def _save(at, address: str):  # type: ignore[no-untyped-def]
    box = next(w for w in at.text_input if w.label == "邮箱地址")
    box.input(address)
    next(b for b in at.button if b.label == "保存邮箱").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_user_sets_and_clears_their_reminder_address(monkeypatch, demo) -> None:  # type: ignore[no-untyped-def]
    who = staff(demo)
    at = run(monkeypatch, url(demo), "pages/account.py", who=who)
    assert "提醒邮箱" in [h.value for h in at.subheader]
    assert next(w for w in at.text_input if w.label == "邮箱地址").value == ""

    _save(at, "不是邮箱")
    assert [e.value for e in at.error] == ["邮箱地址格式不正确：不是邮箱（应如 zhangsan@example.gov.cn）"]
    assert _email(demo) is None

    _save(at, " staff@example.gov.cn ")
    assert [s.value for s in at.success] == ["提醒邮箱已保存。"]
    assert _email(demo) == "staff@example.gov.cn"
    again = run(monkeypatch, url(demo), "pages/account.py", who=who)  # a new visit shows it
    assert next(w for w in again.text_input if w.label == "邮箱地址").value == "staff@example.gov.cn"

    _save(at, "")
    assert _email(demo) is None
    with db.read_session(demo) as s:
        details = list(s.scalars(select(AuditLog.detail).where(AuditLog.action == "user_change")))
        assert "设置用户 demo_staff 的提醒邮箱" in details and "清除用户 demo_staff 的提醒邮箱" in details
        assert s.scalar(select(func.count()).where(AuditLog.username == "demo_staff")) >= 2
