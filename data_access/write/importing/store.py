"""What an upload replaces, the difference it makes, and writing it (with the change log).

Scope of an upload for (kind, unit, period) — the live rows it replaces:
- publications (period YYYY-MM, and a register): the unit's items of that month (published in it,
  or, when unpublished, formed in it) listed in the register, items with the file's 索引号, and the
  items the previous active batch for the same (month, register) listed (importing.registers);
- projects (YYYY-MM): the unit's 重点项目 figures of that month; `Project` rows are
  matched by name within (unit, year), updated or created, never deleted;
- requests (YYYY or ''): requests with the file's 编号 plus the previous batch's rows
  (an upload upserts by 编号; a request dropped from a re-uploaded file is removed);
- boards (YYYY or ''): updates with the file's (公开栏, 日期, 类型) plus the previous batch's rows;
- deliveries (YYYY or ''): rows with the file's (所属月份, 接收单位) plus the previous batch's rows;
- documents (YYYY): the unit's documents (公文) of that year — the file supersedes the year.
- annual-figures (YYYY): the unit's table 二 items of the year plus the previous batch's rows.
Rows in scope whose key is in the file are updated in place (ids kept), the others
deleted; keys not in scope are inserted. Every touched row is logged (changelog).
Every UPDATE and DELETE must touch exactly the rows the plan names: otherwise the data
changed since the plan was made and `apply` raises db.WriteConflict (the caller rolls back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from data_access.rules.vocab import DEFAULT_REGISTER
from data_access.store import db, tally
from data_access.store.models import (
    AnnualFigure,
    Appeal,
    Board,
    BoardUpdate,
    Delivery,
    DisclosureRequest,
    Document,
    Project,
    ProjectProgress,
    Publication,
    RequestPart,
    RequestPause,
    UploadBatch,
)
from data_access.write.importing import convert_appeals, registers
from data_access.write.importing.changelog import ChangeLog, chunks
from data_access.write.importing.convert import Context
from data_access.write.importing.normalise import fold
from data_access.write.importing.validate import APPEAL_KINDS, record_key

MAIN = {
    "publications": Publication,
    "projects": ProjectProgress,
    "requests": DisclosureRequest,
    "boards": BoardUpdate,
    "deliveries": Delivery,
    "documents": Document,
    "annual-figures": AnnualFigure,
    "appeals": Appeal,
    "complaints": Appeal,
}
COMPARE = {
    "publications": tuple(
        c for c in Publication.__table__.c.keys() if c not in ("id", "unit_id", "batch_id", "version")
    ),
    "projects": ("month_invested", "ytd_invested", "annual_plan", "plan_ytd", "total_investment", "notes"),
    "requests": tuple(
        c
        for c in DisclosureRequest.__table__.c.keys()
        if c
        not in (
            "id",
            "unit_id",
            "batch_id",
            "version",
            "applicant_contact",
            *tally.pauses.KEPT["disclosure_request"],
        )
    )
    + ("applicant_contact",),
    "boards": ("note",),
    "deliveries": ("delivered_date", "item_count"),
    "documents": ("doc_no", "title", "formed_date", "attribute", "withheld_reason", "index_no"),
    "annual-figures": ("issued", "abolished", "in_force", "decisions", "fees", "not_applicable"),
    "appeals": ("request_id",),  # the rest is the key (content + occurrence)
    "complaints": (),
}


@dataclass
class Plan:
    """The difference a file makes: records to add, (existing, record) pairs, existing rows to remove."""

    added: list[dict] = field(default_factory=list)
    matched: list[tuple[dict, dict]] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    # publications: items dropped from the upload's register that another register still lists
    # (they lose only this register's listing), and cross-period rows the clerk chose to skip.
    unlisted: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def changed(self, kind: str) -> list[tuple[dict, dict]]:
        """The matched pairs whose values differ (for requests, their pauses too when the file has them)."""
        return [
            (old, new)
            for old, new in self.matched
            if any(old.get(f) != new.get(f) for f in COMPARE[kind])
            or (new.get("_pauses") is not None and tuple(old.get("_pauses", ())) != new["_pauses"])
            or (new.get("_parts") is not None and tuple(old.get("_parts", ())) != new["_parts"])
        ]


def select_rows(session: Session, stmt: Any) -> list[dict]:
    """The rows a select returns, as dicts."""
    result = session.execute(stmt)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def _month_bounds(period: str) -> tuple[int, dt.date, dt.date]:
    year, month = int(period[:4]), int(period[5:])
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return year * 100 + month, start, end


def scope(
    session: Session,
    kind: str,
    ctx: Context,
    period: str,
    records: list[dict],
    previous: list[int],
    register: str = DEFAULT_REGISTER,
) -> list[dict]:
    """The live rows the upload replaces, each with its `_key` (see the module docstring)."""
    if kind == "publications":
        return registers.scope(session, ctx.unit_id, period, register, records, previous)
    model = MAIN[kind]
    t = model.__table__
    prev = t.c.batch_id.in_(previous) if previous else None
    found: dict[int, dict] = {}

    def add(stmt: Any) -> None:
        for row in select_rows(session, stmt):
            found[row["id"]] = row

    if kind == "publications":
        ym, start, end = _month_bounds(period)
        window = or_(
            t.c.published_ym == ym, and_(t.c.published_date.is_(None), t.c.formed_date.between(start, end))
        )
        add(select(t).where(t.c.unit_id == ctx.unit_id, or_(window, prev) if prev is not None else window))
        for part in chunks([r["index_no"] for r in records]):
            add(select(t).where(t.c.unit_id == ctx.unit_id, t.c.index_no.in_(part)))
    elif kind == "projects":
        ym, _start, _end = _month_bounds(period)
        stmt = select(t, Project.name.label("_name")).join(Project, Project.id == t.c.project_id)
        add(
            stmt.where(
                t.c.unit_id == ctx.unit_id, or_(t.c.ym == ym, prev) if prev is not None else t.c.ym == ym
            )
        )
    elif kind == "requests":
        if prev is not None:
            add(select(t).where(t.c.unit_id == ctx.unit_id, prev))
        for part in chunks([r["request_no"] for r in records]):
            add(select(t).where(t.c.unit_id == ctx.unit_id, t.c.request_no.in_(part)))
    elif kind == "annual-figures":
        from data_access.write.importing import annual

        for row in annual.scope(session, ctx, period, previous):
            found[row["id"]] = row
    elif kind in APPEAL_KINDS:
        # Only the rows of this kind's own earlier upload for the year: appeals entered on the
        # form or through the requests sheet are never replaced by it.
        if prev is not None:
            stmt = select(t, DisclosureRequest.request_no.label("_request_no")).outerjoin(
                DisclosureRequest, DisclosureRequest.id == t.c.request_id
            )
            add(stmt.where(t.c.unit_id == ctx.unit_id, prev).order_by(t.c.id))
    elif kind == "boards":
        stmt = (
            select(t, Board.name.label("_name"))
            .join(Board, Board.id == t.c.board_id)
            .where(Board.unit_id.in_(ctx.unit_ids))
        )
        if prev is not None:
            add(stmt.where(prev))
        keys = {record_key(kind, r) for r in records}
        dates = [r["update_date"] for r in records]
        if dates:
            for row in select_rows(session, stmt.where(t.c.update_date.between(min(dates), max(dates)))):
                if (fold(row["_name"]), row["update_date"], row["kind"]) in keys:
                    found[row["id"]] = row
    elif kind == "documents":
        year = t.c.year == int(period)
        add(select(t).where(t.c.unit_id == ctx.unit_id, or_(year, prev) if prev is not None else year))
    else:
        if prev is not None:
            add(select(t).where(t.c.unit_id == ctx.unit_id, prev))
        keys = {record_key(kind, r) for r in records}
        months = sorted({k[0] for k in keys})
        for part in chunks(months):
            for row in select_rows(
                session, select(t).where(t.c.unit_id == ctx.unit_id, t.c.period_ym.in_(part))
            ):
                if (row["period_ym"], row["recipient"]) in keys:
                    found[row["id"]] = row
    rows = list(found.values())
    if kind in APPEAL_KINDS:
        convert_appeals.number(kind, sorted(rows, key=lambda r: r["id"]))
        return rows
    for row in rows:
        row["_key"] = _existing_key(kind, row)
    if kind == "requests":
        _attach_pauses(session, rows)
        _attach_parts(session, rows)
    return rows


def _attach_parts(session: Session, rows: list[dict]) -> None:
    """Each request row's parts as `_parts`: (outcome, is_main) in their order, as convert.request gives them."""
    parts: dict[int, list[tuple[str, bool]]] = {}
    t = RequestPart.__table__
    for part in chunks([r["id"] for r in rows]):
        for request_id, outcome, main in session.execute(
            select(t.c.request_id, t.c.outcome, t.c.is_main).where(t.c.request_id.in_(part)).order_by(t.c.seq)
        ):
            parts.setdefault(request_id, []).append((outcome, bool(main)))
    for row in rows:
        row["_parts"] = tuple(parts.get(row["id"], []))


