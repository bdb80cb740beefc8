"""Reading a 基层政务公开标准目录 spreadsheet (data_access.write.catalogue.file): header variants, merged
or blank cells meaning "the same as above", any number of levels, each problem with its sheet, row and
column; the preview's diff and the export that reads back the same."""

from __future__ import annotations

import io

import openpyxl

from data_access.write.catalogue.file import (
    CatalogueItem,
    catalogue_workbook,
    diff_catalogues,
    name_changes,
    parse_catalogue,
)
from tests.helpers.builders import csv_bytes, xls, xlsx
from tests.helpers.catalogues import TEN_CATEGORIES, standard_catalogue


def test_the_published_shape_with_merged_cells():
    parsed = parse_catalogue(standard_catalogue())
    assert parsed.problems == [] and parsed.sheet == "标准目录"
    level_one = [i for i in parsed.items if i.level == 1]
    assert [i.name for i in level_one] == [c[1] for c in TEN_CATEGORIES]
    assert [i.domain for i in level_one] == [c[0] for c in TEN_CATEGORIES]
    second = [i for i in parsed.items if i.path[0] == "行政权力运行公开"]
    assert [i.path for i in second] == [
        ("行政权力运行公开",),
        ("行政权力运行公开", "行政许可"),
        ("行政权力运行公开", "行政处罚"),
    ]
    assert [i.code for i in second] == ["05", "0501", "0502"]
    assert (
        second[1].fields["content"] == "行政许可的内容"
        and second[1].limit
        and second[1].limit.kind == "realtime"
    )


def test_header_variants_three_levels_and_blank_cells_same_as_above():
    rows = [
        ["某镇政务公开目录"],
        ["编号", "所属领域", "1级事项", "2级事项", "三级事项", "公开内容", "公开时限", "公开渠道", "公开对象", "公开方式"],
        [1, "城乡规划", "规划管理", "规划许可", "建设用地规划许可", "许可结果", "信息形成（变更）之日起20个工作日内", "网站", "全社会", "主动"],
        [2, None, None, None, "建设工程规划许可", "许可结果", "20个工作日内", "网站", "全社会", "主动"],
        [3, None, None, "规划公示", None, "批前公示", "每季度", "公开栏", "全社会", "主动"],
        [None, None, None, None, None, None, None, None, None, None],
        [4, "扶贫", "扶贫救助", None, None, "对象名单", "每年", "公开栏", "特定群众", "主动"],
    ]  # fmt: skip
    for data in (xlsx(rows), xls(rows), csv_bytes(rows, "gbk")):
        parsed = parse_catalogue(data)
        assert parsed.problems == []
        assert [(i.code, "／".join(i.path)) for i in parsed.items] == [
            ("01", "规划管理"),
            ("0101", "规划管理／规划许可"),
            ("010101", "规划管理／规划许可／建设用地规划许可"),
            ("010102", "规划管理／规划许可／建设工程规划许可"),
            ("0102", "规划管理／规划公示"),
            ("02", "扶贫救助"),
        ]
        assert [i.domain for i in parsed.items if i.level == 1] == ["城乡规划", "扶贫"]
        assert (
            parsed.items[4].fields["time_limit"] == "每季度"
            and parsed.items[5].fields["audience"] == "特定群众"
        )


def test_every_problem_with_sheet_row_and_column():
    rows = [
        ["序号", "一级事项", "二级事项", "公开主体"],
        [1, None, "无上级", "镇政府"],
        [2, "工作", "x" * 101, "镇政府"],
        [3, "工作", "会议", "y" * 201],
    ]
    parsed = parse_catalogue(xlsx(rows, title="目录"))
    assert parsed.items == []
    assert parsed.problems == [
        "工作表「目录」第 2 行B 列：“一级事项”不能为空（上方也没有可沿用的值）",
        "工作表「目录」第 3 行C 列：“二级事项”不能超过 100 个字",
        "工作表「目录」第 4 行D 列：“公开主体”不能超过 200 个字",
    ]
    assert parse_catalogue(xlsx([["名称", "内容"], ["a", "b"]])).problems[0].startswith("找不到目录的表头")
    assert parse_catalogue(b"\x00\x01garbage").problems


def test_diff_and_export_round_trip():
    old = parse_catalogue(standard_catalogue()).items
    changed = [(d, n.replace("公示公告", "公告公示"), kids, lim) for d, n, kids, lim in TEN_CATEGORIES[:-1]]
    new = parse_catalogue(standard_catalogue(changed)).items
    diff = diff_catalogues(old, new)
    assert ("公示公告", "公告公示") in diff.renamed
    assert "指南" in diff.removed and "指南／公开指南" in diff.removed
    assert not diff.added
    exported = catalogue_workbook("目录", old)
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize, sheet.print_title_rows) == (
        "landscape",
        9,
        "$1:$2",
    ), "printed like every export: landscape A4, title and headings on every page"
    again = parse_catalogue(exported).items
    assert [(i.path, i.domain, i.fields) for i in again] == [(i.path, i.domain, i.fields) for i in old]
    assert diff_catalogues(old, again).empty


def test_name_changes_changes_only_the_years_from_the_rename():
    history = [(None, "公示公告")]
    assert name_changes(history, 2020, "公告公示") == [("2020年起", "公示公告", "公告公示")]
    later = [(None, "甲"), (2022, "丙")]
    assert name_changes(later, 2020, "乙") == [("2020–2021年", "甲", "乙")]
    assert name_changes(history, 2020, "公示公告") == []
    assert isinstance(CatalogueItem(("a",)).level, int)
