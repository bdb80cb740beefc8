"""Templates round-trip without warnings; the issue report marks cells; the command line."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from data_access.cli import main as cli
from data_access.rules.permissions import OPERATOR
from data_access.write.importing import KINDS, commit, issues_workbook, preview, template
from data_access.write.importing.templates import columns
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, setup_unit, xlsx

PERIODS = {"publications": "2018-12", "projects": "2018-10", "annual-figures": "2018"}


@pytest.mark.parametrize("kind", KINDS)
def test_template_filled_in_imports_without_warnings(empty_sqlite: Engine, kind: str) -> None:
    setup_unit(empty_sqlite)
    wb = load_workbook(io.BytesIO(template(kind)))
    assert wb.sheetnames[1] == "填表说明"
    ws = wb.worksheets[0]
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.print_title_rows) == (
        "landscape",
        1,
        "$1:$2",
    )
    for j, column in enumerate(columns(kind), start=1):
        ws.cell(3, j, column.example)
    out = io.BytesIO()
    wb.save(out)
    result = commit(empty_sqlite, OPERATOR, out.getvalue(), kind, UNIT, PERIODS.get(kind), "filled.xlsx")
    assert result.status == "committed", result.issues
    assert [i for i in result.issues if i.level != "info"] == []
    assert result.rows == 1


def test_issue_report_highlights_bad_cells(empty_sqlite: Engine) -> None:
    setup_unit(empty_sqlite)
    rows = [PUB_HEADER, *publication_rows(3)]
    rows[2][4] = "不是日期"
    data = xlsx(rows)
    result = preview(empty_sqlite, data, "publications", UNIT, "2018-12")
    wb = load_workbook(io.BytesIO(issues_workbook(data, result.issues, "12月.xlsx 问题清单")))
    listing = wb["问题清单"]
    assert listing["A1"].value == "12月.xlsx 问题清单" and listing.cell(2, 6).value == "说明"
    assert (
        listing.cell(3, 1).value == "错误"
        and listing.cell(3, 3).value == 3
        and listing.cell(3, 4).value == "E"
    )
    setup = listing.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert listing.print_title_rows == "$2:$2" and listing.freeze_panes == "A3"
    marked = wb["标注-Sheet1"]["E3"]
    assert marked.fill.fgColor.rgb.endswith("FFC7CE") and "不是日期" in marked.comment.text


def test_command_line_import_batches_undo_and_kpis(empty_sqlite: Engine, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    setup_unit(empty_sqlite)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    good = tmp_path / "dec.xlsx"
    good.write_bytes(xlsx([["青阳街道2018年12月主动公开政府信息目录"], PUB_HEADER, *publication_rows(4)]))
    bad = tmp_path / "bad.csv"
    bad.write_text("索引号,信息名称\nA,B\n", encoding="utf-8")

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(["--database-url", url, *argv])
        return code, capsys.readouterr().out

    code, out = run("import", "--kind", "publications", "--dry-run", "--json", str(good))
    assert code == 0 and json.loads(out)["status"] == "valid"
    code, out = run("import", "--kind", "publications", "--json", str(good))
    summary = json.loads(out)
    assert code == 0 and summary["status"] == "committed" and summary["added"] == 4
    assert set(summary) == {"status", "batch_id", "rows", "added", "changed", "removed", "issues"} | {
        "register",
        "register_guess",
        "unlisted",
        "cross_period",
    }
    code, out = run("import", "--kind", "publications", "--json", str(good))
    assert code == 0 and json.loads(out)["status"] == "unchanged"
    code, out = run(
        "import", "--kind", "publications", "--json", "--report", str(tmp_path / "r.xlsx"), str(bad)
    )
    assert code == 1 and json.loads(out)["status"] == "rejected" and (tmp_path / "r.xlsx").exists()
    assert run("import", "--kind", "publications", "--unit", "nowhere", str(good))[0] == 2
    assert run("import", "--kind", "publications", "--period", "2018-13", str(good))[0] == 2
    assert run("import", "--kind", "publications", str(tmp_path / "missing.xlsx"))[0] == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["import", "--kind", "nonsense", str(good)])
    assert exc.value.code == 2
    code, out = run("kpis", "--year", "2018", "--unit", UNIT, "--json")
    assert code == 0 and json.loads(out)["publications"]["total"] == 4
    code, out = run("batches", "--json")
    assert json.loads(out)[0]["status"] == "active"
    code, out = run("undo", str(summary["batch_id"]))
    assert code == 0 and "已撤销" in out
    assert run("undo", str(summary["batch_id"]))[0] == 1