def _attach_pauses(session: Session, rows: list[dict]) -> None:
    """Each request row's pauses as `_pauses`: (kind, start, end) sorted as convert.request sorts them."""
    pauses: dict[int, list[tuple[str, dt.date, dt.date | None]]] = {}
    t = RequestPause.__table__
    for part in chunks([r["id"] for r in rows]):
        for request_id, kind, start, end in session.execute(
            select(t.c.request_id, t.c.kind, t.c.start_date, t.c.end_date).where(t.c.request_id.in_(part))
        ):
            pauses.setdefault(request_id, []).append((kind, start, end))
    for row in rows:
        row["_pauses"] = tuple(sorted(pauses.get(row["id"], []), key=lambda p: (p[1], p[0])))


def _existing_key(kind: str, row: dict) -> tuple:
    if kind == "publications":
        return (row["index_no"],)
    if kind == "projects":
        return (fold(row["_name"]),)
    if kind == "requests":
        return (row["request_no"],)
    if kind == "boards":
        return (fold(row["_name"]), row["update_date"], row["kind"])
    if kind == "documents":
        return (fold(row["doc_no"]),)
    if kind == "annual-figures":
        return (row["item"],)
    return (row["period_ym"], row["recipient"])


def make_plan(kind: str, records: list[dict], existing: list[dict]) -> Plan:
    """Match the file's records with the rows in scope."""
    by_key = {row["_key"]: row for row in existing}
    plan = Plan()
    seen = set()
    for record in records:
        key = record_key(kind, record)
        old = by_key.get(key)
        if old is None:
            plan.added.append(record)
        else:
            plan.matched.append((old, record))
            seen.add(key)
    plan.removed = [row for row in existing if row["_key"] not in seen]
    return plan


