"""更正 and 撤回 of a published item (主动公开信息), and its history.

An item is found by its unit and 索引号 (its identity across periods). Neither writing moves it:
the item stays counted in the period it was published, so no figure, report or running count
changes.

- 更正 (`correct_publication`): the descriptive fields a clerk may correct — 信息名称 and 文号,
  which no statistic reads (a category, date or 公开方式 changes the figures: that is a new upload
  of the month) — are changed on the item; the history keeps each field's old and new value, the
  correction date, an optional note and who.
- 撤回 (`withdraw_publication`): a date and a reason (required); from that date on the item is never
  on the lobby screen or the public read path (data_access.read.withdrawals), and the register
  lists it as 已撤回. Keyed by the unit and 索引号, so an upload that rewrites the row never
  un-withdraws it.
- 恢复 (`restore_publication`, admins only): takes a withdrawal back; the history keeps both.

Staff of the unit (or a unit above it) and admins may correct and withdraw (`edit_records`), only
admins restore (`restore_withdrawn`); leaders read the history. Every write takes the item's
`Stamp` as the form loaded it (StaleRecord when it has changed since — by a form or an upload),
bumps its version, appends to the history, writes an audit entry and moves the data version.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal, require
from data_access.store import audit, db
from data_access.store.models import (
    OrgUnit,
    Publication,
    PublicationCorrection,
    PublicationWithdrawal,
)
from data_access.store.reference import unit_and_descendants
from data_access.write.importing.batches import lock as upload_lock
from data_access.write.importing.normalise import CellError, clean_text, parse_date
from data_access.write.records import validate as V
from data_access.write.records.batches import Stamp, _update_loaded, stamp_of
from data_access.write.records.store import unit_in_scope

# The fields a 更正 may change (field → its name in the register): none of them feeds a figure.
CORRECTABLE: dict[str, str] = {"title": "信息名称", "doc_no": "文号"}
LIMITS = {"title": 500, "doc_no": 100}
ACTION_LABELS = {"correct": "更正", "withdraw": "撤回", "restore": "恢复"}
NOTE_LIMIT = 500


@dataclass(frozen=True)
class Withdrawal:
    """An item's withdrawal in force."""

    date: dt.date
    reason: str
    username: str


@dataclass(frozen=True)
class PublicationItem:
    """A register item as the correction and withdrawal forms show it."""

    unit_code: str
    unit_name: str
    index_no: str
    title: str
    doc_no: str | None
    formed_date: dt.date
    published_date: dt.date | None
    attribute: str
    stamp: Stamp
    withdrawal: Withdrawal | None


@dataclass(frozen=True)
class HistoryEntry:
    """One 更正, 撤回 or 恢复 of an item."""

    action: str
    date: dt.date
    changes: tuple[tuple[str, str | None, str | None], ...]  # (field label, old, new)
    note: str | None
    username: str
    recorded_at: dt.datetime

    @property
    def action_label(self) -> str:
        """The action in Chinese."""
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class Changed:
    """What a write did: the item and the history entry it added."""

    index_no: str
    entry: HistoryEntry


# ------------------------------------------------------------------ reads
def _unit_id(session: Session, unit_code: str) -> int | None:
    return session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))


def _withdrawals(session: Session, unit_id: int, index_nos: list[str]) -> dict[str, Withdrawal]:
    if not index_nos:
        return {}
    w = PublicationWithdrawal
    rows = session.execute(
        select(w.index_no, w.withdrawn_date, w.reason, w.username).where(
            w.unit_id == unit_id, w.index_no.in_(index_nos)
        )
    )
    return {n: Withdrawal(day, reason, who) for n, day, reason, who in rows}


def _items(session: Session, rows: list[Publication]) -> list[PublicationItem]:
    units = {
        uid: (code, name)
        for uid, code, name in session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(OrgUnit.id.in_({r.unit_id for r in rows}))
        )
    }
    found: dict[tuple[int, str], Withdrawal] = {}
    for unit_id in units:
        mine = _withdrawals(session, unit_id, [r.index_no for r in rows if r.unit_id == unit_id])
        found.update({(unit_id, n): w for n, w in mine.items()})
    return [
        PublicationItem(
            *units[r.unit_id],
            r.index_no,
            r.title,
            r.doc_no,
            r.formed_date,
            r.published_date,
            r.attribute,
            stamp_of(r),
            found.get((r.unit_id, r.index_no)),
        )
        for r in rows
    ]


def find_publications(session: Session, unit_code: str, text: str, limit: int = 20) -> list[PublicationItem]:
    """The items of the unit and the units under it whose 索引号 or 信息名称 contains the text (an
    exact 索引号 first), newest first."""
    unit_id = _unit_id(session, unit_code)
    wanted = clean_text(text)
    if unit_id is None or not wanted:
        return []
    ids = unit_and_descendants(session, unit_id)
    exact = list(
        session.scalars(
            select(Publication).where(Publication.unit_id.in_(ids), Publication.index_no == wanted)
        )
    )
    rows = exact + [
        r
        for r in session.scalars(
            select(Publication)
            .where(
                Publication.unit_id.in_(ids),
                Publication.index_no != wanted,
                or_(
                    Publication.index_no.icontains(wanted, autoescape=True),
                    Publication.title.icontains(wanted, autoescape=True),
                ),
            )
            .order_by(Publication.published_date.desc(), Publication.id.desc())
            .limit(max(limit - len(exact), 0))
        )
    ]
    return _items(session, rows)


