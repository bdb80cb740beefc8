"""The caps on an uploaded file before anything parses it, and the error that refuses a file.

`FileRejected` carries the Chinese message shown to the user for a file that cannot be read at
all. `Limits` holds the caps on each sheet's extent (rows from IMPORT_MAX_ROWS plus
SHEET_ROW_SLACK, columns) and on the cells of all sheets together, and words its refusals;
`check_size` applies UPLOAD_MAX_MB. The scans of each format (`csv_text`, `xlsx_scan`,
`xls_records`) measure and `Limits` judges.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_access import settings

# A sheet may span this many rows more than IMPORT_MAX_ROWS: titles, headers, notes, blank rows.
SHEET_ROW_SLACK = 1000
# Excel's own grid; a reference beyond it is not a cell any program wrote.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


class FileRejected(Exception):
    """The file cannot be read at all (format, size, encoding, damage); message in Chinese."""


@dataclass(frozen=True)
class Limits:
    """The caps on a sheet's extent (rows, columns) and on the cells of all sheets together."""

    rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> Limits:
        """The caps in force: IMPORT_MAX_ROWS (+ SHEET_ROW_SLACK), IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS."""
        return cls(
            settings.get_int("IMPORT_MAX_ROWS") + SHEET_ROW_SLACK,
            settings.get_int("IMPORT_MAX_COLUMNS"),
            settings.get_int("IMPORT_MAX_CELLS"),
        )

    def describe(self) -> str:
        """The caps in words."""
        return f"{self.rows:,} 行 × {self.columns:,} 列，合计 {self.cells:,} 个单元格"

    def exceeded(self, rows: int, columns: int) -> bool:
        """True when a sheet of this extent is over a cap."""
        return rows > self.rows or columns > self.columns or rows * columns > self.cells

    def check(
        self, sheet: str, rows: int, columns: int, *, partial: bool = False, stated: bool = False
    ) -> None:
        """Reject a sheet whose extent (its last used row and column) is over a cap."""
        if self.exceeded(rows, columns):
            size = f"{big(rows)} 行 × {big(columns)} 列"
            raise FileRejected(
                f"工作表「{sheet}」{'标注' if stated else ''}的范围{'至少' if partial else ''}为 {size}，"
                f"超过上限（{self.describe()}）。"
                "请删除表格下方和右侧多余的行、列（包括只设置了格式的空白单元格）后重新上传"
            )

    def check_total(self, cells: int) -> None:
        """Reject a file whose sheets together span more cells than the cap."""
        if cells > self.cells:
            raise FileRejected(
                f"文件中各工作表的范围合计 {big(cells)} 个单元格，超过上限（{self.cells:,} 个），"
                "请只保留需要导入的工作表"
            )


def big(number: int) -> str:
    """A count with thousands separators; beyond 10¹² only that it is that large."""
    return f"{number:,}" if number < 10**12 else "超过 10¹² "


def max_bytes() -> int:
    """The upload size cap from the UPLOAD_MAX_MB setting."""
    return int(settings.get_float("UPLOAD_MAX_MB") * 1024 * 1024)


def check_size(data: bytes) -> None:
    """Reject an empty file or one over the size cap."""
    if not data:
        raise FileRejected("文件是空的")
    if len(data) > max_bytes():
        raise FileRejected(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上限为 {settings.get('UPLOAD_MAX_MB')} MB"
        )
