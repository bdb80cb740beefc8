"""Request outcomes as files write them, mapped to the 2021 report's rows (vocab.OUTCOMES_2021).

Accepted: the exact stored form '<group>' / '<group>-<item>'; the group and item
separated by -, －, —, ：, / or （…）; the item with or without its leading 属于; the
old (2008) replies 同意公开 / 同意部分公开; and the synonyms below. A bare group
that has items (e.g. 不予公开 alone) and anything else are errors listing the valid forms.

| written | stored |
|---|---|
| 同意公开, 公开, 全部公开 | 予以公开 |
| 同意部分公开 | 部分公开 |
| 不予公开-个人隐私 / 商业秘密 / 第三方 | 不予公开-保护第三方合法权益 |
| 不予公开-国家秘密 | 不予公开-属于国家秘密 |
| 不予公开-内部事务 / 过程性信息 / 执法案卷 / 行政查询 | the matching 属于… item |
| 不予公开-法律法规禁止 | 不予公开-其他法律行政法规禁止公开 |
| 无法提供-不掌握 / 信息不存在 / 非本机关 | 无法提供-本机关不掌握相关政府信息 |
| 无法提供-需另行制作 | 无法提供-没有现成信息需要另行制作 |
| 不予处理-信访 / 举报 / 投诉 | 不予处理-信访举报投诉类申请 |
| 其他处理-逾期不补正 | 其他处理-申请人无正当理由逾期不补正、… |
| 其他处理-逾期未缴费 | 其他处理-申请人逾期未按收费通知要求缴纳费用、… |
| 其他, 其他处理 | 其他处理-其他 |
"""

from __future__ import annotations

import re

from data_access.rules.vocab import OUTCOMES_2021
from data_access.write.importing.normalise import fold

_GROUP_ALIASES = {
    "同意公开": "予以公开",
    "公开": "予以公开",
    "全部公开": "予以公开",
    "同意部分公开": "部分公开",
}
# (group, fragment of what the file writes, item stored)
_ITEM_SYNONYMS: tuple[tuple[str, str, str], ...] = (
    ("不予公开", "个人隐私", "保护第三方合法权益"),
    ("不予公开", "商业秘密", "保护第三方合法权益"),
    ("不予公开", "第三方", "保护第三方合法权益"),
    ("不予公开", "国家秘密", "属于国家秘密"),
    ("不予公开", "内部事务", "属于三类内部事务信息"),
    ("不予公开", "过程性", "属于四类过程性信息"),
    ("不予公开", "执法案卷", "属于行政执法案卷"),
    ("不予公开", "行政查询", "属于行政查询事项"),
    ("不予公开", "禁止公开", "其他法律行政法规禁止公开"),
    ("不予公开", "三安全一稳定", "危及“三安全一稳定”"),
    ("无法提供", "不掌握", "本机关不掌握相关政府信息"),
    ("无法提供", "不存在", "本机关不掌握相关政府信息"),
    ("无法提供", "非本机关", "本机关不掌握相关政府信息"),
    ("无法提供", "另行制作", "没有现成信息需要另行制作"),
    ("无法提供", "仍不明确", "补正后申请内容仍不明确"),
    ("不予处理", "信访", "信访举报投诉类申请"),
    ("不予处理", "举报", "信访举报投诉类申请"),
    ("不予处理", "投诉", "信访举报投诉类申请"),
    ("不予处理", "重复", "重复申请"),
    ("不予处理", "出版物", "要求提供公开出版物"),
    ("不予处理", "大量反复", "无正当理由大量反复申请"),
    ("不予处理", "确认或重新出具", "要求行政机关确认或重新出具已获取信息"),
    ("其他处理", "不补正", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("其他处理", "缴纳费用", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("其他处理", "缴费", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("其他处理", "其他", "其他"),
)
_SPLIT = re.compile(r"\s*[-－—–:：/（(]\s*")


def valid_forms() -> str:
    """Every accepted stored outcome, for error messages."""
    forms = []
    for group, items in OUTCOMES_2021:
        forms += [group] if not items else [f"{group}-{item}" for item in items]
    return "、".join(forms)


def map_outcome(text: str) -> str | None:
    """The stored 2021 outcome for what a file writes, or None when it cannot be mapped."""
    raw = fold(text).rstrip(")）")
    if raw in ("其他", "其他处理"):
        return "其他处理-其他"
    parts = _SPLIT.split(raw, maxsplit=1)
    group = _GROUP_ALIASES.get(parts[0], parts[0])
    item = parts[1] if len(parts) > 1 else ""
    for name, items in OUTCOMES_2021:
        if fold(name) != group:
            continue
        if not items:
            return name if not item else None
        if not item:
            return None
        for candidate in items:
            folded = fold(candidate)
            if item in (folded, folded.removeprefix("属于")):
                return f"{name}-{candidate}"
        for syn_group, fragment, stored in _ITEM_SYNONYMS:
            if syn_group == name and fragment in item:
                return f"{name}-{stored}"
    return None
