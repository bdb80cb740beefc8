"""Never a guessed zero: when a figure counts as entered, and the opening balances' figures.

A figure of one of ENTRY_KINDS, for a unit (with the units under it) and a year, is **entered**
when, for that scope and year, any of these holds (`entered`):
- a record of the kind exists — a topic on a proactively published item (重点领域), a delivery
  month (送交两馆; a month delivered with 0 items is a record), a policy interpretation, a hotline
  duty, an appeal of the kind (复议/诉讼; 申诉举报), a key project's monthly figures;
- the office filed a 零报告 (zero report: "nothing of this kind this year") for the kind, the unit
  or a unit under it, and the year (table `zero_report`, entered on the 逐条登记 page);
- for appeals and complaints only: an active yearly 依申请公开 spreadsheet upload for the year (its
  复议诉讼类型 column is where they are listed, left blank when there were none).
Otherwise the figure is 未录入: `None` in `kpis.compute` (`null` in `kpis --json`), 未录入 in both
report formats, "—" with a hint on the pages. An entered kind with nothing counted is an explicit 0.
A cumulative (历年累计) figure is entered when the kind was entered in any year up to the report's,
or the unit's opening balance gives it.

Opening balances: an office that starts using the product in a later year enters its 历年累计
before that year once per unit (`BALANCE_FIGURES`, the old-format 附表's rows). The balance
covers the unit and every unit under it up to `before_year`; their own records count from that
year on (`counted_from`), so nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

# Kinds whose figures are 未录入 until entered, with the name a 零报告 gives each.
ENTRY_KINDS: Mapping[str, str] = {
    "topics": "重点领域信息",
    "deliveries": "送交两馆",
    "interpretations": "政策解读",
    "hotline": "轮值接听热线",
    "appeals": "行政复议、行政诉讼",
    "complaints": "申诉举报",
    "projects": "重点项目",
}
# Kinds a yearly 依申请公开 spreadsheet also enters (its appeal columns list them).
REQUEST_SHEET_KINDS = frozenset({"appeals", "complaints"})
NOT_ENTERED = "未录入"
NOT_ENTERED_HINT = "本年度未录入"

T = TypeVar("T")


def entered(kind: str, *, has_rows: bool, zero_report: bool, request_sheet: bool = False) -> bool:
    """True when a kind's figure is entered for a scope and year (see the module docstring)."""
    if kind not in ENTRY_KINDS:
        raise ValueError(f"未知的录入类别：{kind}")
    return has_rows or zero_report or (request_sheet and kind in REQUEST_SHEET_KINDS)


def shown(value: T, is_entered: bool) -> T | None:
    """The figure when entered, None (未录入) when not: never a guessed zero."""
    return value if is_entered else None


def count_text(value: object, unit: str = "") -> str:
    """A count as a report sentence prints it: '158份', or 未录入 (for None or a marker)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value}{unit}"
    return NOT_ENTERED


# Opening balances: (key, 附表 row name). Publications by channel and requests, replies, appeals.
BALANCE_FIGURES: tuple[tuple[str, str], ...] = (
    ("publications", "主动公开文件数"),
    ("publications_website", "政务网站公开数"),
    ("publications_gazette", "政府公报公开数"),
    ("requests", "受理政府信息公开申请总数"),
    ("requests_in_person", "当面申请数"),
    ("requests_online", "网络申请数"),
    ("requests_letter", "信函、传真申请数"),
    ("replied", "对申请的答复总数"),
    ("replies_disclosed", "同意公开答复数"),
    ("replies_partial", "同意部分公开答复数"),
    ("replies_withheld", "不予公开答复总数"),
    ("replies_other", "其他类型答复数"),
    ("complaints", "接受行政申诉、举报数"),
    ("reconsiderations", "行政复议数"),
    ("litigations", "行政诉讼数"),
)
BALANCE_KEYS: tuple[str, ...] = tuple(key for key, _name in BALANCE_FIGURES)
BALANCE_MAX = 100_000_000
# A total and the parts it must not be smaller than.
_BALANCE_PARTS: Mapping[str, tuple[str, ...]] = {
    "publications": ("publications_website", "publications_gazette"),
    "requests": ("requests_in_person", "requests_online", "requests_letter"),
    "replied": ("replies_disclosed", "replies_partial", "replies_withheld", "replies_other"),
}


def balance_problems(before_year: int, figures: Mapping[str, int | None]) -> list[str]:
    """What is wrong with an opening balance as entered (Chinese, each naming its figure); [] when fine.

    Publications are required; every other figure may be left out (None: not entered, so a
    cumulative figure that needs it prints 未录入).
    """
    names = dict(BALANCE_FIGURES)
    problems = []
    if not 1990 <= before_year <= 2100:
        problems.append(f"起始年份应在 1990–2100 之间：{before_year}")
    unknown = sorted(set(figures) - set(names))
    if unknown:
        problems.append(f"未知的期初数项目：{'、'.join(unknown)}")
    if figures.get("publications") is None:
        problems.append("期初数中“主动公开文件数”必须填写（没有的填 0）")
    for key, value in figures.items():
        if key in names and value is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"“{names[key]}”应为整数：{value}")
            elif not 0 <= value <= BALANCE_MAX:
                problems.append(f"“{names[key]}”应在 0–{BALANCE_MAX} 之间：{value}")
    if problems:
        return problems
    for total, parts in _BALANCE_PARTS.items():
        value = figures.get(total)
        given = [figures[p] for p in parts if figures.get(p) is not None]
        if given and value is None:
            problems.append(f"填写了“{names[parts[0]]}”等分项时，“{names[total]}”也须填写")
        elif value is not None and sum(v for v in given if v is not None) > value:
            shown_parts = "、".join(names[p] for p in parts)
            problems.append(f"“{names[total]}”（{value}）小于其分项（{shown_parts}）之和")
    return problems


def counted_from(before_year: int | None, year: int) -> int:
    """The first year whose own records count toward `year`'s 历年累计: the balance's year when a
    balance applies (the report is for that year or later), else every year (0)."""
    if before_year is not None and before_year <= year:
        return before_year
    return 0


def balance_from_text(texts: Mapping[str, str]) -> tuple[dict[str, int | None], list[str]]:
    """Balance figures typed in a form (blank: not given) → figures, and what could not be read."""
    names = dict(BALANCE_FIGURES)
    figures: dict[str, int | None] = {}
    problems = []
    for key, text in texts.items():
        cleaned = text.strip().replace(",", "").replace("，", "")
        if not cleaned:
            figures[key] = None
        elif cleaned.isascii() and cleaned.isdigit():
            figures[key] = int(cleaned)
        else:
            problems.append(f"“{names.get(key, key)}”应为不小于 0 的整数：{text.strip()}")
    return figures, problems
