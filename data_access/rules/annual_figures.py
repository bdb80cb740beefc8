"""Table 二 of the 2021 annual report (主动公开政府信息情况): its items and which figures each has.

The office enters these figures once a year per unit (form or the `annual-figures` import):
for each item either its figures (a blank figure stays 未录入) or the mark 不适用 (the office does
not have this kind of matter). An item with no entry at all prints 未录入, never a guessed 0 and
never 不适用 (data_access.read.reports.format_2021).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# The figures (model columns) and their Chinese column names.
FIGURES: Mapping[str, str] = {
    "issued": "本年制发件数",
    "abolished": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "fees": "本年收费金额",
}
FEES_UNIT = "万元"
COUNT_MAX = 10_000_000
FEES_MAX = Decimal("999999999999.99")


@dataclass(frozen=True)
class Item:
    """One line of table 二: key (stored), label (as printed) and the figures it has."""

    key: str
    label: str
    figures: tuple[str, ...]


ITEMS: tuple[Item, ...] = (
    Item("rules", "规章", ("issued", "abolished", "in_force")),
    Item("normative", "行政规范性文件", ("issued", "abolished", "in_force")),
    Item("licensing", "行政许可", ("decisions",)),
    Item("penalty", "行政处罚", ("decisions",)),
    Item("enforcement", "行政强制", ("decisions",)),
    Item("fees", "行政事业性收费", ("fees",)),
)
ITEM_KEYS: tuple[str, ...] = tuple(i.key for i in ITEMS)
BY_KEY: Mapping[str, Item] = {i.key: i for i in ITEMS}
BY_LABEL: Mapping[str, Item] = {i.label: i for i in ITEMS}
# Other names offices use for the items (compared without spaces).
LABEL_SYNONYMS: Mapping[str, str] = {
    "政府规章": "rules",
    "规范性文件": "normative",
    "行政规范性文件": "normative",
    "许可": "licensing",
    "行政许可决定": "licensing",
    "处罚": "penalty",
    "行政处罚决定": "penalty",
    "强制": "enforcement",
    "行政强制决定": "enforcement",
    "行政事业性收费": "fees",
    "收费": "fees",
}
NOT_APPLICABLE = "不适用"


def item_of(text: str) -> Item | None:
    """The item a label names (its printed label or a synonym), None when it names none."""
    name = "".join(text.split())
    if name in BY_LABEL:
        return BY_LABEL[name]
    key = LABEL_SYNONYMS.get(name)
    return BY_KEY[key] if key else None


def parse_figure(figure: str, text: str) -> int | Decimal | None:
    """A figure as typed (blank: None); ValueError with a Chinese message when it is not one.

    Counts are whole numbers 0–10,000,000; 本年收费金额 is in 万元 with at most two decimals.
    """
    cleaned = "".join(str(text).split()).replace(",", "").replace("，", "")
    if not cleaned:
        return None
    name = FIGURES[figure]
    if figure == "fees":
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"“{name}”应为不小于 0 的数字（万元）：{text}") from None
        if not value.is_finite() or value < 0 or value > FEES_MAX:
            raise ValueError(f"“{name}”应为不小于 0 的数字（万元）：{text}")
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(f"“{name}”最多保留两位小数（万元）：{text}")
        return value.quantize(Decimal("0.01"))
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) > COUNT_MAX:
        raise ValueError(f"“{name}”应为 0–{COUNT_MAX} 之间的整数：{text}")
    return int(cleaned)


def entry_problems(
    item: Item, figures: Mapping[str, int | Decimal | None], not_applicable: bool
) -> list[tuple[str, str]]:
    """What is wrong with one item's entry, as (figure or 'not_applicable', Chinese message); [] when fine.

    A figure the item does not have must stay blank; an item marked 不适用 has no figures; an item
    neither marked nor given any figure is not an entry (leave its row out to keep it 未录入).
    """
    problems = []
    for figure, value in figures.items():
        if value is not None and figure not in item.figures:
            problems.append((figure, f"{item.label}没有“{FIGURES[figure]}”，该格应留空"))
    given = [f for f in item.figures if figures.get(f) is not None]
    if not_applicable and given:
        problems.append((given[0], f"{item.label}已标为“不适用”，不应再填写“{FIGURES[given[0]]}”"))
    if not not_applicable and not given:
        problems.append(
            (
                item.figures[0],
                f"{item.label}未填写任何数字：请填写（没有的填 0），或标为“不适用”；未录入的事项请删除该行",
            )
        )
    return problems
