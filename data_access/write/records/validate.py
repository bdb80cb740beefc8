"""The 逐条登记 forms' rules: the importer's cell parsers and vocabularies, messages that name the field.

Every validator is a pure function from a form's raw values (strings as typed, or None) to a
record, raising RecordError with every problem at once — "“收到日期”：日期「2019-02-30」不存在".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from data_access.rules.deadlines import rule_for
from data_access.rules.vocab import RECIPIENT_NAMES, recipient_of
from data_access.write.importing import kinds as K
from data_access.write.importing import synonyms as S
from data_access.write.importing.normalise import (
    CellError,
    clean_text,
    is_blank,
    parse_count,
    parse_date,
    parse_month,
    shown,
)
from data_access.write.importing.outcomes import map_outcome, valid_forms

PAUSE_KINDS = {"correction": "补正", "third_party": "征求第三方意见"}


def _label(kind: str, name: str) -> str:
    return K.SPECS[kind].column(name).label


REQUEST_LABELS = {
    **{f: _label("requests", f) for f in ("request_no", "received_date", "channel", "applicant_type")},
    **{f: _label("requests", f) for f in ("applicant_name", "applicant_contact", "summary")},
    **{
        f: _label("requests", f) for f in ("extension_days", "extension_approved_on", "reply_date", "outcome")
    },
    "other_outcomes": "其他部分的答复类型",
    "correction_start": "补正通知日期",
    "correction_end": "收到补正日期",
    "third_party_start": "征求第三方意见日期",
    "third_party_end": "第三方意见返回日期",
}
APPEAL_LABELS = {
    "kind": "类型",
    "litigation_path": "诉讼途径",
    "filed_date": "提起日期",
    "result": "结果",
    "closed_date": "审结日期",
    "summary": "案由摘要",
    "request_no": "相关申请编号",
    "source": "来源",
}
INTERPRETATION_LABELS = {"title": "解读标题", "published_date": "发布日期"}
HOTLINE_LABELS = {"duty_date": "接听日期", "official": "接听领导", "topics": "来电主要内容"}
BOARD_LABELS = {f: _label("boards", f) for f in ("board", "location", "update_date", "kind", "note")}
DELIVERY_LABELS = {
    f: _label("deliveries", f) for f in ("period_ym", "recipient", "delivered_date", "item_count")
}


@dataclass(frozen=True)
class Problem:
    """One problem with one field of a form."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"“{self.label}”：{self.message}"


class RecordError(ValueError):
    """A form that cannot be saved: every problem, each naming its field (Chinese)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(str(p) for p in self.problems))


STALE_MESSAGE = "该记录已被他人修改，请刷新后重试"


class StaleRecord(RecordError):
    """The row was changed (or removed) by someone else since the form loaded it: nothing was saved."""

    def __init__(self) -> None:
        super().__init__([Problem("form", "表单", STALE_MESSAGE)])
        self.args = (STALE_MESSAGE,)


def text(limit: int) -> Callable[[Any], str]:
    """A text parser with the importer's length rule."""

    def parse(value: Any) -> str:
        cleaned = clean_text(value)
        if len(cleaned) > limit:
            raise CellError(f"内容过长（{len(cleaned)} 字），最多 {limit} 字")
        return cleaned

    return parse


