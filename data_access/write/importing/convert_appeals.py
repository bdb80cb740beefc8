"""Rows of the yearly 行政复议/行政诉讼 (`appeals`) and 申诉举报 (`complaints`) sheets → appeal records.

Both kinds are stored in the `appeal` table (complaints with kind 'complaint'). A row has no
number of its own, so a record's key (`_key`) is its content plus its occurrence among the file's
rows with the same content: two identical complaints on one day are two records, and a re-upload
of the same rows matches them one to one (store.scope numbers the stored rows the same way).
The request an appeal concerns (涉及的申请编号) is looked up in `link_requests`, which needs the
database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.store.models import DisclosureRequest
from data_access.write.importing import synonyms as S
from data_access.write.importing.cells import Cells, Context
from data_access.write.importing.changelog import chunks
from data_access.write.importing.issues import ERROR, Issue
from data_access.write.importing.normalise import CellError, clean_text, is_blank, parse_date, shown
from data_access.write.importing.tables import Table

APPEAL_KIND_NAMES = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
PATH_NAMES = {"direct": "未经复议直接起诉", "after_reconsideration": "复议后起诉"}
RESULT_SYNONYMS = {
    "维持": ("结果维持", "维持原行政行为", "驳回", "驳回诉讼请求"),
    "纠正": ("结果纠正", "撤销", "确认违法", "责令履行"),
    "其他结果": ("其他", "其它", "撤回", "终止", "调解", "和解"),
    "尚未审结": ("未审结", "审理中", "在审", "未结"),
}
# The fields of a stored row that make up its content (its key is these plus the occurrence).
APPEAL_FIELDS = ("kind", "filed_date", "_request_no", "litigation_path", "result", "closed_date", "summary")
COMPLAINT_FIELDS = ("filed_date", "source", "summary", "handling")


def _text(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = clean_text(value)
        if len(text) > limit:
            raise CellError(f"内容过长（{len(text)} 字），最多 {limit} 字")
        return text

    return parse


def _choose(c: Cells, name: str, table: dict[str, tuple[str, ...]], shown_as: dict[str, str]) -> str | None:
    """A value from a vocabulary; an unknown one is an error listing the Chinese names."""
    value = c.raw(name)
    if is_blank(value):
        return None
    found = S.lookup(value, table)
    if found is None:
        names = "、".join(shown_as.get(k, k) for k in table)
        c.error(name, f"“{c.table.header_of(name)}”的值「{shown(value)}」无法识别，应为：{names}")
    return found


def appeal(ctx: Context, c: Cells) -> dict | None:
    """A 行政复议 / 行政诉讼 row."""
    raw_kind = c.raw("kind")
    kind = None
    if is_blank(raw_kind):
        c.error("kind", f"“{c.table.header_of('kind')}”不能为空，应为：行政复议、行政诉讼")
    elif S.lookup(raw_kind, S.APPEAL_KIND_SYNONYMS) == "complaint":
        c.error("kind", f"「{shown(raw_kind)}」是申诉举报，请用“申诉举报”导入（类型 complaints）")
    else:
        kind = _choose(c, "kind", S.APPEAL_ONLY_KIND_SYNONYMS, APPEAL_KIND_NAMES)
    filed = c.get("filed_date", parse_date, required=True)
    request_no = c.get("request_no", _text(60)) or None
    path = _choose(c, "litigation_path", S.LITIGATION_PATH_SYNONYMS, PATH_NAMES)
    if kind == "litigation" and path is None and is_blank(c.raw("litigation_path")):
        c.error("litigation_path", "行政诉讼须填写诉讼途径：未经复议直接起诉 或 复议后起诉")
    if kind == "reconsideration" and path is not None:
        c.error("litigation_path", "只有行政诉讼才填写诉讼途径，行政复议请留空")
    result = _choose(c, "result", RESULT_SYNONYMS, {})
    if result is None and is_blank(c.raw("result")):
        c.error("result", f"“{c.table.header_of('result')}”不能为空，应为：{'、'.join(RESULT_SYNONYMS)}")
    closed = c.get("closed_date", parse_date)
    if closed is not None and filed is not None and closed < filed:
        c.error("closed_date", f"审结日期 {closed} 早于收到（提起）日期 {filed}")
    if closed is not None and result == "尚未审结":
        c.error("closed_date", "结果为尚未审结，不应填写审结日期")
    record = dict(
        kind=kind,
        litigation_path=path if kind == "litigation" else None,
        filed_date=filed,
        filed_year=filed.year if filed else None,
        result=result,
        closed_date=closed,
        summary=c.get("summary", _text(1000)) or None,
        source=None,
        handling=None,
        request_id=None,
        _request_no=request_no,
    )
    return record if c.ok else None


def complaint(ctx: Context, c: Cells) -> dict | None:
    """A 申诉举报 row; the unit's own name and number for its hotline read as 热线."""
    sources = dict(S.COMPLAINT_SOURCE_SYNONYMS)
    sources["热线"] = (*sources["热线"], *ctx.hotline_names)
    filed = c.get("filed_date", parse_date, required=True)
    source = _choose(c, "source", sources, {})
    if source is None and is_blank(c.raw("source")):
        c.error("source", f"“{c.table.header_of('source')}”不能为空，应为：{'、'.join(sources)}")
    record = dict(
        kind="complaint",
        litigation_path=None,
        filed_date=filed,
        filed_year=filed.year if filed else None,
        result=None,
        closed_date=None,
        summary=c.get("summary", _text(1000), required=True),
        source=source,
        handling=c.get("handling", _text(1000)) or None,
        request_id=None,
        _request_no=None,
    )
    return record if c.ok else None


def content(kind: str, row: dict) -> tuple:
    """The content part of a record's or stored row's key."""
    return tuple(row.get(f) for f in (APPEAL_FIELDS if kind == "appeals" else COMPLAINT_FIELDS))


def number(kind: str, rows: list[dict]) -> None:
    """Give each record (in file order) or stored row (in id order) its `_key`: content + occurrence."""
    seen: Counter[tuple] = Counter()
    for row in rows:
        key = content(kind, row)
        seen[key] += 1
        row["_key"] = (*key, seen[key])


def link_requests(
    session: Session, ctx: Context, table: Table, records: list[dict], issues: list[Issue]
) -> None:
    """Each appeal's 涉及的申请编号 → its request's id; an unknown number is an error at its cell."""
    wanted = sorted({r["_request_no"] for r in records if r.get("_request_no")})
    found: dict[str, int] = {}
    for part in chunks(wanted):
        found.update(
            session.execute(
                select(DisclosureRequest.request_no, DisclosureRequest.id).where(
                    DisclosureRequest.unit_id == ctx.unit_id, DisclosureRequest.request_no.in_(part)
                )
            ).all()
        )
    for r in records:
        no = r.get("_request_no")
        if not no:
            continue
        if no in found:
            r["request_id"] = found[no]
        else:
            issues.append(
                table.issue(
                    ERROR,
                    f"申请编号「{no}」在{ctx.unit_name}尚未登记（请先导入或登记该申请，或留空）",
                    r["_row"],
                    "request_no",
                )
            )
