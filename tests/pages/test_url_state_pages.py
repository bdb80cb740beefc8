"""Every filter and the chosen item in the query string (issue 17, item 4), in AppTest: a page
opened with the query shows that view, and a choice on the page writes itself into the query."""

from __future__ import annotations

import pytest

from data_access.store import db
from data_access.store.models import Project
from tests.helpers.pages import run, texts

Y2018 = {"unit": "qingyang", "year": "2018"}


def _project_id(url: str, name: str) -> int:
    from sqlalchemy import create_engine, select

    engine = create_engine(url)
    try:
        with db.read_session(engine) as s:
            return int(s.scalars(select(Project.id).where(Project.name == name)).one())
    finally:
        engine.dispose()


def _caption(at) -> str:  # type: ignore[no-untyped-def]
    return next(c.value for c in at.caption if c.value.startswith("第 ") and " 页，共 " in c.value)


def test_a_project_named_in_the_address_is_chosen_and_shown_first(monkeypatch, seeded_sqlite_url):
    chosen = _project_id(seeded_sqlite_url, "池店溪流域综合治理")
    at = run(
        monkeypatch, seeded_sqlite_url, "pages/projects.py", {**Y2018, "month": "10", "project": str(chosen)}
    )
    assert at.selectbox(key="proj-pick").value == chosen
    assert "已选项目：**池店溪流域综合治理**" in texts(at)
    other = _project_id(seeded_sqlite_url, "和平路拓改工程安置房项目")
    at.selectbox(key="proj-pick").set_value(other).run()
    assert at.query_params["project"] == str(other) and at.query_params["month"] == "10"
    assert at.selectbox(key="proj-pick").value == other


def test_without_a_project_the_first_lagging_one_is_charted_and_nothing_is_highlighted(
    monkeypatch, seeded_sqlite_url
):
    at = run(monkeypatch, seeded_sqlite_url, "pages/projects.py", Y2018)
    assert at.selectbox(key="proj-pick").value == _project_id(
        seeded_sqlite_url, "青阳街道社区卫生服务中心改扩建"
    )
    assert "已选项目" not in texts(at) and "project" not in at.query_params


def test_register_search_category_and_page_are_in_the_address(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/publications.py", Y2018)
    assert _caption(at) == "第 1 / 8 页，共 158 条"
    at.selectbox(key="register-category").set_value("机构职能类").run()
    assert at.query_params["category"] == "机构职能类" and _caption(at) == "第 1 / 2 页，共 35 条"
    page_box = next(n for n in at.number_input if n.key.startswith("register-page-"))
    page_box.set_value(2).run()
    assert at.query_params["page"] == "2" and _caption(at) == "第 2 / 2 页，共 35 条"
    # A new filter starts at page 1 again.
    at.text_input(key="register-search").set_value("青阳").run()
    assert at.query_params["q"] == "青阳" and "page" not in at.query_params
    searched = _caption(at)

    # The address alone reproduces the view, in a new session.
    query = {**Y2018, "category": "机构职能类", "q": "青阳"}
    again = run(monkeypatch, seeded_sqlite_url, "pages/publications.py", query)
    assert _caption(again) == searched and again.text_input(key="register-search").value == "青阳"
    again = run(
        monkeypatch,
        seeded_sqlite_url,
        "pages/publications.py",
        {**Y2018, "category": "机构职能类", "page": "2"},
    )
    assert _caption(again) == "第 2 / 2 页，共 35 条"
    assert again.selectbox(key="register-category").value == "机构职能类"
    # An unknown value falls back to the default rather than failing.
    odd = run(
        monkeypatch,
        seeded_sqlite_url,
        "pages/publications.py",
        {**Y2018, "category": "无此类别", "page": "99"},
    )
    assert _caption(odd) == "第 1 / 8 页，共 158 条"


def test_the_ranking_is_in_the_address(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/units.py", Y2018)
    assert at.radio(key="units-rank").value == "published" and "rank" not in at.query_params
    at.radio(key="units-rank").set_value("projects").run()
    assert at.query_params["rank"] == "projects"
    again = run(monkeypatch, seeded_sqlite_url, "pages/units.py", {**Y2018, "rank": "projects"})
    assert again.radio(key="units-rank").value == "projects"


def test_the_chosen_request_is_in_the_address(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/requests.py", Y2018)
    box = next(s for s in at.selectbox if s.label.startswith("选择申请编号"))
    assert box.value is not None and "request" not in at.query_params
    number = box.value[1]
    again = run(monkeypatch, seeded_sqlite_url, "pages/requests.py", {**Y2018, "request": number})
    assert next(s for s in again.selectbox if s.label.startswith("选择申请编号")).value[1] == number
    unknown = run(monkeypatch, seeded_sqlite_url, "pages/requests.py", {**Y2018, "request": "YSQ-0000-000"})
    assert next(s for s in unknown.selectbox if s.label.startswith("选择申请编号")).value == box.value


def test_the_pickers_at_the_top_of_a_phone_screen_drive_the_view(monkeypatch, seeded_sqlite_url):
    """The top copy (shown only on a narrow screen) and the sidebar's show the same choice."""
    at = run(monkeypatch, seeded_sqlite_url, "pages/projects.py", Y2018)
    at.selectbox(key="pick-year-top").set_value(2017).run()
    assert at.query_params["year"] == "2017"
    assert at.selectbox(key="pick-year").value == 2017 and at.selectbox(key="pick-year-top").value == 2017
    at.selectbox(key="pick-year").set_value(2018).run()
    at.selectbox(key="pick-month-top").set_value(10).run()
    assert (at.query_params["year"], at.query_params["month"]) == ("2018", "10")
    assert at.title[0].value == "青阳街道 2018 年重点项目完成情况（1-10 月）"
    assert at.selectbox(key="pick-month").value == 10


def test_the_overview_links_each_item_and_the_rest(monkeypatch, seeded_sqlite_url):
    chosen = _project_id(seeded_sqlite_url, "池店溪流域综合治理")
    at = run(monkeypatch, seeded_sqlite_url, "pages/overview.py", Y2018)
    [link] = [p.proto for p in at.get("page_link") if "池店溪流域综合治理" in p.proto.label]
    assert (
        link.page == "projects"
        and f"project={chosen}" in link.query_string
        and "month=12" in link.query_string
    )


@pytest.mark.parametrize("full", [False, True])
def test_more_than_the_list_shows_is_a_link_to_the_full_list(monkeypatch, seeded_sqlite_url, full):
    from dashboard.widgets import attention

    monkeypatch.setattr(attention, "ATTENTION_SHOWN", 5)  # the demo's 11 items, 5 shown
    query = {**Y2018, "attention": "all"} if full else Y2018
    at = run(monkeypatch, seeded_sqlite_url, "pages/overview.py", query)
    links = [p.proto for p in at.get("page_link") if p.proto.query_string]  # the menu's carry no query
    items = [p for p in links if p.page != ""]
    rest = [p for p in links if p.page == ""]
    assert "需要关注（11 项）" in texts(at)
    assert len(items) == (11 if full else 5)
    assert all("year=2018" in p.query_string for p in items)
    assert [p.label for p in rest] == (["只看前几项"] if full else ["另有 6 项，点此查看全部"])
    assert ("attention=all" in rest[0].query_string) != full
