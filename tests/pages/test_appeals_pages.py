"""The 依申请公开 page counts a year's complaints by source, and the upload preview shows appeals rows in
the sheet's own words (行政复议, 复议后起诉, the request's 编号), not the stored codes."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.panels import upload_view
from data_access.rules.permissions import OPERATOR
from data_access.write.importing import commit, preview
from tests.helpers.builders import UNIT, setup_unit, xlsx
from tests.helpers.pages import principal, run, texts, url


def _request(engine: Engine) -> None:
    head = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
    row = ["YSQ-2025-001", "2025-02-10", "网络", "自然人", "申请公开某项目审批文件", "2025-02-20", "予以公开"]
    assert (
        commit(engine, OPERATOR, xlsx([head, row]), "requests", UNIT, "2025", "r.xlsx").status == "committed"
    )


def test_requests_page_counts_complaints_by_source(monkeypatch, empty_sqlite: Engine) -> None:  # type: ignore[no-untyped-def]
    setup_unit(empty_sqlite)
    _request(empty_sqlite)
    rows = [["收到日期", "来源", "事项"]] + [
        ["2025-03-01", source, f"事项{i}"]
        for i, source in enumerate(["12345", "市长热线", "热线", "信访", "来访"])
    ]
    assert (
        commit(empty_sqlite, OPERATOR, xlsx(rows), "complaints", UNIT, "2025", "c.xlsx").status == "committed"
    )
    at = run(monkeypatch, url(empty_sqlite), "pages/requests.py", {"year": "2025"}, who=principal("leader"))
    assert "申诉举报 5 件，按来源：热线 3 · 信访 2" in texts(at)


def test_upload_preview_shows_appeals_in_the_sheets_words(empty_sqlite: Engine) -> None:
    setup_unit(empty_sqlite)
    _request(empty_sqlite)
    head = ["类型", "收到（提起）日期", "涉及的申请编号", "诉讼途径", "结果", "审结日期"]
    rows = [head, ["行政诉讼", "2025-04-01", "YSQ-2025-001", "复议后起诉", "尚未审结", None]]
    checked = preview(empty_sqlite, xlsx(rows), "appeals", UNIT, "2025", "a.xlsx")
    assert checked.status == "valid", [i.message for i in checked.issues]
    frame = upload_view.rows_frame("appeals", checked.added)
    assert frame.iloc[0].tolist() == ["行政诉讼", "2025-04-01", "YSQ-2025-001", "复议后起诉", "尚未审结", ""]
