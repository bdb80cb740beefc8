"""Issue 16's "done when" for the .docx: an office (not the demo) with every kind entered for a year
gets a 2021-format report with its own figures, and neither 不适用 nor 未录入 where it entered data."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine

from data_access.read.reports.format_2021 import complaints_sentence
from tests.helpers import full_office as F
from tests.helpers.cli import run_cli


def _docx_text(path: Path) -> tuple[str, list[list[str]]]:
    document = docx.Document(str(path))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    rows = [[cell.text.strip() for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, rows


@pytest.fixture
def office_docx(empty_db: Engine, tmp_path: Path) -> tuple[F.Entered, str, list[list[str]]]:
    entered = F.build_full_office(empty_db)
    out = tmp_path / "柳镇街道.docx"
    ran = run_cli(
        "--database-url", empty_db.url.render_as_string(hide_password=False), "report", "--year", str(F.YEAR),
        "--unit", F.UNIT, "--template", "2021", "--format", "docx", "-o", str(out),
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    paragraphs, rows = _docx_text(out)
    return entered, paragraphs, rows


def _row(rows: list[list[str]], label: str) -> list[str]:
    found = [r for r in rows if any(label == c for c in r)]
    assert found, f"no row {label}"
    return found[0]


def test_every_entered_kind_is_printed_with_its_figures(office_docx) -> None:
    entered, paragraphs, rows = office_docx
    text = paragraphs + "\n".join("|".join(r) for r in rows)
    assert "未录入" not in text, [line for line in text.splitlines() if "未录入" in line]
    assert "不适用" not in text, [line for line in text.splitlines() if "不适用" in line]
    assert F.UNIT_NAME in paragraphs and str(F.YEAR) in paragraphs
    # table 二 as imported
    for item, issued, abolished, in_force, decisions, fee in F.TABLE_2:
        row = _row(rows, item)
        for figure in (issued, abolished, in_force, decisions):
            if figure is not None:
                assert str(figure) in row, (item, figure, row)
        if fee is not None:
            assert fee in row, (item, fee, row)
    # table 三: the requests of the year, 6 answered and one carried on
    total_new = _row(rows, "一、本年新收政府信息公开申请数量")
    assert total_new[-1] == str(entered.requests), total_new
    # table 四: the appeals
    assert any("行政复议" in "".join(r) for r in rows)
    # section 一: the documents' rate (13 of 20 主动公开), complaints by source, the form-only kinds
    made, proactive = sum(F.DOCUMENTS.values()), F.DOCUMENTS["主动公开"]
    assert f"本年度制发公文{made}件，其中主动公开{proactive}件" in paragraphs
    assert f"公文类信息主动公开率{proactive / made:.1%}" in paragraphs
    hotline = sum(1 for s in F.COMPLAINT_SOURCES if s == "12345")
    assert f"申诉、举报{entered.complaints}件，其中热线{hotline}件" in paragraphs
    assert f"本年开展政策解读{entered.interpretations}次" in paragraphs
    assert f"{entered.hotline}次" in paragraphs
    assert f"主动公开政府信息{entered.publications}条" in paragraphs


@pytest.mark.parametrize(
    ("requests", "appeals", "by_source", "expected"),
    [
        ({"complaints": 5}, None, {"热线": 2, "信访": 3, "网络": 0}, "本年接受政府信息公开工作申诉、举报5件，其中热线2件、信访3件。"),
        ({"complaints": 0}, None, {"热线": 0}, "本年接受政府信息公开工作申诉、举报0件。"),
        (None, {"complaints": 2}, {"未注明": 2}, "本年接受政府信息公开工作申诉、举报2件，其中未注明2件。"),
        (None, {"complaints": None}, None, "本年接受政府信息公开工作申诉、举报未录入。"),
        (None, None, None, "本年接受政府信息公开工作申诉、举报未录入。"),
    ],
)  # fmt: skip
def test_the_complaints_sentence(requests, appeals, by_source, expected) -> None:
    narrative = {"requests": requests, "complaints_by_source": by_source}
    if appeals is not None:
        narrative["appeals"] = appeals
    assert complaints_sentence(narrative) == expected
