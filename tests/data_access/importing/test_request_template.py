"""The requests template carries the columns of requests as they move — 延长工作日数, 延期批准日期,
答复类型 with several parts, 主要答复类型 — each explained on the 填表说明 sheet."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from data_access.write.importing import template

NEW = {
    "延长工作日数": "最多 20 个工作日",
    "延期批准日期": "晚于原答复期限批准的，延期不计",
    "答复类型": "用“；”分隔",
    "主要答复类型": "留空按第一项",
}


def test_the_requests_template_explains_the_new_columns() -> None:
    wb = load_workbook(io.BytesIO(template("requests")))
    headers = [c.value for c in wb.worksheets[0][2]]
    assert set(NEW) <= set(headers)
    assert headers.index("延期批准日期") < headers.index("答复日期") < headers.index("主要答复类型")
    notes = {row[0]: row for row in wb["填表说明"].iter_rows(values_only=True) if row and row[0] in NEW}
    assert set(notes) == set(NEW)
    for header, words in NEW.items():
        assert notes[header][1] == "选填" and words in notes[header][2], notes[header]
