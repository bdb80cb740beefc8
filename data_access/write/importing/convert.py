"""Turning a table's rows into records ready to store, one kind at a time.

Each converter reads the cells of one row through `Cells`, which records an error
at the exact cell for anything unreadable, and returns the record (a dict of
model fields plus `_row`, the Excel row) or None when the row has errors.
`Context`, `load_context` and `UnknownUnit` (module `cells`) are exported here too, for the
pipeline and the store that take them with the converters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from data_access.rules.deadlines import RULE_2019, rule_for
from data_access.rules.vocab import WITHHELD_REASONS, recipient_of
from data_access.write.importing import convert_appeals
from data_access.write.importing import synonyms as S
from data_access.write.importing.cells import Cells, Context, UnknownUnit, category_key, load_context
from data_access.write.importing.issues import WARNING, Issue
from data_access.write.importing.normalise import (
    CellError,
    clean_text,
    fold,
    is_blank,
    parse_bool,
    parse_count,
    parse_date,
    parse_decimal,
    parse_month,
    parse_share,
    shown,
)
from data_access.write.importing.outcomes import map_outcome, valid_forms
from data_access.write.importing.tables import Table

__all__ = [
    "CONVERTERS",
    "Cells",
    "Context",
    "UnknownUnit",
    "board_update",
    "delivery",
    "document",
    "load_context",
    "project",
    "publication",
    "publication_issues",
    "request",
]

_INDEX_CODE = re.compile(r"-(\d{4})-")


@cache
def _text(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = clean_text(value)
        if len(text) > limit:
            raise CellError(f"内容过长（{len(text)} 字），最多 {limit} 字")
        return text

    return parse


def _category(ctx: Context, c: Cells, index_no: str | None, when: Any) -> tuple[int | None, int | None]:
    """The row's category (and its level-one root) in the unit's catalogue for the row's year."""
    year = getattr(when, "year", None)
    catalogue = ctx.catalogue(year)
    cat_raw = c.raw("category")
    if is_blank(cat_raw):
        c.error("category", "“所属类别”不能为空")
        return None, None
    if category_key(cat_raw) not in catalogue.categories:
        # quoted: the names themselves hold 、 (安全生产、应急管理类)
        valid = "".join(f"「{n}」" for n in catalogue.root_names.values()) or "（本单位该年度尚无公开目录）"
        whose = f"{ctx.unit_name}{year or ctx.year or ''}年度的目录"
        c.error(
            "category",
            f"第 {c.row.number} 行的类别「{shown(cat_raw)}」不在公开目录中（{whose}），应为：{valid}",
        )
        return None, None
    category_id, root_id = catalogue.categories[category_key(cat_raw)]
    code = _INDEX_CODE.search(index_no or "")
    if code and code.group(1) in catalogue.codes:
        l2_id, l2_root = catalogue.codes[code.group(1)]
        if l2_root == root_id and category_id == root_id:
            category_id = l2_id
        elif l2_root != root_id:
            c.error(
                "index_no",
                f"索引号中的类别代码 {code.group(1)} 与所属类别「{catalogue.root_names[root_id]}」不一致",
                WARNING,
            )
    return category_id, root_id


def _category_name(ctx: Context, c: Cells, ids: tuple[int | None, int | None], when: Any) -> str | None:
    """What the preview shows as the row's 所属类别 (the item under it, when the 索引号 names one)."""
    category_id, root_id = ids
    if category_id is None or root_id is None:
        return None
    names = ctx.catalogue(getattr(when, "year", None)).names
    shown_name = category_shown(c.raw("category"), names.get(root_id, ""))
    return shown_name if category_id == root_id else f"{shown_name}（{names.get(category_id, '')}）"


def category_shown(written: Any, stored: str) -> str:
    """The category as the preview shows it: the catalogue's name, with what the file wrote when it
    differs (安全生产应急管理类 → 安全生产、应急管理类)."""
    text = clean_text(written) if not is_blank(written) else ""
    return stored if not text or text == stored else f"{text} → {stored}"


