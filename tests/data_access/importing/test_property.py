"""Property: mutated files never raise unhandled exceptions, and rejected files change nothing."""

from __future__ import annotations

import io
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Engine

from data_access.importing import commit

from .builders import (
    PROJECT_HEADER,
    PUB_HEADER,
    UNIT,
    csv_bytes,
    project_rows,
    publication_rows,
    setup_unit,
    table_counts,
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
}
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
    fmt=st.sampled_from(["xlsx", "csv"]),
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
            for v in row
        ]
        for row in rows
    ]
    data = xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)
    if cut is not None:
        data = data[: int(len(data) * cut)]
    before = table_counts(empty_sqlite)
    result = commit(empty_sqlite, data, kind, UNIT, None, "m")
    assert result.status in ("committed", "rejected", "unchanged")
    if result.status == "rejected":
        assert table_counts(empty_sqlite) == before
    if result.status == "committed":
        assert not [i for i in result.issues if i.level == "error"]


def test_the_unmutated_bases_are_accepted(empty_sqlite: Engine) -> None:
    setup_unit(empty_sqlite)
    for kind, rows in BASES.items():
        assert commit(empty_sqlite, xlsx(rows), kind, UNIT, None, "base").status == "committed"
    assert load_workbook(io.BytesIO(xlsx(BASES["projects"]))).active.max_row == 6
