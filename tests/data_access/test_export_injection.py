"""Exports never carry a live formula: property-tested over arbitrary text (issue 7)."""

from __future__ import annotations

import io

import openpyxl
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.reports.xlsx import FORMULA_TRIGGERS, safe_text

# Text that starts like a formula more often than chance would.
risky = st.one_of(
    st.text(max_size=40),
    st.builds(lambda p, s: p + s, st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "=cmd|", "=HYPERLINK("]),
              st.text(max_size=30)),
)  # fmt: skip


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=risky)
def test_safe_text_never_starts_with_a_trigger(value):
    out = safe_text(value)
    assert not out.startswith(FORMULA_TRIGGERS)
    assert out in (value, "'" + value)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(risky, min_size=1, max_size=5))
def test_a_written_workbook_holds_no_formula(values):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("导出")
    for row, value in enumerate(values):
        sheet.write_string(row, 0, safe_text(value))
    book.close()
    cells = list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    for (cell,), _value in zip(cells, values, strict=False):
        assert cell.data_type != "f"
        text = "" if cell.value is None else str(cell.value)
        assert not text.startswith(("=", "+", "-", "@")), repr(text)
