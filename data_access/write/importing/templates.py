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
# What a column holds, for the 填表说明 sheet, where the kind's spec gives no help of its own.
_DESCRIBE: dict[tuple[str, str], str] = {
    ("publications", "title"): "信息的完整名称，与网站上公开的名称一致",
    ("publications", "formed_date"): "信息形成（成文）的日期",
    ("publications", "secrecy_reviewer"): "做保密审查的科室或人员，可留空",
    ("publications", "secrecy_review_date"): "保密审查完成的日期，可留空",
    ("projects", "seq"): "表内序号，仅便于核对，可留空",
    ("projects", "name"): "项目全称，每月名称保持一致，系统按名称逐月累计",
    ("projects", "notes"): "本月形象进度或主要实施情况，文字",
    ("requests", "received_date"): "收到申请之日（当面提交为当日，信函为签收日，网络为系统接收日）",
    ("requests", "applicant_name"): "自然人姓名或单位名称，可留空",
    ("requests", "applicant_contact"): "电话或地址，可留空；不在看板上显示",
    ("requests", "summary"): "申请公开的政府信息，简要写明",
    ("requests", "appeal_date"): "申请人提起复议、诉讼或申诉举报之日，没有的留空",
    ("boards", "board"): "公开栏的名称，同一公开栏每次写法一致",
    ("boards", "location"): "公开栏所在位置，可留空",
    ("boards", "update_date"): "公开栏内容更新之日",
    ("boards", "note"): "更新的内容，可留空",
    ("deliveries", "delivered_date"): "实际送交之日，可留空",
    ("deliveries", "item_count"): "送交的纸质材料份数，填整数",
    ("documents", "title"): "公文标题全称",
    ("documents", "formed_date"): "公文成文（签发）日期，应在本年内",
    ("appeals", "filed_date"): "收到复议申请或起诉状（立案）之日",
    ("appeals", "summary"): "案由或简要情况，可留空",
    ("complaints", "filed_date"): "收到申诉举报之日",
    ("complaints", "summary"): "申诉举报反映的事项，简要写明",
    ("complaints", "handling"): "处理结果或办理情况，尚未办结的留空",
}
# Examples for the 填表说明 sheet where the spec has none (the import's own examples stay in the spec).
_EXAMPLES: dict[tuple[str, str], str] = {
    ("publications", "doc_no"): "某政办〔2021〕3号",
    ("publications", "withheld_reason"): "工作秘密",
    ("projects", "plan_ytd"): "3500",
    ("requests", "applicant_contact"): "0566-1234567",
    ("requests", "extension_approved_on"): "2021-06-20",
    ("requests", "correction_sent"): "2021-06-08；2021-06-15",
    ("requests", "correction_received"): "2021-06-12；2021-06-18",
    ("requests", "third_party_from"): "2021-06-20",
    ("requests", "third_party_to"): "2021-07-05",
    ("requests", "main_outcome"): "予以公开",
    ("requests", "appeal_kind"): "行政复议",
    ("requests", "appeal_date"): "2021-08-02",
    ("requests", "appeal_result"): "维持",
    ("requests", "appeal_path"): "复议后起诉",
    ("documents", "withheld_reason"): "工作秘密",
    ("documents", "index_no"): "QY-0601-2021-0012",
    ("appeals", "request_no"): "YSQ-2025-003",
    ("appeals", "litigation_path"): "未经复议直接起诉",
    ("annual-figures", "decisions"): "156",
    ("annual-figures", "fees"): "12.5",
    ("annual-figures", "not_applicable"): "是",
}
_DATE_FORMAT = "日期格式：2021-03-05（也可写 2021年3月5日 或 Excel 日期）"
_NUMBER_FIELDS = {
    "total_investment",
    "month_invested",
    "ytd_invested",
    "annual_plan",
    "plan_ytd",
    "item_count",
    "extension_days",
    "issued",
    "abolished",
    "in_force",
    "decisions",
    "fees",
}


def _is_date(column: K.Column) -> bool:
    return column.field.endswith(("_date", "_on", "_sent", "_received", "_from", "_to"))


def explain(kind: str, column: K.Column, listed: Sequence[str] = ()) -> str:
    """The 填表说明 text of a column: what it holds, its format and the values it allows."""
    parts = [column.help or _DESCRIBE.get((kind, column.field), "")]
    if _is_date(column):
        parts.append(_DATE_FORMAT)
    if column.field in _NUMBER_FIELDS:
        parts.append("只填数字")
    if listed and not all(v in parts[0] for v in listed[:3]):
        parts.append("可选：" + "、".join(listed))
    return "；".join(p for p in parts if p)


def example_text(kind: str, column: K.Column) -> str:
    """The 填表说明 example of a column."""
    if column.example is not None:
        return str(column.example)
    return _EXAMPLES.get((kind, column.field), "")


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
        notes.append(
            [
                column.label,
                "必填" if column.required else "选填",
                explain(kind, column, listed),
                example_text(kind, column),
            ]
        )
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
