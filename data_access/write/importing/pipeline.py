"""Upload a monthly spreadsheet: parse → preview (nothing written) → commit (one transaction).

The page (or the command line) calls:
- `preview(engine, data, kind, unit_code, period, file_name)` → Preview: status 'valid',
  'rejected' or 'unchanged', the rows added / changed / removed against the database
  for that (kind, unit, period), and every issue found; a file with the header and no data
  rows is a 零报告 where the kind has one (`zero`: the preview says so, the commit files it);
- `commit(engine, principal, data, kind, unit_code, period, file_name)` → ImportResult:
  'committed', 'rejected', 'unchanged' or 'conflict', with the batch id;
- `batches.history(...)`, and `write.undo.undo(...)`.
Commit refuses (PermissionDenied, before it reads the file) a principal whose role may not upload,
and one whose scope (their unit and the units under it) does not hold the unit.
A re-upload of the same file for the same key is 'unchanged': the upload_batch unique
constraint (kind, unit, period, file hash) settles two simultaneous uploads. A file
uploaded again after its batch was undone or superseded is stored under a derived hash
(sha256 of the bytes + '#n'), so it can be applied again.

Commit takes the (kind, unit) lock (batches.lock) before it reads anything, then checks the
file and plans against the database as it is under the lock: uploads and undos of the same
data run one after the other, the later one planning against what the earlier one left.
The whole transaction is tried again when it lost to another writer (db.retrying: SQLite
busy, a deadlock, or data that changed under the plan — every UPDATE and DELETE must touch
exactly the rows planned); if it still cannot be written the result is 'conflict', nothing
is written, and a Chinese issue says why.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.rules.permissions import PermissionDenied, Principal, require
from data_access.rules.vocab import DEFAULT_REGISTER
from data_access.store import audit, db
from data_access.store.models import OrgUnit, UploadBatch
from data_access.store.reference import visible_unit_ids
from data_access.write.importing import batches, previewing, registers, store, zero
from data_access.write.importing.changelog import ChangeLog
from data_access.write.importing.convert import Context, UnknownUnit, load_context
from data_access.write.importing.gcpause import collector_paused
from data_access.write.importing.issues import ERROR, INFO, Issue, has_errors, sort_issues
from data_access.write.importing.kinds import KINDS, SPECS
from data_access.write.importing.reading import FileRejected, read_sheets
from data_access.write.importing.tables import Table, locate
from data_access.write.importing.validate import APPEAL_KINDS, parse_period, validate

CONFLICT_MESSAGE = "另一位同事刚刚导入了同一期间的文件，本次未写入任何数据，请刷新后重新预览"


class UsageError(ValueError):
    """A wrong argument (kind, unit, period) rather than a wrong file; message in Chinese."""


@dataclass
class Parsed:
    """A file read without the database: its format, the located table and the issues so far."""

    fmt: str | None
    table: Table | None
    issues: list[Issue]
    data: bytes

    def hash_at(self, generation: int, register: str = "") -> str:
        """The file's stored hash at a generation (for a publications register other than the default,
        the register is part of it: the same file may be in force for two registers)."""
        return file_hash(self.data, generation, register)


@dataclass
class Preview:
    """What committing the file would do; nothing has been written."""

    status: str  # preview: valid | rejected | unchanged; commit: committed | rejected | unchanged | conflict
    kind: str
    unit: str
    period: str
    file_name: str
    sheet: str | None
    rows: int
    added: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    unchanged_rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    batch_id: int | None = None
    zero_report: str | None = None  # no data rows: what committing files (preview) or filed (commit)
    # Sentences shown beside the counts: categories mapped from variants, a projects file's 合计 check
    # and lagging count (previewing.py).
    notes: list[str] = field(default_factory=list)
    # publications: the register the upload is filed under, the guess read from the file, the
    # items dropped from this register that another register keeps, and the cross-period rows.
    register: str = ""
    register_guess: registers.Guess | None = None
    unlisted: list[dict] = field(default_factory=list)
    cross_period: list[registers.CrossPeriod] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary (counts, not rows)."""
        return dict(
            status=self.status,
            batch_id=self.batch_id,
            kind=self.kind,
            unit=self.unit,
            period=self.period,
            rows=self.rows,
            added=len(self.added),
            changed=len(self.changed),
            removed=len(self.removed),
            zero_report=self.zero_report,
            issues=[i.to_dict() for i in self.issues],
            **(
                dict(
                    register=self.register,
                    register_guess=self.register_guess.message if self.register_guess else None,
                    unlisted=len(self.unlisted),
                    cross_period=[c.to_dict() for c in self.cross_period],
                )
                if self.kind == "publications"
                else {}
            ),
        )


ImportResult = Preview  # what commit returns: the same shape with its own statuses