def find_publication(session: Session, unit_code: str, index_no: str) -> PublicationItem | None:
    """The unit's item with that 索引号 (None when there is none)."""
    unit_id = _unit_id(session, unit_code)
    if unit_id is None:
        return None
    row = session.scalar(
        select(Publication).where(
            Publication.unit_id == unit_id, Publication.index_no == clean_text(index_no)
        )
    )
    return _items(session, [row])[0] if row is not None else None


def _entry(row: PublicationCorrection) -> HistoryEntry:
    changes = json.loads(row.changes) if row.changes else {}
    return HistoryEntry(
        row.action,
        row.action_date,
        tuple((CORRECTABLE.get(f, f), old, new) for f, (old, new) in changes.items()),
        row.note,
        row.username,
        row.recorded_at,
    )


def publication_history(session: Session, unit_code: str, index_no: str) -> list[HistoryEntry]:
    """Every 更正, 撤回 and 恢复 of the item, in the order they were recorded."""
    unit_id = _unit_id(session, unit_code)
    if unit_id is None:
        return []
    c = PublicationCorrection
    rows = session.scalars(
        select(c)
        .where(c.unit_id == unit_id, c.index_no == clean_text(index_no))
        .order_by(c.recorded_at, c.id)
    )
    return [_entry(r) for r in rows]


# ------------------------------------------------------------------ validation (pure)
def _day(value: Any, label: str, item: Publication, today: dt.date) -> dt.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise V.RecordError([V.Problem("date", label, "必须填写")])
    try:
        day = parse_date(value)
    except CellError as exc:
        raise V.RecordError([V.Problem("date", label, str(exc))]) from None
    since = item.published_date or item.formed_date
    if day < since:
        what = "公开日期" if item.published_date else "形成日期"
        raise V.RecordError([V.Problem("date", label, f"{day} 早于该信息的{what} {since}")])
    if day > today:
        raise V.RecordError([V.Problem("date", label, f"{day} 晚于今天（{today}）")])
    return day


def _note(value: Any, field: str, label: str, required: bool) -> str | None:
    text = clean_text(value) if value is not None else ""
    if not text:
        if required:
            raise V.RecordError([V.Problem(field, label, "必须填写")])
        return None
    if len(text) > NOTE_LIMIT:
        raise V.RecordError([V.Problem(field, label, f"最多 {NOTE_LIMIT} 个字，实际 {len(text)} 个字")])
    return text


def field_of(name: str) -> str | None:
    """The correctable field a name (title, 信息名称, 文号 …) means; None when it is none of them."""
    wanted = clean_text(name)
    for field, label in CORRECTABLE.items():
        if wanted in (field, label) or (field == "title" and wanted in ("标题", "名称")):
            return field
    return None


