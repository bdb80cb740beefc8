"""A phone (390×844) and "nothing recorded", in chromium (issue 17, items 3 and 7): the 需要关注
lines wrap with their numbers in sight, the project table shows 名称 / 完成进度 / 状态 with nothing
clipped, the pickers sit at the top of the page, and 2017 shows 未登记 instead of alerts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers.browser import SCREENSHOTS, log_in, settle, wait_for_session_cookie

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# Every element inside the selector whose content is wider than its box (cut or scrolled), and every
# one reaching past the right edge of the screen.
CLIPPED = """(selector) => {
  const bad = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const r = el.getBoundingClientRect();
      if (!r.width) continue;
      const what = el.tagName + ' "' + el.textContent.trim().slice(0, 24) + '"';
      if (el.scrollWidth > el.clientWidth + 1) bad.push('clipped: ' + what);
      if (r.right > innerWidth + 1) bad.push('off screen: ' + what);
    }
  }
  return bad;
}"""


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def _logged_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_leader")
    page.locator("h1").filter(has_text="2018").first.wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    settle(page)


def test_a_phone_wraps_the_attention_lines_and_keeps_the_pickers_in_reach(app_server, phone):
    _logged_in(phone, f"{app_server.url}/?unit=qingyang&year=2018")
    links = phone.locator('.st-key-attention [data-testid="stPageLink"]')
    links.first.wait_for(timeout=60_000)
    assert links.count() == 11
    assert phone.evaluate(CLIPPED, ".st-key-attention") == []
    line = links.filter(has_text="池店溪流域综合治理")
    assert line.inner_text().strip().endswith("完成进度 40.1%，滞后")
    assert line.bounding_box()["height"] > 30, "the line wraps onto a second row"
    SCREENSHOTS.mkdir(exist_ok=True)
    phone.locator(".st-key-attention").screenshot(path=str(SCREENSHOTS / "phone-attention-390x844.png"))

    # The sidebar is folded away; the unit and year pickers are at the top of the page.
    folded = phone.evaluate(
        "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right"
    )
    assert folded <= 0
    top = phone.locator(".st-key-narrowonly-year")
    assert top.is_visible() and phone.locator(".st-key-narrowonly-unit").is_visible()
    phone.screenshot(path=str(SCREENSHOTS / "phone-overview-390x844.png"))
    settle(phone)
    top.locator("input").click()
    option = phone.get_by_role("option", name="2017", exact=True)
    if not option.is_visible():  # a rerun redrew the box as it opened: open it again
        top.locator("input").click()
    option.click()
    phone.get_by_text("青阳街道 2017 年政务公开总览").wait_for(timeout=60_000)
    assert parse_qs(urlsplit(phone.url).query)["year"] == ["2017"]


def test_a_phone_shows_the_projects_columns_that_matter(app_server, phone):
    _logged_in(phone, f"{app_server.url}/projects?unit=qingyang&year=2018&month=12")
    table = phone.locator('[data-testid="gkCompactTable"]')
    table.wait_for(timeout=60_000)
    settle(phone)
    assert table.locator("th").all_inner_texts() == ["项目名称", "完成进度", "状态"]
    assert table.locator("tbody tr").count() == 26  # 25 projects and 合计
    row = table.locator("tr").filter(has_text="池店溪流域综合治理")
    assert row.locator("td").all_inner_texts() == ["池店溪流域综合治理", "40.1%", "滞后"]
    assert phone.evaluate(CLIPPED, '[data-testid="gkCompactTable"]') == []
    assert not phone.locator(".st-key-wideonly-projects").is_visible()
    table.screenshot(path=str(SCREENSHOTS / "phone-projects-390x844.png"))


def test_a_wide_screen_keeps_the_offices_table(app_server, page):
    _logged_in(page, f"{app_server.url}/projects?unit=qingyang&year=2018&month=12")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
    settle(page)
    assert page.locator(".st-key-wideonly-projects").is_visible()
    assert not page.locator('[data-testid="gkCompactTable"]').is_visible()
    assert not page.locator(".st-key-narrowonly-year").is_visible()
    # The hidden copies leave no gap: the title sits where it did (under the page's top padding).
    assert page.locator("h1").first.bounding_box()["y"] < 140


def test_2017_shows_unrecorded_not_overdue(app_server, page):
    _logged_in(page, f"{app_server.url}/?unit=qingyang&year=2018")
    page.goto(f"{app_server.url}/?unit=qingyang&year=2017", wait_until="domcontentloaded")
    page.get_by_text("青阳街道 2017 年政务公开总览").wait_for(timeout=60_000)
    settle(page)
    boards = page.locator('[data-testid="stMetric"]').filter(has_text="公开栏逾期")
    assert boards.locator('[data-testid="stMetricValue"]').inner_text().strip() == "未登记"
    assert page.get_by_text("需要关注（0 项）").count() == 1
    assert page.get_by_text("逾期未完成").count() == 0 and page.get_by_text("0.0%", exact=True).count() == 0
    page.screenshot(path=str(SCREENSHOTS / "overview-2017-unrecorded-1920x1080.png"))
