"""Upload a monthly spreadsheet: parse → preview (nothing written) → commit (one transaction).

The page (or the command line) calls:
- `preview(engine, data, kind, unit_code, period, file_name)` → Preview: status 'valid',
  'rejected' or 'unchanged', the rows added / changed / removed against the database
  for that (kind, unit, period), and every issue found;
- `commit(engine, data, kind, unit_code, period, file_name, username=…)` → ImportResult:
  'committed', 'rejected' or 'unchanged', with the batch id;
- `batches.history(...)` and `batches.undo(...)`.
A re-upload of the same file for the same key is 'unchanged': the upload_batch unique
constraint (kind, unit, period, file hash) settles two simultaneous uploads. A file
uploaded again after its batch was undone or superseded is stored under a derived hash
(sha256 of the bytes + '#n'), so it can be applied again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.store import audit, db
from data_access.store.models import UploadBatch
from data_access.write.importing import batches, store
from data_access.write.importing.changelog import ChangeLog
from data_access.write.importing.convert import Context, UnknownUnit, load_context
from data_access.write.importing.gcpause import collector_paused
from data_access.write.importing.issues import ERROR, INFO, Issue, has_errors, sort_issues
from data_access.write.importing.kinds import KINDS, SPECS
from data_access.write.importing.reading import FileRejected, read_sheets
from data_access.write.importing.tables import Table, locate
from data_access.write.importing.validate import parse_period, validate


class UsageError(ValueError):
    """A wrong argument (kind, unit, period) rather than a wrong file; message in Chinese."""


@dataclass
class Parsed:
    """A file read without the database: its format, the located table and the issues so far."""

    fmt: str | None
    table: Table | None
    issues: list[Issue]
    data: bytes

    def hash_at(self, generation: int) -> str:
        """The file's stored hash at a generation."""
        return file_hash(self.data, generation)


@dataclass
class Preview:
    """What committing the file would do; nothing has been written."""

    status: str  # valid | rejected | unchanged
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
            issues=[i.to_dict() for i in self.issues],
        )


ImportResult = Preview  # commit returns the same shape with status committed / rejected / unchanged


def file_hash(data: bytes, generation: int = 0) -> str:
    """The stored hash of a file: sha256 of its bytes (+ '#n' for its n-th re-application)."""
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
    session: Session, parsed: Parsed, kind: str, unit_code: str | None, period: str | None, file_name: str
) -> tuple[Preview, Context, list[dict], store.Plan | None]:
    try:
        chosen = parse_period(period, kind)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        ctx = load_context(session, unit_code or settings.get("DEFAULT_UNIT"))
    except UnknownUnit as exc:
        raise UsageError(str(exc)) from exc
    issues = list(parsed.issues)
    sheet = parsed.table.sheet.name if parsed.table else None
    preview = Preview("rejected", kind, ctx.unit_code, chosen or "", file_name, sheet, 0, issues=issues)
    if parsed.table is None or has_errors(issues):
        preview.issues = sort_issues(issues)
        return preview, ctx, [], None
    records, more, period_key = validate(session, ctx, parsed.table, kind, chosen)
    issues += more
    preview.period, preview.rows, preview.issues = period_key, len(records), sort_issues(issues)
    if has_errors(issues):
        return preview, ctx, records, None
    previous = batches.active_for_key(session, kind, ctx.unit_id, period_key)
    plan = store.make_plan(
        kind, records, store.scope(session, kind, ctx, period_key, records, [b.id for b in previous])
    )
    preview.added, preview.changed, preview.removed = plan.added, plan.changed(kind), plan.removed
    preview.unchanged_rows = len(plan.matched) - len(preview.changed)
    same = batches.same_file(session, kind, ctx.unit_id, period_key, parsed.hash_at)
    preview.status = "unchanged" if same.active is not None else "valid"
    preview.batch_id = same.active.id if same.active is not None else None
    return preview, ctx, records, plan


def preview(
    engine: Engine,
    data: bytes,
    kind: str,
    unit_code: str | None = None,
    period: str | None = None,
    file_name: str = "",
) -> Preview:
    """Check a file and compute what committing it would change, without writing anything."""
    with collector_paused():
        parsed = read_file(data, kind)
        with db.read_session(engine) as session:
            return _analyse(session, parsed, kind, unit_code, period, file_name)[0]


def commit(
    engine: Engine,
    data: bytes,
    kind: str,
    unit_code: str | None = None,
    period: str | None = None,
    file_name: str = "",
    *,
    user_id: int | None = None,
    username: str | None = None,
) -> ImportResult:
    """Validate and store a file in one transaction: all rows or none; re-uploads are 'unchanged'."""
    with collector_paused():
        return _commit(engine, data, kind, unit_code, period, file_name, user_id, username)


def _commit(
    engine: Engine,
    data: bytes,
    kind: str,
    unit_code: str | None,
    period: str | None,
    file_name: str,
    user_id: int | None,
    username: str | None,
) -> ImportResult:
    parsed = read_file(data, kind)
    with db.write_session(engine) as session:
        result, ctx, _records, plan = _analyse(session, parsed, kind, unit_code, period, file_name)
        if plan is None or result.status == "unchanged":
            return result
        same = batches.same_file(session, kind, ctx.unit_id, result.period, parsed.hash_at)
        previous = batches.active_for_key(session, kind, ctx.unit_id, result.period)
        try:
            with session.begin_nested():
                batch_id = session.execute(
                    insert(UploadBatch)
                    .values(
                        kind=kind,
                        unit_id=ctx.unit_id,
                        period_key=result.period,
                        file_name=(file_name or "（未命名）")[:255],
                        file_hash=file_hash(data, same.generation),
                        uploaded_by=user_id,
                        uploaded_at=audit.local_now(),
                        status="active",
                        row_count=result.rows,
                        supersedes_id=previous[0].id if previous else None,
                    )
                    .returning(UploadBatch.id)
                ).scalar_one()
        except IntegrityError:
            existing = session.scalar(
                select(UploadBatch.id).where(
                    UploadBatch.kind == kind,
                    UploadBatch.unit_id == ctx.unit_id,
                    UploadBatch.period_key == result.period,
                    UploadBatch.file_hash == file_hash(data, same.generation),
                )
            )
            result.status, result.batch_id = "unchanged", existing
            return result
        log = ChangeLog(batch_id)
        store.apply(
            session,
            kind,
            ctx,
            result.period,
            batch_id,
            plan,
            log,
            "appeal_kind" in (parsed.table.columns if parsed.table else {}),
        )
        batches.mark_superseded(session, log, batch_id)
        log.write(session)
        audit.record(
            session,
            "upload",
            username=username,
            detail=dict(
                batch_id=batch_id,
                kind=kind,
                unit=ctx.unit_code,
                period=result.period,
                file=file_name,
                rows=result.rows,
            ),
        )
        db.bump_data_version(session)
        result.status, result.batch_id = "committed", batch_id
        result.issues = sort_issues(
            [*result.issues, Issue(INFO, f"已导入 {result.rows} 行（第 {batch_id} 批）")]
        )
        return result
