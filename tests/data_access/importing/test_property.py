"""Property: mutated files of every kind and format never raise unhandled exceptions, and rejected
files change nothing."""

from __future__ import annotations

import io
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Engine

from data_access.rules.permissions import OPERATOR
from data_access.write.importing import commit
from tests.helpers.builders import (
    PROJECT_HEADER,
    PUB_HEADER,
    UNIT,
    csv_bytes,
    project_rows,
    publication_rows,
    setup_unit,
    table_counts,
    xls,
    xlsx,
)

EXAMPLES = 150
BASES = {
    "publications": [["青阳街道2018年12月主动公开政府信息目录"], PUB_HEADER, *publication_rows(6)],
    "projects": [
        ["青阳街道2018年10月份重大项目完成情况表"],
        PROJECT_HEADER,
        *project_rows(),
        ["合计", None, 6000, 60, 1300, 1600, None, None],
    ],
    "requests": [
        ["青阳街道2019年依申请公开登记表"],
        ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "延期天数", "答复日期", "答复类型",
         "复议诉讼类型", "复议诉讼日期"],
        ["Y-1", "2019-06-03", "网络", "自然人", "申请甲", None, "2019-06-20", "予以公开", None, None],
        ["Y-2", "2019-06-04", "信函", "法人或其他组织-商业企业", "申请乙", 10, "2019-07-10", "部分公开",
         "行政复议", "2019-08-01"],
        ["Y-3", "2019-06-05", "当面", "自然人", "申请丙", None, None, None, None, None],
    ],
    "boards": [
        ["公开栏名称", "位置", "更新日期", "更新类型", "说明"],
        ["机关大院党（政）务公开栏", "机关大院门口", "2018-04-10", "季度更新", "一季度财政收支"],
        ["西园社区居务公开栏", None, "2018-04-12", "季度更新", None],
        ["机关大院党（政）务公开栏", "机关大院门口", "2018-07-10", "季度更新", "二季度"],
    ],
    "deliveries": [
        ["所属月份", "接收单位", "送交日期", "份数"],
        ["2018年1月", "晋江市档案馆", "2018-02-02", 14],
        ["2018年1月", "晋江市图书馆", "2018-02-02", 14],
        ["2018年2月", "晋江市档案馆", "2018-03-02", 9],
        ["合计", None, None, 37],
    ],
}  # fmt: skip
JUNK = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    st.integers(-(10**6), 10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["合计", "=1+1", "2018-13-45", "１，０００", "85%", "", " "]),
)


def _mutate(rows: list[list], ops: list[tuple[str, int, int, object]]) -> list[list]:
    rows = [list(r) for r in rows]
    width = max(len(r) for r in rows)
    for op, a, b, junk in ops:
        r, c = a % len(rows), b % width
        if op == "drop_col":
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif op == "dup_col":
            rows = [row[: c + 1] + row[c : c + 1] + row[c + 1 :] for row in rows]
        elif op == "shuffle_cols":
            order = list(range(width))
            random.Random(a).shuffle(order)
            rows = [[row[i] if i < len(row) else None for i in order] for row in rows]
        elif op == "corrupt":
            rows[r] = rows[r] + [None] * (width - len(rows[r]))
            rows[r][c] = junk
        elif op == "dup_row":
            rows.insert(r, list(rows[r]))
        elif op == "drop_row":
            rows.pop(r)
        if not rows:
            rows = [[None]]
        width = max(1, max(len(row) for row in rows))
    return rows


OPS = st.lists(
    st.tuples(
        st.sampled_from(["drop_col", "dup_col", "shuffle_cols", "corrupt", "dup_row", "drop_row"]),
        st.integers(0, 50),
        st.integers(0, 50),
        JUNK,
    ),
    max_size=4,
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(sorted(BASES)),
    ops=OPS,
    fmt=st.sampled_from(["xlsx", "csv", "xls"]),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_files_are_handled(
    empty_sqlite: Engine, kind: str, ops: list, fmt: str, cut: float | None
) -> None:
    if not table_counts(empty_sqlite)["org_unit"]:
        setup_unit(empty_sqlite)
    rows = _mutate(BASES[kind], ops)
    rows = [
        [
            v if not isinstance(v, float) or v == v and abs(v) != float("inf") or fmt == "csv" else None
            for v in row[: 256 if fmt == "xls" else None]  # .xls: 256 columns at most
        ]
        for row in rows
    ]
    data = {"xlsx": xlsx, "csv": csv_bytes, "xls": xls}[fmt](rows)
    if cut is not None:
        data = data[: int(len(data) * cut)]
    before = table_counts(empty_sqlite)
    result = commit(empty_sqlite, OPERATOR, data, kind, UNIT, None, "m")
    assert result.status in ("committed", "rejected", "unchanged")
    if result.status == "rejected":
        assert table_counts(empty_sqlite) == before
    if result.status == "committed":
        assert not [i for i in result.issues if i.level == "error"]


def test_the_unmutated_bases_are_accepted(empty_sqlite: Engine) -> None:
    setup_unit(empty_sqlite)
    for kind, rows in BASES.items():
        result = commit(empty_sqlite, OPERATOR, xlsx(rows), kind, UNIT, None, "base")
        assert result.status == "committed", [i.message for i in result.issues]
    assert load_workbook(io.BytesIO(xlsx(BASES["projects"]))).active.max_row == 6
