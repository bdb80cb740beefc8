"""Exports never carry a live formula (issue 7): property-tested over arbitrary text, 1,000
examples each (the upload report 250 examples of up to twelve texts), through the product's own writers — the tables every page downloads
(dashboard.widgets.tables), the audit log (dashboard.widgets.audit_table) and the upload's
problem report with the annotated copy of the file (data_access.write.importing.report) — each read back
with openpyxl. A cell is "live" when it is stored as a formula, or when it is text that begins
with = + - @ tab CR or LF (a spreadsheet or a CSV round trip may turn it into one)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.widgets import audit_table, tables
from data_access.read.reports.xlsx import FORMULA_TRIGGERS, safe_text
from data_access.store.audit import ACTION_LABELS, AuditEntry
from data_access.write.importing.issues import ERROR, Issue
from data_access.write.importing.report import issues_workbook

EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that starts like a formula far more often than chance would.
PREFIXES = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n=", "\t=", "==", "=cmd|' /C calc'!", "=HYPERLINK(", "-2+3",
            "+cmd|", "@SUM(", "=1+1", "'=", " =", "＝"]  # fmt: skip
# XML 1.0 cannot hold most control characters; the writers drop or refuse those, not our concern here.
_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]), max_size=30)  # fmt: skip
risky = st.one_of(_TEXT, st.builds(lambda p, s: p + s, st.sampled_from(PREFIXES), _TEXT))


def _live(book_bytes: bytes) -> list[str]:
    """Every live cell of a workbook, as 'sheet!cell: value'."""
    found = []
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)):
                    found.append(f"{sheet.title}!{cell.coordinate}: {value!r}")
    return found


@EXAMPLES
@given(value=risky)
def test_safe_text_never_starts_with_a_trigger(value):
    out = safe_text(value)
    assert not out.startswith(FORMULA_TRIGGERS)
    assert out in (value, "'" + value), "the text itself is kept"


@EXAMPLES
@given(cells=st.lists(st.tuples(risky, risky), min_size=1, max_size=4), heading=risky, unit=risky)
def test_page_downloads_hold_no_live_formula(cells, heading, unit):
    frame = pd.DataFrame(cells, columns=[heading or "标题", "文号"])
    export = tables.Export(
        unit, "2018年", "主动公开信息目录", unit
    )  # the title row and the line under it too
    assert _live(tables.xlsx_bytes({"主动公开信息目录": frame}, export)) == []


@EXAMPLES
@given(entries=st.lists(st.tuples(risky, risky, risky), min_size=1, max_size=4))
def test_the_audit_log_download_holds_no_live_formula(entries):
    at = dt.datetime(2024, 1, 2, 9, 0)
    log = [AuditEntry(i, at, None, user, "settings_change", detail, source) for i, (user, detail, source) in enumerate(entries)]  # fmt: skip
    headers = ("时间", "用户", "操作", "详情", "来源地址")
    assert _live(audit_table.workbook(log, headers, ACTION_LABELS, "操作日志")) == []


def _uploaded(values: list[str]) -> bytes:
    """An uploaded sheet whose column B holds the values as text cells (never as formulas)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["索引号", "信息名称"])
    for n, value in enumerate(values):
        sheet.cell(n + 2, 1, f"QY-{n}")
        cell = sheet.cell(n + 2, 2)
        cell.value = value
        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _report(rows: list[tuple[str, str]]) -> bytes:
    """The problem report of a file whose row n holds a value, flagged with its own message."""
    issues = [Issue(ERROR, message, "Sheet1", n + 2, "信息名称", "B") for n, (_, message) in enumerate(rows)]
    return issues_workbook(_uploaded([value for value, _ in rows]), issues)


def _formulas(book_bytes: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    return [f"{s.title}!{c.coordinate}" for s in book.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"]  # fmt: skip


# Building a report is most of the cost (about 50 ms): a quarter of the examples, each with up to
# twelve (value, message) rows, checks as many texts as the other tests do.
@settings(EXAMPLES, max_examples=250)
@given(rows=st.lists(st.tuples(risky, risky), min_size=1, max_size=12))
def test_the_upload_problem_report_holds_no_formula_and_neutralises_every_trigger(rows):
    report = _report(rows)
    assert _formulas(report) == [], "no cell is stored as a formula"
    assert _live(report) == [], "no text cell begins with a trigger"