def publication(ctx: Context, c: Cells) -> dict | None:
    """A 主动公开信息目录 row."""
    index_no = c.get("index_no", _text(60), required=True)
    title = c.get("title", _text(500), required=True)
    attribute, reason = _disclosure(c)
    if attribute == "withheld":
        if not reason:
            c.error(
                "withheld_reason" if "withheld_reason" in c.table.columns else "attribute",
                "不公开的信息须填写不公开理由：" + "、".join(WITHHELD_REASONS),
            )
        elif reason not in WITHHELD_REASONS:
            c.error(
                "withheld_reason",
                f"不公开理由「{shown(reason)}」无法识别，应为：{'、'.join(WITHHELD_REASONS)}",
            )
    formed = c.get("formed_date", parse_date, required=True)
    published = c.get("published_date", parse_date, required=attribute == "proactive")
    if formed and published and published < formed:
        c.error("published_date", f"公开日期 {published} 早于形成日期 {formed}")
    category_id, root_id = _category(ctx, c, index_no, published or formed)
    topic_raw = c.raw("topic")
    topic_id = None
    if not is_blank(topic_raw):
        topic_id = ctx.topics.get(fold(topic_raw))
        if topic_id is None:
            c.error(
                "topic",
                f"重点领域「{shown(topic_raw)}」无法识别，应为：{'、'.join(n for n in S.TOPIC_NAMES)}",
            )
    doc_no = c.get("doc_no", _text(100)) or None
    record = dict(
        index_no=index_no,
        title=title,
        category_id=category_id,
        category_root_id=root_id,
        topic_id=topic_id,
        doc_no=doc_no,
        is_official_document=bool(doc_no),
        formed_date=formed,
        published_date=published,
        published_year=published.year if published else None,
        published_ym=published.year * 100 + published.month if published else None,
        channel=c.choose("channel", S.CHANNEL_SYNONYMS, default="政府门户网站"),
        full_text=c.get("full_text", parse_bool, default=True),
        attribute=attribute,
        withheld_reason=reason if attribute == "withheld" else None,
        withheld_note=None,
        secrecy_reviewed=c.get("secrecy_reviewed", parse_bool, default=False),
        secrecy_reviewer=c.get("secrecy_reviewer", _text(60)) or None,
        secrecy_review_date=c.get("secrecy_review_date", parse_date),
        _attribute_assumed=is_blank(c.raw("attribute")) and attribute == "proactive",
        _category=_category_name(ctx, c, (category_id, root_id), published or formed),
    )
    return record if c.ok else None


# What clerks write in 不公开理由 for an item that has none.
NO_REASON = frozenset(fold(v) for v in ("无", "/", "-", "—", "－", "不涉及"))


def _disclosure(c: Cells) -> tuple[str | None, str | None]:
    """The row's disclosure attribute and withholding reason — never 主动公开 by a silent default.

    A blank (or absent) 公开属性 is 不公开 when a reason is given and 主动公开 otherwise (the
    file's warning lists those rows, see `publication_issues`); 主动公开 together with a reason
    is an error asking which of the two the row is.
    """
    reason = c.get("withheld_reason")
    if reason and fold(reason) in NO_REASON:
        reason = None
    if is_blank(c.raw("attribute")):
        return ("withheld" if reason else "proactive"), reason
    attribute = c.choose("attribute", S.ATTRIBUTE_SYNONYMS)
    if attribute == "proactive" and reason:
        c.error(
            "attribute",
            f"“{c.table.header_of('attribute')}”为主动公开，但填写了不公开理由「{shown(reason)}」："
            "请确认该信息是主动公开（删去不公开理由）还是不公开（公开属性改为“不公开”）",
        )
    return attribute, reason


def publication_issues(table: Table, records: list[dict]) -> list[Issue]:
    """The file's warning when rows were taken as 主动公开 because 公开属性 was absent or blank."""
    assumed = [r["_row"] for r in records if r.get("_attribute_assumed")]
    if "attribute" not in table.columns and records:
        withheld = sum(1 for r in records if r["attribute"] == "withheld")
        message = (
            f"文件没有“公开属性”列：未填不公开理由的 {len(assumed)} 行均按主动公开导入"
            + (f"，填了不公开理由的 {withheld} 行按不公开导入" if withheld else "")
            + "。请核对；如有不应公开的信息，请加“公开属性”列或填写不公开理由后重新上传"
        )
        return [table.issue(WARNING, message, table.header_rows[-1] + 1 if table.header_rows else None)]
    if not assumed:
        return []
    shown_rows = "、".join(str(n) for n in assumed[:20]) + ("等" if len(assumed) > 20 else "")
    message = f"第 {shown_rows} 行（共 {len(assumed)} 行）的“公开属性”为空且未填不公开理由，已按主动公开导入，请核对"
    return [table.issue(WARNING, message, assumed[0], "attribute")]


def _money(value: Any) -> Any:
    number = parse_decimal(value)
    if number < 0:
        raise CellError(f"「{shown(value)}」不能为负数")
    if abs(number) >= 10**12:
        raise CellError(f"「{shown(value)}」数值过大")
    return number.quantize(S.CENT)