class Form:
    """Reads one form's values, collecting a problem at the field for anything unreadable."""

    def __init__(self, values: Mapping[str, Any], labels: Mapping[str, str], today: dt.date) -> None:
        self.values, self.labels, self.today = values, labels, today
        self.problems: list[Problem] = []

    def error(self, name: str, message: str) -> None:
        """Record a problem at a field."""
        self.problems.append(Problem(name, self.labels[name], message))

    def get(self, name: str, parse: Callable[[Any], Any] = clean_text, *, required: bool = False) -> Any:
        """The parsed value, None when blank (a problem when required) or unreadable."""
        value = self.values.get(name)
        if is_blank(value):
            if required:
                self.error(name, "不能为空")
            return None
        try:
            return parse(value)
        except CellError as exc:
            self.error(name, str(exc))
            return None

    def date(
        self, name: str, *, required: bool = False, after: tuple[dt.date | None, str] | None = None
    ) -> dt.date | None:
        """A date no later than today and, when `after` = (day, its label) is given, not before that day."""
        day = self.get(name, parse_date, required=required)
        if day is not None and day > self.today:
            self.error(name, f"{day} 晚于今天（{self.today}），不能登记将来的日期")
        elif day is not None and after is not None and after[0] is not None and day < after[0]:
            self.error(name, f"{day} 早于{after[1]} {after[0]}")
        return day

    def choose(
        self, name: str, table: Mapping[str, tuple[str, ...]], *, required: bool = False
    ) -> str | None:
        """A value of a fixed vocabulary (synonyms accepted); an unknown value lists the valid ones."""
        value = self.values.get(name)
        if is_blank(value):
            if required:
                self.error(name, "不能为空")
            return None
        found = S.lookup(value, dict(table))
        if found is None:
            self.error(name, f"「{shown(value)}」无法识别，应为：{'、'.join(_names(table))}")
        return found

    def done(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record, or RecordError with every problem."""
        if self.problems:
            raise RecordError(self.problems)
        return record


def _names(table: Mapping[str, tuple[str, ...]]) -> list[str]:
    return [synonyms[0] if synonyms and not _is_chinese(key) else key for key, synonyms in table.items()]


def _is_chinese(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)


def validate_new_request(values: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """A request registered the day it arrives."""
    f = Form(values, REQUEST_LABELS, today)
    received = f.date("received_date", required=True)
    return f.done(
        dict(
            request_no=f.get("request_no", text(60), required=True),
            received_date=received,
            received_year=received.year if received else None,
            channel=f.choose("channel", S.REQUEST_CHANNEL_SYNONYMS, required=True),
            applicant_type=f.choose("applicant_type", S.APPLICANT_SYNONYMS, required=True),
            applicant_name=f.get("applicant_name", text(100)) or None,
            applicant_contact=f.get("applicant_contact", text(200)) or None,
            summary=f.get("summary", text(1000), required=True),
            extension_approved=False,
            extension_days=0,
            extension_approved_on=None,
            reply_date=None,
            outcome=None,
        )
    )


@dataclass(frozen=True)
class PauseChange:
    """What saving a form does to one kind of pause: insert a new one, update or delete the latest."""

    op: str  # insert | update | delete
    kind: str
    start: dt.date | None
    end: dt.date | None
    existing_id: int | None = None


def plan_pause(
    latest: Mapping[str, Any] | None, kind: str, start: dt.date | None, end: dt.date | None
) -> PauseChange | None:
    """Compare the latest pause of a kind with the form: nothing, insert, update or delete.

    A new start date after a finished pause is a second pause (e.g. a second 补正); the same
    start, or an unfinished latest pause, is updated; both fields cleared deletes the latest.
    """
    if latest is None:
        return PauseChange("insert", kind, start, end) if start else None
    if start is None:
        return PauseChange("delete", kind, None, None, latest["id"])
    if (latest["start_date"], latest["end_date"]) == (start, end):
        return None
    if latest["end_date"] is not None and start > latest["end_date"]:
        return PauseChange("insert", kind, start, end)
    return PauseChange("update", kind, start, end, latest["id"])


def plan_parts(
    current: tuple[tuple[str, bool], ...], outcome: str | None, others: tuple[str, ...] | None
) -> tuple[tuple[str, bool], ...]:
    """A request's parts after a form save, as (outcome, is_main) in order: the form's outcome is the
    main part, followed by the other parts' outcomes when the form gives them; without them, the
    request keeps its other parts (the main one takes the form's outcome). No outcome: no parts."""
    if outcome is None:
        return ()
    if others is not None:
        return ((outcome, True), *((o, False) for o in others))
    if not current:
        return ((outcome, True),)
    return tuple((outcome, True) if main else (o, False) for o, main in current)


def validate_progress(
    request: Mapping[str, Any],
    latest: Mapping[str, Mapping[str, Any] | None],
    values: Mapping[str, Any],
    today: dt.date,
) -> tuple[dict[str, Any], list[PauseChange]]:
    """A request's progress: 补正, third-party consultation, extension and reply.

    `request` is the stored row, `latest` the latest pause of each kind (or None).
    Returns the request's new values and the pause changes.
    """
    f = Form(values, REQUEST_LABELS, today)
    received = request["received_date"]
    changes: list[PauseChange] = []
    for kind in PAUSE_KINDS:
        start = f.date(f"{kind}_start", after=(received, "收到日期"))
        end = f.date(f"{kind}_end", after=(start, REQUEST_LABELS[f"{kind}_start"]))
        if end is not None and start is None and is_blank(values.get(f"{kind}_start")):
            f.error(f"{kind}_start", f"填写了“{REQUEST_LABELS[f'{kind}_end']}”，须先填写本项")
        change = plan_pause(latest.get(kind), kind, start, end) if not f.problems else None
        if change is not None:
            changes.append(change)
    rule = rule_for(received)
    extension = f.get("extension_days", parse_count)
    if extension is not None and extension > rule.max_extension_days:
        f.error(
            "extension_days",
            f"延期 {extension} 个工作日超出范围：应为 0 至 {rule.max_extension_days} 个工作日（{rule.title}）",
        )
    approved_on = f.date("extension_approved_on", after=(received, "收到日期"))
    reply = f.date("reply_date", after=(received, "收到日期"))
    if approved_on is not None and reply is not None and approved_on > reply:
        f.error("extension_approved_on", f"延期批准日期 {approved_on} 晚于答复日期 {reply}")
    outcome_raw = values.get("outcome")
    outcome = None
    if not is_blank(outcome_raw):
        outcome = map_outcome(clean_text(outcome_raw))
        if outcome is None:
            f.error("outcome", f"「{shown(outcome_raw)}」无法识别，应为：{valid_forms()}")
    if reply is not None and is_blank(outcome_raw):
        f.error("outcome", "已填写答复日期的申请须填写答复类型")
    if not is_blank(outcome_raw) and is_blank(values.get("reply_date")):
        f.error("reply_date", "已填写答复类型的申请须填写答复日期")
    others: tuple[str, ...] | None = None
    if values.get("other_outcomes") is not None:
        mapped = []
        for raw in values["other_outcomes"]:
            found = map_outcome(clean_text(raw)) if not is_blank(raw) else None
            if found is None and not is_blank(raw):
                f.error("other_outcomes", f"「{shown(raw)}」无法识别，应为：{valid_forms()}")
            elif found is not None:
                mapped.append(found)
        others = tuple(mapped)
        if others and is_blank(outcome_raw):
            f.error("other_outcomes", "填写了其他部分的答复类型，须先选择主要的答复类型")
    record = dict(
        extension_approved=bool(extension) or approved_on is not None,
        extension_days=extension or 0,
        extension_approved_on=approved_on,
        reply_date=reply,
        outcome=outcome,
    )
    done = f.done(record)
    done["_parts"] = plan_parts(tuple(request.get("_parts", ())), outcome, others)
    return done, changes


def validate_appeal(values: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """An administrative reconsideration, lawsuit or complaint (with its result when closed)."""
    f = Form(values, APPEAL_LABELS, today)
    kind = f.choose("kind", S.APPEAL_KIND_SYNONYMS, required=True)
    path = f.choose("litigation_path", S.LITIGATION_PATH_SYNONYMS, required=kind == "litigation")
    if kind is not None and kind != "litigation" and path is not None:
        f.error("litigation_path", "只有行政诉讼才填写诉讼途径")
    filed = f.date("filed_date", required=True)
    result = f.get("result") or None
    if result is not None and result not in S.APPEAL_RESULTS:
        f.error("result", f"「{shown(result)}」无法识别，应为：{'、'.join(S.APPEAL_RESULTS)}")
    closed = f.date("closed_date", after=(filed, "提起日期"))
    if closed is not None and result in (None, "尚未审结"):
        f.error("result", "填写了审结日期，须选择审结结果（维持、纠正或其他结果）")
    source = f.choose("source", S.COMPLAINT_SOURCE_SYNONYMS)
    if kind is not None and kind != "complaint" and source is not None:
        f.error("source", "只有申诉举报才填写来源")
    return f.done(
        dict(
            kind=kind,
            litigation_path=path if kind == "litigation" else None,
            filed_date=filed,
            filed_year=filed.year if filed else None,
            result=result,
            closed_date=closed,
            summary=f.get("summary", text(1000)) or None,
            request_no=f.get("request_no", text(60)) or None,
            source=source if kind == "complaint" else None,
        )
    )


def validate_interpretation(values: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """A policy interpretation (政策解读)."""
    f = Form(values, INTERPRETATION_LABELS, today)
    published = f.date("published_date", required=True)
    return f.done(
        dict(
            title=f.get("title", text(500), required=True),
            published_date=published,
            published_year=published.year if published else None,
        )
    )


def validate_hotline(values: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """A turn on the unit's hotline duty answered by one of its leaders."""
    f = Form(values, HOTLINE_LABELS, today)
    day = f.date("duty_date", required=True)
    return f.done(
        dict(
            duty_date=day,
            duty_year=day.year if day else None,
            official=f.get("official", text(60), required=True),
            topics=f.get("topics", text(500)) or None,
        )
    )


def validate_board_update(values: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """A renewal, update or repair of a bulletin board."""
    f = Form(values, BOARD_LABELS, today)
    return f.done(
        dict(
            board=f.get("board", text(100), required=True),
            location=f.get("location", text(200)) or None,
            update_date=f.date("update_date", required=True),
            kind=f.choose("kind", S.BOARD_KIND_SYNONYMS, required=True),
            note=f.get("note", text(500)) or None,
        )
    )


def _recipient(value: Any) -> str:
    """'archive' or 'library' for the recipient a form names (its key, or any name of an archive or
    a library: 档案馆, 区档案馆 …)."""
    found = recipient_of(str(value))
    if found is None:
        raise CellError(f"「{shown(value)}」无法识别，应为：{'、'.join(RECIPIENT_NAMES.values())}")
    return found


def delivery_key(values: Mapping[str, Any]) -> tuple[int, str] | None:
    """The (YYYYMM, recipient) a delivery form names, or None while either is blank or unreadable."""
    recipient = values.get("recipient")
    found = None if is_blank(recipient) else recipient_of(str(recipient))
    try:
        ym = None if is_blank(values.get("period_ym")) else parse_month(values["period_ym"])
    except CellError:
        return None
    return (ym, found) if ym is not None and found is not None else None


def validate_delivery(values: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """One month's delivery to the archive or the library (a month with nothing to send: 0 份)."""
    f = Form(values, DELIVERY_LABELS, today)
    ym = f.get("period_ym", parse_month, required=True)
    recipient = f.get("recipient", _recipient, required=True)
    month_end = None
    if ym is not None:
        year, month = divmod(ym, 100)
        month_end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    delivered = f.date("delivered_date")
    if delivered is not None and month_end is not None and delivered <= month_end:
        f.error("delivered_date", f"{delivered} 不在所属月份之后：应在次月送交上月的资料")
    count = f.get("item_count", parse_count, required=True)
    return f.done(dict(period_ym=ym, recipient=recipient, delivered_date=delivered, item_count=count))
