"""Publication registers in the import: which register an upload lists its items in, what it
replaces there, and the items it names that were recorded in another period.

A publications upload for (unit, month, register R):
- replaces R's listings of the month: the items of the month listed in R (unless an upload of R for
  another month listed them) and the listings of the previous R upload for the month. An item left
  out of the file loses its R listing; it is deleted only when no other register lists it
  (`Plan.unlisted` holds those that stay);
- updates the items the file names wherever they were recorded (one item per (unit, 索引号)) and
  lists them in R.
An item the file names that was recorded in another month is a cross-period row: the preview lists
it with its original month and what the file would make it, and each gets a choice:
- 'keep' (the default): update the fields, keep the original dates (so the month's figures do not
  depend on the order of uploads);
- 'move': take the file's dates (the item moves to the file's month);
- 'skip': leave the item untouched (not listed in R either).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal, require
from data_access.rules.vocab import DEFAULT_REGISTER, PUBLICATION_REGISTERS
from data_access.store import audit, db, tally
from data_access.store.models import Publication, PublicationListing, PublicationRegister, UploadBatch
from data_access.write.importing.changelog import ChangeLog, chunks

CHOICES = ("keep", "move", "skip")
CHOICE_NAMES = {"keep": "保留原月份并更新内容", "move": "改为本文件的月份", "skip": "跳过此行"}
# The dates that decide an item's month: 'keep' leaves them as they were.
PERIOD_FIELDS = ("published_date", "published_year", "published_ym", "formed_date")


class RegisterError(ValueError):
    """An unknown or invalid register name; message in Chinese."""


def names(session: Session) -> list[str]:
    """The registers in order: the built-in ones, then those the office added."""
    rows = list(
        session.scalars(
            select(PublicationRegister.name).order_by(PublicationRegister.sort_order, PublicationRegister.id)
        )
    )
    return rows or list(PUBLICATION_REGISTERS)


def check(session: Session, register: str | None) -> str:
    """The register to file an upload under (the default when none is named); RegisterError if unknown."""
    chosen = (register or "").strip() or DEFAULT_REGISTER
    known = names(session)
    if chosen not in known:
        raise RegisterError(f"未知的登记册「{chosen}」，应为：{'、'.join(known)}")
    return chosen


def add(engine: Any, principal: Principal, name: str) -> str:
    """Add a register of the office's own (admin); RegisterError when the name is blank, too long or taken."""
    require(principal, "admin_units")
    name = name.strip()
    if not name:
        raise RegisterError("登记册名称不能为空")
    if len(name) > 20:
        raise RegisterError(f"登记册名称「{name}」过长（最多 20 个字）")
    with db.write_session(engine) as session:
        if name in names(session):
            raise RegisterError(f"登记册「{name}」已存在")
        last = max((r.sort_order for r in session.scalars(select(PublicationRegister))), default=0)
        session.add(PublicationRegister(name=name, sort_order=last + 1, builtin=False))
        audit.record(session, "settings_change", user=principal, detail=f"新增登记册 {name}")
        db.bump_data_version(session)
    return name


# Words in a file name, sheet name or title that name a register, first match wins.
_GUESS = (
    ("政务新媒体", ("政务新媒体", "新媒体", "微信", "公众号", "微博", "两微一端", "头条号", "抖音")),
    ("政府公报", ("政府公报", "公报")),
    ("公开栏", ("公开栏", "宣传栏", "公示栏", "电子屏")),
    ("政府网站", ("政府网站", "门户网站", "网站")),
)
# The item's 公开渠道 (publication.channel) → the register it suggests.
_CHANNEL_REGISTER = {
    "两微一端": "政务新媒体",
    "政府公报": "政府公报",
    "公开栏": "公开栏",
    "政府门户网站": "政府网站",
}


@dataclass(frozen=True)
class Guess:
    """A register guessed from the file, and from what."""

    register: str
    source: str  # 文件名 / 工作表名 / 标题 / 公开渠道列

    @property
    def message(self) -> str:
        """The guess as the page and the command line show it."""
        return f"根据{self.source}推断登记册为「{self.register}」"


def guess(
    file_name: str,
    sheet: str | None,
    title: str | None,
    channels: list[str | None],
    known: list[str],
) -> Guess | None:
    """The register the file names: its file name, sheet name, title, then its 渠道 column."""
    for source, text in (("文件名", file_name), ("工作表名", sheet or ""), ("标题", title or "")):
        compact = re.sub(r"\s+", "", text or "")
        for name in known:  # the office's own registers by their exact name first
            if name not in PUBLICATION_REGISTERS and name in compact:
                return Guess(name, source)
        for name, words in _GUESS:
            if name in known and any(w in compact for w in words):
                return Guess(name, source)
    given = set(channels)  # the rows' 公开渠道 when the file has that column
    if len(given) == 1:
        found = _CHANNEL_REGISTER.get(next(iter(given)) or "")
        if found and found in known:
            return Guess(found, "公开渠道列")
    return None


