"""The default 编号 of a new request: table-driven."""

from __future__ import annotations

import pytest

from data_access.rules.request_numbers import next_request_no

CASES = [
    ((), 2019, "YSQ-2019-001"),
    (("YSQ-2019-001", "YSQ-2019-002"), 2019, "YSQ-2019-003"),
    (("YSQ-2019-007", "YSQ-2019-002"), 2019, "YSQ-2019-008"),  # after the highest, gaps left alone
    (("YSQ-2018-041",), 2019, "YSQ-2019-001"),  # another year's numbers do not count
    (("YSQ-2019-041",), 2018, "YSQ-2018-001"),
    (("ysq－2019－9", " YSQ-2019-010 "), 2019, "YSQ-2019-011"),  # case, full-width dash, spaces
    (("YSQ-2019-999",), 2019, "YSQ-2019-1000"),
    (("依申请2019第3号", "YSQ-2019-A1", "YSQ-20191-004"), 2019, "YSQ-2019-001"),  # other shapes ignored
]


@pytest.mark.parametrize(("existing", "year", "expected"), CASES)
def test_next_request_no(existing: tuple[str, ...], year: int, expected: str) -> None:
    assert next_request_no(existing, year) == expected
