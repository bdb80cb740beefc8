"""逐条登记: the forms' rules (table-driven) and their batch / audit / undo trail on every backend."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import Engine, func, select

from data_access.rules import permissions
from data_access.rules.deadlines import deadline_for_request
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AppMeta, AppUser, AuditLog, DisclosureRequest, OrgUnit, UploadBatch
from data_access.write import auth, records
from data_access.write.importing import UndoRefused
from data_access.write.undo import undo
from tests.helpers.builders import UNIT, setup_unit, snapshot, table_counts, versions

TODAY = dt.date(2019, 12, 31)
REQUEST = {
    "request_no": "YSQ-2019-007",
    "received_date": "2019-09-27",
    "channel": "网络",
    "applicant_type": "自然人",
    "applicant_name": "陈某",
    "applicant_contact": "13800000000",
    "summary": "申请公开<script>alert(1)</script>安置房分配方案",
}
EMPTY_PROGRESS = dict.fromkeys(
    (
        "correction_start",
        "correction_end",
        "third_party_start",
        "third_party_end",
        "extension_days",
        "reply_date",
        "outcome",
    ),
    "",
)


# ------------------------------------------------------------------ pure validators
BAD = [
    (records.validate_new_request, {**REQUEST, "received_date": "2019-02-30"}, ["“收到日期”：日期「2019-02-30」不存在"]),
    (records.validate_new_request, {**REQUEST, "received_date": "下周一"}, ["“收到日期”：无法识别的日期「下周一」"]),
    (records.validate_new_request, {**REQUEST, "received_date": "2020-01-02"}, ["“收到日期”：2020-01-02 晚于今天"]),
    (records.validate_new_request, {**REQUEST, "request_no": " ", "summary": ""}, ["“编号”：不能为空", "“申请内容摘要”：不能为空"]),
    (records.validate_new_request, {**REQUEST, "channel": "电话"}, ["“申请方式”：「电话」无法识别，应为：网络、当面、信函、传真"]),
    (records.validate_new_request, {**REQUEST, "applicant_type": "外星人"}, ["“申请人类型”：「外星人」无法识别"]),
    (records.validate_new_request, {**REQUEST, "summary": "长" * 1001}, ["“申请内容摘要”：内容过长（1001 字），最多 1000 字"]),
    (records.validate_appeal, {"kind": "复议", "litigation_path": "直接起诉", "filed_date": "2019-10-08"}, ["“诉讼途径”：只有行政诉讼才填写诉讼途径"]),
    (records.validate_appeal, {"kind": "行政诉讼", "filed_date": "2019-10-08"}, ["“诉讼途径”：不能为空"]),
    (records.validate_appeal, {"kind": "", "filed_date": ""}, ["“类型”：不能为空", "“提起日期”：不能为空"]),
    (records.validate_appeal, {"kind": "申诉举报", "filed_date": "2019-10-08", "result": "维持", "closed_date": "2019-10-01"}, ["“审结日期”：2019-10-01 早于提起日期 2019-10-08"]),
    (records.validate_appeal, {"kind": "申诉举报", "filed_date": "2019-10-08", "closed_date": "2019-11-01"}, ["“结果”：填写了审结日期，须选择审结结果"]),
    (records.validate_appeal, {"kind": "申诉举报", "filed_date": "2019-10-08", "result": "撤回"}, ["“结果”：「撤回」无法识别"]),
    (records.validate_interpretation, {"title": "", "published_date": "2019/13/1"}, ["“发布日期”：日期「2019/13/1」不存在", "“解读标题”：不能为空"]),
    (records.validate_hotline, {"duty_date": "2019-05-06", "official": ""}, ["“接听领导”：不能为空"]),
    (records.validate_board_update, {"board": "机关大院公开栏", "update_date": "2019-04-01", "kind": "大修"}, ["“更新类型”：「大修」无法识别，应为：年度换新、季度更新、即时更新、修缮"]),
    (records.validate_delivery, {"period_ym": "2019年6月", "recipient": "博物馆", "delivered_date": "2019-06-28", "item_count": -1}, ["“接收单位”：「博物馆」无法识别，应为：档案馆、图书馆", "“送交日期”：2019-06-28 不在所属月份之后", "“份数”：「-1」不能为负数"]),
    (records.validate_delivery, {"period_ym": "六月", "recipient": "市档案馆", "item_count": None}, ["“所属月份”：无法识别的月份「六月」", "“份数”：不能为空"]),
]  # fmt: skip


@pytest.mark.parametrize(("validator", "values", "messages"), BAD)
def test_bad_values_name_their_field(validator, values, messages):
    with pytest.raises(records.RecordError) as caught:
        validator(values, TODAY)
    text = str(caught.value)
    for message in messages:
        assert message in text, text
    assert len(caught.value.problems) == len(messages)


GOOD = [
    (records.validate_new_request, {**REQUEST, "received_date": "2019年9月27日", "channel": "网上申请", "applicant_type": "公司"},
     {"received_date": dt.date(2019, 9, 27), "received_year": 2019, "channel": "网络", "applicant_type": "商业企业"}),
    (records.validate_appeal, {"kind": "行政诉讼", "litigation_path": "复议后起诉", "filed_date": "2019-10-08", "result": "维持", "closed_date": "2019-12-02"},
     {"kind": "litigation", "litigation_path": "after_reconsideration", "filed_year": 2019, "result": "维持"}),
    (records.validate_appeal, {"kind": "申诉举报", "filed_date": "20191008"}, {"kind": "complaint", "result": None, "closed_date": None}),
    (records.validate_delivery, {"period_ym": "2019-06", "recipient": "晋江市图书馆", "delivered_date": "2019.7.3", "item_count": 0},
     {"period_ym": 201906, "recipient": "library", "delivered_date": dt.date(2019, 7, 3), "item_count": 0}),
    (records.validate_board_update, {"board": "机关大院公开栏", "update_date": "2019-04-01", "kind": "季度"}, {"kind": "季度更新", "note": None}),
    (records.validate_hotline, {"duty_date": "2019-05-06", "official": "林主任", "topics": ""}, {"duty_year": 2019, "topics": None}),
]  # fmt: skip


@pytest.mark.parametrize(("validator", "values", "expected"), GOOD)
def test_good_values_are_read_like_the_importer_reads_them(validator, values, expected):
    record = validator(values, TODAY)
    assert {k: record[k] for k in expected} == expected


STORED = {"received_date": dt.date(2018, 7, 16)}
PROGRESS_BAD = [
    ({"correction_end": "2018-07-20"}, "“补正通知日期”：填写了“收到补正日期”，须先填写本项"),
    ({"correction_start": "2018-07-10"}, "“补正通知日期”：2018-07-10 早于收到日期 2018-07-16"),
    ({"correction_start": "2018-07-18", "correction_end": "2018-07-17"}, "“收到补正日期”：2018-07-17 早于补正通知日期 2018-07-18"),
    ({"extension_days": "16"}, "“延长工作日数”：延期 16 个工作日超出范围：应为 0 至 15 个工作日（《政府信息公开条例》（2008 年施行））"),
    ({"reply_date": "2018-07-26"}, "“答复类型”：已填写答复日期的申请须填写答复类型"),
    ({"outcome": "予以公开"}, "“答复日期”：已填写答复类型的申请须填写答复日期"),
    ({"reply_date": "2018-07-26", "outcome": "不予公开"}, "“答复类型”：「不予公开」无法识别"),
]  # fmt: skip


@pytest.mark.parametrize(("values", "message"), PROGRESS_BAD)
def test_progress_problems(values, message):
    with pytest.raises(records.RecordError, match=message.replace("(", r"\(").replace(")", r"\)")):
        records.validate_progress(STORED, {}, {**EMPTY_PROGRESS, **values}, TODAY)


D = dt.date
PAUSES = [
    (None, None, None, None),
    (None, D(2019, 10, 8), None, "insert"),
    ({"id": 5, "start_date": D(2019, 10, 8), "end_date": None}, D(2019, 10, 8), D(2019, 10, 15), "update"),
    (
        {"id": 5, "start_date": D(2019, 10, 8), "end_date": D(2019, 10, 15)},
        D(2019, 10, 8),
        D(2019, 10, 15),
        None,
    ),
    ({"id": 5, "start_date": D(2019, 10, 8), "end_date": D(2019, 10, 15)}, D(2019, 10, 21), None, "insert"),
    (
        {"id": 5, "start_date": D(2019, 10, 8), "end_date": D(2019, 10, 15)},
        D(2019, 10, 9),
        D(2019, 10, 15),
        "update",
    ),
    ({"id": 5, "start_date": D(2019, 10, 8), "end_date": None}, None, None, "delete"),
]


@pytest.mark.parametrize(("latest", "start", "end", "op"), PAUSES)
def test_plan_pause(latest, start, end, op):
    change = records.plan_pause(latest, "correction", start, end)
    assert (change.op if change else None) == op


# ------------------------------------------------------------------ saving, on every backend
@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    with db.write_session(empty_db) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
        s.add(OrgUnit(code="other", name="别的街道", level="subdistrict"))
        s.add(
            AppUser(
                username="clerk", display_name="党政办小王", password_hash="x", role="staff", unit_id=unit_id
            )
        )
    return empty_db


def clerk(engine: Engine) -> permissions.Principal:
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, "clerk")


def save(engine: Engine, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    with db.write_session(engine) as s:
        return fn(s, clerk(engine), *args, **kwargs)


def current(engine: Engine, request_no: str = "YSQ-2019-007") -> records.Stamp:
    """The request's stamp as a progress form drawn now would carry it."""
    with db.read_session(engine) as s:
        return next(r.stamp for r in records.list_requests(s, UNIT, TODAY) if r.request_no == request_no)


