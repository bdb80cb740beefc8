"""A new office that entered only its publications: 总览 shows "—" with the hint 本年度未录入 for what
it never entered, and 0 once it filed 零报告; admins enter an opening balance on their page."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.reads import cache
from data_access.rules.entered import ENTRY_KINDS
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit
from data_access.store.reference import ensure_reference_data
from data_access.write import auth, balances, importing
from tests.helpers.pages import principal, run, url

HEADER = ["索引号", "信息名称", "所属类别", "文号", "形成日期", "公开日期", "公开方式", "全文电子化"]
QUERY = {"unit": "binhai", "year": "2020"}


@pytest.fixture
def office(empty_sqlite, fast_hashing):  # type: ignore[no-untyped-def]
    with db.write_session(empty_sqlite) as s:
        ensure_reference_data(s)
        city = OrgUnit(code="haicheng", name="海城市", level="city")
        s.add(city)
        s.flush()
        s.add(OrgUnit(code="binhai", name="滨海街道", level="subdistrict", parent_id=city.id))  # id 2
    with db.write_session(empty_sqlite) as s:  # user 1: principal() stands for it (audit entries name it)
        auth.create_user(
            s, "t_admin", role="admin", unit_code="binhai", password="pass-word-1", actor=OPERATOR
        )
    out = io.StringIO()
    rows = [
        [f"BH-2020-{i}", f"信息{i}", "机构职能类", "", "2020-03-02", "2020-03-10", "政府门户网站", "是"]
        for i in range(4)
    ]
    csv.writer(out).writerows([HEADER, *rows])
    result = importing.commit(
        empty_sqlite, OPERATOR, out.getvalue().encode(), "publications", "binhai", "2020-03", "p.csv"
    )
    assert result.status == "committed", result.issues
    return empty_sqlite


def _metrics(at):  # type: ignore[no-untyped-def]
    return {m.label: (m.value, m.proto.help) for m in at.metric}


def test_overview_shows_a_dash_with_a_hint_then_0_after_zero_reports(monkeypatch, office):
    who = principal("leader", "binhai")
    metrics = _metrics(run(monkeypatch, url(office), query=QUERY, who=who))
    for label in ("政策解读（篇）", "送交两馆（份）", "行政复议 / 诉讼 / 申诉举报"):
        value, hint = next(v for k, v in metrics.items() if k == label)
        assert "—" in value and "0" not in value, (label, value)
        assert hint.startswith("本年度未录入"), label
    captions = " ".join(c.value for c in run(monkeypatch, url(office), query=QUERY, who=who).caption)
    assert (
        "本年度未录入：重点领域信息、送交两馆、政策解读、轮值接听热线、行政复议、行政诉讼、申诉举报、重点项目。"
        in captions
    )
    with db.write_session(office) as s:
        for kind in ENTRY_KINDS:
            balances.record_zero_report(s, "binhai", kind, 2020, actor=OPERATOR)
    cache.refresh()  # what every write through the app does
    metrics = _metrics(run(monkeypatch, url(office), query=QUERY, who=who))
    value, hint = metrics["政策解读（篇）"]  # entered now: the 「?」 says how it is counted, nothing more
    assert value == "0" and "政策解读" in hint and "未录入：" not in hint
    assert metrics["送交两馆（份）"][0] == "0 / 0"
    assert metrics["行政复议 / 诉讼 / 申诉举报"][0] == "0 / 0 / 0"


def test_an_admin_enters_an_opening_balance_on_its_page(monkeypatch, office):
    at = run(monkeypatch, url(office), "pages/admin_balances.py", who=principal("admin", "binhai"))
    assert "还没有单位录入期初数。" in [i.value for i in at.info]
    form = {t.label: t for t in at.text_input}
    form["主动公开文件数"].input("800")
    form["政府公报公开数"].input("十")
    at.button[0].click().run()
    assert any("“政府公报公开数”应为不小于 0 的整数：十" in e.value for e in at.error)
    form = {t.label: t for t in at.text_input}
    form["政府公报公开数"].input("10")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "期初数已保存" in [m.value for m in at.success]
    with db.read_session(office) as s:
        [row] = balances.opening_balance_rows(s)
    assert (row.unit_code, row.figures["publications"], row.figures["publications_gazette"]) == (
        "binhai",
        800,
        10,
    )
    assert row.figures["requests"] is None
