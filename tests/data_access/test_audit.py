"""The audit log: append, filter, page; nothing to edit or delete it with."""

from __future__ import annotations

import datetime as dt
import inspect
import json

import pytest

from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db
from data_access.store.models import OrgUnit
from data_access.write import auth

T0 = dt.datetime(2024, 5, 6, 8, 30, 0)


def test_record_and_list_newest_first_with_filters_and_paging(empty_db):
    with db.write_session(empty_db) as s:
        s.add(OrgUnit(code="q", name="青阳街道", level="subdistrict"))
        s.flush()
        p, _ = auth.create_user(s, "wang", role="staff", unit_code="q", actor=OPERATOR)
        for i in range(5):
            audit.record(
                s, "upload", user=p, detail=f"文件 {i}", source="10.0.0.1", at=T0 + dt.timedelta(minutes=i)
            )
        audit.record(s, "login_failed", username="nobody", source="10.0.0.2", at=T0 + dt.timedelta(minutes=9))
        audit.record(s, "settings_change", user=p, detail={"key": "LAG_THRESHOLD_PP", "新值": 12}, at=T0)
    with db.read_session(empty_db) as s:
        everything = audit.list_entries(s, 100)
        first_page = audit.list_entries(s, 2, 0, action="upload")
        second_page = audit.list_entries(s, 2, 2, action="upload")
        wang = audit.list_entries(s, 100, username="wang")
        counts = (
            audit.count_entries(s),
            audit.count_entries(s, action="upload"),
            audit.count_entries(s, "upload", "x"),
        )
        users = {e.user_id for e in wang}
    # The user was created "now" (2024 is the past): newest first.
    assert [e.action for e in everything][:3] == ["user_change", "login_failed", "upload"]
    assert everything[1].user_id is None and everything[1].username == "nobody"
    assert everything[1].action_label == "登录失败"
    assert [e.detail for e in first_page + second_page] == ["文件 4", "文件 3", "文件 2", "文件 1"]
    assert len(wang) == 6 and counts == (8, 5, 0) and users == {p.id}
    settings_entry = next(e for e in everything if e.action == "settings_change")
    assert json.loads(settings_entry.detail) == {"key": "LAG_THRESHOLD_PP", "新值": 12}
    assert settings_entry.at == T0


def test_user_identity_and_long_values(empty_db):
    with db.write_session(empty_db) as s:
        audit.record(s, "login_failed", username="x" * 200, source="s" * 300)
        audit.record(s, "logout")
    with db.read_session(empty_db) as s:
        logout, failed = audit.list_entries(s, 10)
    assert len(failed.username) == 60 and len(failed.source) == 100
    assert (logout.username, logout.user_id, logout.detail) == (None, None, None)
    assert abs(logout.at - audit.local_now()) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("action", ["delete_everything", "LOGIN_OK", ""])
def test_unknown_actions_are_refused(empty_sqlite, action):
    with pytest.raises(ValueError, match="未知的审计动作"), db.write_session(empty_sqlite) as s:
        audit.record(s, action)


def test_every_documented_action_is_accepted_and_labelled(empty_sqlite):
    with db.write_session(empty_sqlite) as s:
        for action in audit.ACTIONS:
            audit.record(s, action)
    with db.read_session(empty_sqlite) as s:
        entries = audit.list_entries(s, 100)
    assert sorted(e.action for e in entries) == sorted(audit.ACTIONS)
    assert all(e.action_label != e.action for e in entries)


def test_the_module_offers_no_way_to_change_history():
    public = [name for name, obj in inspect.getmembers(audit, inspect.isfunction) if not name.startswith("_")]
    assert not [
        n for n in public if any(w in n for w in ("update", "delete", "remove", "edit", "clear", "purge"))
    ]
