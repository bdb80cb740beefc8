"""月度上传 in AppTest: preview → confirm → every figure follows → undo; errors block; re-uploads are unchanged."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from data_access.read import kpis
from data_access.store import db
from seed import qingyang2018
from tests.helpers.builders import XLSX, projects_file, snapshot, table_counts
from tests.helpers.pages import frame, principal, record_downloads, run, staff, texts, url

PAGE = "pages/upload.py"
LIVE = ("project", "project_progress", "publication", "disclosure_request")


@pytest.fixture
def seeded(empty_sqlite: Engine) -> Engine:
    """A writable copy of the 2018 demo."""
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def upload(at, data: bytes, name: str, kind: str = "projects"):  # type: ignore[no-untyped-def]
    at.selectbox(key="upload_kind").set_value(kind)
    at.file_uploader[0].set_value((name, data, XLSX))
    return at.run()


def metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label.startswith(label))


def test_preview_confirm_kpis_undo(monkeypatch, seeded):
    before = snapshot(seeded, LIVE)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    data, total = projects_file()
    at = upload(at, data, "青阳街道2019年1月重大项目.xlsx")
    assert not at.exception
    assert metrics(at) == {"数据行": "25", "新增": "25", "修改": "0", "删除": "0", "不变": "0"}
    assert all(len(m.proto.help) > 15 for m in at.metric), "each count's 「?」 says how it is found"
    assert "所属期间：2019-01（从文件识别）" in texts(at)
    assert "合计行已识别并核对" in " ".join(frame(at, "说明")["说明"])
    assert not button(at, "确认导入").disabled
    assert snapshot(seeded, LIVE) == before, "a preview writes nothing"

    at = button(at, "确认导入").click().run()
    assert "已导入第" in at.success[0].value and "新增 25 行" in at.success[0].value
    with db.read_session(seeded) as s:
        figures = kpis.compute(s, 2019, None, "qingyang")["projects"]
    assert (figures["count"], Decimal(figures["ytd_invested"])) == (25, total)
    history = frame(at, "上传人")
    assert history.iloc[0]["文件"] == "青阳街道2019年1月重大项目.xlsx"
    assert (history.iloc[0]["上传人"], history.iloc[0]["状态"], history.iloc[0]["行数"]) == (
        "演示工作人员",
        "生效",
        "25",
    )

    at = button(at, f"撤销第 {history.iloc[0]['批次']} 批").click().run()
    assert "确定撤销" in at.warning[0].value
    at = button(at, "确认撤销").click().run()
    assert "已撤销" in at.success[0].value
    assert snapshot(seeded, LIVE) == before
    assert frame(at, "上传人").iloc[0]["状态"] == "已撤销"


def test_errors_are_listed_with_their_cells_and_block_the_import(monkeypatch, seeded):
    before = table_counts(seeded)
    recorded = record_downloads(monkeypatch)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    data, _total = projects_file(broken=True)
    at = upload(at, data, "broken.xlsx")
    assert "文件有 3 处错误，不能导入" in at.error[0].value
    problems = frame(at, "说明")
    bad = problems[problems["级别"] == "错误"]
    assert list(bad["工作表"]) == ["1月"] * 3
    assert set(bad["行"]) == {"6", "30"}, "the bad cell's Excel row and the 合计 row"
    assert "D（本月完成投资）" in set(bad["列"])
    assert any("「约五百」不是数字" in m for m in bad["说明"])
    assert button(at, "确认导入").disabled
    issues = at.get("download_button")[0]
    assert issues.label.startswith("下载问题清单")
    name, build = recorded[issues.proto.deferred_file_id]
    listing = load_workbook(io.BytesIO(build()))["问题清单"]
    assert name == "broken问题清单.xlsx" and listing["A1"].value == "broken.xlsx 问题清单"
    assert (listing.page_setup.orientation, listing.print_title_rows) == ("landscape", "$2:$2")
    assert table_counts(seeded) == before


def test_the_same_file_twice_is_unchanged(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    data, _total = projects_file()
    at = upload(at, data, "a.xlsx")
    at = button(at, "确认导入").click().run()
    batch = frame(at, "上传人").iloc[0]["批次"]
    at = upload(at, data, "a-again.xlsx")
    assert f"与当前数据相同，未导入：第 {batch} 批" in at.info[0].value
    assert button(at, "确认导入").disabled


def test_a_script_in_a_title_is_only_text(monkeypatch, seeded):
    wb = Workbook()
    ws = wb.active
    ws.append(["索引号", "信息名称", "所属类别", "形成日期", "公开日期"])
    ws.append(
        [
            "QY-0601-2019-0001",
            "<script>alert('x')</script>低保公示",
            "民政扶贫救灾社会保障就业类",
            "2019-01-03",
            "2019-01-04",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at = upload(at, out.getvalue(), "<script>x</script>.xlsx", "publications")
    assert frame(at, "信息名称").iloc[0]["信息名称"] == "<script>alert('x')</script>低保公示"
    assert not any("<script>" in h.proto.body for h in at.get("html"))


def test_a_leader_may_not_open_the_page(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=principal("leader"))
    assert [e.value for e in at.error] == ["无权访问"]
    assert not at.file_uploader and not at.dataframe


def test_a_conflicting_commit_says_so_in_chinese_and_writes_nothing(monkeypatch, seeded):
    from data_access.write.importing import store
    from data_access.write.importing.pipeline import CONFLICT_MESSAGE

    def changed_under_us(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise db.WriteConflict("update project: 0 rows where the plan has 1")

    before = table_counts(seeded)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    data, _total = projects_file()
    at = upload(at, data, "a.xlsx")
    monkeypatch.setattr(store, "apply", changed_under_us)
    at = button(at, "确认导入").click().run()
    assert not at.exception and not any("已导入" in m.value for m in at.success)
    assert [e.value for e in at.error] == [CONFLICT_MESSAGE]
    assert table_counts(seeded) == before


def test_an_empty_template_previews_as_a_zero_report_and_files_it(monkeypatch, seeded):
    from sqlalchemy import select

    from data_access.store.models import ZeroReport

    wb = Workbook()
    wb.active.append(["所属月份", "接收单位", "送交日期", "份数"])  # the header, no data rows
    out = io.BytesIO()
    wb.save(out)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at.text_input(key="upload_period").input("2019")
    at = upload(at, out.getvalue(), "送交两馆2019.xlsx", kind="deliveries")
    assert not at.exception
    said = [w.value for w in at.warning]
    assert any(w.startswith("本表没有数据行：确认导入即登记为本年（2019 年）零报告") for w in said), said
    assert metrics(at)["数据行"] == "0"
    assert not button(at, "确认导入").disabled

    at = button(at, "确认导入").click().run()
    assert (
        "已导入第" in at.success[0].value and "已登记 2019 年零报告：送交两馆本年为 0" in at.success[0].value
    )
    with db.read_session(seeded) as s:
        filed = [(z.kind, z.year) for z in s.scalars(select(ZeroReport).where(ZeroReport.year == 2019))]
    assert filed == [("deliveries", 2019)]
