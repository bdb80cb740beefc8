"""公开时限 as offices write it, read into a machine-readable rule (data_access.rules.time_limits)."""

from __future__ import annotations

import pytest

from data_access.rules.time_limits import DEFAULT_LIMIT, TimeLimit, chinese_number, describe, parse_time_limit

CASES = [
    ("信息形成（变更）之日起20个工作日内", TimeLimit("after_formed", 20, "workday")),
    ("信息形成(变更)之日起 20 个工作日内", TimeLimit("after_formed", 20, "workday")),
    ("自信息形成或者变更之日起二十个工作日内", TimeLimit("after_formed", 20, "workday")),
    ("形成后5个工作日内", TimeLimit("after_formed", 5, "workday")),
    ("15个工作日", TimeLimit("after_formed", 15, "workday")),
    ("1个月内", TimeLimit("after_formed", 1, "month")),
    ("信息形成之日起一个月内", TimeLimit("after_formed", 1, "month")),
    ("7日内", TimeLimit("after_formed", 7, "day")),
    ("作出决定之日起7天内", TimeLimit("after_formed", 7, "day")),
    ("每月", TimeLimit("periodic", period="month")),
    ("按月公开", TimeLimit("periodic", period="month")),
    ("每季度", TimeLimit("periodic", period="quarter")),
    ("按季度更新", TimeLimit("periodic", period="quarter")),
    ("每季度结束后10个工作日内", TimeLimit("periodic", 10, "workday", "quarter")),
    ("每半年", TimeLimit("periodic", period="half")),
    ("每年", TimeLimit("periodic", period="year")),
    ("每年3月31日前", TimeLimit("periodic", period="year")),
    ("按年度更新", TimeLimit("periodic", period="year")),
    ("实时", TimeLimit("realtime")),
    ("实时更新", TimeLimit("realtime")),
    ("即时", TimeLimit("realtime")),
    ("及时公开", TimeLimit("realtime")),
    ("实时，最迟3个工作日内", TimeLimit("realtime", 3, "workday")),
    ("长期公开", TimeLimit("long_term")),
    ("常年公开", TimeLimit("long_term")),
    ("长期公开，信息变更后20个工作日内更新", TimeLimit("long_term")),
    ("", None),
    (None, None),
    ("   ", None),
    ("依法公开", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(c[0]) for c in CASES])
def test_parse_time_limit(text, expected):
    assert parse_time_limit(text) == expected


@pytest.mark.parametrize(
    ("text", "n"),
    [("20", 20), ("二十", 20), ("十五", 15), ("十", 10), ("两", 2), ("一百二十", 120), ("三个", None)],
)
def test_chinese_number(text, n):
    assert chinese_number(text) == n


def test_describe_says_the_rule_in_short_words():
    assert describe(None) == "未注明（按20个工作日）"
    assert describe(DEFAULT_LIMIT) == "形成后20个工作日内"
    assert describe(TimeLimit("periodic", period="quarter")) == "每季度（当期结束前）"
    assert describe(TimeLimit("periodic", 10, "workday", "quarter")) == "每季度（期末后10个工作日内）"
    assert describe(TimeLimit("realtime")) == "实时（未写明天数，按20个工作日）"
    assert describe(TimeLimit("long_term")) == "长期公开（不判断时限）"
