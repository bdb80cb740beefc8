"""Problems found in an uploaded file: where (sheet, Excel row, column) and how bad."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"
LEVEL_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
_LEVEL_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def col_letter(index: int) -> str:
    """The Excel column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Issue:
    """One problem: sheet, 1-based Excel row, header name and column letter, level, Chinese message."""

    level: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    column_letter: str | None = None

    def to_dict(self) -> dict:
        """The JSON form the command line prints."""
        return asdict(self)

    @property
    def where(self) -> str:
        """Where the problem is, in words: 工作表「X」第 5 行 C 列（所属类别）."""
        parts = []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column_letter:
            parts.append(f"{self.column_letter} 列" + (f"（{self.column}）" if self.column else ""))
        elif self.column:
            parts.append(f"“{self.column}”列")
        return " ".join(parts)


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """Errors first, then warnings, then information; within a level by row."""
    return sorted(issues, key=lambda i: (_LEVEL_ORDER.get(i.level, 3), i.row or 0, i.column_letter or ""))


def has_errors(issues: list[Issue]) -> bool:
    """True when any issue blocks the import."""
    return any(i.level == ERROR for i in issues)