def _image(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


_COLUMNS = {kind: frozenset(model.__table__.c.keys()) for kind, model in MAIN.items()}


def _values(kind: str, record: dict) -> dict:
    columns = _COLUMNS[kind]
    return {k: v for k, v in record.items() if k in columns}


def _delete_rows(session: Session, log: ChangeLog, model: Any, rows: list[dict]) -> None:
    for row in rows:
        log.add(model.__tablename__, row["id"], "delete", _image(row))
    conn, t = session.connection(), model.__table__
    for part in chunks([r["id"] for r in rows]):
        expect(conn.execute(delete(t).where(t.c.id.in_(part))).rowcount, len(part), f"delete {t.name}")


def expect(rowcount: int, planned: int, what: str) -> None:
    """WriteConflict unless a statement touched as many rows as planned."""
    if rowcount != planned:
        raise db.WriteConflict(f"{what}: {rowcount} rows where the plan has {planned}")


def _update_rows(session: Session, log: ChangeLog, model: Any, pairs: list[tuple[dict, dict]]) -> None:
    for old, _new in pairs:
        log.add(model.__tablename__, old["id"], "update", _image(old))
    update_by_id(
        session,
        model.__table__,
        [dict(values, id=old["id"]) for old, values in pairs],
        {o["id"]: o for o, _ in pairs},
    )


def update_by_id(
    session: Session, table: Any, rows: list[dict], current: Mapping[int, Mapping[str, Any]] | None = None
) -> None:
    """UPDATE each row (a dict with its `id`) with its other values: one executemany per set of columns.

    With `current` (each row's values as they are now), only the values that differ are
    written: the same end state, without rewriting unchanged indexed columns. Every row
    written must exist (WriteConflict otherwise). The columns triggers keep are never written.
    """
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    skipped = ("id", "version", *tally.pauses.KEPT.get(table.name, ()))
    for row in rows:
        now = current.get(row["id"]) if current is not None else None
        names = tuple(
            k for k, v in row.items() if k not in skipped and (now is None or k not in now or now[k] != v)
        )
        by_columns.setdefault(names, []).append(row)
    conn = session.connection()
    # A row that forms edit carries a version: any change moves it on (never back, not even when
    # an undo puts old values back), so a form loaded before this write is refused on save.
    versioned = {"version": table.c.version + 1} if "version" in table.c else {}
    for names, group in by_columns.items():
        if not names:
            continue
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({**{name: bindparam(f"_v_{name}") for name in names}, **versioned})
        )
        params = [{"_id": r["id"], **{f"_v_{n}": r[n] for n in names}} for r in group]
        expect(conn.execute(stmt, params).rowcount, len(params), f"update {table.name}")