def planned_changes(item: Publication, values: dict[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """field → (old, new) for the values that differ from the item's; RecordError naming each bad one."""
    problems: list[V.Problem] = []
    changes: dict[str, tuple[str | None, str | None]] = {}
    for name, raw in values.items():
        field = field_of(name)
        if field is None:
            allowed = "、".join(CORRECTABLE.values())
            problems.append(
                V.Problem(
                    "field",
                    str(name),
                    f"不能更正：只能更正{allowed}（更正不改变统计，类别、日期等请重新上传该月）",
                )
            )
            continue
        label = CORRECTABLE[field]
        new = clean_text(raw) if raw is not None else ""
        if not new and field == "title":
            problems.append(V.Problem(field, label, "不能为空"))
            continue
        if len(new) > LIMITS[field]:
            problems.append(V.Problem(field, label, f"最多 {LIMITS[field]} 个字，实际 {len(new)} 个字"))
            continue
        old = getattr(item, field)
        if (new or None) != (old or None):
            changes[field] = (old, new or None)
    if problems:
        raise V.RecordError(problems)
    return changes


# ------------------------------------------------------------------ writes
def _load(
    session: Session, principal: Principal, unit_code: str, index_no: str, loaded: Stamp
) -> Publication:
    unit = unit_in_scope(session, principal, unit_code)
    upload_lock(session, "publications", unit.id)  # before reading: an upload of the unit waits, or we do
    row = session.scalar(
        select(Publication).where(
            Publication.unit_id == unit.id, Publication.index_no == clean_text(index_no)
        )
    )
    if row is None:
        raise V.RecordError([V.Problem("index_no", "索引号", f"「{index_no}」在本单位的公开目录中不存在")])
    if stamp_of(row) != loaded:
        raise V.StaleRecord()
    return row


def _record(
    session: Session,
    principal: Principal,
    row: Publication,
    unit_code: str,
    action: str,
    day: dt.date,
    note: str | None,
    changes: dict[str, tuple[str | None, str | None]] | None,
    loaded: Stamp,
) -> Changed:
    values = {field: new for field, (_old, new) in (changes or {}).items()}
    unit_id, index_no = row.unit_id, row.index_no
    session.expunge(row)  # the UPDATE below is the only write of the row
    _update_loaded(session, Publication, row.id, loaded, values)  # bumps the version, takes the row lock
    now = audit.local_now()
    payload = json.dumps(changes, ensure_ascii=False) if changes else None
    session.execute(
        insert(PublicationCorrection).values(
            unit_id=unit_id,
            index_no=index_no,
            action=action,
            action_date=day,
            changes=payload,
            note=note,
            username=principal.username[:60],
            user_id=principal.account_id,
            recorded_at=now,
        )
    )
    detail: dict[str, Any] = dict(action=ACTION_LABELS[action], unit=unit_code, index_no=index_no, date=day)
    if changes:
        detail["changes"] = {CORRECTABLE[f]: [old, new] for f, (old, new) in changes.items()}
    if note:
        detail["note"] = note
    audit.record(session, "publication_change", user=principal, detail=detail)
    db.bump_data_version(session)
    entry = HistoryEntry(
        action,
        day,
        tuple((CORRECTABLE[f], old, new) for f, (old, new) in (changes or {}).items()),
        note,
        principal.username,
        now,
    )
    return Changed(index_no, entry)


def correct_publication(
    session: Session,
    principal: Principal,
    unit_code: str,
    index_no: str,
    values: dict[str, Any],
    day: Any,
    note: Any,
    today: dt.date,
    *,
    loaded: Stamp,
) -> Changed:
    """更正 an item: its fields (`values`: field or its Chinese name → new value) change, the history
    keeps the old and new values, the date and the note. The item stays where it was published."""
    require(principal, "edit_records")
    row = _load(session, principal, unit_code, index_no, loaded)
    changes = planned_changes(row, values)
    corrected = _day(day, "更正日期", row, today)
    text = _note(note, "note", "更正说明", required=False)
    if not changes:
        raise V.RecordError([V.Problem("field", "更正内容", "没有需要更正的内容：填写的新值与现值相同")])
    return _record(session, principal, row, unit_code, "correct", corrected, text, changes, loaded)


def withdraw_publication(
    session: Session,
    principal: Principal,
    unit_code: str,
    index_no: str,
    day: Any,
    reason: Any,
    today: dt.date,
    *,
    loaded: Stamp,
) -> Changed:
    """撤回 a published item from `day` on, for a reason (required). It stays counted where it was
    published; from that day on it is never on the screen or the public read path."""
    require(principal, "edit_records")
    row = _load(session, principal, unit_code, index_no, loaded)
    if row.attribute != "proactive" or row.published_date is None:
        raise V.RecordError([V.Problem("index_no", "索引号", f"「{row.index_no}」未主动公开，无需撤回")])
    withdrawn = _day(day, "撤回日期", row, today)
    text = _note(reason, "reason", "撤回原因", required=True)
    found = _withdrawals(session, row.unit_id, [row.index_no]).get(row.index_no)
    if found is not None:
        raise V.RecordError([V.Problem("index_no", "索引号", f"「{row.index_no}」已于 {found.date} 撤回")])
    session.execute(
        insert(PublicationWithdrawal).values(
            unit_id=row.unit_id,
            index_no=row.index_no,
            withdrawn_date=withdrawn,
            reason=text,
            username=principal.username[:60],
            user_id=principal.account_id,
            recorded_at=audit.local_now(),
        )
    )
    return _record(session, principal, row, unit_code, "withdraw", withdrawn, text, None, loaded)


def restore_publication(
    session: Session,
    principal: Principal,
    unit_code: str,
    index_no: str,
    day: Any,
    reason: Any,
    today: dt.date,
    *,
    loaded: Stamp,
) -> Changed:
    """恢复 a withdrawn item (admins only): it is public again; the history keeps the withdrawal."""
    require(principal, "restore_withdrawn")
    row = _load(session, principal, unit_code, index_no, loaded)
    found = _withdrawals(session, row.unit_id, [row.index_no]).get(row.index_no)
    if found is None:
        raise V.RecordError([V.Problem("index_no", "索引号", f"「{row.index_no}」没有被撤回，无需恢复")])
    restored = _day(day, "恢复日期", row, today)
    if restored < found.date:
        raise V.RecordError([V.Problem("date", "恢复日期", f"{restored} 早于撤回日期 {found.date}")])
    text = _note(reason, "reason", "恢复原因", required=False)
    w = PublicationWithdrawal
    session.execute(delete(w).where(w.unit_id == row.unit_id, w.index_no == row.index_no))
    return _record(session, principal, row, unit_code, "restore", restored, text, None, loaded)
