"""Every page runs in AppTest for every role, against the seeded demo and an empty database."""

from __future__ import annotations

import pytest

from dashboard.navigation import PAGES
from data_access.rules import permissions
from data_access.store import db
from seed import qingyang2018
from tests.helpers.pages import principal, run, texts


def test_every_page_needs_an_action_of_the_permission_table():
    # Who may open a page is the permission table's answer (tests/pages/test_access_matrix.py
    # checks every page for every role against a table of its own).
    assert {spec.permission for spec in PAGES} <= set(permissions.PERMISSION_ACTIONS)


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_page_runs_on_an_empty_database(monkeypatch, empty_sqlite, page):
    at = run(
        monkeypatch, empty_sqlite.url.render_as_string(hide_password=False), page, who=principal("admin")
    )
    assert at.info, "an empty database should say what to do"


def test_nobody_logged_in_sees_only_the_login(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, who=None)
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.metric


def test_login_then_lockout(monkeypatch, empty_sqlite):
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    at = run(monkeypatch, empty_sqlite.url.render_as_string(hide_password=False), who=None)
    for attempt in range(6):
        at.text_input[0].input("demo_leader")
        at.text_input[1].input("wrong-password")
        at.button[0].click().run()
        message = at.error[0].value
        assert message == ("用户名或密码不正确" if attempt < 4 else message)
    assert "账户已锁定" in message
    at.text_input[0].input("demo_leader")
    at.text_input[1].input("demo12345")
    at.button[0].click().run()
    assert "账户已锁定" in at.error[0].value, "the right password is refused while locked"
    assert not at.metric


def test_login_succeeds_with_the_demo_account(monkeypatch, empty_sqlite):
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    at = run(monkeypatch, empty_sqlite.url.render_as_string(hide_password=False), who=None)
    at.text_input[0].input("demo_leader")
    at.text_input[1].input("demo12345")
    at.button[0].click().run()
    assert {m.label: m.value for m in at.metric}["主动公开信息（条）"] == "158"
    assert at.session_state["token"]


def test_must_change_password_first(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, who=principal("admin", must_change=True))
    assert at.title[0].value == "我的账户"
    assert not at.metric


def test_a_password_to_change_is_changed_at_the_linked_page(monkeypatch, seeded_sqlite_url):
    """A shared link opened at first login: the password form at that page's address, not the page."""
    query = {"unit": "qingyang", "year": "2018", "month": "10"}
    at = run(monkeypatch, seeded_sqlite_url, "pages/projects.py", query, principal("admin", must_change=True))
    assert at.title[0].value == "我的账户" and [b.label for b in at.button][-1] == "退出登录"
    assert not at.metric and not at.dataframe
    assert {key: at.query_params[key] for key in query} == query


def test_overview_shows_the_2018_figures(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["主动公开信息（条）"] == "158"
    assert metrics["全文电子化率"] == "100.0%"
    assert metrics["依申请公开（件）"] == "1"
    assert metrics["送交两馆（份）"] == "158 / 158"
    assert metrics["热线值班接听（次）"] == "2"
    assert metrics["政策解读（篇）"] == "0"
    assert metrics["行政复议 / 诉讼 / 申诉举报"] == "0 / 0 / 0"
    assert "历年累计 954 条" in texts(at)
    assert at.title[0].value == "青阳街道 2018 年政务公开总览"


def test_overview_follows_the_url_and_the_unit(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, query={"unit": "jinjiang", "year": "2017"},
             who=principal("leader", "jinjiang"))  # fmt: skip
    metrics = {m.label: m.value for m in at.metric}
    assert at.title[0].value == "晋江市 2017 年政务公开总览"
    assert metrics["主动公开信息（条）"] == "141"


def test_english_locale(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, query={"lang": "en"})
    assert {m.label for m in at.metric} >= {"Items published", "Full text online"}


@pytest.mark.parametrize("slide", ["headline", "categories", "newest", "projects", "requests", "duties"])
def test_screen_renders_each_slide_without_login(monkeypatch, seeded_sqlite_url, slide):
    at = run(monkeypatch, seeded_sqlite_url, query={"mode": "screen", "slide": slide}, who=None)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert f'data-slide="{slide}"' in html
    assert "政务热线 0595-85601021" in html
    assert not at.text_input and not at.selectbox, "the screen has no login and no controls"


def test_screen_on_an_empty_database(monkeypatch, empty_sqlite):
    at = run(
        monkeypatch,
        empty_sqlite.url.render_as_string(hide_password=False),
        query={"mode": "screen"},
        who=None,
    )
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "暂无可显示的公开数据" in html


def test_playlist_settings_save(monkeypatch, empty_sqlite):
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    at = run(
        monkeypatch,
        empty_sqlite.url.render_as_string(hide_password=False),
        "pages/screen_settings.py",
        who=principal("staff"),
    )
    assert at.title[0].value == "大厅 LED 大屏播放设置"
    at.button[0].click().run()
    assert at.success[0].value == "已保存。"


def test_the_screen_url_reaches_no_other_page(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, query={"mode": "screen"}, who=None)
    for spec in PAGES:
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(spec.path)
    at.query_params["mode"] = "screen"
    at.session_state["principal"] = principal("admin")  # even a logged-in admin's browser
    at.run()
    assert not at.metric and not at.dataframe and not at.button


def test_a_user_picks_only_units_in_their_scope(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, query={"unit": "jinjiang"}, who=principal("leader", "qingyang"))
    picker = next(s for s in at.sidebar.selectbox if s.label == "单位")
    assert picker.options == ["　青阳街道"[1:], "　西园社区", "　高霞社区"] or set(picker.options) >= {
        "青阳街道"
    }
    assert "晋江市" not in " ".join(picker.options)
    assert at.title[0].value.startswith("青阳街道"), "a city code in the URL does not widen the scope"
    city = run(
        monkeypatch, seeded_sqlite_url, query={"unit": "jinjiang"}, who=principal("leader", "jinjiang")
    )
    assert city.title[0].value.startswith("晋江市")
