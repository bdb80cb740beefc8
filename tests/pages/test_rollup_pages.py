"""A city leader's roll-up says whose figures they are (issue 17, item 9): the leader lands on
their own unit, the title says how many units it totals, and each 需要关注 line names its unit."""

from __future__ import annotations

from tests.helpers.pages import principal, run, texts


def test_a_city_leader_lands_on_the_citys_roll_up(monkeypatch, seeded_sqlite_url):
    at = run(
        monkeypatch, seeded_sqlite_url, None, query={"year": "2018"}, who=principal("leader", "jinjiang")
    )
    assert at.title[0].value.startswith("晋江市 2018 年")
    assert "含本单位及下属 3 个单位，共 4 个单位的合计" in texts(at)
    lines = [p.label for p in at.get("page_link") if "滞后" in p.label or "送交" in p.label]
    assert lines and all(label.startswith("青阳街道：") for label in lines), lines


def test_a_sub_district_leader_sees_lines_without_a_unit_prefix(monkeypatch, seeded_sqlite_url):
    at = run(
        monkeypatch, seeded_sqlite_url, None, query={"year": "2018"}, who=principal("leader", "qingyang")
    )
    assert at.title[0].value.startswith("青阳街道 2018 年")
    lines = [p.label for p in at.get("page_link") if "滞后" in p.label]
    assert lines and not any(label.startswith("青阳街道：") for label in lines)
