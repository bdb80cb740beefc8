"""The change log that makes undo exact: before-images of every row an upload touched.

Rows of tables with a `batch_id` that an upload inserted are found by that
column; rows of tables without one (project, board) are logged as 'insert'.
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

from data_access.models import (
    Appeal,
    Board,
    BoardUpdate,
    Delivery,
    DisclosureRequest,
    ImportChange,
    Project,
    ProjectProgress,
    Publication,
    RequestPause,
    UploadBatch,
)

MODELS = {
    m.__tablename__: m
    for m in (
        Appeal,
        Board,
        BoardUpdate,
        Delivery,
        DisclosureRequest,
        Project,
        ProjectProgress,
        Publication,
        RequestPause,
        UploadBatch,
    )
}
# Tables whose rows point at their batch, children before parents.
BATCH_TABLES = ("appeal", "disclosure_request", "project_progress", "publication", "board_update", "delivery")
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
    return value


def to_json(row: Mapping[str, Any]) -> str:
    """A row's image as JSON (dates ISO, decimals as strings)."""
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)


def from_json(table: Table, text: str) -> dict[str, Any]:
    """A row image back to Python values of the table's column types."""
    out: dict[str, Any] = {}
    for key, value in json.loads(text).items():
        column_type = table.c[key].type
        if value is None:
            out[key] = None
        elif isinstance(column_type, DateTime):
            out[key] = dt.datetime.fromisoformat(value)
        elif isinstance(column_type, Date):
            out[key] = dt.date.fromisoformat(value)
        elif isinstance(column_type, Numeric):
            out[key] = Decimal(value)
        else:
            out[key] = value
    return out


class ChangeLog:
    """Collects one batch's changes and writes them in one bulk insert."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.rows: list[dict[str, Any]] = []

    def add(self, table: str, row_id: int, op: str, before: Mapping[str, Any] | None = None) -> None:
        """Record that the batch inserted, updated or deleted a row (with its image before)."""
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
        for part in chunks(self.rows):
            session.execute(insert(ImportChange), part)
        self.rows = []
