"""Every import kind has a blank template from the command line whose header is the kind's spec and
whose 填表说明 sheet explains each column (what, format or allowed values, example), and a Chinese
help text on the upload page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from data_access.write.importing import KINDS, SPECS
from data_access.write.importing.templates import columns
from tests.helpers.cli import run_cli

ROOT = Path(__file__).resolve().parents[3]
PERIODS = {"month": "2022-04", "year": "2022"}


@pytest.fixture(scope="module")
def office_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kinds') / 'office.sqlite3'}"
    env = {"DATABASE_URL": url}
    assert run_cli("init", env=env).returncode == 0
    added = run_cli("units", "add", "dingzhen", "丁镇", "--level", "subdistrict", env=env)
    assert added.returncode == 0, added.stderr
    return url


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_template_explaining_every_column(office_url: str, kind: str, tmp_path: Path) -> None:
    spec = SPECS[kind]
    out = tmp_path / f"{kind}.xlsx"
    made = run_cli(
        "template", "--kind", kind, "--unit", "dingzhen", "--period", PERIODS[spec.period], "-o", str(out),
        env={"DATABASE_URL": office_url},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    wb = load_workbook(out)
    sheet = wb.worksheets[0]
    assert "丁镇" in str(sheet["A1"].value)
    headers = [c.value for c in sheet[2] if c.value is not None]
    expected = [c.label + ("*" if c.required else "") for c in columns(kind)]
    assert headers == expected
    # every spec column is in the template but those only read from the source document's layout
    assert {c.field for c in spec.columns} - {c.field for c in columns(kind)} <= {"month_named"}
    notes = wb["填表说明"]
    assert [c.value for c in notes[1]] == ["列名", "是否必填", "说明", "示例"]
    rows = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True) if row and row[0]}
    for column in columns(kind):
        assert column.label in rows, f"{kind}: {column.label} 没有填表说明"
        _label, required, explained, example = rows[column.label][:4]
        assert required == ("必填" if column.required else "选填")
        assert explained and len(str(explained)) >= 4, f"{kind}: {column.label} 没有说明"
        assert example not in (None, ""), f"{kind}: {column.label} 没有示例"
        if column.field.endswith("_date"):
            assert "日期格式" in str(explained) or "yyyy" in str(explained), (kind, column.label)


def test_the_date_and_choice_columns_say_their_format_and_values(office_url: str, tmp_path: Path) -> None:
    out = tmp_path / "requests.xlsx"
    env = {"DATABASE_URL": office_url}
    assert (
        run_cli(
            "template",
            "--kind",
            "requests",
            "--unit",
            "dingzhen",
            "--period",
            "2022",
            "-o",
            str(out),
            env=env,
        ).returncode
        == 0
    )
    rows = {
        r[0]: r for r in load_workbook(out)["填表说明"].iter_rows(min_row=2, values_only=True) if r and r[0]
    }
    assert "日期格式" in rows["补正告知日期"][2] and "；" in rows["补正告知日期"][3]
    assert "日期格式" in rows["征求第三方意见开始日期"][2]
    assert "自然人" in rows["申请人类型"][2]


def test_each_kind_has_help_on_the_upload_page() -> None:
    strings = json.loads((ROOT / "dashboard/locales/zh_CN/records.json").read_text(encoding="utf-8"))
    for kind in KINDS:
        text = strings.get(f"upload.kind_help.{kind}", "")
        assert SPECS[kind].title.split("（")[0][:4] in text, kind
    source = (ROOT / "pages/upload.py").read_text(encoding="utf-8")
    assert "upload.kind_help.{kind}" in source
