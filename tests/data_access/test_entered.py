"""Never a guessed zero, and opening balances (issue 15, items 6 and 7).

A new office (滨海街道 under 海城市) imports one year of publications and nothing else: every
figure it never entered is 未录入 in both report formats and null in `kpis --json`; after it files
零报告 they are 0; an opening balance adds to its 历年累计 (its own records count from the
balance's year on). On every backend.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from docx import Document
from sqlalchemy import Engine

from data_access.read import public, reports
from data_access.read.reports import Missing
from data_access.read.reports.docx import docx_bytes
from data_access.read.reports.format_2021 import overview_sentences
from data_access.read.reports.old_format import narrative_sentences
from data_access.read.reports.xlsx import xlsx_bytes
from data_access.rules import entered as rule
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit
from data_access.store.reference import ensure_reference_data
from data_access.write import balances, importing, records
from tests.helpers.builders import PUB_HEADER, csv_bytes
from tests.helpers.cli import run_cli

UNIT, CITY, YEAR = "binhai", "haicheng", 2020
OWN_2020, OWN_2019 = 6, 3


def _publications(year: int, month: int, n: int, channel: str = "政府门户网站") -> bytes:
    rows = [
        [f"BH-{year}{month:02d}-{i:04d}", f"滨海街道测试信息{i}", "机构职能类", None,
         f"{year}-{month:02d}-0{1 + i % 5}", f"{year}-{month:02d}-1{i % 9}", channel, "是"]
        for i in range(n)
    ]  # fmt: skip
    return csv_bytes([PUB_HEADER, *rows])


@pytest.fixture
def office(empty_db: Engine) -> Engine:
    """海城市 → 滨海街道, with 3 items published in 2019 and 6 in 2020 (one of them in the gazette)."""
    with db.write_session(empty_db) as s:
        ensure_reference_data(s)
        city = OrgUnit(code=CITY, name="海城市", level="city")
        s.add(city)
        s.flush()
        s.add(OrgUnit(code=UNIT, name="滨海街道", level="subdistrict", parent_id=city.id))
    for period, data in (
        ("2019-06", _publications(2019, 6, OWN_2019)),
        ("2020-03", _publications(2020, 3, OWN_2020 - 1)),
        ("2020-04", _publications(2020, 4, 1, "政府公报")),
    ):
        result = importing.commit(empty_db, OPERATOR, data, "publications", UNIT, period, f"{period}.csv")
        assert result.status == "committed", result.issues
    return empty_db


def _kpis_json(engine: Engine, unit: str = UNIT, year: int = YEAR) -> dict:
    url = engine.url.render_as_string(hide_password=False)
    ran = run_cli("--database-url", url, "kpis", "--year", str(year), "--unit", unit, "--json")
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def _text(sentences: dict[str, list[str]] | list[str]) -> str:
    lines = sentences if isinstance(sentences, list) else [x for part in sentences.values() for x in part]
    return "".join(lines)


def _row(report: dict, name: str) -> tuple[object, object]:
    row = next(r for r in report["rows"] if r["指标名称"] == name)
    return row["本年度"], row["历年累计"]


def test_what_was_never_entered_is_null_and_未录入_never_0(office):
    k = _kpis_json(office)
    assert k["publications"]["total"] == OWN_2020
    assert k["publications"]["by_topic"] is None
    assert k["deliveries"] == {"archive": None, "library": None}
    assert (k["interpretations"], k["hotline_duties"], k["projects"]) == (None, None, None)
    req = k["requests"]
    assert (req["reconsiderations"], req["litigations"], req["complaints"]) == (None, None, None)
    assert [req["cumulative"][key] for key in ("reconsiderations", "litigations", "complaints")] == [None] * 3

    with db.read_session(office) as s:
        old = reports.build(s, YEAR, UNIT, "old")
        new = reports.build(s, YEAR, UNIT, "2021")
    for name in ("接受行政申诉、举报数", "行政复议数", "行政诉讼数"):
        assert _row(old, name) == (Missing.BLANK, Missing.BLANK)
    assert _row(old, "主动公开文件数") == (OWN_2020, OWN_2020 + OWN_2019)
    n = old["narrative"]
    assert n["deliveries"] == {"archive": Missing.BLANK, "library": Missing.BLANK}
    assert (n["interpretations"], n["hotline"]["count"], n["publications"]["by_topic"]) == (
        Missing.BLANK, Missing.BLANK, None,
    )  # fmt: skip
    text = _text(narrative_sentences(old))
    assert "按重点领域分：未录入。" in text
    assert "开展政策解读未录入。" in text
    assert "政府信息公开材料未录入、未录入。" in text
    assert "未录入行政复议、行政诉讼及申诉举报记录" in text
    for sentence in narrative_sentences(old)["二"][1:]:  # the first: categories, entered with the items
        assert "0次" not in sentence and "0份" not in sentence and "类信息0条" not in sentence
    assert any("行政复议数" in w and "未录入" in w for w in old["warnings"])

    for report in (old, new):  # the office's files carry the same 未录入
        document = Document(io.BytesIO(docx_bytes(report)))
        assert "未录入" in "".join(p.text for p in document.paragraphs)
        assert xlsx_bytes(report)[:2] == b"PK"
    block = new["tables"]["四"]["行政复议"]
    assert set(block.values()) == {Missing.BLANK}
    assert all(set(b.values()) == {Missing.BLANK} for b in new["tables"]["四"]["行政诉讼"].values())
    overview = _text(overview_sentences(new))
    assert "开展政策解读未录入" in overview and "政府信息公开材料未录入、未录入" in overview
    assert "0次" not in overview and "0份" not in overview


def test_a_zero_report_makes_it_an_explicit_0(office):
    with db.write_session(office) as s:
        for kind in rule.ENTRY_KINDS:
            assert balances.record_zero_report(s, UNIT, kind, YEAR, actor=OPERATOR)
        assert not balances.record_zero_report(s, UNIT, "hotline", YEAR, actor=OPERATOR)  # already filed
    k = _kpis_json(office)
    assert k["deliveries"] == {"archive": 0, "library": 0}
    assert (k["interpretations"], k["hotline_duties"]) == (0, 0)
    assert k["projects"]["count"] == 0
    assert k["publications"]["by_topic"] and set(k["publications"]["by_topic"].values()) == {0}
    req = k["requests"]
    assert (req["reconsiderations"], req["litigations"], req["complaints"]) == (0, 0, 0)
    assert [req["cumulative"][key] for key in ("reconsiderations", "litigations", "complaints")] == [0] * 3
    with db.read_session(office) as s:
        old = reports.build(s, YEAR, UNIT, "old")
        new = reports.build(s, YEAR, UNIT, "2021")
    for name in ("接受行政申诉、举报数", "行政复议数", "行政诉讼数"):
        assert _row(old, name) == (0, 0)
    text = _text(narrative_sentences(old))
    assert "开展政策解读0次。" in text and "政府信息公开材料0份、0份。" in text
    assert "行政复议0件，提起行政诉讼0件，接受行政申诉、举报0件。" in text
    assert "未录入" not in "".join(narrative_sentences(old)["二"])
    assert set(new["tables"]["四"]["行政复议"].values()) == {0}
    # The year before is still 未录入: a zero report is for its year only.
    assert _kpis_json(office, year=2019)["interpretations"] is None
    # The city above sees its sub-district's zero reports.
    assert _kpis_json(office, unit=CITY)["interpretations"] == 0
    with db.write_session(office) as s:
        assert balances.remove_zero_report(s, UNIT, "interpretations", YEAR, actor=OPERATOR)
    assert _kpis_json(office)["interpretations"] is None


def test_records_enter_a_kind_and_a_zero_report_for_it_is_refused(office):
    with db.write_session(office) as s:
        records.add_hotline(
            s, OPERATOR, UNIT, {"duty_date": "2020-03-06", "official": "林主任"}, dt.date(2020, 12, 31)
        )
    k = _kpis_json(office)
    assert (k["hotline_duties"], k["interpretations"]) == (1, None)
    with pytest.raises(ValueError, match="已有轮值接听热线记录，无需零报告"), db.write_session(office) as s:
        balances.record_zero_report(s, UNIT, "hotline", YEAR, actor=OPERATOR)
    with pytest.raises(ValueError, match="未知的零报告类别"), db.write_session(office) as s:
        balances.record_zero_report(s, UNIT, "boards", YEAR, actor=OPERATOR)


def test_an_opening_balance_adds_to_历年累计_and_replaces_the_years_before_it(office):
    figures = {"publications": 500, "publications_website": 480, "publications_gazette": 20,
               "requests": 12, "complaints": 1}  # fmt: skip
    with db.write_session(office) as s:
        assert balances.set_opening_balance(s, UNIT, YEAR, figures, actor=OPERATOR)
        assert not balances.set_opening_balance(s, UNIT, YEAR, figures, actor=OPERATOR)
    k = _kpis_json(office)
    pub = k["publications"]
    # 2019's own items are inside the balance (it covers everything before 2020): not counted twice.
    assert (pub["total"], pub["cumulative"]) == (OWN_2020, 500 + OWN_2020)
    assert pub["cumulative_by_channel"]["政府门户网站"] == 480 + OWN_2020 - 1
    assert pub["cumulative_by_channel"]["政府公报"] == 20 + 1
    cum = k["requests"]["cumulative"]
    assert (cum["received"], cum["replied"], cum["complaints"]) == (12, None, 1)
    assert cum["by_channel"] == {"当面": None, "网络": None, "信函、传真": None}
    assert cum["reconsiderations"] is None  # the balance left it blank and nothing was ever entered
    with db.read_session(office) as s:
        old = reports.build(s, YEAR, UNIT, "old")
        city = reports.build(s, YEAR, CITY, "old")
        before = reports.build(s, 2019, UNIT, "old")
    assert _row(old, "主动公开文件数") == (OWN_2020, 500 + OWN_2020)
    assert _row(old, "其中：1. 政务网站公开数") == (OWN_2020 - 1, 480 + OWN_2020 - 1)
    assert _row(old, "2. 政府公报公开数") == (1, 21)
    assert _row(old, "受理政府信息公开申请总数") == (Missing.BLANK, 12)
    assert _row(old, "对申请的答复总数") == (Missing.BLANK, Missing.BLANK)
    assert _row(old, "接受行政申诉、举报数") == (Missing.BLANK, 1)
    assert old["narrative"]["publications"]["cumulative"] == 500 + OWN_2020
    assert "历年主动公开信息累计总量达506条。" in _text(narrative_sentences(old))
    assert city["rows"] == old["rows"]  # the city's roll-up takes its sub-district's balance
    assert _row(before, "主动公开文件数") == (OWN_2019, OWN_2019)  # a year before the balance: own records
    with db.read_session(office) as s:
        screen = public.screen_data(s, UNIT, dt.date(2020, 12, 31))
    assert screen is not None and screen.published_cumulative == 500 + OWN_2020  # the lobby screen agrees
    with db.write_session(office) as s:  # a balance of 0 requests is entered: 历年累计 0, not 未录入
        assert balances.set_opening_balance(s, UNIT, YEAR, {"publications": 0, "requests": 0}, actor=OPERATOR)
    with db.read_session(office) as s:
        assert _row(reports.build(s, YEAR, UNIT, "old"), "受理政府信息公开申请总数") == (Missing.BLANK, 0)
    with db.write_session(office) as s:
        assert balances.remove_opening_balance(s, UNIT, actor=OPERATOR)
    assert _kpis_json(office)["publications"]["cumulative"] == OWN_2019 + OWN_2020


def test_a_bad_opening_balance_is_refused_in_chinese_and_changes_nothing(office):
    with (
        pytest.raises(ValueError, match="“受理政府信息公开申请总数”（1）小于其分项"),
        db.write_session(office) as s,
    ):
        balances.set_opening_balance(
            s, UNIT, YEAR, {"publications": 5, "requests": 1, "requests_online": 2}, actor=OPERATOR
        )
    with pytest.raises(ValueError, match="主动公开文件数”必须填写"), db.write_session(office) as s:
        balances.set_opening_balance(s, UNIT, YEAR, {"requests": 1}, actor=OPERATOR)
    with db.read_session(office) as s:
        assert balances.opening_balance_rows(s) == []


def test_units_balance_on_the_command_line(office):
    url = office.url.render_as_string(hide_password=False)
    ran = run_cli("--database-url", url, "units", "balance", UNIT, "--before-year", "2020",
                  "--publications", "700", "--requests", "4")  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert _kpis_json(office)["publications"]["cumulative"] == 700 + OWN_2020
    assert _kpis_json(office)["requests"]["cumulative"]["received"] == 4
    bad = run_cli(
        "--database-url", url, "units", "balance", UNIT, "--before-year", "2020", "--publications", "-1"
    )
    assert bad.returncode == 1 and "主动公开文件数" in bad.stderr
    zero = run_cli(
        "--database-url", url, "units", "zero-report", UNIT, "--kind", "deliveries", "--year", "2020"
    )
    assert zero.returncode == 0, zero.stderr
    assert _kpis_json(office)["deliveries"] == {"archive": 0, "library": 0}


@pytest.mark.parametrize(
    ("kind", "rows", "zero", "sheet", "expected"),
    [
        ("interpretations", False, False, False, False),
        ("interpretations", True, False, False, True),
        ("interpretations", False, True, False, True),
        ("interpretations", False, False, True, False),  # a request sheet says nothing of interpretations
        ("appeals", False, False, True, True),
        ("complaints", False, False, True, True),
    ],
)
def test_the_rule(kind, rows, zero, sheet, expected):
    assert rule.entered(kind, has_rows=rows, zero_report=zero, request_sheet=sheet) is expected


def test_balance_checks():
    assert rule.balance_problems(2020, {"publications": 0}) == []
    assert rule.balance_problems(1800, {"publications": 0}) == ["起始年份应在 1990–2100 之间：1800"]
    assert rule.balance_problems(2020, {"publications": 1, "replies_other": 1}) == [
        "填写了“同意公开答复数”等分项时，“对申请的答复总数”也须填写"
    ]
    assert rule.counted_from(2020, 2019) == 0 and rule.counted_from(2020, 2021) == 2020