def _null_by_default(table: Any) -> frozenset[str]:
    """Columns that hold NULL when left out of an INSERT (nullable, no default of any kind)."""
    return frozenset(
        c.key
        for c in table.c
        if c.nullable and not c.primary_key and c.default is None and c.server_default is None
    )


def insert_rows(session: Session, table: Any, rows: list[dict]) -> None:
    """INSERT the rows: one executemany per set of columns, NULLs left to the column's default NULL,
    the columns triggers keep (a row image's pause flag) left to them."""
    nullable = _null_by_default(table)
    kept = tally.pauses.KEPT.get(table.name, ())
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        row = {k: v for k, v in row.items() if (v is not None or k not in nullable) and k not in kept}
        by_columns.setdefault(tuple(row), []).append(row)
    conn = session.connection()
    for group in by_columns.values():
        conn.execute(insert(table), group)


def tally_rows(plan: Plan) -> int:
    """How many rows of the main table the plan writes (inserted, updated or deleted)."""
    return len(plan.added) + len(plan.matched) + len(plan.removed)


def apply(
    session: Session,
    kind: str,
    ctx: Context,
    period: str,
    batch_id: int,
    plan: Plan,
    log: ChangeLog,
    with_appeals: bool,
    register: str = DEFAULT_REGISTER,
) -> None:
    """Write the plan: delete, update in place, insert (bulk, Core), logging every touched row.

    A large plan keeps the running counts with one grouped recount of the rows it replaces
    and of the rows it leaves (tally.bulk) instead of the row triggers.
    """
    model = MAIN[kind]
    extra: dict[str, Any] = {"batch_id": batch_id}
    if kind != "boards":
        extra["unit_id"] = ctx.unit_id
    with tally.bulk(session.connection(), model.__tablename__, tally_rows(plan)) as counts:
        counts.subtract(ids=[old["id"] for old, _new in plan.matched] + [r["id"] for r in plan.removed])
        if kind == "requests":
            _delete_request_children(session, log, [r["id"] for r in plan.removed], appeals=True)
        if kind == "projects":
            extra.update(
                year=int(period[:4]), month=int(period[5:]), ym=int(period[:4]) * 100 + int(period[5:])
            )
            _projects(session, ctx, int(period[:4]), plan, log)
        if kind == "boards":
            _boards(session, ctx, plan, log)
        if kind == "documents":
            extra["year"] = int(period)
        if kind == "publications":
            registers.write_listings(session, ctx.unit_id, register, batch_id, plan, log, before=True)
        _delete_rows(session, log, model, plan.removed)
        _update_rows(
            session, log, model, [(old, {**_values(kind, new), **extra}) for old, new in plan.matched]
        )
        insert_rows(session, model.__table__, [{**_values(kind, r), **extra} for r in plan.added])
        if kind == "publications":
            registers.write_listings(session, ctx.unit_id, register, batch_id, plan, log, before=False)
        if kind == "requests" and with_appeals:
            _appeals(session, ctx, batch_id, plan, log)
        if kind == "requests":
            _pauses(session, ctx, plan, log)
            _parts(session, ctx, plan, log)
        counts.add(batch_id=batch_id)


