"""逐条登记 in AppTest: a registered request appears with its due date; a bad date names its field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.rules.deadlines import compute_deadline
from data_access.store import db
from data_access.store.models import Delivery, DisclosureRequest, UploadBatch
from data_access.write import records
from seed import qingyang2018
from tests.helpers.builders import table_counts
from tests.helpers.pages import frame, principal, run, staff, url

PAGE = "pages/records.py"


@pytest.fixture
def seeded(empty_sqlite: Engine) -> Engine:
    """A writable copy of the 2018 demo."""
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def fill_request(at, no: str, received: str, summary: str = "申请公开2019年旧村改造补偿标准"):  # type: ignore[no-untyped-def]
    at.text_input(key="rq_no_0").input(no)
    at.text_input(key="rq_received_0").input(received)
    at.selectbox(key="rq_channel_0").set_value("信函")
    at.selectbox(key="rq_type_0").set_value("法律服务机构")
    at.text_area(key="rq_summary_0").input(summary)
    return at.run()


def test_register_a_request_and_see_its_due_date(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at = fill_request(at, "YSQ-2019-007", "2019-09-27", "<script>alert(1)</script>安置方案")
    due = compute_deadline(dt.date(2019, 9, 27), channel="信函").due
    assert f"法定答复期限：{due.isoformat()}（收到后第 20 个工作日）" in [i.value for i in at.info]
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    assert not at.exception
    assert "已保存（第" in at.success[0].value
    listed = frame(at, "答复期限")
    row = listed[listed["编号"] == "YSQ-2019-007"].iloc[0]
    assert (row["收到日期"], row["答复期限"], row["申请方式"]) == ("2019-09-27", due.isoformat(), "信函")
    assert row["申请内容摘要"] == "<script>alert(1)</script>安置方案"
    assert not any("<script>" in h.proto.body for h in at.get("html"))
    assert at.text_area(key="rq_summary_1").value == "", "the form starts empty again"
    assert at.text_input(key="rq_no_1").value == f"YSQ-{dt.date.today().year}-001", "…with the next 编号"
    with db.read_session(seeded) as s:
        batch = s.scalar(select(UploadBatch).order_by(UploadBatch.id.desc()))
        assert batch.file_name == "表单：登记依申请公开 YSQ-2019-007"
        assert (
            s.scalar(
                select(DisclosureRequest.applicant_type).where(DisclosureRequest.request_no == "YSQ-2019-007")
            )
            == "法律服务机构"
        )


def test_a_bad_date_names_the_field_and_writes_nothing(monkeypatch, seeded):
    before = table_counts(seeded)
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at = fill_request(at, "YSQ-2019-008", "2019-02-30")
    assert "填写收到日期和申请方式后" in " ".join(c.value for c in at.caption)
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    message = at.error[0].value
    assert message.startswith("未保存") and "“收到日期”：日期「2019-02-30」不存在" in message
    assert table_counts(seeded) == before


def test_progress_pauses_the_clock_and_a_delivery_is_saved(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at = fill_request(at, "YSQ-2019-009", "2019-06-03")
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    at.selectbox(key="pg_pick").set_value("YSQ-2019-009").run()
    at.text_input(key="pg_correction_s_YSQ-2019-009_0").input("2019-06-05").run()
    assert "期限暂停计算中" in " ".join(i.value for i in at.info)
    at = next(b for b in at.button if b.label == "保存办理进度").click().run()
    listed = frame(at, "答复期限")
    assert listed[listed["编号"] == "YSQ-2019-009"].iloc[0]["办理状态"] == "等待补正"

    at.text_input(key="dl_month_0").input("2019年5月")
    at.selectbox(key="dl_recipient_0").set_value("library")
    at.text_input(key="dl_date_0").input("2019-06-04")
    at.number_input(key="dl_count_0").set_value(12)
    at = next(b for b in at.button if b.key == "delivery_save_0").click().run()
    assert "已保存" in at.success[0].value
    with db.read_session(seeded) as s:
        assert s.scalar(select(Delivery.item_count).where(Delivery.period_ym == 201905)) == 12


def test_a_leader_may_not_open_the_page(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=principal("leader"))
    assert [e.value for e in at.error] == ["无权访问"]
    assert not at.text_input


def _colleague_answers(engine: Engine, who, no: str) -> None:  # type: ignore[no-untyped-def]
    """Another member of staff, with the request open in a form of their own, saves its reply."""
    with db.read_session(engine) as s:
        row = next(r for r in records.list_requests(s, who.unit_code, dt.date.today()) if r.request_no == no)
    values = {
        **dict.fromkeys(("correction_start", "correction_end", "third_party_start", "third_party_end"), "")
    }
    values.update(extension_days=0, reply_date="2019-06-20", outcome="予以公开")
    with db.write_session(engine) as s:
        records.update_request(s, who, who.unit_code, no, values, dt.date.today(), loaded=row.stamp)


def test_a_save_over_a_colleagues_reply_is_refused_and_the_form_reloads(monkeypatch, seeded):
    who = staff(seeded)
    at = run(monkeypatch, url(seeded), PAGE, who=who)
    at = fill_request(at, "YSQ-2019-010", "2019-06-03")
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    at.selectbox(key="pg_pick").set_value("YSQ-2019-010").run()
    assert at.text_input(key="pg_reply_YSQ-2019-010_0").value == ""
    _colleague_answers(seeded, who, "YSQ-2019-010")

    at.number_input(key="pg_ext_YSQ-2019-010_0").set_value(5)
    at = next(b for b in at.button if b.label == "保存办理进度").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["该记录已被他人修改，请刷新后重试"]
    assert not at.success
    assert at.number_input(key="pg_ext_YSQ-2019-010_0").value == 5, "what was typed stays on screen"
    with db.read_session(seeded) as s:
        kept = s.execute(
            select(DisclosureRequest.reply_date, DisclosureRequest.extension_days).where(
                DisclosureRequest.request_no == "YSQ-2019-010"
            )
        ).one()
    assert kept == (dt.date(2019, 6, 20), 0), "the colleague's reply is kept, nothing of this save written"

    at = next(b for b in at.button if b.label == "重新载入最新内容").click().run()
    assert not at.error
    assert at.text_input(key="pg_reply_YSQ-2019-010_1").value == "2019-06-20", "the form shows the reply now"
    at.number_input(key="pg_ext_YSQ-2019-010_1").set_value(5)
    at = next(b for b in at.button if b.label == "保存办理进度").click().run()
    assert "已保存" in at.success[0].value
    with db.read_session(seeded) as s:
        assert s.execute(
            select(DisclosureRequest.reply_date, DisclosureRequest.extension_days).where(
                DisclosureRequest.request_no == "YSQ-2019-010"
            )
        ).one() == (dt.date(2019, 6, 20), 5)


def test_a_delivery_registered_meanwhile_is_shown_before_it_can_be_corrected(monkeypatch, seeded):
    who = staff(seeded)
    at = run(monkeypatch, url(seeded), PAGE, who=who)
    at.text_input(key="dl_month_0").input("2019年5月")
    at.selectbox(key="dl_recipient_0").set_value("library")
    at = at.run()
    assert not any("该月已登记" in i.value for i in at.info)
    with db.write_session(seeded) as s:  # a colleague registers May meanwhile
        values = {
            "period_ym": "2019-05",
            "recipient": "市图书馆",
            "delivered_date": "2019-06-03",
            "item_count": 9,
        }
        records.save_delivery(s, who, who.unit_code, values, dt.date.today(), loaded=None)
    at.text_input(key="dl_date_0").input("2019-06-04")
    at.number_input(key="dl_count_0").set_value(12)
    at = next(b for b in at.button if b.key == "delivery_save_0").click().run()
    assert [e.value for e in at.error] == ["该记录已被他人修改，请刷新后重试"]
    assert any("该月已登记：2019-06-03 送交 9 份" in i.value for i in at.info)
    with db.read_session(seeded) as s:
        assert s.scalar(select(Delivery.item_count).where(Delivery.period_ym == 201905)) == 9
    at = next(b for b in at.button if b.key == "delivery_save_0").click().run()  # seen now: a correction
    assert "已保存" in at.success[0].value
    with db.read_session(seeded) as s:
        assert s.scalar(select(Delivery.item_count).where(Delivery.period_ym == 201905)) == 12


def test_table_2_is_entered_on_its_tab_and_shown_again(monkeypatch, seeded):
    from data_access.store.models import AnnualFigure

    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at.number_input(key="annual_year").set_value(2018)
    at = at.run()
    at.text_input(key="annual_2018_licensing_decisions_0").input("41")
    at.text_input(key="annual_2018_fees_fees_0").input("12.5")
    at.checkbox(key="annual_2018_rules_na_0").check()
    at = next(b for b in at.button if b.key == "annual_save_0").click().run()
    assert not at.exception
    assert "已保存（第" in at.success[0].value
    assert at.text_input(key="annual_2018_licensing_decisions_1").value == "41", "shown as entered"
    assert at.checkbox(key="annual_2018_rules_na_1").value is True
    at.text_input(key="annual_2018_penalty_decisions_1").input("七")
    at = next(b for b in at.button if b.key == "annual_save_1").click().run()
    assert any("行政处罚本年处理决定数量" in e.value and "整数" in e.value for e in at.error)
    with db.read_session(seeded) as s:
        rows = {r.item: (r.decisions, r.fees, r.not_applicable) for r in s.scalars(select(AnnualFigure))}
    assert {k: (d, None if f is None else str(f), na) for k, (d, f, na) in rows.items()} == {
        "licensing": (41, None, False),
        "fees": (None, "12.50", False),
        "rules": (None, None, True),
    }


def test_the_number_is_prefilled_with_the_units_next_one_of_the_received_year(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    assert at.text_input(key="rq_no_0").value == f"YSQ-{dt.date.today().year}-001"  # none this year
    at.text_input(key="rq_received_0").input("2018-07-16").run()
    assert at.text_input(key="rq_no_0").value == "YSQ-2018-002"  # the demo has YSQ-2018-001
    at.selectbox(key="rq_channel_0").set_value("信函")
    at.text_area(key="rq_summary_0").input("申请公开某路段改造方案")
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    assert "已保存" in at.success[0].value
    at.text_input(key="rq_received_1").input("2018-08-01").run()
    assert at.text_input(key="rq_no_1").value == "YSQ-2018-003"
    at.text_input(key="rq_no_1").input("依申请〔2018〕9号").run()
    at.text_input(key="rq_received_1").input("2019-01-02").run()
    assert at.text_input(key="rq_no_1").value == "依申请〔2018〕9号", "a number typed by the clerk stays"


def test_an_extension_over_the_limit_is_a_range_error(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at = fill_request(at, "YSQ-2019-011", "2019-06-03")
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    at.selectbox(key="pg_pick").set_value("YSQ-2019-011").run()
    at.number_input(key="pg_ext_YSQ-2019-011_0").set_value(25)
    at = next(b for b in at.button if b.label == "保存办理进度").click().run()
    assert not at.info or "没有变化" not in " ".join(i.value for i in at.info)
    assert "延期 25 个工作日超出范围：应为 0 至 20 个工作日" in at.error[0].value
    assert at.session_state["pg_pick"] == "YSQ-2019-011", "the request stays chosen"


def test_saving_progress_keeps_the_tab_and_the_request(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at = fill_request(at, "YSQ-2019-012", "2019-06-03")
    at = next(b for b in at.button if b.label == "登记申请").click().run()
    at.session_state["records_tab"] = "办理进度"
    at.selectbox(key="pg_pick").set_value("YSQ-2019-012").run()
    at.number_input(key="pg_ext_YSQ-2019-012_0").set_value(5)
    at = next(b for b in at.button if b.label == "保存办理进度").click().run()
    assert "已保存" in at.success[0].value
    assert at.session_state["records_tab"] == "办理进度"
    assert at.session_state["pg_pick"] == "YSQ-2019-012"
    assert at.number_input(key="pg_ext_YSQ-2019-012_1").value == 5


def test_one_save_registers_both_recipients(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    assert at.selectbox(key="dl_recipient_0").value == "both"
    batches = table_counts(seeded)["upload_batch"]
    at.text_input(key="dl_month_0").input("2019年5月")
    at.text_input(key="dl_date_0").input("2019-06-04")
    at.number_input(key="dl_count_0").set_value(12)
    at = next(b for b in at.button if b.key == "delivery_save_0").click().run()
    assert not at.exception and "已保存" in at.success[0].value
    with db.read_session(seeded) as s:
        saved = s.execute(select(Delivery.recipient, Delivery.item_count).where(Delivery.period_ym == 201905))
        assert sorted(saved) == [("archive", 12), ("library", 12)]
    assert table_counts(seeded)["upload_batch"] == batches + 2  # each undone on its own
    at.text_input(key="dl_month_1").input("2019年5月")
    at = at.run()
    shown = " ".join(i.value for i in at.info)
    assert "档案馆该月已登记：2019-06-04 送交 12 份" in shown and "图书馆该月已登记" in shown