def file_hash(data: bytes, generation: int = 0, register: str = "") -> str:
    """The stored hash of a file: sha256 of its bytes (+ '#n' for its n-th re-application; + '@register'
    for a publications register other than the default)."""
    if register and register != DEFAULT_REGISTER:
        data = data + f"@{register}".encode()
    return hashlib.sha256(data if generation == 0 else data + f"#{generation}".encode()).hexdigest()


def read_file(data: bytes, kind: str) -> Parsed:
    """Read and locate the table (no database): FileRejected and header problems become issues."""
    if kind not in KINDS:
        raise UsageError(f"未知的数据类型：{kind}（应为 {'、'.join(KINDS)}）")
    try:
        fmt, sheets = read_sheets(data)
    except FileRejected as exc:
        return Parsed(None, None, [Issue(ERROR, str(exc))], data)
    table, issues = locate(SPECS[kind], sheets)
    if table is not None and len(table.rows) > settings.get_int("IMPORT_MAX_ROWS"):
        issues.append(
            table.issue(
                ERROR, f"数据行过多（{len(table.rows)} 行），上限为 {settings.get('IMPORT_MAX_ROWS')} 行"
            )
        )
        table = None
    return Parsed(fmt, table, issues, data)


def _analyse(
    session: Session,
    parsed: Parsed,
    kind: str,
    unit_code: str | None,
    period: str | None,
    file_name: str,
    register: str | None = None,
    cross_period: str | Mapping[str, str] | None = None,
) -> tuple[Preview, Context, list[dict], store.Plan | None]:
    try:
        chosen = parse_period(period, kind)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        ctx = load_context(
            session, unit_code or settings.get("DEFAULT_UNIT"), int(chosen[:4]) if chosen else None
        )
    except UnknownUnit as exc:
        raise UsageError(str(exc)) from exc
    issues = list(parsed.issues)
    sheet = parsed.table.sheet.name if parsed.table else None
    preview = Preview("rejected", kind, ctx.unit_code, chosen or "", file_name, sheet, 0, issues=issues)
    if parsed.table is None or has_errors(issues):
        preview.issues = sort_issues(issues)
        return preview, ctx, [], None
    records, more, period_key = validate(session, ctx, parsed.table, kind, chosen, file_name)
    issues += more
    if not parsed.table.rows:  # the header alone: a 零报告, or refused where the kind has none
        refused = zero.refusal(parsed.table, kind, file_name, period_key)
        issues.append(refused or zero.preview_issue(parsed.table, kind, period_key))
        preview.zero_report = None if refused else issues[-1].message
    preview.period, preview.rows, preview.issues = period_key, len(records), sort_issues(issues)
    if has_errors(issues):
        return preview, ctx, records, None
    filed_under = ""
    if kind == "publications":
        filed_under = _register(session, parsed, file_name, records, register, preview)
    previous = batches.active_for_key(session, kind, ctx.unit_id, period_key, filed_under)
    plan = store.make_plan(
        kind,
        records,
        store.scope(session, kind, ctx, period_key, records, [b.id for b in previous], filed_under),
    )
    if kind == "publications":
        try:
            preview.cross_period = registers.settle(plan, filed_under, period_key, cross_period)
        except registers.RegisterError as exc:
            raise UsageError(str(exc)) from exc
        preview.unlisted = plan.unlisted
    preview.added, preview.changed, preview.removed = plan.added, plan.changed(kind), plan.removed
    preview.unchanged_rows = len(plan.matched) - len(preview.changed)
    if kind == "publications":
        previewing.name_removed_categories(ctx, preview.removed)
        preview.notes = previewing.category_mappings(records)
    if kind == "projects" and parsed.table is not None:
        preview.notes = previewing.project_checks(parsed.table, records, period_key)
    same = batches.same_file(
        session, kind, ctx.unit_id, period_key, lambda g: parsed.hash_at(g, filed_under), filed_under
    )
    active = same.active if same.active is not None else _same_content(previous, preview)
    preview.status = "unchanged" if active is not None else "valid"
    preview.batch_id = active.id if active is not None else None
    return preview, ctx, records, plan


def _same_content(previous: list, preview: Preview) -> Any:
    """The batch in force when the file holds exactly its data (another file, same content), else None."""
    if len(previous) != 1 or preview.added or preview.changed or preview.removed or preview.unlisted:
        return None
    return previous[0]


def _register(
    session: Session,
    parsed: Parsed,
    file_name: str,
    records: list[dict],
    chosen: str | None,
    preview: Preview,
) -> str:
    """The register a publications upload is filed under: the one chosen, else the guess, else the default."""
    known = registers.names(session)
    table = parsed.table
    channels = [r.get("channel") for r in records] if table is not None and "channel" in table.columns else []
    preview.register_guess = registers.guess(
        file_name, table.sheet.name if table else None, table.title if table else None, channels, known
    )
    if not chosen and preview.register_guess is not None:
        chosen = preview.register_guess.register
    try:
        preview.register = registers.check(session, chosen)
    except registers.RegisterError as exc:
        raise UsageError(str(exc)) from exc
    return preview.register


