"""帮助: each role's page shows that role's chapters of docs/用户手册.md (with their screenshots) and
no other role's; the page is in every role's menu; every key figure on the leaders' pages carries a
「?」 saying how it is computed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.navigation import pages_for
from dashboard.panels import manual
from data_access.rules.permissions import ROLES
from tests.helpers.pages import principal, run, url

ROOT = Path(__file__).resolve().parents[2]
CHAPTER_HEADINGS = {
    "通用": "通用：登录、菜单与帮助",
    "领导": "领导：查看看板和年度报告",
    "工作人员": "工作人员：上传、登记和大屏设置",
    "管理员": "管理员：账号、单位、目录和节假日",
    "大屏": "大屏：大厅 LED 屏",
}
Y2018 = {"unit": "qingyang", "year": "2018"}


def _markdown(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(m.value) for m in at.markdown)


def test_the_manual_ships_beside_the_pages_and_has_every_roles_chapter():
    assert manual.MANUAL == ROOT / "docs" / "用户手册.md"
    text = manual.read_manual()
    assert text is not None
    found = manual.chapters(text)
    assert {name: found[name].split("\n", 1)[0] for name in CHAPTER_HEADINGS} == {
        name: f"## {heading}" for name, heading in CHAPTER_HEADINGS.items()
    }
    for role in ROLES:
        assert len(manual.role_chapters(role, text)) == len(manual.ROLE_CHAPTERS[role])


def test_every_screenshot_the_manual_shows_is_in_docs_images():
    text = manual.read_manual() or ""
    shown = [path for chapter in manual.chapters(text).values() for _caption, path in manual.images(chapter)]
    assert len(shown) >= 20
    missing = [path for path in shown if not (manual.DOCS / path).is_file()]
    assert not missing, f"run tests/e2e/test_manual_screenshots.py: {missing}"


def test_the_chapter_parser():
    text = "# 手册\n\n引言\n\n## 甲：一\n\n正文\n\n![图一](images/a.png)\n\n### 小节\n\n## 乙：二\n\n![图二](images/b.png)\n"
    found = manual.chapters(text)
    assert list(found) == ["甲", "乙"]
    assert found["甲"].startswith("## 甲：一\n") and "### 小节" in found["甲"] and "乙" not in found["甲"]
    assert manual.images(found["甲"]) == [("图一", "images/a.png")]
    assert manual.images("文字 ![行内](images/c.png) 不算") == []


@pytest.mark.parametrize("role", ROLES)
def test_the_help_page_is_in_every_roles_menu(role):
    assert "pages/help.py" in [spec.path for spec in pages_for(role)]


@pytest.mark.parametrize("role", ROLES)
def test_the_help_page_shows_the_roles_chapters(monkeypatch, seeded_sqlite_url, role):
    at = run(monkeypatch, seeded_sqlite_url, "pages/help.py", who=principal(role))
    body = _markdown(at)
    mine = manual.ROLE_CHAPTERS[role]
    for name, heading in CHAPTER_HEADINGS.items():
        assert (f"## {heading}" in body) == (name in mine), (role, name)
    text = manual.read_manual() or ""
    expected = [caption for name in mine for caption, _path in manual.images(manual.chapters(text)[name])]
    assert expected, "each role's chapters show screenshots"
    assert [img.proto.imgs[0].caption for img in at.get("image")] == expected
    assert "images/" not in body, "screenshots are drawn as images, not left as Markdown"


def test_the_help_page_says_so_when_the_manual_is_missing(monkeypatch, seeded_sqlite_url, tmp_path):
    monkeypatch.setattr(manual, "MANUAL", tmp_path / "none.md")
    at = run(monkeypatch, seeded_sqlite_url, "pages/help.py", who=principal("staff"))
    assert [e.value for e in at.error] == ["没有找到用户手册（docs/用户手册.md），请联系管理员。"]


# Each leader page with the query that draws its figures.
LEADER_PAGES = (
    ("pages/overview.py", Y2018),
    ("pages/overview.py", {"unit": "qingyang", "year": "2017"}),  # figures not entered: "—" with its 「?」
    ("pages/publications.py", Y2018),
    ("pages/projects.py", {**Y2018, "month": "10"}),
    ("pages/requests.py", Y2018),
    ("pages/duties.py", Y2018),
)


@pytest.mark.parametrize(
    ("page", "query"), LEADER_PAGES, ids=lambda v: v if isinstance(v, str) else v["year"]
)
def test_every_metric_on_the_leader_pages_says_how_it_is_computed(monkeypatch, seeded_db, page, query):
    at = run(monkeypatch, url(seeded_db), page, query=query)
    metrics = list(at.metric)
    assert len(metrics) >= 4, page
    without = [m.label for m in metrics if len(m.proto.help) < 20]
    assert not without, f"{page}: no 「?」 on {without}"
    if page.endswith("overview.py") and query["year"] == "2017":
        [hotline] = [m for m in metrics if m.label == "热线值班接听（次）"]
        assert hotline.value == "—" and "“—”不是 0" in hotline.proto.help and "热线值班" in hotline.proto.help