def delivery_now(engine: Engine, ym: int, recipient: str) -> records.Stamp | None:
    """The stamp of the delivery entry a form would show (None: none yet)."""
    with db.read_session(engine) as s:
        found = records.find_delivery(s, UNIT, ym, recipient)
    return found.stamp if found else None


def _version(engine: Engine) -> int:
    with db.read_session(engine) as s:
        return int(s.scalar(select(AppMeta.value).where(AppMeta.key == "data_version")) or 0)


def test_register_creates_a_batch_an_audit_entry_and_a_new_data_version(engine: Engine) -> None:
    before = _version(engine)
    saved = save(engine, records.register_request, UNIT, REQUEST, TODAY)
    assert saved.status == "saved"
    with db.read_session(engine) as s:
        batch = s.get(UploadBatch, saved.batch_id)
        request = s.scalar(select(DisclosureRequest))
        record = records.validate_new_request(REQUEST, TODAY)
        canonical = json.dumps(
            dict(form="request", record=record), ensure_ascii=False, sort_keys=True, default=str
        )
        assert (batch.kind, batch.period_key, batch.status, batch.row_count) == (
            "requests",
            "2019-09",
            "active",
            1,
        )
        assert batch.file_name == "表单：登记依申请公开 YSQ-2019-007"
        assert batch.file_hash == hashlib.sha256(canonical.encode()).hexdigest()
        assert batch.uploaded_by == clerk(engine).id
        assert request.summary == REQUEST["summary"] and request.batch_id == batch.id
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "upload"))
        assert entry.username == "clerk" and f'"batch_id": {batch.id}' in entry.detail
        due = deadline_for_request(request).effective_due
    assert due == dt.date(2019, 10, 30), (
        "20 working days after 2019-09-27: National Day skipped, 调休 days counted"
    )
    assert _version(engine) == before + 1
    assert save(engine, records.register_request, UNIT, REQUEST, TODAY).status == "unchanged"
    with pytest.raises(records.RecordError, match="“编号”：「YSQ-2019-007」已登记"):
        save(engine, records.register_request, UNIT, {**REQUEST, "summary": "另一件事"}, TODAY)


