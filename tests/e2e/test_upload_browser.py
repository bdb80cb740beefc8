"""月度上传 in a real browser: demo_staff drops a file, sees the preview, confirms, sees the success
and the history; a <script> in a cell or a file name stays text (no dialog ever fires)."""

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
)
from tests.helpers.builders import XLSX, projects_file

pytestmark = pytest.mark.e2e
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """An app of its own: this test writes, the shared one must keep the pristine demo."""
    with app_of_its_own(tmp_path_factory, "upload-e2e") as app:
        yield app


def test_staff_uploads_a_file_and_sees_it_in_the_history(own_app, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(own_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_staff")
    page.get_by_text("2018 年政务公开总览").wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebarNav"], [data-testid="stSidebar"]').get_by_text("月度上传").click()
    page.get_by_text("月度报表上传").wait_for(timeout=30_000)

    choose(page, "报表类型", "重大项目完成情况表")
    page.get_by_text("请选择要上传的重大项目完成情况表文件").wait_for(timeout=30_000)
    data, _total = projects_file(note=SCRIPT)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files({"name": f"{SCRIPT}.xlsx", "mimeType": XLSX, "buffer": data})
    page.get_by_text("检查通过：共 25 行数据").wait_for(timeout=90_000)
    assert metric_value(page, "新增") == "25"
    assert page.get_by_text("所属期间：2019-01（从文件识别）").is_visible()
    page.get_by_text("将新增的 25 行").click()
    page.wait_for_timeout(800)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "upload-preview-1920x1080.png"), full_page=True)

    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("新增 25 行").first.wait_for(timeout=60_000)
    undo = page.get_by_role("button", name="撤销第").filter(has_text="重大项目完成情况表 2019-01")
    undo.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / "upload-1920x1080.png"))
    page.screenshot(path=str(SCREENSHOTS / "upload-history-1920x1080.png"), full_page=True)
    assert dialogs == [], "a <script> from the file must never run"
    assert page.locator("script", has_text="alert('x')").count() == 0

    page.locator('[data-testid="stSidebar"]').get_by_text("逐条登记").click()
    page.get_by_text("登记新申请").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / "records-1920x1080.png"), full_page=True)
    assert dialogs == []
