"""月度上传 in AppTest: preview → confirm → every figure follows → undo; errors block; re-uploads are unchanged."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from data_access.read import kpis
from data_access.rules import permissions
from data_access.store import db
from data_access.write import auth
from seed import qingyang2018
from seed.qingyang_data import PROJECTS
from tests.helpers.builders import snapshot, table_counts
from tests.pages.test_apptest_pages import principal, run, texts

PAGE = "pages/upload.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIVE = ("project", "project_progress", "publication", "disclosure_request")


@pytest.fixture
def seeded(empty_sqlite: Engine) -> Engine:
    """A writable copy of the 2018 demo."""
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def staff(engine: Engine) -> permissions.Principal:
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, "demo_staff")


def projects_file(*, broken: bool = False, note: str | None = None) -> tuple[bytes, Decimal]:
    """January 2019's key projects as an office writes them: merged title, unit line, quirky cells, 合计, signature."""
    wb = Workbook()
    ws = wb.active
    ws.title = "1月"
    ws.append(["青阳街道2019年1月份重大项目完成情况表"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：青阳街道党政办", None, None, None, None, None, None, "单位：万元"])
    ws.append(
        [
            "序号",
            "项目名称",
            "总投资",
            "本月完成投资",
            "1-1月累计完成投资",
            "年度计划完成投资",
            "完成进度",
            "主要实施情况",
        ]
    )
    total = Decimal(0)
    for seq, (name, invest, _m10, _ytd10, plan, note) in enumerate(PROJECTS, start=1):
        month = round(plan * 0.07)
        total += month
        cells = [seq, f" {name}\u3000", str(invest).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                 month, month, f"{plan:,}", f"{month / plan:.1%}", note]  # fmt: skip
        if broken and seq == 3:
            cells[3] = "约五百"
        if note is not None and seq == 1:
            cells[7] = note
        ws.append(cells)
        if seq == 12:
            ws.append([None] * 8)
    ws.append(["合计", None, None, float(total) + (1 if broken else 0), float(total), None, None, None])
    ws.append(["填报人：王某某　　审核人：林某某"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), total


def upload(at, data: bytes, name: str, kind: str = "projects"):  # type: ignore[no-untyped-def]
    at.selectbox(key="upload_kind").set_value(kind)
    at.file_uploader[0].set_value((name, data, XLSX))
    return at.run()


def metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def frame(at, column: str):  # type: ignore[no-untyped-def]
    """The first table that has the column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label.startswith(label))


def test_preview_confirm_kpis_undo(monkeypatch, seeded):
    before = snapshot(seeded, LIVE)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    data, total = projects_file()
    at = upload(at, data, "青阳街道2019年1月重大项目.xlsx")
    assert not at.exception
    assert metrics(at) == {"数据行": "25", "新增": "25", "修改": "0", "删除": "0", "不变": "0"}
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
    assert [d.label for d in at.get("download_button")][0].startswith("下载问题清单")
    assert table_counts(seeded) == before


def test_the_same_file_twice_is_unchanged(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    data, _total = projects_file()
    at = upload(at, data, "a.xlsx")
    at = button(at, "确认导入").click().run()
    batch = frame(at, "上传人").iloc[0]["批次"]
    at = upload(at, data, "a-again.xlsx")
    assert f"这个文件已作为第 {batch} 批上传过" in at.info[0].value
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
