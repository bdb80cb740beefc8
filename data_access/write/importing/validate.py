"""Checks across rows and against the database: duplicates, 合计 rows, the period, cross-checks.

`validate(session, ctx, table, kind, period)` converts every row and returns the
records, the issues (every problem at once) and the period key the file is stored
under: 'YYYY-MM' for monthly kinds, 'YYYY' (or '' when the rows span several
years) for kinds whose rows carry their own dates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.store.models import Project, ProjectProgress, Publication
from data_access.write.importing import convert_appeals
from data_access.write.importing.changelog import chunks
from data_access.write.importing.convert import CONVERTERS, Cells, Context, publication_issues
from data_access.write.importing.deadline import late_replies
from data_access.write.importing.issues import ERROR, INFO, WARNING, Issue
from data_access.write.importing.kinds import SPECS
from data_access.write.importing.normalise import (
    CellError,
    clean_text,
    fold,
    is_blank,
    parse_count,
    parse_decimal,
)
from data_access.write.importing.tables import Row, Table

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_YTD_MONTH = re.compile(r"1\s*[-~至到—–]\s*(\d{1,2})\s*月")


class BadPeriod(ValueError):
    """A period argument that is not YYYY-MM (or YYYY); message in Chinese."""


def parse_period(period: str | None, kind: str) -> str | None:
    """Normalise a chosen period: 'YYYY-MM' for monthly kinds, 'YYYY' for the others; None if not given."""
    if period is None or period.strip() == "":
        return None
    match = _PERIOD.match(period.strip())
    if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise BadPeriod(f"期间「{period}」格式不对，应为 YYYY-MM（如 2018-10）")
    year, month = match.group(1), match.group(2)
    if SPECS[kind].period == "month":
        if not month:
            raise BadPeriod(f"{SPECS[kind].title}按月上传，期间应为 YYYY-MM（如 2018-10）")
        return f"{year}-{int(month):02d}"
    return year


def validate(
    session: Session, ctx: Context, table: Table, kind: str, period: str | None, file_name: str = ""
) -> tuple[list[dict], list[Issue], str]:
    """Convert and check every row; return the records, the issues and the period key."""
    issues: list[Issue] = []
    records = []
    field_of = {j: f for f, j in table.columns.items()}
    formulas: dict[int, list[str]] = defaultdict(list)
    for r, col in table.sheet.empty_formulas:
        if col in field_of:
            formulas[r + 1].append(field_of[col])
    any_nul = _has_nul(table)
    failed: list[tuple[tuple, str, int]] = []  # rows not converted (errors): key, key as written, row
    for row in table.rows:
        cells = Cells(table, row, issues)
        start = len(issues)
        record = CONVERTERS[kind](ctx, cells)
        nul = _nul_fields(row) if any_nul else ()
        if row.number in formulas or nul:
            bad = {*formulas.get(row.number, ()), *nul}
            letters = {table.issue(ERROR, "", None, name).column_letter for name in bad}
            issues[start:] = [
                i for i in issues[start:] if i.column_letter not in letters
            ]  # blank only because uncomputed, unreadable only because of the NUL
            for name in formulas.get(row.number, ()):
                cells.error(name, "公式单元格没有计算结果（请在 Excel/WPS 中打开并保存后再上传）")
            for name in nul:
                cells.error(name, NUL_MESSAGE)
            record = None
        if record is not None:
            record["_row"] = row.number
            records.append(record)
        elif (written := _written_key(kind, row)) is not None:
            failed.append((*written, row.number))
    if table.skipped_notes:
        issues.append(
            table.issue(
                INFO, f"第 {_rows(table.skipped_notes)} 行不是数据行（说明、签字或重复的表头），已跳过"
            )
        )
    if kind in APPEAL_KINDS:  # no key column: identical rows are distinct records, numbered
        convert_appeals.number(kind, records)
    else:
        _duplicates(table, kind, records, issues, failed)
    if kind == "publications":
        issues += publication_issues(table, records)
    period_key = _period(table, kind, period, records, issues, file_name)
    if kind in APPEAL_KINDS and not period_key and records:
        issues.append(table.issue(ERROR, "各行的日期跨越多个年份，请指定所属年份（YYYY），按年上传"))
    _totals(table, kind, records, issues)
    if kind == "projects" and period_key:
        _projects(session, ctx, table, period_key, records, issues)
    if kind == "requests":
        _request_deadlines(session, ctx, table, records, issues)
    if kind == "deliveries":
        _delivery_counts(session, ctx, table, records, issues)
    if kind == "documents":
        _document_links(session, ctx, table, records, issues)
    if kind == "annual-figures":
        from data_access.write.importing import annual

        issues += annual.checks(session, ctx, table, period_key, records)
    if kind == "appeals":
        convert_appeals.link_requests(session, ctx, table, records, issues)
    return records, issues, period_key


# Import kinds stored as appeal rows, keyed by content and occurrence (convert_appeals).
APPEAL_KINDS = frozenset({"appeals", "complaints"})


NUL_MESSAGE = "单元格中含有空字符（NUL，\\x00），数据库无法保存，请删除该字符（或重新输入该单元格）后再上传"


def _has_nul(table: Table) -> bool:
    """True when some text in the sheet holds a NUL (one pass over the sheet, not per row)."""
    return "\x00" in "".join([v for row in table.sheet.rows for v in row if type(v) is str])


def _nul_fields(row: Row) -> list[str]:
    """The fields of a row whose text holds a NUL character, which PostgreSQL refuses to store."""
    return [name for name, (value, _j) in row.cells.items() if type(value) is str and "\x00" in value]


def _rows(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def record_key(kind: str, record: dict) -> tuple:
    """The key that identifies a record within its unit (duplicates in one file are errors)."""
    if kind == "publications":
        return (record["index_no"],)
    if kind == "projects":
        return (fold(record["name"]),)
    if kind == "requests":
        return (record["request_no"],)
    if kind == "boards":
        return (fold(record["board"]), record["update_date"], record["kind"])
    if kind == "documents":
        return (fold(record["doc_no"]),)
    if kind == "annual-figures":
        return (record["item"],)
    if kind in APPEAL_KINDS:
        return record["_key"]
    return (record["period_ym"], record["recipient"])


_KEY_FIELD = {
    "publications": "index_no",
    "projects": "name",
    "requests": "request_no",
    "boards": "board",
    "deliveries": "period_ym",
    "documents": "doc_no",
    "annual-figures": "item",
}


# Kinds whose key is one cell: a row with errors elsewhere still has its key checked for duplicates.
_WRITTEN_KEYS = {
    "publications": "index_no",
    "projects": "name",
    "requests": "request_no",
    "documents": "doc_no",
}


def _written_key(kind: str, row: Row) -> tuple[tuple, str] | None:
    """The key of a row that did not convert as record_key would make it, and as written (None:
    blank, or a kind whose key spans several cells)."""
    name = _WRITTEN_KEYS.get(kind)
    value = row.cells.get(name, (None, -1))[0] if name else None
    if value is None or is_blank(value):
        return None
    text = clean_text(value)
    return ((fold(text),) if kind in ("projects", "documents") else (text,)), text


def _duplicates(
    table: Table, kind: str, records: list[dict], issues: list[Issue], failed: list[tuple[tuple, str, int]]
) -> None:
    """Every key written on more than one row, rows with errors included (one upload shows all)."""
    groups: dict[tuple, list[tuple[str, int]]] = defaultdict(list)
    for record in records:
        shown = record["name"] if kind == "projects" else " / ".join(str(k) for k in record_key(kind, record))
        groups[record_key(kind, record)].append((shown, record["_row"]))
    for key, shown, number in failed:
        groups[key].append((shown, number))
    label = SPECS[kind].key_label
    for _key, group in groups.items():
        if len(group) > 1:
            group.sort(key=lambda g: g[1])
            shown_key = group[0][0]
            rows = [n for _shown, n in group]
            issues.append(
                table.issue(
                    ERROR,
                    f"{label}「{shown_key}」重复出现在第 {_rows(rows)} 行（共 {len(rows)} 行），每项只能出现一次",
                    rows[0],
                    _KEY_FIELD[kind],
                )
            )


def _period(
    table: Table, kind: str, chosen: str | None, records: list[dict], issues: list[Issue], file_name: str
) -> str:
    spec = SPECS[kind]
    if spec.period == "year":
        years = {_record_year(kind, r) for r in records} - {None}
        if chosen:
            outside = [r["_row"] for r in records if _record_year(kind, r) not in (None, int(chosen))]
            if outside:
                issues.append(
                    table.issue(
                        WARNING, f"第 {_rows(outside[:20])} 行的日期不在所选年份 {chosen} 年内", outside[0]
                    )
                )
            return chosen
        if kind == "documents" and len(years) > 1:  # a file is one year's documents
            issues.append(
                table.issue(
                    ERROR,
                    f"各行的成文日期分属 {'、'.join(str(y) for y in sorted(years))} 年："
                    "公文按年上传，请指定所属年份（YYYY）",
                    None,
                    "formed_date",
                )
            )
            return ""
        return str(years.pop()) if len(years) == 1 else ""
    found = _period_in_text(table)
    if kind == "publications" and found is None:
        months = [r["published_ym"] for r in records if r.get("published_ym")]
        if months:
            ym = max(set(months), key=months.count)
            found = f"{ym // 100}-{ym % 100:02d}"
    if chosen and found and found != chosen:
        issues.append(
            table.issue(
                WARNING, f"文件标题或表头显示的月份是 {found}，与所选的 {chosen} 不一致，将按 {chosen} 导入"
            )
        )
    period = chosen or found
    if period is None:
        issues.append(_no_month(table, file_name))
        return ""
    if kind == "publications":
        ym = int(period[:4]) * 100 + int(period[5:])
        outside = [r["_row"] for r in records if r.get("published_ym") not in (None, ym)]
        if outside:
            issues.append(
                table.issue(
                    WARNING,
                    f"第 {_rows(outside[:20])} 行的公开日期不在 {period} 月内",
                    outside[0],
                    "published_date",
                )
            )
    return period


def _no_month(table: Table, file_name: str) -> Issue:
    """The error for a monthly file whose month is written nowhere: which file, which cells were read."""
    title = f"标题「{table.title}」" if table.title else "没有标题行"
    header_row = table.header_rows[-1] + 1 if table.header_rows else None
    where = f"文件「{file_name}」" if file_name else "文件"
    return table.issue(
        ERROR,
        f"无法确定所属月份：{where}{title}，第 {header_row} 行的表头中也没有写明年月"
        "（如“2018年10月”或“1-10月累计”）。请在“所属期间”中填写月份（YYYY-MM，命令行用 --period），"
        "或在标题中写明年月后重新上传",
        header_row,
    )


def _record_year(kind: str, record: dict) -> int | None:
    if kind == "annual-figures":
        return None  # the rows carry no date: the chosen year is the file's
    if kind == "requests":
        return record["received_year"]
    if kind == "boards":
        return record["update_date"].year if record["update_date"] else None
    if kind == "documents":
        return record["formed_date"].year if record["formed_date"] else None
    if kind in APPEAL_KINDS:
        return record["filed_year"]
    return record["period_ym"] // 100 if record["period_ym"] else None


def _period_in_text(table: Table) -> str | None:
    """'YYYY-MM' from the title (XX街道2018年10月份…) or headers (2018年10月完成投资, 1-10月累计)."""
    texts = [table.title, *table.headers.values()]
    year = month = None
    for text in texts:
        match = _YEAR_MONTH.search(text or "")
        if match and 1 <= int(match.group(2)) <= 12:
            year, month = int(match.group(1)), int(match.group(2))
            break
    if month is None:
        for text in texts:
            match = _YTD_MONTH.search(text or "")
            year_match = re.search(r"(\d{4})\s*年", table.title or "")
            if match and year_match and 1 <= int(match.group(1)) <= 12:
                year, month = int(year_match.group(1)), int(match.group(1))
                break
    return f"{year}-{month:02d}" if year and month else None


_TOTAL_FIELDS = {
    "projects": ("total_investment", "month_invested", "ytd_invested", "annual_plan"),
    "deliveries": ("item_count",),
}


def _totals(table: Table, kind: str, records: list[dict], issues: list[Issue]) -> None:
    fields = _TOTAL_FIELDS.get(kind, ())
    for total in table.totals:
        if not fields:
            issues.append(table.issue(INFO, "合计行已识别，不作为数据导入", total.number))
            continue
        checked = []
        for name in fields:
            value = total.cells.get(name, (None, -1))[0]
            if is_blank(value):
                continue
            try:
                stated = parse_count(value) if kind == "deliveries" else parse_decimal(value)
            except CellError as exc:
                issues.append(table.issue(ERROR, f"合计行：{exc}", total.number, name))
                continue
            actual = sum((Decimal(r[name] or 0) for r in records), Decimal(0))
            checked.append(table.header_of(name))
            if Decimal(stated) != actual:
                issues.append(
                    table.issue(
                        ERROR,
                        f"合计行的“{table.header_of(name)}”为 {stated}，但各行相加为 {actual}，请核对",
                        total.number,
                        name,
                    )
                )
        issues.append(
            table.issue(
                INFO, f"合计行已识别并核对（{'、'.join(checked) or '无数值'}），不作为数据导入", total.number
            )
        )


def _projects(
    session: Session, ctx: Context, table: Table, period: str, records: list[dict], issues: list[Issue]
) -> None:
    year, month = int(period[:4]), int(period[5:])
    previous: dict[str, Decimal] = {}
    if month > 1:
        rows = session.execute(
            select(Project.name, ProjectProgress.ytd_invested)
            .join(Project, Project.id == ProjectProgress.project_id)
            .where(
                ProjectProgress.unit_id == ctx.unit_id,
                ProjectProgress.year == year,
                ProjectProgress.month == month - 1,
            )
        )
        previous = {fold(name): Decimal(ytd) for name, ytd in rows}
    for r in records:
        if r["_month_named"] is not None and r["_month_named"] != r["month_invested"]:
            issues.append(
                table.issue(
                    WARNING,
                    f"“{table.header_of('month_named')}”（{r['_month_named']}）与本月完成投资（{r['month_invested']}）不一致",
                    r["_row"],
                    "month_named",
                )
            )
        if r["_progress"] is not None and r["annual_plan"]:
            rate = r["ytd_invested"] / r["annual_plan"]
            if abs(rate - r["_progress"]) > Decimal("0.0015"):
                issues.append(
                    table.issue(
                        WARNING,
                        f"完成进度填的是 {r['_progress']:.1%}，按累计÷年度计划应为 {rate:.1%}",
                        r["_row"],
                        "progress",
                    )
                )
        expected = previous.get(fold(r["name"])) if month > 1 else Decimal(0)
        if expected is not None and expected + r["month_invested"] != r["ytd_invested"]:
            issues.append(
                table.issue(
                    WARNING,
                    f"1-{month}月累计 {r['ytd_invested']} ≠ 上月累计 {expected} + 本月 {r['month_invested']}",
                    r["_row"],
                    "ytd_invested",
                )
            )


def _request_deadlines(
    session: Session, ctx: Context, table: Table, records: list[dict], issues: list[Issue]
) -> None:
    for r, due, days in late_replies(session, ctx.unit_id, records):
        issues.append(
            table.issue(
                WARNING,
                f"应在收到后 {days} 个工作日内答复（截止 {due}），实际 {r['reply_date']} 答复，已超期",
                r["_row"],
                "reply_date",
            )
        )


def _delivery_counts(
    session: Session, ctx: Context, table: Table, records: list[dict], issues: list[Issue]
) -> None:
    months = {r["period_ym"] for r in records}
    if not months:
        return
    published = dict(
        session.execute(
            select(Publication.published_ym, func.count())
            .where(
                Publication.unit_id == ctx.unit_id,
                Publication.attribute == "proactive",
                Publication.published_ym.in_(months),
            )
            .group_by(Publication.published_ym)
        ).all()
    )
    for r in records:
        count = published.get(r["period_ym"])
        if count and count != r["item_count"]:
            issues.append(
                table.issue(
                    WARNING,
                    f"{r['period_ym'] // 100}年{r['period_ym'] % 100}月主动公开 {count} 条，送交 {r['item_count']} 份，数量不一致",
                    r["_row"],
                    "item_count",
                )
            )


def _document_links(
    session: Session, ctx: Context, table: Table, records: list[dict], issues: list[Issue]
) -> None:
    """A 公文 linked by 索引号 to an item the unit's register does not hold: a warning (kept as typed)."""
    wanted = {r["index_no"] for r in records if r.get("index_no")}
    known: set[str] = set()
    for part in chunks(sorted(wanted)):
        known.update(
            session.scalars(
                select(Publication.index_no).where(
                    Publication.unit_id == ctx.unit_id, Publication.index_no.in_(part)
                )
            )
        )
    unknown = [r["_row"] for r in records if r.get("index_no") and r["index_no"] not in known]
    if unknown:
        issues.append(
            table.issue(
                WARNING,
                f"第 {_rows(unknown[:20])} 行{'等' if len(unknown) > 20 else ''}的索引号在本单位主动公开信息目录中"
                f"找不到（共 {len(unknown)} 行），仍按所填保存；该目录上传后即可对应",
                unknown[0],
                "index_no",
            )
        )
