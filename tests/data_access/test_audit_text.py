"""Audit entries of uploads, forms and undos as sentences: table-driven."""

from __future__ import annotations

import json

import pytest

from data_access.rules.audit_text import describe

NAMES = {"publications": "主动公开信息目录", "requests": "依申请公开"}
UPLOAD = json.dumps(
    dict(batch_id=12, kind="publications", unit="qingyang", period="2018-12", file="12月.xlsx", rows=158)
)
FORM = json.dumps(
    dict(
        batch_id=13,
        kind="requests",
        unit="qingyang",
        period="2019",
        file="表单：登记依申请公开 YSQ-2019-007",
        rows=1,
    )
)
UNDO = json.dumps(dict(batch_id=12, kind="publications", period="2018-12"))

CASES = [
    (
        "upload",
        UPLOAD,
        "上传主动公开信息目录（单位 qingyang，2018年12月）：文件「12月.xlsx」，158 行，第 12 批",
    ),
    ("upload", FORM, "逐条登记（第 13 批）：登记依申请公开 YSQ-2019-007（单位 qingyang）"),
    ("undo", UNDO, "撤销第 12 批（主动公开信息目录 2018年12月），数据恢复到该批之前"),
    (
        "undo",
        json.dumps(dict(batch_id=3, kind="hotline", period="")),
        "撤销第 3 批（hotline），数据恢复到该批之前",
    ),
    ("login_failed", "密码错误", "密码错误"),  # already a sentence
    ("upload", "{not json", "{not json"),
    ("upload", None, ""),
]


@pytest.mark.parametrize(("action", "detail", "expected"), CASES)
def test_describe(action: str, detail: str | None, expected: str) -> None:
    assert describe(action, detail, NAMES) == expected