def project(ctx: Context, c: Cells) -> dict | None:
    """A 重大项目完成情况表 row (the project and its month's figures)."""
    name = c.get("name", _text(200), required=True)
    seq = c.get("seq", parse_count)
    record = dict(
        name=name,
        seq=seq,
        total_investment=c.get("total_investment", _money),
        month_invested=c.get("month_invested", _money, required=True),
        ytd_invested=c.get("ytd_invested", _money, required=True),
        annual_plan=c.get("annual_plan", _money, required=True),
        plan_ytd=c.get("plan_ytd", _money),
        notes=c.get("notes", _text(500)) or None,
        _month_named=c.get("month_named", _money),
        _progress=c.get("progress", parse_share),
    )
    return record if c.ok else None


def request(ctx: Context, c: Cells) -> dict | None:
    """A 依申请公开登记 row, with its appeal when the appeal columns are filled."""
    received = c.get("received_date", parse_date, required=True)
    applicant = c.raw("applicant_type")
    applicant_type = S.lookup(applicant, S.APPLICANT_SYNONYMS) if not is_blank(applicant) else None
    if is_blank(applicant):
        c.error("applicant_type", "“申请人类型”不能为空")
    elif applicant_type is None:
        key = fold(applicant)
        detail = re.split(r"[-－—:：（(]", key, maxsplit=1)
        if key.startswith("法人或其他组织") and len(detail) > 1:
            applicant_type = S.lookup(detail[1].rstrip(")）"), S.APPLICANT_SYNONYMS)
        elif key in ("法人或其他组织", "法人", "法人或者其他组织"):
            applicant_type = "其他"
            c.error(
                "applicant_type", f"申请人类型「{shown(applicant)}」未注明具体类别，已按“其他”统计", WARNING
            )
        if applicant_type is None:
            c.error(
                "applicant_type",
                f"申请人类型「{shown(applicant)}」无法识别，应为：{'、'.join(S.APPLICANT_SYNONYMS)}",
            )
    reply = c.get("reply_date", parse_date)
    outcome_raw = c.raw("outcome")
    outcome, parts = _outcomes(c)
    if reply and outcome is None and is_blank(outcome_raw):
        c.error("outcome", "已填写答复日期的申请须填写答复类型")
    if not is_blank(outcome_raw) and reply is None and is_blank(c.raw("reply_date")):
        c.error("reply_date", "已填写答复类型的申请须填写答复日期")
    if reply and received and reply < received:
        c.error("reply_date", f"答复日期 {reply} 早于收到日期 {received}")
    extension, approved_on = _extension(c, received, reply)
    record = dict(
        request_no=c.get("request_no", _text(60), required=True),
        received_date=received,
        received_year=received.year if received else None,
        channel=c.choose("channel", S.REQUEST_CHANNEL_SYNONYMS, required=True),
        applicant_type=applicant_type,
        applicant_name=c.get("applicant_name", _text(100)) or None,
        applicant_contact=c.get("applicant_contact", _text(200)) or None,
        summary=c.get("summary", _text(1000), required=True),
        extension_approved=bool(extension) or approved_on is not None,
        extension_days=extension or 0,
        extension_approved_on=approved_on,
        reply_date=reply,
        outcome=outcome,
        _appeal=_appeal(c),
        _pauses=_pauses(c, received) if any(c.present(f) for f in PAUSE_FIELDS) else None,
        _parts=parts if c.present("outcome") else None,
    )
    return record if c.ok else None


_PARTS = re.compile(r"[；;]+")


def _outcomes(c: Cells) -> tuple[str | None, tuple[tuple[str, bool], ...]]:
    """The request's main outcome and its parts' outcomes as (outcome, is_main) in the cell's order:
    several outcomes separated by ；/; are the parts of a request answered differently for each; the
    main one is the first unless the 主要答复类型 column names another (one of the parts)."""
    raw = c.raw("outcome")
    if is_blank(raw):
        if not is_blank(c.raw("main_outcome")):
            c.error("main_outcome", "填写了主要答复类型，须先在“答复类型”中填写各部分的答复类型")
        return None, ()
    pieces = [p.strip() for p in _PARTS.split(clean_text(raw))] if isinstance(raw, str) else [clean_text(raw)]
    pieces = [p for p in pieces if p]
    outcomes: list[str] = []
    for piece in pieces:
        mapped = map_outcome(piece)
        if mapped is None:
            which = (
                f"答复类型「{shown(raw)}」中的「{piece}」" if len(pieces) > 1 else f"答复类型「{shown(raw)}」"
            )
            c.error("outcome", f"{which}无法识别，应为：{valid_forms()}（多个部分用“；”分隔）")
        else:
            outcomes.append(mapped)
    if not outcomes or len(outcomes) != len(pieces):
        return None, ()
    main_at = 0
    main_raw = c.raw("main_outcome")
    if not is_blank(main_raw):
        main = map_outcome(clean_text(main_raw))
        if main is None:  # a part named by a fragment of its outcome (无法提供-本机关不掌握… as 不掌握)
            named = {o for o in outcomes if fold(clean_text(main_raw)) in fold(o)}
            main = named.pop() if len(named) == 1 else None
        if main is None:
            c.error("main_outcome", f"主要答复类型「{shown(main_raw)}」无法识别，应为：{valid_forms()}")
        elif main not in outcomes:
            c.error(
                "main_outcome",
                f"主要答复类型「{shown(main_raw)}」不是本申请答复类型中的一项（{'；'.join(outcomes)}）",
            )
        else:
            main_at = outcomes.index(main)
    return outcomes[main_at], tuple((o, i == main_at) for i, o in enumerate(outcomes))


