"""The statutory annual report (年度报告) from the records, in the old (≤ 2018) or the 2021 format.

`build(session, year, unit_code, template)` returns the report as JSON-ready data;
`write_xlsx` / `write_docx` turn it into the office's files. The template defaults
to 'old' for years up to 2018 and '2021' afterwards.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from data_access.read.kpis import KpiError
from data_access.read.reports.common import TEMPLATES, Cell, Missing, default_template, is_number
from data_access.read.reports.format_2021 import Report2021, build_2021
from data_access.read.reports.old_format import OldReport, build_old
from data_access.read.reports.requests_2021 import check_table_3, classify_outcome, findings

__all__ = [
    "TEMPLATES",
    "AnnualReport",
    "Cell",
    "Missing",
    "build",
    "build_2021",
    "build_old",
    "check_table_3",
    "classify_outcome",
    "default_template",
    "findings",
    "is_number",
]

AnnualReport = OldReport | Report2021  # told apart by report["template"]: 'old' or '2021'


def build(
    session: Session, year: int, unit_code: str | None = None, template: str | None = None
) -> AnnualReport:
    """The annual report of a unit for a year in the given template (default by year)."""
    template = template or default_template(year)
    if template == "old":
        return build_old(session, year, unit_code)
    if template == "2021":
        return build_2021(session, year, unit_code)
    raise KpiError(f"未知的报告格式：{template}（可选：{'、'.join(TEMPLATES)}）")