def preview(
    engine: Engine,
    data: bytes,
    kind: str,
    unit_code: str | None = None,
    period: str | None = None,
    file_name: str = "",
    register: str | None = None,
    cross_period: str | Mapping[str, str] | None = None,
) -> Preview:
    """Check a file and compute what committing it would change, without writing anything.

    Publications: `register` names the register (None: guessed from the file, else 政府网站) and
    `cross_period` decides the rows naming an item of another month ('keep', 'move' or 'skip' for
    all, or a mapping 索引号 → choice; default keep)."""
    with collector_paused():
        parsed = read_file(data, kind)
        with db.read_session(engine) as session:
            return _analyse(session, parsed, kind, unit_code, period, file_name, register, cross_period)[0]


def commit(
    engine: Engine,
    principal: Principal,
    data: bytes,
    kind: str,
    unit_code: str | None = None,
    period: str | None = None,
    file_name: str = "",
    confirm_removed: int | None = None,
    register: str | None = None,
    cross_period: str | Mapping[str, str] | None = None,
) -> ImportResult:
    """Validate and store a file in one transaction as the principal: all rows or none; re-uploads
    are 'unchanged'. PermissionDenied when the principal may not upload, or not for that unit.
    `register` and `cross_period` as for `preview`.

    `confirm_removed` is the number of stored rows the user agreed to delete: when given, a file
    that would remove any other number of rows (none agreed, or more than the preview showed because
    the data changed meanwhile) is 'rejected' with a Chinese issue, nothing written. None: no check."""
    require(principal, "upload")
    with collector_paused():
        return _commit(
            engine,
            principal,
            data,
            kind,
            unit_code,
            period,
            file_name,
            confirm_removed,
            register,
            cross_period,
        )


def _commit(
    engine: Engine,
    principal: Principal,
    data: bytes,
    kind: str,
    unit_code: str | None,
    period: str | None,
    file_name: str,
    confirm_removed: int | None = None,
    register: str | None = None,
    cross_period: str | Mapping[str, str] | None = None,
) -> ImportResult:
    parsed = read_file(data, kind)
    tried: list[Preview] = []
    try:
        return db.retrying(
            lambda: _write(
                engine,
                principal,
                parsed,
                kind,
                unit_code,
                period,
                (file_name, confirm_removed),
                tried,
                register,
                cross_period,
            )
        )
    except db.WriteConflict:
        return _not_written(tried, kind, unit_code, period, file_name, CONFLICT_MESSAGE)
    except db.Busy as exc:
        return _not_written(tried, kind, unit_code, period, file_name, str(exc))


def _not_written(
    tried: list[Preview], kind: str, unit_code: str | None, period: str | None, file_name: str, why: str
) -> ImportResult:
    """The 'conflict' result: the file as last checked, nothing written, and why."""
    unit = unit_code or settings.get("DEFAULT_UNIT")
    result = tried[-1] if tried else Preview("conflict", kind, unit, period or "", file_name, None, 0)
    result.status, result.batch_id = "conflict", None
    result.added, result.changed, result.removed, result.unchanged_rows = [], [], [], 0
    result.issues = sort_issues([*result.issues, Issue(ERROR, why)])
    return result


def removal_refusal(result: Preview, confirmed: int) -> str:
    """Why a file that would delete rows was not imported (Chinese, naming the first rows)."""
    n = len(result.removed)
    key = SPECS[result.kind].key_label
    named = "、".join(f"「{_removed_key(result.kind, r)}」" for r in result.removed[:5]) + (
        "等" if n > 5 else ""
    )
    if confirmed:
        return (
            f"本次导入将删除 {n} 条已有记录（{key}{named}），与确认删除的 {confirmed} 条不符"
            "（数据可能刚被他人修改），未导入任何数据，请重新检查后再确认"
        )
    return f"本次导入将删除 {n} 条已有记录（{key}{named}），删除未经确认，未导入任何数据"


def _removed_key(kind: str, row: dict) -> str:
    for name in ("index_no", "_name", "request_no", "doc_no", "_request_no", "item", "period_ym"):
        if row.get(name) is not None:
            return str(row[name])
    return str(row.get("id", ""))


