"""The change log that makes undo exact: before-images of every row an upload touched.

Rows of tables with a `batch_id` that an upload inserted are found by that
column; rows of tables without one (project, board, the zero_report an empty upload files) are logged
as 'insert'.
Updated and deleted rows keep their full JSON image from before the upload.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, Table, insert
from sqlalchemy.orm import Session

from data_access.store.models import (
    AnnualFigure,
    Appeal,
    Board,
    BoardUpdate,
    Delivery,
    DisclosureRequest,
    Document,
    ImportChange,
    Project,
    ProjectProgress,
    Publication,
    PublicationListing,
    RequestPart,
    RequestPause,
    UploadBatch,
    ZeroReport,
)

MODELS = {
    m.__tablename__: m
    for m in (
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
        PublicationListing,
        RequestPart,
        RequestPause,
        UploadBatch,
        ZeroReport,
    )
}
# Tables whose rows point at their batch, children before parents.
BATCH_TABLES = (
    "appeal",
    "disclosure_request",
    "project_progress",
    "publication_listing",
    "publication",
    "board_update",
    "delivery",
    "document",
    "annual_figure",
)
CHUNK = 500


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """The values in lists of at most `size` (keeps IN lists short on every backend)."""
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_plain)


def to_json(row: Mapping[str, Any]) -> str:
    """A row's image as JSON (dates ISO, decimals as strings)."""
    return _ENCODER.encode(dict(row))


def _reader(column_type: Any) -> Any:
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat
    if isinstance(column_type, Date):
        return dt.date.fromisoformat
    if isinstance(column_type, Numeric):
        return Decimal
    return None


_READERS: dict[Table, dict[str, Any]] = {}


def from_json(table: Table, text: str) -> dict[str, Any]:
    """A row image back to Python values of the table's column types."""
    readers = _READERS.get(table)
    if readers is None:
        readers = _READERS[table] = {c.key: _reader(c.type) for c in table.c}
    out = json.loads(text)
    for key, value in out.items():
        read = readers[key]
        if read is not None and value is not None:
            out[key] = read(value)
    return out


class ChangeLog:
    """Collects one batch's changes and writes them in one bulk insert."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.rows: list[dict[str, Any]] = []
        self.replaced_batches: set[int] = set()  # batches whose rows this one updated or deleted

    def add(self, table: str, row_id: int, op: str, before: Mapping[str, Any] | None = None) -> None:
        """Record that the batch inserted, updated or deleted a row (with its image before)."""
        if before is not None and table in BATCH_TABLES and op in ("update", "delete"):
            self.replaced_batches.add(before["batch_id"])
        self.rows.append(
            dict(
                batch_id=self.batch_id,
                seq=len(self.rows) + 1,
                table_name=table,
                row_id=row_id,
                op=op,
                before=to_json(before) if before is not None else None,
            )
        )

    def write(self, session: Session) -> None:
        """Insert the collected change rows."""
        if self.rows:
            session.connection().execute(insert(ImportChange.__table__), self.rows)
        self.rows = []
