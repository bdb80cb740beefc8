"""`catalogue import|export|list` and `template` on the command line (issue 15, item 8)."""

from __future__ import annotations

import json

import openpyxl

from tests.helpers.builders import csv_bytes
from tests.helpers.catalogues import TEN_CATEGORIES, standard_catalogue
from tests.helpers.cli import Ran, run_cli


def _cli(url: str, *args: str) -> Ran:
    return run_cli("--database-url", url, *args)


def test_import_list_export_and_template(tmp_path):
    url = f"sqlite:///{tmp_path / 'cat.sqlite3'}"
    assert _cli(url, "init").returncode == 0
    assert _cli(url, "units", "add", "shi", "某市", "--level", "city").returncode == 0
    assert (
        _cli(url, "units", "add", "jie", "某街道", "--level", "subdistrict", "--parent", "shi").returncode
        == 0
    )
    source = tmp_path / "标准目录.xlsx"
    source.write_bytes(standard_catalogue())

    dry = _cli(url, "catalogue", "import", "--unit", "jie", "--from-year", "2020", "--dry-run", str(source))
    assert dry.returncode == 0, dry.stderr
    assert "（预览，未写入）" in dry.stdout and "新增：指南" in dry.stdout
    assert "更名：重大建设项目 → 人事信息" in dry.stdout  # the same code, another name
    before = json.loads(_cli(url, "catalogue", "list", "--unit", "jie", "--year", "2020", "--json").stdout)
    assert before["source"] == "default" and before["items"][0]["name"] == "机构职能类"

    done = _cli(url, "catalogue", "import", "--unit", "jie", "--from-year", "2020", str(source))
    assert done.returncode == 0, done.stderr
    listed = json.loads(_cli(url, "catalogue", "list", "--unit", "jie", "--year", "2020", "--json").stdout)
    assert listed["source"] == "own" and listed["scheme"]["from_year"] == 2020
    level_one = [i for i in listed["items"] if i["level"] == 1]
    assert [i["name"] for i in level_one] == [c[1] for c in TEN_CATEGORIES]
    assert level_one[5]["domain"] == "重点领域"
    budget = next(i for i in listed["items"] if i["name"] == "财政预决算")
    assert budget["path"] == ["重点领域信息公开", "财政预决算"] and budget["limit"]["period"] == "quarter"
    earlier = json.loads(_cli(url, "catalogue", "list", "--unit", "jie", "--year", "2019", "--json").stdout)
    assert earlier["source"] == "default"  # the years before keep the catalogue they had
    assert (
        json.loads(_cli(url, "catalogue", "list", "--unit", "shi", "--year", "2020", "--json").stdout)[
            "source"
        ]
        == "default"
    )  # the unit above is not affected

    out = tmp_path / "export.xlsx"
    assert _cli(url, "catalogue", "export", "--unit", "jie", "--year", "2020", "-o", str(out)).returncode == 0
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[2]][:4] == ["序号", "领域", "一级事项", "二级事项"]

    template = tmp_path / "t.xlsx"
    made = _cli(
        url, "template", "--kind", "publications", "--unit", "jie", "--period", "2020-03", "-o", str(template)
    )
    assert made.returncode == 0, made.stderr
    lists = [dv.formula1 for dv in openpyxl.load_workbook(template).active.data_validations.dataValidation]
    assert any("重点领域信息公开" in f for f in lists)


def test_a_bad_file_exits_1_and_lists_every_problem(tmp_path):
    url = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    assert _cli(url, "init").returncode == 0
    assert _cli(url, "units", "add", "shi", "某市", "--level", "city").returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            [["一级事项", "二级事项", "公开渠道和载体"], ["", "会议", "网站"], ["工作", "x" * 101, "网站"]]
        )
    )
    ran = _cli(url, "catalogue", "import", "--unit", "shi", "--from-year", "2020", str(bad))
    assert ran.returncode == 1
    assert ran.stderr.strip() == "错误：目录文件有 2 处问题，未导入"
    assert (
        "第 2 行A 列：“一级事项”不能为空" in ran.stdout
        and "第 3 行B 列：“二级事项”不能超过 100 个字" in ran.stdout
    )
    listed = json.loads(_cli(url, "catalogue", "list", "--unit", "shi", "--year", "2020", "--json").stdout)
    assert listed["source"] == "default"
