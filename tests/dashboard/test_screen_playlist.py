"""The 大屏设置 table read back into a playlist: order, shown, seconds, and a message per bad cell."""

from __future__ import annotations

import math

import pytest

from dashboard.screen.playlist import entries_from_table

KEYS = ("headline", "categories", "newest")
TITLES = ("年度主要数据", "分类统计", "最新公开信息")


@pytest.mark.parametrize(
    ("orders", "shown", "seconds", "expected"),
    [
        ([1, 2, 3], [True, True, True], [15, 15, 15], [("headline", 15, True), ("categories", 15, True), ("newest", 15, True)]),
        ([3, 1, 2], [True, False, True], [5, 8, 20], [("categories", 8, False), ("newest", 20, True), ("headline", 5, True)]),
        ([1, 1, 1], [True, True, True], [3, 600, 10], [("headline", 3, True), ("categories", 600, True), ("newest", 10, True)]),
        ([None, 1, math.nan], [True, True, True], [10, 10, 10], [("categories", 10, True), ("headline", 10, True), ("newest", 10, True)]),
        ([1.0, 2.0, 3.0], [True, None, math.nan], [10.0, 10.0, 10.0], [("headline", 10, True), ("categories", 10, False), ("newest", 10, False)]),
    ],
)  # fmt: skip
def test_the_table_becomes_a_playlist(orders, shown, seconds, expected):
    assert entries_from_table(KEYS, TITLES, orders, shown, seconds) == expected


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        ([None, 10, 10], "第 1 行「年度主要数据」的停留秒数为空，请填写 3–600 之间的整数"),
        ([10, math.nan, 10], "第 2 行「分类统计」的停留秒数为空"),
        ([10, 10, 2], "第 3 行「最新公开信息」的停留秒数应为 3–600 之间的整数，实际为 2"),
        ([601, 10, 10], "实际为 601"),
        ([10, 4.5, 10], "实际为 4.5"),
        ([10, "abc", 10], "第 2 行「分类统计」的停留秒数应为 3–600 之间的整数，实际为 abc"),
        ([10, " ", 10], "第 2 行「分类统计」的停留秒数为空"),
    ],
)
def test_bad_seconds_are_named_by_row_and_slide(seconds, message):
    with pytest.raises(ValueError, match=message):
        entries_from_table(KEYS, TITLES, [1, 2, 3], [True, True, True], seconds)


def test_every_bad_cell_is_reported_at_once():
    with pytest.raises(ValueError) as caught:
        entries_from_table(KEYS, TITLES, [1, 2, 3], [True, True, True], [None, 1, 700])
    assert str(caught.value).count("第 ") == 3