def _extension(
    c: Cells, received: dt.date | None, reply: dt.date | None
) -> tuple[int | None, dt.date | None]:
    """The approved extension's working days (at most the statutory maximum for the day received)
    and the day it was approved; errors at their cells."""
    limit = rule_for(received) if received else RULE_2019
    extension = c.get("extension_days", parse_count, default=0)
    if extension is not None and extension > limit.max_extension_days:
        c.error(
            "extension_days",
            f"延长工作日数 {extension} 超过法定上限：最多延长 {limit.max_extension_days} 个工作日（{limit.title}）",
        )
    approved_on = c.get("extension_approved_on", parse_date)
    if approved_on is not None and received is not None and approved_on < received:
        c.error("extension_approved_on", f"延期批准日期 {approved_on} 早于收到日期 {received}")
    if approved_on is not None and reply is not None and approved_on > reply:
        c.error("extension_approved_on", f"延期批准日期 {approved_on} 晚于答复日期 {reply}")
    return extension, approved_on


PAUSE_HEADERS = {
    "correction_sent": "补正告知日期",
    "correction_received": "补正完成日期",
    "third_party_from": "征求第三方意见开始日期",
    "third_party_to": "征求第三方意见结束日期",
}
PAUSE_FIELDS = tuple(PAUSE_HEADERS)
_LIST = re.compile(r"[；;、，,\n]+")


def _dates(c: Cells, name: str) -> list[dt.date]:
    raw = c.raw(name)
    if is_blank(raw):
        return []
    parts = [p for p in _LIST.split(raw) if p.strip()] if isinstance(raw, str) else [raw]
    out = []
    for part in parts:
        try:
            out.append(parse_date(part.strip() if isinstance(part, str) else part))
        except CellError as exc:
            c.error(name, str(exc))
    return out


def _pauses(c: Cells, received: dt.date | None) -> tuple[tuple[str, dt.date, dt.date | None], ...]:
    """The request's 补正 and third-party pauses as (kind, start, end), sorted; errors at their cells."""
    sent, back = _dates(c, "correction_sent"), _dates(c, "correction_received")
    heads = {n: c.table.header_of(n) if c.present(n) else label for n, label in PAUSE_HEADERS.items()}
    if len(back) > len(sent) or len(sent) - len(back) > 1:
        c.error(
            "correction_received",
            f"“{heads['correction_received']}”有 {len(back)} 个日期，“{heads['correction_sent']}”有 {len(sent)} 个："
            "每次补正应有告知日期，只有最后一次可以尚未补正",
        )
    out: list[tuple[str, dt.date, dt.date | None]] = []
    for i, start in enumerate(sent):
        end = back[i] if i < len(back) else None
        if end is not None and end < start:
            c.error("correction_received", f"补正完成日期 {end} 早于补正告知日期 {start}")
        out.append(("correction", start, end))
    frm, to = _dates(c, "third_party_from"), _dates(c, "third_party_to")
    if len(to) > len(frm) or len(frm) - len(to) > 1:
        c.error("third_party_to", f"“{heads['third_party_to']}”须与“{heads['third_party_from']}”一一对应")
    for i, start in enumerate(frm):
        end = to[i] if i < len(to) else None
        if end is not None and end < start:
            c.error("third_party_to", f"征求第三方意见结束日期 {end} 早于开始日期 {start}")
        out.append(("third_party", start, end))
    for kind, start, _end in out:
        if received is not None and start < received:
            field = "correction_sent" if kind == "correction" else "third_party_from"
            c.error(field, f"“{heads[field]}” {start} 早于收到日期 {received}")
    return tuple(sorted(out, key=lambda p: (p[1], p[0])))


