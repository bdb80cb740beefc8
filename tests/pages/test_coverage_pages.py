"""目录事项未按期公开 on the pages (issue 15, item 3): 主动公开 shows the periodic catalogue items'
coverage and lists the periods not published on time; 总览's 需要关注 lists the missing ones."""

from __future__ import annotations

from tests.helpers.catalogues import TEN, add_offices, upload
from tests.helpers.pages import frame, principal, run, texts, url


def _office(engine):  # type: ignore[no-untyped-def]
    add_offices(engine)
    result = upload(engine, TEN, 2019, 3, {"重点领域信息公开": 2, "年度计划": 1})
    assert result.status == "committed", [i.message for i in result.issues]
    return principal("leader", TEN)


def test_publications_page_shows_coverage_and_the_missing_periods(monkeypatch, empty_sqlite):
    who = _office(empty_sqlite)
    at = run(
        monkeypatch, url(empty_sqlite), "pages/publications.py", query={"unit": TEN, "year": "2019"}, who=who
    )
    metric = next(m for m in at.metric if m.label == "目录事项按期公开率")
    assert metric.value == "30.0%"  # 3 of 10 periods: Q1 of two quarterly items and one yearly item
    assert "按期 3 / 应公开 10 期（逾期 0，未公开 7）" in texts(at)
    lines = frame(at, "目录事项")
    assert len(lines) == 7
    assert set(lines["情况"]) == {"未公开"}
    assert "2019年第4季度" in set(lines["期次"]) and "工作年报" in set(lines["目录事项"])


def test_overview_attention_lists_catalogue_items_not_published(monkeypatch, empty_sqlite):
    who = _office(empty_sqlite)
    at = run(monkeypatch, url(empty_sqlite), None, query={"unit": TEN, "year": "2019"}, who=who)
    links = [p.label for p in at.get("page_link")]
    missing = [label for label in links if "目录事项未按期公开" in label]
    assert len(missing) == 7, links
    assert any("工作年报" in label and "2019年未公开" in label for label in missing)


def test_the_register_filters_by_the_offices_own_categories(monkeypatch, empty_sqlite):
    """The register's 类别 filter offers the office's own catalogue for the year, not the built-in one."""
    from tests.helpers.catalogues import TEN_CATEGORIES

    who = _office(empty_sqlite)
    at = run(
        monkeypatch, url(empty_sqlite), "pages/publications.py", query={"unit": TEN, "year": "2019"}, who=who
    )
    box = at.selectbox(key="register-category")
    assert list(box.options) == ["全部"] + [name for _domain, name, _two, _limit in TEN_CATEGORIES]
    box.set_value("重点领域信息公开").run()
    register = frame(at, "索引号")
    assert len(register) == 2 and set(register["所属类别"]) == {"重点领域信息公开"}
