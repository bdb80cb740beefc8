"""Staff write a request's statutory letter from the 依申请公开 page; leaders cannot."""

from __future__ import annotations

from sqlalchemy import func, select

from data_access.store import db
from data_access.store.models import AuditLog
from seed import qingyang2018
from tests.helpers.pages import principal, run


def _seeded(engine) -> str:  # type: ignore[no-untyped-def]
    with db.write_session(engine) as s:
        qingyang2018.load(s)
    return engine.url.render_as_string(hide_password=False)


def test_staff_build_the_reply_letter(monkeypatch, empty_sqlite):
    url = _seeded(empty_sqlite)
    at = run(monkeypatch, url, "pages/requests.py", {"year": "2018"}, who=principal("staff"))
    form_buttons = [b for b in at.button if b.label == "生成文书"]
    assert form_buttons, "staff see the letters form"
    kind = next(s for s in at.selectbox if s.label == "文书")
    kind.set_value("reply")
    form_buttons[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("答复书" in str(d.proto.label) for d in at.get("download_button"))
    with db.read_session(empty_sqlite) as s:
        assert s.scalar(select(func.count()).where(AuditLog.action == "export_personal")) == 1


def test_leaders_get_no_letters(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/requests.py", {"year": "2018"}, who=principal("leader"))
    assert not [b for b in at.button if b.label == "生成文书"]
