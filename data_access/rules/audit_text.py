"""The audit log's upload, form and undo entries as Chinese sentences (their detail is stored as
JSON). Pure: the caller passes the names of the data kinds."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

FORM_PREFIX = "表单："


def _period(value: Any) -> str:
    text = str(value or "")
    if len(text) == 7 and text[4] == "-":
        return f"{text[:4]}年{int(text[5:])}月"
    if len(text) == 4 and text.isdigit():
        return f"{text}年"
    return text


def describe(action: str, detail: str | None, kind_names: Mapping[str, str]) -> str:
    """The entry's detail as a sentence; anything but an upload's or undo's JSON is returned as is."""
    if action not in ("upload", "undo") or not detail or not detail.startswith("{"):
        return detail or ""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    kind = kind_names.get(str(data.get("kind")), str(data.get("kind") or ""))
    period = _period(data.get("period"))
    batch = data.get("batch_id")
    if action == "undo":
        return f"撤销第 {batch} 批（{kind}{' ' + period if period else ''}），数据恢复到该批之前"
    file = str(data.get("file") or "")
    unit = str(data.get("unit") or "")
    if file.startswith(FORM_PREFIX):
        return f"逐条登记（第 {batch} 批）：{file.removeprefix(FORM_PREFIX)}（单位 {unit}）"
    rows = data.get("rows")
    return (
        f"上传{kind}（单位 {unit}{'，' + period if period else ''}）：文件「{file}」，"
        f"{rows} 行，第 {batch} 批"
    )