def month_of(row: Mapping[str, Any]) -> str | None:
    """An item's month 'YYYY-MM': its publication month, else (unpublished) its formed month."""
    ym = row.get("published_ym")
    if ym:
        return f"{ym // 100}-{ym % 100:02d}"
    formed = row.get("formed_date")
    return f"{formed.year}-{formed.month:02d}" if formed else None


@dataclass(frozen=True)
class CrossPeriod:
    """A file row naming an item recorded in another month, and what was chosen for it."""

    index_no: str
    title: str
    original: str
    proposed: str
    choice: str
    row: int | None

    @property
    def message(self) -> str:
        """「原属 2018-03，本文件将其改为 2018-06」."""
        return f"原属 {self.original}，本文件将其改为 {self.proposed}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return dict(
            index_no=self.index_no,
            title=self.title,
            original=self.original,
            proposed=self.proposed,
            choice=self.choice,
            row=self.row,
            message=self.message,
        )


def choice_for(choices: str | Mapping[str, str] | None, index_no: str) -> str:
    """The choice for one row: a mapping by 索引号 (default keep) or one choice for every row."""
    if choices is None:
        return "keep"
    if isinstance(choices, str):
        chosen = choices
    else:
        chosen = choices.get(index_no, "keep")
    if chosen not in CHOICES:
        raise RegisterError(f"跨月份处理方式「{chosen}」无法识别，应为：{'、'.join(CHOICES)}")
    return chosen


def _rows(session: Session, stmt: Any) -> list[dict]:
    result = session.execute(stmt)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def _window(period: str) -> Any:
    t = Publication.__table__
    year, month = int(period[:4]), int(period[5:])
    ym, start = year * 100 + month, dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return or_(
        t.c.published_ym == ym, and_(t.c.published_date.is_(None), t.c.formed_date.between(start, end))
    )


def scope(
    session: Session, unit_id: int, period: str, register: str, records: list[dict], previous: list[int]
) -> list[dict]:
    """The items the upload may touch, each with `_key`, `_registers` (register → listing row) and `_month`.

    In scope: the month's items listed in the register (except listings an upload of the register
    for another month made), the items the previous upload of the key listed, and every item with
    one of the file's 索引号.
    """
    t, lt = Publication.__table__, PublicationListing.__table__
    other_months = select(UploadBatch.id).where(
        UploadBatch.kind == "publications",
        UploadBatch.unit_id == unit_id,
        UploadBatch.register == register,
        UploadBatch.status == "active",
        UploadBatch.period_key != period,
    )
    found: dict[int, dict] = {}
    mine = and_(lt.c.register == register, lt.c.batch_id.not_in(other_months))
    if previous:
        mine = or_(mine, and_(lt.c.register == register, lt.c.batch_id.in_(previous)))
    listed = select(lt.c.publication_id).where(lt.c.unit_id == unit_id, mine)
    stmt = select(t).where(t.c.unit_id == unit_id, t.c.id.in_(listed))
    window_stmt = stmt.where(_window(period))
    for row in _rows(session, window_stmt):
        found[row["id"]] = row
    if previous:
        prev_ids = select(lt.c.publication_id).where(lt.c.register == register, lt.c.batch_id.in_(previous))
        for row in _rows(session, select(t).where(t.c.id.in_(prev_ids))):
            found[row["id"]] = row
    for part in chunks([r["index_no"] for r in records]):
        for row in _rows(session, select(t).where(t.c.unit_id == unit_id, t.c.index_no.in_(part))):
            found[row["id"]] = row
    rows = list(found.values())
    listings: dict[int, dict[str, dict]] = {}
    for part in chunks([r["id"] for r in rows]):
        for listing in _rows(session, select(lt).where(lt.c.publication_id.in_(part))):
            listings.setdefault(listing["publication_id"], {})[listing["register"]] = listing
    for row in rows:
        row["_key"] = (row["index_no"],)
        row["_registers"] = listings.get(row["id"], {})
        row["_month"] = month_of(row)
    return rows