def _appeal(c: Cells) -> dict | None:
    kind = c.choose("appeal_kind", S.APPEAL_KIND_SYNONYMS)
    if kind is None:
        for name in ("appeal_date", "appeal_result", "appeal_path"):
            if not is_blank(c.raw(name)):
                c.error("appeal_kind", "填写了复议诉讼信息，但未填写复议诉讼类型")
                break
        return None
    filed = c.get("appeal_date", parse_date, required=True)
    result = c.get("appeal_result") or None
    if result is not None and result not in S.APPEAL_RESULTS:
        c.error(
            "appeal_result", f"复议诉讼结果「{shown(result)}」无法识别，应为：{'、'.join(S.APPEAL_RESULTS)}"
        )
    path = c.choose("appeal_path", S.LITIGATION_PATH_SYNONYMS) if kind == "litigation" else None
    return dict(
        kind=kind,
        litigation_path=path,
        filed_date=filed,
        filed_year=filed.year if filed else None,
        result=result,
    )


def board_update(ctx: Context, c: Cells) -> dict | None:
    """A 公开栏更新记录 row; an unknown board is created for the unit."""
    name = c.get("board", _text(100), required=True)
    known = ctx.boards.get(fold(name)) if name else None
    record = dict(
        board=known[1] if known else name,
        board_id=known[0] if known else None,
        location=c.get("location", _text(200)) or None,
        update_date=c.get("update_date", parse_date, required=True),
        kind=c.choose("kind", S.BOARD_KIND_SYNONYMS, required=True),
        note=c.get("note", _text(500)) or None,
    )
    return record if c.ok else None


def delivery(ctx: Context, c: Cells) -> dict | None:
    """A 送交两馆记录 row."""
    recipient_raw = c.raw("recipient")
    recipient = None
    key = fold(recipient_raw)
    if is_blank(recipient_raw):
        c.error("recipient", "“接收单位”不能为空")
    elif (found := recipient_of(key)) is not None:
        recipient = found
    else:
        c.error("recipient", f"接收单位「{shown(recipient_raw)}」无法识别，应为档案馆或图书馆")
    record = dict(
        period_ym=c.get("period_ym", parse_month, required=True),
        recipient=recipient,
        delivered_date=c.get("delivered_date", parse_date),
        item_count=c.get("item_count", parse_count, required=True),
    )
    return record if c.ok else None


def document(ctx: Context, c: Cells) -> dict | None:
    """A 公文 row: 文号, 标题, 成文日期 and 公开属性 (不予公开 with its reason)."""
    doc_no = c.get("doc_no", _text(100), required=True)
    title = c.get("title", _text(500), required=True)
    formed = c.get("formed_date", parse_date, required=True)
    attribute = c.choose("attribute", S.ATTRIBUTE_SYNONYMS, required=True)
    reason = c.get("withheld_reason", _text(20)) or None
    if reason and fold(reason) in NO_REASON:
        reason = None
    if attribute == "withheld":
        if not reason:
            c.error(
                "withheld_reason" if "withheld_reason" in c.table.columns else "attribute",
                "不予公开的公文须填写不公开理由：" + "、".join(WITHHELD_REASONS),
            )
        elif reason not in WITHHELD_REASONS:
            c.error(
                "withheld_reason",
                f"不公开理由「{shown(reason)}」无法识别，应为：{'、'.join(WITHHELD_REASONS)}",
            )
    elif attribute is not None and reason:
        c.error(
            "withheld_reason",
            f"公开属性为{c.raw('attribute')}，但填写了不公开理由「{shown(reason)}」：不予公开的才填写不公开理由",
        )
    record = dict(
        doc_no=doc_no,
        title=title,
        formed_date=formed,
        attribute=attribute,
        withheld_reason=reason if attribute == "withheld" else None,
        index_no=c.get("index_no", _text(60)) or None,
    )
    return record if c.ok else None


CONVERTERS: dict[str, Callable[[Context, Cells], dict | None]] = {
    "publications": publication,
    "projects": project,
    "requests": request,
    "boards": board_update,
    "deliveries": delivery,
    "documents": document,
    # Appeals and complaints in bulk: their converters live in convert_appeals.
    "appeals": convert_appeals.appeal,
    "complaints": convert_appeals.complaint,
}


def _annual_figure(ctx: Context, c: Cells) -> dict | None:
    from data_access.write.importing import annual  # the annual-figures kind's own module

    return annual.convert(ctx, c)


CONVERTERS["annual-figures"] = _annual_figure
