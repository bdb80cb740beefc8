"""The 基层政务公开标准目录 as a spreadsheet: read one, compare it with a catalogue, write one.

Offices publish their catalogue as a table: 序号, 领域, 公开事项 (一级事项, 二级事项, 三级事项 …),
公开内容（要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式. `parse_catalogue`
reads such a table from .xlsx, .xls or .csv (the upload's reader, with its limits and sandbox):
it finds the header under title rows (one or two header rows, header variants tolerated), takes a
blank 领域 or 事项 cell as "the same as above" (merged cells), allows any number of levels and of
level-one items, and gives every problem with its sheet, row and column in Chinese. Nothing here
touches the database: `diff_catalogues` compares two catalogues (the preview before an import),
`catalogue_workbook` writes one back in the same shape.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from data_access.read.reports.xlsx import print_setup
from data_access.rules.time_limits import TimeLimit, parse_time_limit
from data_access.write.importing.normalise import clean_text, fold, is_blank
from data_access.write.importing.reading import FileRejected, Sheet, read_sheets

# field → (the header as written in the standard, its variants); lengths as the model stores them.
FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序列号"),
    "domain": ("领域", "所属领域", "公开领域", "标准领域", "试点领域", "事项领域"),
    "content": ("公开内容（要素）", "公开内容", "公开要素", "公开内容要素", "内容要素"),
    "basis": ("公开依据", "依据", "公开的依据"),
    "time_limit": ("公开时限", "时限", "公开时间"),
    "subject": ("公开主体", "主体", "责任主体", "公开责任主体"),
    "channels": ("公开渠道和载体", "公开渠道", "公开载体", "渠道和载体", "公开渠道及载体", "渠道载体"),
    "audience": ("公开对象", "对象"),
    "manner": ("公开方式", "方式"),
}
LABELS = {
    "seq": "序号",
    "domain": "领域",
    "content": "公开内容（要素）",
    "basis": "公开依据",
    "time_limit": "公开时限",
    "subject": "公开主体",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "manner": "公开方式",
}
LIMITS = {"domain": 40, "time_limit": 200, "subject": 200, "channels": 200, "audience": 100, "manner": 40}
NAME_LIMIT = 100
LEVEL_WORDS = "一二三四五六七八九十"
_LEVEL = re.compile(
    r"^(?:公开事项)?([一二三四五六七八九十]|\d{1,2})级(?:事项|目录|类别|分类|栏目)?(?:名称)?$"
)
_KEY_DROP = re.compile(r"[()（）\[\]【】:：*＊\s]")
HEADER_ROWS = 15


def _key(value: Any) -> str:
    return _KEY_DROP.sub("", fold(value)) if not is_blank(value) else ""


_KNOWN = {_key(v): f for f, variants in FIELDS.items() for v in variants}


def _level_of(label: str) -> int | None:
    match = _LEVEL.match(label)
    if not match:
        return None
    word = match.group(1)
    return int(word) if word.isdigit() else LEVEL_WORDS.index(word) + 1


def level_label(level: int) -> str:
    """一级事项, 二级事项, …"""
    return f"{LEVEL_WORDS[level - 1] if level <= 10 else level}级事项"


@dataclass
class CatalogueItem:
    """One item of a catalogue: its path of names (level one first) and the 标准目录 fields."""

    path: tuple[str, ...]
    domain: str | None = None
    fields: dict[str, str | None] = field(default_factory=dict)
    code: str = ""
    row: int | None = None  # the spreadsheet row it was read from

    @property
    def level(self) -> int:
        return len(self.path)

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def limit(self) -> TimeLimit | None:
        return parse_time_limit(self.fields.get("time_limit"))


@dataclass
class ParsedCatalogue:
    """What a file holds: the items in order (each after its parent), or the problems found."""

    items: list[CatalogueItem]
    problems: list[str]
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)  # not errors: e.g. time limits it could not read


def _header(sheet: Sheet) -> tuple[int, dict[str, int], dict[int, int]] | None:
    """(header row index, field → column, level → column) of the best header in the first rows."""
    best: tuple[int, int, dict[str, int], dict[int, int]] | None = None
    rows = sheet.rows
    for r in range(min(HEADER_ROWS, len(rows))):
        fields_at: dict[str, int] = {}
        levels: dict[int, int] = {}
        width = max(len(rows[r]), len(rows[r - 1]) if r else 0)
        for j in range(width):
            here = rows[r][j] if j < len(rows[r]) else None
            above = rows[r - 1][j] if r and j < len(rows[r - 1]) else None
            for value in (here, above):  # a header cell merged down two rows reads in the upper one
                label = _key(value)
                if not label:
                    continue
                level = _level_of(label)
                if level is not None and level not in levels:
                    levels[level] = j
                    break
                known = _KNOWN.get(label)
                if known and known not in fields_at:
                    fields_at[known] = j
                    break
        if 1 not in levels:
            continue
        score = len(fields_at) + len(levels)
        if best is None or score > best[0]:
            best = (score, r, fields_at, levels)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _cell(row: list[Any], j: int | None) -> Any:
    return row[j] if j is not None and j < len(row) else None


def parse_catalogue(data: bytes) -> ParsedCatalogue:
    """Read a 标准目录 spreadsheet (see the module's docstring)."""
    try:
        _fmt, sheets = read_sheets(data)
    except FileRejected as exc:
        return ParsedCatalogue([], [str(exc)])
    found = [(sheet, h) for sheet in sheets if (h := _header(sheet)) is not None]
    if not found:
        return ParsedCatalogue(
            [], ["找不到目录的表头：需要“一级事项”列（以及“二级事项”“公开内容（要素）”“公开时限”等列）"]
        )
    sheet, (header_row, fields_at, levels_at) = found[0]
    depth = max(levels_at)
    missing_levels = [level_label(k) for k in range(1, depth + 1) if k not in levels_at]
    if missing_levels:
        return ParsedCatalogue([], [f"工作表「{sheet.name}」缺少“{'、'.join(missing_levels)}”列"], sheet.name)
    problems: list[str] = []
    notes: list[str] = []
    items: dict[tuple[str, ...], CatalogueItem] = {}
    carried: list[str | None] = [None] * depth
    domain_carried: str | None = None

    def where(r: int, j: int | None) -> str:
        column = f"{get_column_letter(j + 1)} 列" if j is not None else ""
        return f"工作表「{sheet.name}」第 {r + 1} 行{column}"

    for r in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        names = [clean_text(_cell(row, levels_at[k])) if not is_blank(_cell(row, levels_at[k])) else None
                 for k in range(1, depth + 1)]  # fmt: skip
        values = {f: _cell(row, j) for f, j in fields_at.items() if f != "seq"}
        if all(n is None for n in names) and all(is_blank(v) for v in values.values()):
            continue  # a blank row
        seq = _cell(row, fields_at.get("seq"))
        if not is_blank(seq) and clean_text(seq) in ("合计", "总计", "备注"):
            continue
        deepest = max((k for k, n in enumerate(names) if n is not None), default=-1)
        if deepest < 0:
            # A row with contents but no item names: more of the previous item's contents.
            deepest = max((k for k, n in enumerate(carried) if n is not None), default=-1)
            if deepest < 0:
                problems.append(f"{where(r, levels_at[1])}：“一级事项”不能为空")
                continue
        path: list[str] = []
        bad = False
        for k in range(deepest + 1):
            name = names[k] if names[k] is not None else carried[k]
            if name is None:
                problems.append(
                    f"{where(r, levels_at[k + 1])}：“{level_label(k + 1)}”不能为空（上方也没有可沿用的值）"
                )
                bad = True
                break
            if len(name) > NAME_LIMIT:
                problems.append(
                    f"{where(r, levels_at[k + 1])}：“{level_label(k + 1)}”不能超过 {NAME_LIMIT} 个字"
                )
                bad = True
                break
            path.append(name)
        if bad:
            continue
        for k in range(depth):  # what the next rows may take as "the same as above"
            carried[k] = path[k] if k < len(path) else None
        domain_value = values.get("domain")
        if not is_blank(domain_value):  # a blank 领域 (a merged cell) keeps the one above
            domain_carried = clean_text(domain_value)
        row_fields: dict[str, str | None] = {}
        for f, value in values.items():
            if f == "domain":
                continue
            text = None if is_blank(value) else clean_text(value)
            if text is not None and f in LIMITS and len(text) > LIMITS[f]:
                problems.append(f"{where(r, fields_at[f])}：“{LABELS[f]}”不能超过 {LIMITS[f]} 个字")
                bad = True
            row_fields[f] = text
        if domain_carried is not None and len(domain_carried) > LIMITS["domain"]:
            problems.append(f"{where(r, fields_at['domain'])}：“领域”不能超过 {LIMITS['domain']} 个字")
            bad = True
        if bad:
            continue
        key = tuple(path)
        for k in range(1, len(key)):  # the parents, made from the path when they have no row
            parent = key[:k]
            if parent not in items:
                items[parent] = CatalogueItem(parent, domain_carried, {}, row=r + 1)
        item = items.get(key)
        if item is None:
            items[key] = item = CatalogueItem(key, domain_carried, {}, row=r + 1)
        for f, text in row_fields.items():
            if text is None:
                continue
            old = item.fields.get(f)
            item.fields[f] = text if not old or old == text else f"{old}；{text}"
        if item.fields.get("time_limit") and item.limit is None:
            notes.append(
                f"{where(r, fields_at.get('time_limit'))}：公开时限「{item.fields['time_limit']}」无法识别，按20个工作日判断及时性"
            )
    if problems:
        return ParsedCatalogue([], problems, sheet.name)
    if not items:
        return ParsedCatalogue([], [f"工作表「{sheet.name}」表头下没有任何目录事项"], sheet.name)
    ordered = list(items.values())
    assign_codes(ordered)
    for item in ordered:  # the level-one items carry the domain (a roll-up groups by it)
        if item.level > 1:
            continue
        item.domain = item.domain or next(
            (i.domain for i in ordered if i.path[:1] == item.path and i.domain), None
        )
    return ParsedCatalogue(ordered, [], sheet.name, notes)


def assign_codes(items: Sequence[CatalogueItem]) -> None:
    """Index codes by position: 01, 02 … for level one, the parent's code plus two digits below
    (three when a parent has more than 99 children)."""
    counters: dict[tuple[str, ...], int] = {}
    codes: dict[tuple[str, ...], str] = {}
    siblings: dict[tuple[str, ...], int] = {}
    for item in items:
        siblings[item.path[:-1]] = siblings.get(item.path[:-1], 0) + 1
    for item in items:
        parent = item.path[:-1]
        counters[parent] = counters.get(parent, 0) + 1
        width = 2 if siblings[parent] < 100 else 3
        codes[item.path] = codes.get(parent, "") + str(counters[parent]).zfill(width)
        item.code = codes[item.path]


# ------------------------------------------------------------------ preview
@dataclass(frozen=True)
class CatalogueDiff:
    """What replacing one catalogue with another changes, item by item (paths joined with ／)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...]
    changed: tuple[str, ...]  # same item, other 标准目录 fields or 领域
    unchanged: int

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed)


def _shown(path: Sequence[str]) -> str:
    return "／".join(path)


def diff_catalogues(old: Sequence[CatalogueItem], new: Sequence[CatalogueItem]) -> CatalogueDiff:
    """Items of `new` matched to `old` by their path of names; an unmatched pair at the same code
    and level under the same (or the renamed) parent is a rename, and the items under a renamed
    one keep their match."""
    old_by_path = {i.path: i for i in old}
    new_paths = {i.path for i in new}
    mapping: dict[tuple[str, ...], tuple[str, ...]] = {p: p for p in old_by_path if p in new_paths}
    unmatched = {(i.code, i.level): i for i in old if i.path not in new_paths and i.code}
    renamed: list[tuple[str, str]] = []
    added: list[CatalogueItem] = []
    for item in sorted(new, key=lambda i: i.level):
        if item.path in old_by_path:
            continue
        before = unmatched.get((item.code, item.level))
        if before is not None and mapping.get(before.path[:-1], before.path[:-1]) == item.path[:-1]:
            mapping[before.path] = item.path
            del unmatched[(item.code, item.level)]
            if before.name != item.name:
                renamed.append((_shown(before.path), _shown(item.path)))
        else:
            added.append(item)
    order = {i.path: n for n, i in enumerate(new)}
    added.sort(key=lambda i: order[i.path])
    source = {new_path: old_path for old_path, new_path in mapping.items()}
    changed = []
    unchanged = 0
    for item in new:
        before_path = source.get(item.path)
        if before_path is None:
            continue
        if _comparable(old_by_path[before_path]) != _comparable(item):
            changed.append(_shown(item.path))
        else:
            unchanged += 1
    return CatalogueDiff(
        tuple(_shown(i.path) for i in added),
        tuple(_shown(i.path) for i in old if i.path not in mapping),
        tuple(renamed),
        tuple(changed),
        unchanged,
    )


def _comparable(item: CatalogueItem) -> tuple[Any, ...]:
    return (
        (item.domain or "") if item.level == 1 else "",
        *((item.fields.get(f) or "") for f in LABELS if f not in ("seq", "domain")),
    )


def name_in(history: Sequence[tuple[int | None, str]], year: int) -> str:
    """The name in force in a year, from (from year, name) pairs (None: the item's own name)."""
    found = ""
    for start, name in sorted(history, key=lambda h: h[0] if h[0] is not None else -1):
        if start is None or start <= year:
            found = name
    return found


def name_changes(
    history: Sequence[tuple[int | None, str]], from_year: int, name: str
) -> list[tuple[str, str, str]]:
    """What a rename from a year changes: (years, name before, name after) for each span of years
    whose name changes (the earlier years never do). `history`: the item's names as (from year,
    name), None for its own name."""
    after = [(y, n) for y, n in history if y is None or y != from_year] + [(from_year, name)]
    breaks = sorted({y for y, _n in [*history, *after] if y is not None and y >= from_year})
    out: list[tuple[str, str, str]] = []
    for i, start in enumerate(breaks):
        end = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        before_name, after_name = name_in(history, start), name_in(after, start)
        if before_name != after_name:
            out.append((f"{start}年起" if end is None else f"{start}–{end}年", before_name, after_name))
    return out


# ------------------------------------------------------------------ export
EXPORT_FIELDS = ("content", "basis", "time_limit", "subject", "channels", "audience", "manner")


def catalogue_workbook(title: str, items: Sequence[CatalogueItem]) -> bytes:
    """The catalogue as a 标准目录 table (.xlsx): title row, header row, one row per item, each level
    in its own column (the parents' cells repeated, so the file reads back the same)."""
    depth = max((i.level for i in items), default=2)
    depth = max(depth, 2)
    header = [
        "序号",
        "领域",
        *[level_label(k) for k in range(1, depth + 1)],
        *[LABELS[f] for f in EXPORT_FIELDS],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "公开目录"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    domains = {i.path: i.domain for i in items if i.level == 1}
    for n, item in enumerate(items, start=1):
        levels = list(item.path) + [""] * (depth - item.level)
        ws.append(
            [
                n,
                domains.get(item.path[:1]) or "",
                *levels,
                *[item.fields.get(f) or "" for f in EXPORT_FIELDS],
            ]
        )
    for j, width in enumerate([6, 14, *([22] * depth), 30, 30, 24, 16, 24, 12, 10], start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A3"
    print_setup(ws, "1:2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