def settle(
    plan: Any, register: str, period: str, choices: str | Mapping[str, str] | None
) -> list[CrossPeriod]:
    """Apply the register and the cross-period choices to a publications plan (in place).

    Items dropped from the register that another register still lists move from `removed` to
    `unlisted`; cross-period rows are decided: 'skip' leaves the plan, 'keep' keeps the dates.
    Returns the cross-period rows with their choice.
    """
    removed, unlisted = [], []
    for row in plan.removed:
        (unlisted if set(row["_registers"]) - {register} else removed).append(row)
    plan.removed, plan.unlisted = removed, unlisted
    cross, matched = [], []
    for old, new in plan.matched:
        if old["_month"] != period:
            choice = choice_for(choices, old["index_no"])
            cross.append(
                CrossPeriod(
                    old["index_no"],
                    old["title"],
                    old["_month"] or "",
                    month_of(new) or period,
                    choice,
                    new.get("_row"),
                )
            )
            if choice == "skip":
                plan.skipped.append(old)
                continue
            new["_cross"] = choice
            if choice == "keep":
                kept = {f: old[f] for f in PERIOD_FIELDS}
                if old["published_date"] is None and new.get("published_date") is not None:
                    kept = {"formed_date": old["formed_date"]} if old["formed_date"] else {}
                new.update(kept)
        matched.append((old, new))
    plan.matched = matched
    return cross


def write_listings(
    session: Session, unit_id: int, register: str, batch_id: int, plan: Any, log: ChangeLog, before: bool
) -> None:
    """The listings half of a publications upload.

    `before=True` (before the items are deleted): delete the register's listing of every item
    dropped from it (and of every deleted item). `before=False` (after the items are written): list
    every item the file names in the register — a new listing, or the existing one taken over by
    this batch (a 'keep' row's listing made by another month's upload stays with it).
    """
    lt = PublicationListing.__table__
    if before:
        doomed = [
            row["_registers"][register]
            for row in plan.removed + plan.unlisted
            if register in row["_registers"]
        ]
        for row in plan.removed:  # an item deleted loses every listing (only this register's exist)
            doomed += [v for k, v in row["_registers"].items() if k != register]
        for listing in doomed:
            log.add("publication_listing", listing["id"], "delete", listing)
        conn = session.connection()
        for part in chunks([d["id"] for d in doomed]):
            conn.execute(delete(lt).where(lt.c.id.in_(part)))
        _reassign(session, register, batch_id, plan, log)
        return
    taken, new_rows = [], []
    for old, new in plan.matched:
        listing = old["_registers"].get(register)
        if listing is None:
            new_rows.append(old["id"])
        elif new.get("_cross") != "keep" and listing["batch_id"] != batch_id:
            taken.append(listing)
    for listing in taken:
        log.add("publication_listing", listing["id"], "update", listing)
    conn = session.connection()
    for part in chunks([t["id"] for t in taken]):
        conn.execute(update(lt).where(lt.c.id.in_(part)).values(batch_id=batch_id))
    t = Publication.__table__
    for part in chunks([r["index_no"] for r in plan.added]):
        new_rows += list(
            session.scalars(select(t.c.id).where(t.c.unit_id == unit_id, t.c.index_no.in_(part)))
        )
    if new_rows:
        conn.execute(
            insert(lt),
            [dict(publication_id=i, unit_id=unit_id, register=register, batch_id=batch_id) for i in new_rows],
        )


def _reassign(session: Session, register: str, batch_id: int, plan: Any, log: ChangeLog) -> None:
    """An item that stays in another register only: it now belongs to that register's batch."""
    rows = []
    for row in plan.unlisted:
        others = sorted(v["batch_id"] for k, v in row["_registers"].items() if k != register)
        if others and row["batch_id"] != others[-1]:
            log.add(
                "publication", row["id"], "update", {k: v for k, v in row.items() if not k.startswith("_")}
            )
            rows.append(dict(id=row["id"], batch_id=others[-1]))
    t = Publication.__table__
    for row in rows:
        result = session.execute(update(t).where(t.c.id == row["id"]).values(batch_id=row["batch_id"]))
        if result.rowcount != 1:
            raise db.WriteConflict(f"reassign publication {row['id']}: {result.rowcount} rows")


def list_unlisted(session: Session) -> int:
    """File data written without the import (the demo and scale seeds) under the default register:
    every publications batch without a register, and a listing for every item that has none.
    Idempotent; returns how many listings it added."""
    session.execute(
        update(UploadBatch)
        .where(UploadBatch.kind == "publications", UploadBatch.register == "")
        .values(register=DEFAULT_REGISTER)
    )
    t, lt = Publication.__table__, PublicationListing.__table__
    unlisted = select(t.c.id, t.c.unit_id, literal(DEFAULT_REGISTER), t.c.batch_id).where(
        ~select(lt.c.id).where(lt.c.publication_id == t.c.id).exists()
    )
    write = insert(lt).from_select(["publication_id", "unit_id", "register", "batch_id"], unlisted)
    many = session.scalar(select(func.count()).select_from(unlisted.subquery())) or 0
    if many < tally.BULK_ROWS:
        return int(session.execute(write).rowcount or 0)
    with tally.listings.many_listed(session.connection()):  # a seed's every item: counted at once
        return int(session.execute(write).rowcount or 0)