def _projects(session: Session, ctx: Context, year: int, plan: Plan, log: ChangeLog) -> None:
    t = Project.__table__
    existing = {
        fold(r["name"]): r
        for r in select_rows(session, select(t).where(t.c.unit_id == ctx.unit_id, t.c.year == year))
    }
    for position, record in enumerate([r for _o, r in plan.matched] + plan.added, start=1):
        old = existing.get(fold(record["name"]))
        values = dict(
            seq=record["seq"] or (old["seq"] if old else position),
            total_investment=record["total_investment"]
            if record["total_investment"] is not None
            else (old or {}).get("total_investment"),
            annual_plan=record["annual_plan"],
        )
        if old is None:
            project_id = session.execute(
                insert(Project)
                .values(unit_id=ctx.unit_id, year=year, name=record["name"], **values)
                .returning(Project.id)
            ).scalar_one()
            log.add("project", project_id, "insert")
        else:
            project_id = old["id"]
            if any(old[k] != v for k, v in values.items()):
                log.add("project", project_id, "update", old)
                result = session.execute(update(Project).where(Project.id == project_id).values(**values))
                expect(result.rowcount, 1, "update project")
        record["project_id"] = project_id


def _infer_board_kind(name: str) -> str:
    key = fold(name)
    if "led" in key or "屏" in key:
        return "led"
    if "社区" in key or "居务" in key or "村" in key:
        return "community"
    if "大院" in key or "机关" in key or "门口" in key:
        return "gate"
    return "other"


def _boards(session: Session, ctx: Context, plan: Plan, log: ChangeLog) -> None:
    created: dict[str, int] = {}
    for record in plan.added + [r for _o, r in plan.matched]:
        if record.get("board_id") is None:
            key = fold(record["board"])
            if key not in created:
                created[key] = session.execute(
                    insert(Board)
                    .values(
                        unit_id=ctx.unit_id,
                        name=record["board"],
                        location=record["location"],
                        kind=_infer_board_kind(record["board"]),
                    )
                    .returning(Board.id)
                ).scalar_one()
                log.add("board", created[key], "insert")
            record["board_id"] = created[key]


def _delete_request_children(
    session: Session, log: ChangeLog, request_ids: list[int], *, appeals: bool
) -> None:
    for part in chunks(request_ids):
        if appeals:
            _delete_rows(
                session,
                log,
                Appeal,
                select_rows(session, select(Appeal.__table__).where(Appeal.request_id.in_(part))),
            )
        _delete_rows(
            session,
            log,
            RequestPause,
            select_rows(session, select(RequestPause.__table__).where(RequestPause.request_id.in_(part))),
        )
        _delete_rows(
            session,
            log,
            RequestPart,
            select_rows(session, select(RequestPart.__table__).where(RequestPart.request_id.in_(part))),
        )


