"""Blank templates for each record kind, with a 填表说明 sheet and drop-down lists.

`unit_template` fills the 所属类别 drop-down with the unit's own catalogue for the year
(data_access.store.catalogue); `template` alone lists the default catalogue's.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.read.reports.xlsx import print_setup
from data_access.rules.annual_figures import ITEMS as ANNUAL_ITEMS
from data_access.rules.printing import display_width
from data_access.rules.vocab import CATEGORY_NAMES, COMPLAINT_SOURCES, RECIPIENT_NAMES, WITHHELD_REASONS
from data_access.store.catalogue import unit_items
from data_access.store.models import OrgUnit
from data_access.write.importing import kinds as K
from data_access.write.importing import synonyms as S

# Columns a template leaves out (only read for files in the source document's layout).
_SKIP = {"month_named"}
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("publications", "category"): CATEGORY_NAMES,
    ("publications", "channel"): tuple(S.CHANNEL_SYNONYMS),
    ("publications", "full_text"): ("是", "否"),
    ("publications", "attribute"): ("主动公开", "依申请公开", "不公开"),
    ("publications", "withheld_reason"): WITHHELD_REASONS,
    ("publications", "topic"): S.TOPIC_NAMES,
    ("publications", "secrecy_reviewed"): ("是", "否"),
    ("requests", "channel"): tuple(S.REQUEST_CHANNEL_SYNONYMS),
    ("requests", "applicant_type"): tuple(S.APPLICANT_SYNONYMS),
    ("requests", "appeal_kind"): ("行政复议", "行政诉讼", "申诉举报"),
    ("requests", "appeal_result"): S.APPEAL_RESULTS,
    ("requests", "appeal_path"): ("未经复议直接起诉", "复议后起诉"),
    ("boards", "kind"): tuple(S.BOARD_KIND_SYNONYMS),
    ("deliveries", "recipient"): tuple(RECIPIENT_NAMES.values()),
    ("documents", "attribute"): ("主动公开", "依申请公开", "不予公开"),
    ("documents", "withheld_reason"): WITHHELD_REASONS,
    ("annual-figures", "item"): tuple(i.label for i in ANNUAL_ITEMS),
    ("annual-figures", "not_applicable"): ("是",),
    ("appeals", "kind"): ("行政复议", "行政诉讼"),
    ("appeals", "litigation_path"): ("未经复议直接起诉", "复议后起诉"),
    ("appeals", "result"): S.APPEAL_RESULTS,
    ("complaints", "source"): COMPLAINT_SOURCES,
}
GENERAL_NOTES = (
    "一行填一条记录，不要合并单元格，不要插入小计行（表末的合计行可以保留，系统会核对）。",
    "日期写成 2018-12-03（也可写 2018年12月3日 或直接用 Excel 日期格式）。",
    "金额单位为万元，只填数字。",
    "带 * 的列为必填列；列的顺序可以调整，列名请勿修改。",
    "同一单位同一期间再次上传，会替换上次上传的数据；可在上传记录中撤销。",
)


def _choices(kind: str, field: str, override: Mapping[str, Sequence[str]] | None) -> tuple[str, ...]:
    if override is not None and field in override:
        return tuple(override[field])
    return _CHOICES.get((kind, field), ())


def _option_range(wb: Workbook, values: Sequence[str]) -> str:
    """Put a long drop-down list on the hidden sheet 选项 (one column per list); return its range."""
    sheet = wb["选项"] if "选项" in wb.sheetnames else wb.create_sheet("选项")
    sheet.sheet_state = "hidden"
    col = sheet.max_column + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for i, value in enumerate(values, start=1):
        sheet.cell(i, col, value)
    letter = get_column_letter(col)
    return f"选项!${letter}$1:${letter}${len(values)}"


def columns(kind: str) -> list[K.Column]:
    """The columns a kind's template has."""
    return [c for c in K.SPECS[kind].columns if c.field not in _SKIP]


def unit_template(session: Session, kind: str, unit_code: str, year: int) -> bytes:
    """The kind's blank template with the unit's level-one categories of the year in its drop-down
    (ValueError with a Chinese message for an unknown unit)."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        raise ValueError(f"单位代码 {unit_code} 不存在")
    names = tuple(i.name for i in unit_items(session, unit.id, year) if i.level == 1)
    spec = K.SPECS[kind]
    return template(
        kind,
        title=f"{spec.title}（单位：{unit.name}  期间：{year}年＿＿月）",
        choices={"category": names},
    )


_LIST_LIMIT = 255  # Excel refuses a literal drop-down list longer than this


def template(
    kind: str, *, title: str | None = None, choices: Mapping[str, Sequence[str]] | None = None
) -> bytes:
    """A blank template for the kind as .xlsx bytes: title row, header row, and a 填表说明 sheet.

    `choices` replaces a column's drop-down values (e.g. the unit's categories for 'category');
    a list too long for Excel's literal form is kept on a hidden sheet 选项 and referenced."""
    spec = K.SPECS[kind]
    cols = columns(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title[:31]
    ws.append([title or f"{spec.title}（单位：＿＿＿＿  期间：＿＿＿＿）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([c.label + ("*" if c.required else "") for c in cols])
    required_fill = PatternFill("solid", fgColor="DDEBF7")
    for j, column in enumerate(cols, start=1):
        cell = ws.cell(2, j)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required_fill
        heading = column.label + ("*" if column.required else "")
        example = "" if column.example is None else str(column.example)
        ws.column_dimensions[get_column_letter(j)].width = max(
            10, min(40, max(map(display_width, (heading, example))) + 4)
        )
        listed = _choices(kind, column.field, choices)
        if listed:
            literal = '"' + ",".join(listed) + '"'
            if len(literal) > _LIST_LIMIT or any("," in v or '"' in v for v in listed):
                literal = _option_range(wb, listed)
            dv = DataValidation(type="list", formula1=literal, allow_blank=True)
            dv.add(f"{get_column_letter(j)}3:{get_column_letter(j)}2000")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A3"
    print_setup(ws, "1:2")
    notes = wb.create_sheet("填表说明")
    notes.append(["列名", "是否必填", "说明", "示例"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in cols:
        listed = _choices(kind, column.field, choices)
        help_text = column.help or ("可选：" + "、".join(listed) if listed else "")
        example = "" if column.example is None else str(column.example)
        notes.append([column.label, "必填" if column.required else "选填", help_text, example])
    notes.append([])
    for line in GENERAL_NOTES:
        notes.append([line])
    for letter, width in zip("ABCD", (22, 10, 70, 40), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    print_setup(notes, "1:1")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
