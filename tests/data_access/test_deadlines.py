"""Request deadlines: the 2008/2019 rules, 补正 restart, third-party pause, extension, 2027 fallback, status,
and stored requests whose due dates follow a change of the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.read.queries import requests as request_queries
from data_access.rules.deadlines import (
    DeadlineError,
    Pause,
    compute_deadline,
    deadline_for_request,
    request_status,
)
from data_access.rules.workdays import Calendar, DayOverride, parse_schedule
from data_access.store import db
from data_access.store.holidays import import_year_schedule, set_overrides
from data_access.store.models import DisclosureRequest, RequestPause
from data_access.write.records.reads import list_requests
from tests.helpers.builders import make_unit_and_batch

D = dt.date.fromisoformat
WARN_2027 = "2027 年的法定节假日安排尚未录入，已按周末及固定日期节日推算"
CAL = Calendar()


def _p(kind: str, start: str, end: str | None) -> Pause:
    return Pause(kind, D(start), D(end) if end else None)


# id, received, pauses, extension (approved days or None), rule, first day, due, extended due, warned
CASES = [
    ("2019-national-day", "2019-09-27", [], None, "2019", "2019-09-29", "2019-10-30", "2019-11-27", False),
    ("2018-national-day", "2018-09-28", [], None, "2008", "2018-09-29", "2018-10-24", "2018-11-14", False),
    (
        "last-day-of-2008-rules",
        "2019-05-14",
        [],
        None,
        "2008",
        "2019-05-15",
        "2019-06-04",
        "2019-06-26",
        False,
    ),
    (
        "first-day-of-2019-rules",
        "2019-05-15",
        [],
        None,
        "2019",
        "2019-05-16",
        "2019-06-13",
        "2019-07-11",
        False,
    ),
    ("received-on-sunday", "2019-10-13", [], None, "2019", "2019-10-14", "2019-11-08", "2019-12-06", False),
    (
        "correction-restart",
        "2019-06-03",
        [_p("correction", "2019-06-05", "2019-06-20")],
        None,
        "2019",
        "2019-06-21",
        "2019-07-18",
        "2019-08-15",
        False,
    ),
    (
        "second-correction-counts",
        "2019-06-03",
        [_p("correction", "2019-06-05", "2019-06-06"), _p("correction", "2019-06-10", "2019-06-20")],
        None,
        "2019",
        "2019-06-21",
        "2019-07-18",
        "2019-08-15",
        False,
    ),
    (
        "third-party-pause",
        "2019-11-01",
        [_p("third_party", "2019-11-11", "2019-11-15")],
        None,
        "2019",
        "2019-11-04",
        "2019-12-06",
        "2020-01-06",  # 2020-01-01 元旦 skipped too
        False,
    ),
    ("extension-10", "2019-11-01", [], 10, "2019", "2019-11-04", "2019-11-29", "2019-12-13", False),
    ("extension-2008", "2018-07-16", [], 15, "2008", "2018-07-17", "2018-08-06", "2018-08-27", False),
    ("into-2027", "2026-12-20", [], None, "2019", "2026-12-21", "2027-01-18", "2027-02-15", True),
    ("2027-national-day", "2027-09-28", [], None, "2019", "2027-09-29", "2027-10-27", "2027-11-24", True),
]


@pytest.mark.parametrize(
    ("received", "pauses", "extension", "rule", "first", "due", "extended", "warned"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_deadline_table(
    received: str,
    pauses: list[Pause],
    extension: int | None,
    rule: str,
    first: str,
    due: str,
    extended: str,
    warned: bool,
) -> None:
    result = compute_deadline(
        D(received),
        channel="网络",
        pauses=pauses,
        extension_approved=extension is not None,
        extension_days=extension or 0,
        calendar=CAL,
    )
    assert (result.rule, result.first_day, result.due, result.extended_due) == (
        rule,
        D(first),
        D(due),
        D(extended),
    )
    assert result.effective_due == (D(extended) if extension is not None else D(due))
    assert (WARN_2027 in result.warnings) is warned
    # invariant: the due date is a counted working day, exactly limit_days after the clock start
    assert CAL.is_workday(result.due)
    paused = sum(1 for s in result.skipped if s.reason.startswith("征求第三方意见"))
    assert CAL.count_workdays(result.clock_start, result.due) - paused == result.limit_days


def test_the_2019_national_day_example_explains_itself() -> None:
    result = compute_deadline(D("2019-09-27"), channel="网络", calendar=CAL)
    skipped = {s.day.isoformat(): s.reason for s in result.skipped}
    assert {d: skipped[d] for d in ("2019-09-28", "2019-10-01", "2019-10-07", "2019-10-13")} == {
        "2019-09-28": "周六",
        "2019-10-01": "国庆节",
        "2019-10-07": "国庆节",
        "2019-10-13": "周日",
    }
    assert "2019-09-29" not in skipped and "2019-10-12" not in skipped
    assert result.makeup_workdays == (D("2019-09-29"), D("2019-10-12"))
    text = "\n".join(result.explanation())
    for fragment in (
        "2019 年修订",
        "20 个工作日内答复",
        "网络：以系统收到申请之日为收到申请之日",
        "第 1 个工作日为 2019-09-29",
        "答复期限：2019-10-30",
        "跳过 2019-10-01（周二）：国庆节",
        "计入 2019-10-12（周六）：调休上班",
    ):
        assert fragment in text
    data = result.to_dict()
    assert (data["rule"], data["due"], data["extended_due"], data["effective_due"]) == (
        "2019",
        "2019-10-30",
        "2019-11-27",
        "2019-10-30",
    )
    assert {"date": "2019-10-05", "reason": "国庆节"} in data["skipped"]
    assert data["warnings"] == []


@pytest.mark.parametrize(
    ("channel", "phrase"),
    [
        ("当面", "当面提交之日"),
        ("信函", "本机关签收之日"),
        ("网络", "系统收到申请之日"),
        ("传真", "双方确认之日"),
    ],
)
def test_channel_is_part_of_the_explanation(channel: str, phrase: str) -> None:
    result = compute_deadline(D("2019-09-27"), channel=channel, calendar=CAL)
    assert result.due == D("2019-10-30")  # the caller passes the receipt day; the channel only explains it
    assert f"收到申请：2019-09-27（{channel}：以{phrase}为收到申请之日）" in result.explanation()


def test_correction_and_third_party_notes() -> None:
    result = compute_deadline(
        D("2019-06-03"),
        pauses=[_p("correction", "2019-06-05", "2019-06-20"), _p("third_party", "2019-07-01", "2019-07-03")],
        calendar=CAL,
    )
    assert result.restarted_by_correction and result.clock_start == D("2019-06-20")
    assert result.due == D("2019-07-23")  # 07-18 plus the three consultation days
    text = "\n".join(result.explanation())
    assert "2019-06-20 收到补正后的申请，期限自该日重新计算" in text
    assert "征求第三方意见：2019-07-01 至 2019-07-03，其间 3 个工作日不计入期限" in text
    assert "跳过 2019-07-02（周二）：征求第三方意见（不计入期限）" in text


@pytest.mark.parametrize(
    ("pauses", "waiting", "status"),
    [
        ([_p("correction", "2019-06-05", None)], "correction", "等待补正"),
        ([_p("third_party", "2019-06-10", None)], "third_party", "征求第三方意见中"),
    ],
)
def test_open_pause_stops_the_clock(pauses: list[Pause], waiting: str, status: str) -> None:
    result = compute_deadline(D("2019-06-03"), pauses=pauses, calendar=CAL)
    assert (result.due, result.extended_due, result.waiting) == (None, None, waiting)
    assert "期限暂停计算" in "\n".join(result.explanation())
    assert request_status(result, D("2019-09-01"), calendar=CAL).label == status
    assert request_status(result, D("2019-09-01"), D("2019-08-30"), CAL).code == "answered_on_time"


def test_extension_above_the_limit_is_capped_with_a_warning() -> None:
    result = compute_deadline(D("2018-07-16"), extension_approved=True, extension_days=20, calendar=CAL)
    assert (result.rule, result.extension_days, result.extended_due) == ("2008", 15, D("2018-08-27"))
    assert any("超过法定上限" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(channel="电话"), "未知的申请渠道"),
        (dict(pauses=[_p("correction", "2019-06-01", "2019-06-05")]), "早于收到申请日期"),
        (dict(pauses=[_p("third_party", "2019-06-10", "2019-06-05")]), "早于开始日期"),
        (dict(pauses=[Pause("holiday", D("2019-06-10"))]), "未知的暂停类型"),
    ],
)
def test_bad_input_raises_a_chinese_error(kwargs: dict, message: str) -> None:
    with pytest.raises(DeadlineError, match=message):
        compute_deadline(D("2019-06-03"), calendar=CAL, **kwargs)


# received 2019-09-27: due 2019-10-30, extended 2019-11-27
STATUS_CASES = [
    # the day received is not counted (as the due date counts): 20 left, the due date's 第 20 个工作日
    ("2019-09-27", None, False, "in_progress", "办理中（剩 20 个工作日）"),
    ("2019-09-26", None, False, "in_progress", "办理中（剩 20 个工作日）"),  # a date typed before it
    ("2019-09-28", None, False, "in_progress", "办理中（剩 20 个工作日）"),  # a Saturday
    ("2019-09-29", None, False, "in_progress", "办理中（剩 20 个工作日）"),  # 调休 Sunday: day 1, counted
    ("2019-09-30", None, False, "in_progress", "办理中（剩 19 个工作日）"),  # day 2
    ("2019-10-08", None, False, "in_progress", "办理中（剩 18 个工作日）"),  # 10-12 counts
    ("2019-10-08", None, False, "in_progress", "办理中（剩 18 个工作日）"),  # 10-12 counts
    ("2019-10-25", None, False, "in_progress", "办理中（剩 4 个工作日）"),
    ("2019-10-26", None, False, "due_soon", "即将到期（剩 3 个工作日）"),  # a Saturday
    ("2019-10-28", None, False, "due_soon", "即将到期（剩 3 个工作日）"),
    ("2019-10-30", None, False, "due_soon", "即将到期（剩 1 个工作日）"),
    ("2019-10-31", None, False, "overdue", "已逾期（逾期 1 个工作日）"),
    ("2019-11-03", None, False, "overdue", "已逾期（逾期 2 个工作日）"),  # a Sunday
    ("2019-10-31", None, True, "in_progress", "办理中（剩 20 个工作日）"),
    ("2019-12-01", "2019-10-30", False, "answered_on_time", "按期答复"),
    ("2019-12-01", "2019-11-01", False, "answered_late", "逾期答复（逾期 2 个工作日）"),
    ("2019-12-01", "2019-11-20", True, "answered_on_time", "按期答复"),
]


@pytest.mark.parametrize(("today", "reply", "extended", "code", "label"), STATUS_CASES)
def test_status_table(today: str, reply: str | None, extended: bool, code: str, label: str) -> None:
    deadline = compute_deadline(D("2019-09-27"), extension_approved=extended, calendar=CAL)
    status = request_status(deadline, D(today), D(reply) if reply else None, CAL)
    assert (status.code, status.label) == (code, label)


def test_status_into_2027_warns_and_does_not_raise() -> None:
    deadline = compute_deadline(D("2026-12-20"), calendar=CAL)
    status = request_status(deadline, D("2027-01-14"), calendar=CAL)
    assert (status.code, status.working_days_left, status.due) == ("due_soon", 3, D("2027-01-18"))
    assert WARN_2027 in status.warnings


def test_deadline_for_a_request_row() -> None:
    req = DisclosureRequest(
        received_date=D("2019-06-03"),
        channel="信函",
        extension_approved=True,
        extension_days=5,
        pauses=[RequestPause(kind="correction", start_date=D("2019-06-05"), end_date=D("2019-06-20"))],
    )
    result = deadline_for_request(req, CAL)
    assert (result.due, result.extended_due, result.effective_due) == (
        D("2019-07-18"),
        D("2019-07-25"),
        D("2019-07-25"),
    )
    assert result.channel == "信函"


def test_calendar_overrides_move_the_due_date() -> None:
    cal = Calendar({D("2019-10-29"): False, D("2019-10-12"): False})
    assert compute_deadline(D("2019-09-27"), calendar=cal).due == D("2019-11-01")


def test_json_and_text_keep_the_unapproved_extension_apart() -> None:
    # Received 2019-09-02: due 2019-09-30; the 调休 Saturday 2019-10-12 lies in the possible extension.
    plain = compute_deadline(D("2019-09-02"), calendar=CAL)
    assert (plain.due, plain.extended_due) == (D("2019-09-30"), D("2019-11-01"))
    data = plain.to_dict()
    assert data["makeup_workdays"] == ["2019-09-29"]
    assert max(s["date"] for s in data["skipped"]) <= "2019-09-30"
    text = plain.explanation()
    assert "计入 2019-09-29（周日）：调休上班" in text
    assert "延长期内计入 2019-10-12（周六）：调休上班" in text
    extended = compute_deadline(D("2019-09-02"), extension_approved=True, calendar=CAL).to_dict()
    assert extended["makeup_workdays"] == ["2019-09-29", "2019-10-12"]
    assert {"date": "2019-10-07", "reason": "国庆节"} in extended["skipped"]


# ------------------------------------------------- a calendar change moves every stored request
def test_a_calendar_change_moves_every_requests_due_date(empty_db) -> None:
    """Due dates and on-time judgements follow the calendar at once, wherever they are read."""
    with db.write_session(empty_db) as s:
        unit, batch = make_unit_and_batch(s, "requests", "2019")
        for no, received, reply in (
            ("OPEN-A", D("2019-09-27"), None),  # open: due 2019-10-30 on the package calendar
            ("LATE-B", D("2019-09-27"), D("2019-10-31")),  # answered one working day late
            ("EDGE-C", D("2026-12-20"), None),  # open into 2027, a year nobody has entered
        ):
            s.add(DisclosureRequest(unit_id=unit.id, request_no=no, received_date=received,
                                    received_year=received.year, channel="网络", applicant_type="自然人",
                                    summary=f"申请 {no}", reply_date=reply, outcome="予以公开" if reply else None,
                                    batch_id=batch.id))  # fmt: skip
        unit_id = unit.id

    today = D("2019-10-25")

    def read() -> tuple[dict, dict, int, tuple[str, ...]]:
        with db.read_session(empty_db) as s:
            listed = {r.request_no: (r.due, r.status) for r in list_requests(s, "t", today)}
            stats = request_queries.stats(s, (unit_id,), (unit_id,), 2019, today)
            opened = {ln.request_no: (ln.due, ln.status_label) for ln in stats.open}
            edge = request_queries.explain(s, (unit_id,), (unit_id,), unit_id, "EDGE-C", today)
        return listed, opened, stats.answered_on_time, edge.explanation

    listed, opened, on_time, edge = read()
    assert listed["OPEN-A"][0] == D("2019-10-30") and listed["EDGE-C"][0] == D("2027-01-18")
    assert listed["LATE-B"] == (D("2019-10-30"), "逾期答复（逾期 1 个工作日）")
    assert opened == {"OPEN-A": (D("2019-10-30"), "办理中（剩 4 个工作日）")}
    assert on_time == 0
    assert f"注意：{WARN_2027}" in edge

    with db.write_session(empty_db) as s:  # a typhoon closes the office on 2019-10-29
        set_overrides(s, [DayOverride(D("2019-10-29"), False, "台风停工")])
    listed, opened, on_time, edge = read()
    assert listed["OPEN-A"][0] == D("2019-10-31")
    assert listed["LATE-B"] == (D("2019-10-31"), "按期答复")
    assert opened == {"OPEN-A": (D("2019-10-31"), "办理中（剩 4 个工作日）")}
    assert on_time == 1

    with db.write_session(empty_db) as s:  # the office enters 2027's schedule: 元旦 runs to 01-04
        import_year_schedule(s, 2027, parse_schedule("2027-01-01 休 元旦\n2027-01-04 休 元旦"))
    listed, _opened, _on_time, edge = read()
    assert listed["EDGE-C"][0] == D("2027-01-19")
    assert not any(WARN_2027 in line for line in edge)
    assert "跳过 2027-01-04（周一）：元旦" in edge
