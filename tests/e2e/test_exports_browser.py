"""A page's export in a real browser (issue 17 item 2): the file arrives under its Chinese name
and opens on its title, ready to print landscape on A4, one page wide."""

from __future__ import annotations

import openpyxl
import pytest

from tests.helpers.browser import log_in, settle, wait_for_session_cookie

pytestmark = pytest.mark.e2e


def test_the_project_table_downloads_under_its_chinese_name(app_server, page, tmp_path):
    page.goto(app_server.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_leader")
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    page.goto(f"{app_server.url}/projects?unit=qingyang&year=2018&month=12", wait_until="domcontentloaded")
    page.get_by_text("重点项目完成情况表（2018 年 12 月）").first.wait_for(timeout=60_000)
    settle(page)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="下载 Excel 表格").first.click()
    assert download.value.suggested_filename == "青阳街道2018年12月重点项目完成情况表.xlsx"
    saved = tmp_path / "projects.xlsx"
    download.value.save_as(saved)
    ws = openpyxl.load_workbook(saved).active
    assert ws["A1"].value == "青阳街道2018年12月重点项目完成情况表"
    assert str(ws["A2"].value).startswith("单位：青阳街道　期间：2018年12月　金额单位：万元　导出时间：")
    assert ws["B3"].value == "项目名称" and ws["B29"].value == "合计"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToHeight, ws.print_title_rows) == (
        "landscape",
        9,
        0,
        "$3:$3",
    )
