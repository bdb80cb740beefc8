"""data_access.rules.printing: widths of text in a spreadsheet, wrapped lines and safe file names."""

from __future__ import annotations

import pytest

from data_access.rules.printing import display_width, file_safe, wrapped_lines


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("abc", 3),
        ("青阳", 4),
        ("（一）", 6),
        ("1,234.5", 7),
        ("2018年12月", 10),
        ("ＡＢ", 4),
        ("、。", 4),
    ],
)
def test_a_chinese_character_takes_two_columns(text, width):
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [("", 10, 1), ("青" * 4, 10, 1), ("青" * 5, 10, 2), ("青" * 30, 62, 1), ("青" * 31, 62, 2),
     ("甲\n乙", 10, 2), ("a" * 120, 62, 2), ("a" * 121, 62, 3)],
)  # fmt: skip
def test_wrapped_lines(text, width, lines):
    assert wrapped_lines(text, width) == lines


@pytest.mark.parametrize(
    ("text", "name"),
    [("青阳街道2018年表", "青阳街道2018年表"), ("a/b\\c", "a_b_c"), ('x:*?"<>|y', "x_y"), ("tab\there", "tab_here"),
     (" .hidden. ", "hidden"), ("..", "_"), ("", "_")],
)  # fmt: skip
def test_file_safe(text, name):
    assert file_safe(text) == name
