"""月度上传 in a real browser: a December file that replaces the demo's December shows the rows it
deletes in an amber warning, and 确认导入 stays disabled until 「确认删除 N 条」 is ticked; the preview
shows each row's 所属类别 and the variant it was mapped from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.browser import (
    SCREENSHOTS,
    RunningApp,
    app_of_its_own,
    choose,
    log_in,
    metric_value,
    settle,
)
from tests.helpers.builders import PUB_HEADER, XLSX, publication_rows, xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("upload-removal")]


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """An app of its own: this test deletes the demo's December items."""
    with app_of_its_own(tmp_path_factory, "upload-removal") as app:
        yield app


def test_deleting_rows_needs_the_tick_box(own_app, page):
    page.goto(own_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_staff")
    page.get_by_text("2018 年政务公开总览").wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebar"]').get_by_text("月度上传").click()
    page.get_by_text("月度报表上传").wait_for(timeout=30_000)
    choose(page, "报表类型", "主动公开信息目录")

    rows = publication_rows(2, month=12)
    rows[0][2] = "安全生产应急管理类"  # a variant the catalogue writes 安全生产、应急管理类
    data = xlsx([["青阳街道2018年12月主动公开政府信息目录"], PUB_HEADER, *rows])
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "12月目录.xlsx", "mimeType": XLSX, "buffer": data}
    )
    warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="将删除下列")
    warning.wait_for(timeout=90_000)
    settle(page)
    removed = int(metric_value(page, "删除"))
    assert removed > 0, "the demo's December items are not in the file"
    assert f"将删除下列 {removed} 条已有记录" in warning.inner_text()
    assert page.get_by_text("「安全生产应急管理类」按「安全生产、应急管理类」导入（1 行）").is_visible()
    confirm = page.get_by_role("button", name="确认导入")
    assert confirm.is_disabled(), "确认导入 must wait for the tick box"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "upload-removal-1920x1080.png"), full_page=True)

    page.get_by_test_id("stCheckbox").get_by_text(f"确认删除 {removed} 条").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('button')].some(
               b => b.innerText.includes('确认导入') && !b.disabled)""",
        timeout=30_000,
    )
    page.get_by_role("button", name="确认导入").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "upload-removal-ticked-1920x1080.png"))
    page.get_by_role("button", name="确认导入").click()
    done = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="已导入第")
    done.wait_for(timeout=90_000)
    assert f"删除 {removed} 行" in done.inner_text()