class _NothingWritten(Exception):
    """Raised inside the write transaction to roll it back (lock row and all) with a result to report."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result


def _rolled_back_result(write: Callable[..., ImportResult]) -> Callable[..., ImportResult]:
    """A rejected or unchanged file raises _NothingWritten inside the transaction; report its result."""

    @functools.wraps(write)
    def run(*args: Any) -> ImportResult:
        try:
            return write(*args)
        except _NothingWritten as done:
            return done.result

    return run


@_rolled_back_result
def _write(
    engine: Engine,
    principal: Principal,
    parsed: Parsed,
    kind: str,
    unit_code: str | None,
    period: str | None,
    named: tuple[str, int | None],
    tried: list[Preview],
    register: str | None = None,
    cross_period: str | Mapping[str, str] | None = None,
) -> ImportResult:
    """One try: lock (kind, unit), check and plan under the lock, write; raises what db.retrying retries.
    `named` is the file name and the number of removals confirmed (None: unchecked)."""
    file_name, confirm_removed = named
    with db.write_session(engine, read_committed=True) as session:
        unit_id = session.scalar(
            select(OrgUnit.id).where(OrgUnit.code == (unit_code or settings.get("DEFAULT_UNIT")))
        )
        if unit_id is not None:  # an unknown unit is a UsageError from _analyse
            if unit_id not in visible_unit_ids(session, principal):
                unit = unit_code or settings.get("DEFAULT_UNIT")
                raise PermissionDenied(f"「{unit}」不是您所在的单位或其下属单位，不能为它上传")
            batches.lock(session, kind, unit_id)
            if kind in APPEAL_KINDS:  # they name requests, and the requests sheet and form write appeals
                batches.lock(session, "requests", unit_id)
        result, ctx, _records, plan = _analyse(
            session, parsed, kind, unit_code, period, file_name, register, cross_period
        )
        tried.append(result)
        if plan is None or result.status == "unchanged":
            raise _NothingWritten(result)
        if confirm_removed is not None and len(result.removed) != confirm_removed:
            result.status = "rejected"
            result.issues = sort_issues(
                [*result.issues, Issue(ERROR, removal_refusal(result, confirm_removed))]
            )
            raise _NothingWritten(result)
        filed_under = result.register
        same = batches.same_file(
            session, kind, ctx.unit_id, result.period, lambda g: parsed.hash_at(g, filed_under), filed_under
        )
        previous = batches.active_for_key(session, kind, ctx.unit_id, result.period, filed_under)
        digest = file_hash(parsed.data, same.generation, filed_under)
        try:
            with session.begin_nested():
                for old in previous:  # out of force first: one active batch per key
                    batches.retire(session, old.id)
                batch_id = session.execute(
                    insert(UploadBatch)
                    .values(
                        kind=kind,
                        unit_id=ctx.unit_id,
                        period_key=result.period,
                        file_name=(file_name or "（未命名）")[:255],
                        file_hash=digest,
                        uploaded_by=principal.account_id,
                        uploaded_at=audit.local_now(),
                        status="active",
                        row_count=result.rows,
                        supersedes_id=previous[0].id if previous else None,
                        register=filed_under,
                    )
                    .returning(UploadBatch.id)
                ).scalar_one()
        except IntegrityError as exc:
            existing = session.execute(
                select(UploadBatch.id, UploadBatch.status).where(
                    UploadBatch.kind == kind,
                    UploadBatch.unit_id == ctx.unit_id,
                    UploadBatch.period_key == result.period,
                    UploadBatch.file_hash == digest,
                    UploadBatch.register == filed_under,
                )
            ).first()
            if existing is None or existing.status != "active":
                raise db.WriteConflict(f"upload_batch: {exc.orig}") from exc
            result.status, result.batch_id = "unchanged", existing.id
            raise _NothingWritten(result) from None
        log = ChangeLog(batch_id)
        for old in previous:
            log.add("upload_batch", old.id, "update", {"id": old.id, "status": "active"})
        store.apply(
            session,
            kind,
            ctx,
            result.period,
            batch_id,
            plan,
            log,
            "appeal_kind" in (parsed.table.columns if parsed.table else {}),
            filed_under or DEFAULT_REGISTER,
        )
        batches.mark_superseded(session, log, batch_id)
        filed = []
        if parsed.table is not None and not parsed.table.rows:
            filed = zero.file(session, principal, kind, ctx.unit_code, ctx.unit_id, result.period, log)
        log.write(session)
        audit.record(
            session,
            "upload",
            user=principal,
            detail=dict(
                batch_id=batch_id,
                kind=kind,
                unit=ctx.unit_code,
                period=result.period,
                file=file_name,
                rows=result.rows,
                **(
                    dict(
                        register=filed_under, cross_period={c.index_no: c.choice for c in result.cross_period}
                    )
                    if kind == "publications"
                    else {}
                ),
            ),
        )
        db.bump_data_version(session)
        result.status, result.batch_id = "committed", batch_id
        if filed:  # on a commit: what was filed, instead of what the preview said would be
            result.zero_report = "；".join(i.message for i in filed)
        result.issues = sort_issues(
            [*result.issues, Issue(INFO, f"已导入 {result.rows} 行（第 {batch_id} 批）"), *filed]
        )
        return result