def test_a_bad_form_writes_nothing(engine: Engine) -> None:
    before = table_counts(engine)
    with pytest.raises(records.RecordError, match="“收到日期”"):
        save(engine, records.register_request, UNIT, {**REQUEST, "received_date": "2019-02-30"}, TODAY)
    with pytest.raises(records.RecordError, match="“单位”"):
        save(engine, records.register_request, "other", REQUEST, TODAY)
    assert table_counts(engine) == before


LIVE = ("disclosure_request", "request_pause", "upload_batch", "appeal")


def test_progress_then_undo_restores_each_step_exactly(engine: Engine) -> None:
    first = save(engine, records.register_request, UNIT, REQUEST, TODAY)
    registered = snapshot(engine, LIVE)
    step = {**EMPTY_PROGRESS, "correction_start": "2019-09-30"}
    waiting = save(engine, records.update_request, UNIT, "YSQ-2019-007", step, TODAY, loaded=current(engine))
    with db.read_session(engine) as s:
        request = s.scalar(select(DisclosureRequest))
        assert deadline_for_request(request).waiting == "correction"
    after_waiting = snapshot(engine, LIVE)
    step = {
        **step,
        "correction_end": "2019-10-10",
        "reply_date": "2019-10-30",
        "outcome": "不予公开-个人隐私",
    }
    replied = save(engine, records.update_request, UNIT, "YSQ-2019-007", step, TODAY, loaded=current(engine))
    again = save(engine, records.update_request, UNIT, "YSQ-2019-007", step, TODAY, loaded=current(engine))
    assert again.status == "unchanged"
    with db.read_session(engine) as s:
        request = s.scalar(select(DisclosureRequest))
        assert (request.outcome, request.reply_date) == ("不予公开-保护第三方合法权益", dt.date(2019, 10, 30))
        assert deadline_for_request(request).clock_start == dt.date(2019, 10, 10)
        assert s.get(UploadBatch, replied.batch_id).file_name == "表单：更新依申请公开 YSQ-2019-007"
    with pytest.raises(UndoRefused, match="请先撤销"):
        undo(engine, OPERATOR, first.batch_id)
    before_undo = versions(engine, "disclosure_request")
    undo(engine, clerk(engine), replied.batch_id)
    assert _without_statuses(snapshot(engine, LIVE)) == _without_statuses(after_waiting)
    # The values went back, the version went on: a form loaded before the undo is refused.
    assert all(v > before_undo[k] for k, v in versions(engine, "disclosure_request").items())
    undo(engine, clerk(engine), waiting.batch_id)
    assert _without_statuses(snapshot(engine, LIVE)) == _without_statuses(registered)
    undo(engine, clerk(engine), first.batch_id)
    with db.read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(DisclosureRequest)) == 0