def _request_ids(session: Session, ctx: Context, plan: Plan) -> dict[str, int]:
    """request_no → id of every request the plan wrote (matched and just inserted)."""
    ids = {old["request_no"]: old["id"] for old, _new in plan.matched}
    for part in chunks([r["request_no"] for r in plan.added]):
        ids.update(
            session.execute(
                select(DisclosureRequest.request_no, DisclosureRequest.id).where(
                    DisclosureRequest.unit_id == ctx.unit_id, DisclosureRequest.request_no.in_(part)
                )
            ).all()
        )
    return ids


def _pauses(session: Session, ctx: Context, plan: Plan, log: ChangeLog) -> None:
    """When the file has the pause columns, its 补正 and third-party dates replace the requests'
    pauses (logged, so undo puts the old ones back); without them, pauses entered on the form stay."""
    matched = [(old, new) for old, new in plan.matched if new.get("_pauses") is not None]
    added = [r for r in plan.added if r.get("_pauses")]
    if not matched and not added:
        return
    changed = [(old, new) for old, new in matched if tuple(old.get("_pauses", ())) != new["_pauses"]]
    t = RequestPause.__table__
    for part in chunks([old["id"] for old, _new in changed]):
        _delete_rows(
            session, log, RequestPause, select_rows(session, select(t).where(t.c.request_id.in_(part)))
        )
    ids = _request_ids(session, ctx, plan)
    for record in added + [new for _old, new in changed]:
        for kind, start, end in record["_pauses"]:
            pause_id = session.execute(
                insert(RequestPause)
                .values(request_id=ids[record["request_no"]], kind=kind, start_date=start, end_date=end)
                .returning(RequestPause.id)
            ).scalar_one()
            log.add("request_pause", pause_id, "insert")


def _parts(session: Session, ctx: Context, plan: Plan, log: ChangeLog) -> None:
    """When the file has the 答复类型 column, the outcomes it gives each request (one part each, the
    main one marked) replace the request's parts, logged so that undo puts the old ones back."""
    matched = [(old, new) for old, new in plan.matched if new.get("_parts") is not None]
    added = [r for r in plan.added if r.get("_parts")]
    changed = [(old, new) for old, new in matched if tuple(old.get("_parts", ())) != new["_parts"]]
    if not changed and not added:
        return
    t = RequestPart.__table__
    for part in chunks([old["id"] for old, _new in changed]):
        _delete_rows(
            session, log, RequestPart, select_rows(session, select(t).where(t.c.request_id.in_(part)))
        )
    ids = _request_ids(session, ctx, plan)
    rows = [
        dict(request_id=ids[record["request_no"]], seq=seq, outcome=outcome, is_main=main)
        for record in added + [new for _old, new in changed]
        for seq, (outcome, main) in enumerate(record["_parts"], start=1)
    ]
    if not rows:
        return
    conn = session.connection()
    conn.execute(insert(t), rows)
    for part in chunks(sorted({r["request_id"] for r in rows})):
        for (part_id,) in conn.execute(select(t.c.id).where(t.c.request_id.in_(part))):
            log.add("request_part", part_id, "insert")


def _appeals(session: Session, ctx: Context, batch_id: int, plan: Plan, log: ChangeLog) -> None:
    # The sheet's appeal columns replace the appeals it (or the form) recorded for its requests,
    # never those of an appeals upload that name the same request (they are that upload's).
    bulk = select(UploadBatch.id).where(UploadBatch.kind.in_(APPEAL_KINDS))
    for part in chunks([old["id"] for old, _new in plan.matched]):
        _delete_rows(
            session,
            log,
            Appeal,
            select_rows(
                session,
                select(Appeal.__table__).where(Appeal.request_id.in_(part), Appeal.batch_id.not_in(bulk)),
            ),
        )
    ids = _request_ids(session, ctx, plan)
    rows = [
        dict(
            r["_appeal"],
            unit_id=ctx.unit_id,
            request_id=ids[r["request_no"]],
            batch_id=batch_id,
            summary=None,
            closed_date=None,
        )
        for r in plan.added + [new for _old, new in plan.matched]
        if r.get("_appeal")
    ]
    insert_rows(session, Appeal.__table__, rows)