def _without_statuses(snap: dict) -> dict:
    return {k: v for k, v in snap.items() if k != "upload_batch"}


def test_appeal_board_delivery_and_their_undo(engine: Engine) -> None:
    save(engine, records.register_request, UNIT, REQUEST, TODAY)
    before = table_counts(engine)
    appeal = save(
        engine,
        records.add_appeal,
        UNIT,
        {"kind": "行政复议", "filed_date": "2019-11-04", "request_no": "YSQ-2019-007"},
        TODAY,
    )
    board = save(
        engine,
        records.add_board_update,
        UNIT,
        {"board": "西园社区公开栏", "location": "社区门口", "update_date": "2019-10-08", "kind": "季度更新"},
        TODAY,
    )
    first = save(
        engine,
        records.save_delivery,
        UNIT,
        {"period_ym": "2019-09", "recipient": "市档案馆", "delivered_date": "2019-10-09", "item_count": 12},
        TODAY,
        loaded=None,
    )
    fixed = save(
        engine,
        records.save_delivery,
        UNIT,
        {"period_ym": "2019-09", "recipient": "市档案馆", "delivered_date": "2019-10-09", "item_count": 13},
        TODAY,
        loaded=delivery_now(engine, 201909, "archive"),
    )
    with db.read_session(engine) as s:
        names = [s.get(UploadBatch, b.batch_id).file_name for b in (appeal, board, first, fixed)]
        kinds = [s.get(UploadBatch, b.batch_id).kind for b in (appeal, board, first, fixed)]
    assert names[0] == "表单：登记行政复议 2019-11-04 YSQ-2019-007"
    assert kinds == ["requests", "boards", "deliveries", "deliveries"]
    assert table_counts(engine)["board"] == before["board"] + 1
    for batch in (fixed, first, board, appeal):
        undo(engine, clerk(engine), batch.batch_id)
    after = table_counts(engine)
    assert {k: after[k] for k in ("appeal", "board", "board_update", "delivery")} == {
        k: before[k] for k in ("appeal", "board", "board_update", "delivery")
    }


def test_interpretation_and_hotline_undo(engine: Engine) -> None:
    saved = [
        save(engine, records.add_interpretation, UNIT, {"title": "解读《青阳街道2019年工作要点》", "published_date": "2019-03-01"}, TODAY),
        save(engine, records.add_hotline, UNIT, {"duty_date": "2019-05-06", "official": "林主任"}, TODAY),
    ]  # fmt: skip
    with db.read_session(engine) as s:
        assert {s.get(UploadBatch, b.batch_id).kind for b in saved} == {"interpretations", "hotline"}
    for b in saved:
        undo(engine, clerk(engine), b.batch_id)
    with pytest.raises(UndoRefused, match="已撤销"):
        undo(engine, clerk(engine), saved[0].batch_id)
    counts = table_counts(engine)
    assert counts["policy_interpretation"] == counts["hotline_duty"] == 0


def test_listed_requests_carry_their_due_date_and_status(engine: Engine) -> None:
    save(engine, records.register_request, UNIT, REQUEST, TODAY)
    with db.read_session(engine) as s:
        rows = records.list_requests(s, UNIT, dt.date(2019, 10, 28))
        assert [(r.request_no, r.due, r.status) for r in rows] == [
            ("YSQ-2019-007", dt.date(2019, 10, 30), "即将到期（剩 3 个工作日）")
        ]
        assert [u[0] for u in records.units_in_scope(s, clerk(engine))] == ["qingyang", "qingyang-xiyuan"]
