"""`python -m data_access remind` against a local SMTP server (aiosmtpd) and a local HTTP receiver,
on every backend: on a fixture office with known due and overdue items on 2019-10-09 the right
items reach the right people, one message each; a second run the same day sends nothing; a
refused address and a webhook answering 500 are recorded and retried on the next run, and only
they are sent again; --dry-run sends and records nothing.

The office: 甲街道 (jia) with 乙社区 (yi) under it. 甲 has a staff member and a leader, 乙 only a
staff member (its overdue items go up to 甲's leader); an admin is never reminded.
- jia YSQ-1 received 2019-08-01: overdue; YSQ-2 received 2019-09-05: due 2019-10-10 (2 working
  days left); YSQ-3 received 2019-09-25: in progress (not reminded); YSQ-4 answered;
- yi YSQ-5: 补正 asked on 2019-09-23, no corrected application yet: waiting;
- jia delivered January–August 2019 to both: September's delivery is due by 2019-10-10;
- yi's board was renewed in January and updated in April, not in the third quarter: overdue.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, func, select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import (
    AuditLog,
    Board,
    BoardUpdate,
    Delivery,
    DisclosureRequest,
    OrgUnit,
    Project,
    ProjectProgress,
    ReminderSent,
    RequestPause,
    UploadBatch,
)
from data_access.store.reference import ensure_reference_data
from data_access.write import auth
from tests.helpers.catalogues import CITY, TEN, TEN_NAME, add_offices, upload
from tests.helpers.cli import run_cli


def _free_port() -> int:
    """A port nothing listens on now (the test workers run side by side: no fixed port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SMTP_PORT, HTTP_PORT, CLOSED_PORT = _free_port(), _free_port(), _free_port()
TODAY = "2019-10-09"


class Mailbox:
    """The local SMTP server's handler: keeps every message; refuses the addresses in `refuse`."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))  # type: ignore[arg-type]
        return "250 OK"

    def by_recipient(self) -> dict[str, str]:
        return {m["To"].addresses[0].addr_spec: m.get_content() for m in self.messages}


class Receiver:
    """The local webhook receiver: keeps every JSON body; answers `status`."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                if receiver.status == 200:
                    receiver.bodies.append(body)
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", HTTP_PORT), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Mailbox, Receiver]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    receiver = Receiver()
    receiver.thread.start()
    try:
        yield mailbox, receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
        controller.stop()


@pytest.fixture
def inboxes(servers: tuple[Mailbox, Receiver]) -> tuple[Mailbox, Receiver]:
    mailbox, receiver = servers
    mailbox.messages.clear()
    mailbox.refuse.clear()
    receiver.bodies.clear()
    receiver.status = 200
    return mailbox, receiver


D = dt.date
EMAILS = {"s_jia": "s_jia@example.gov.cn", "l_jia": "l_jia@example.gov.cn", "s_yi": "s_yi@example.gov.cn"}


def _office(engine: Engine) -> None:
    with db.write_session(engine) as s:
        ensure_reference_data(s)
        jia = OrgUnit(code="jia", name="甲街道", level="subdistrict", sort_order=0)
        s.add(jia)
        s.flush()
        yi = OrgUnit(code="yi", name="乙社区", level="community", parent_id=jia.id, sort_order=1)
        s.add(yi)
        s.flush()
        batches = {}
        for unit, kind in ((jia, "requests"), (yi, "requests"), (jia, "deliveries"), (yi, "boards")):
            b = UploadBatch(
                kind=kind, unit_id=unit.id, period_key="2019", file_name="f.xlsx", file_hash="a" * 64
            )
            s.add(b)
            s.flush()
            batches[(unit.code, kind)] = b.id

        def request(
            unit: OrgUnit, no: str, received: dt.date, reply: dt.date | None = None
        ) -> DisclosureRequest:
            r = DisclosureRequest(
                unit_id=unit.id, request_no=no, received_date=received, received_year=received.year,
                channel="网络", applicant_type="自然人", summary="申请公开某事项", reply_date=reply,
                outcome="予以公开" if reply else None, batch_id=batches[(unit.code, "requests")],
            )  # fmt: skip
            s.add(r)
            return r

        request(jia, "YSQ-1", D(2019, 8, 1))
        request(jia, "YSQ-2", D(2019, 9, 5))
        request(jia, "YSQ-3", D(2019, 9, 25))
        request(jia, "YSQ-4", D(2019, 8, 1), reply=D(2019, 8, 20))
        waiting = request(yi, "YSQ-5", D(2019, 9, 20))
        s.flush()
        s.add(
            RequestPause(request_id=waiting.id, kind="correction", start_date=D(2019, 9, 23), end_date=None)
        )
        for month in range(1, 9):
            for recipient in ("archive", "library"):
                s.add(
                    Delivery(
                        unit_id=jia.id,
                        period_ym=201900 + month,
                        recipient=recipient,
                        delivered_date=D(2019, month + 1, 1),
                        item_count=0,
                        batch_id=batches[("jia", "deliveries")],
                    )  # fmt: skip
                )
        board = Board(unit_id=yi.id, name="乙社区居务公开栏", kind="community")
        s.add(board)
        s.flush()
        for day, kind in ((D(2019, 1, 10), "年度换新"), (D(2019, 4, 15), "季度更新")):
            s.add(
                BoardUpdate(board_id=board.id, update_date=day, kind=kind, batch_id=batches[("yi", "boards")])
            )
        for name, role, unit in (
            ("s_jia", "staff", "jia"),
            ("l_jia", "leader", "jia"),
            ("s_yi", "staff", "yi"),
            ("adm", "admin", "jia"),
        ):
            auth.create_user(s, name, role=role, unit_code=unit, display_name=f"{name}名", actor=OPERATOR)
            auth.set_email(s, name, EMAILS.get(name, f"{name}@example.gov.cn"), actor=OPERATOR)


def _env(**extra: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(SMTP_PORT),
        "SMTP_TLS": "none",
        "SMTP_FROM": "gongkai@example.gov.cn",
        "REMIND_WEBHOOK_URLS": f"http://127.0.0.1:{HTTP_PORT}/hook",
        "REMIND_WEBHOOK_SHAPE": "markdown",
        "PUBLIC_BASE_URL": "https://gk.example.gov.cn",
        **extra,
    }


def _remind(engine: Engine, *args: str, **env: str):  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    return run_cli("--database-url", url, "remind", "--date", TODAY, "--json", *args, env=_env(**env))


# What each person is told on 2019-10-09 (item keys need the units' ids: matched by their tails).
EXPECTED = {
    "s_jia": ["YSQ-1", "YSQ-2", "201909:archive", "201909:library"],
    "l_jia": ["YSQ-1", "季度更新"],  # overdue only: 甲's request, and 乙's board (乙 has no leader)
    "s_yi": ["YSQ-5", "季度更新"],
}


def _tails(keys: list[str]) -> list[str]:
    out = []
    for key in keys:
        kind, _unit, rest = key.split(":", 2)
        out.append("季度更新" if kind == "board" and "季度更新" in rest else rest)
    return out


def _sent_rows(engine: Engine) -> dict[tuple[str, str], str]:
    with db.read_session(engine) as s:
        rows = s.execute(
            select(ReminderSent.recipient, ReminderSent.channel, ReminderSent.item_key, ReminderSent.status)
        )
        found: dict[tuple[str, str], str] = {}
        for who, channel, key, status in rows:
            found[(who, f"{'email' if channel == 'email' else 'webhook'}:{_tails([key])[0]}")] = status
        return found


def test_the_right_items_reach_the_right_people_once(empty_db: Engine, inboxes, fast_hashing) -> None:  # type: ignore[no-untyped-def]
    mailbox, receiver = inboxes
    _office(empty_db)
    ran = _remind(empty_db)
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    by_who = {(m["recipient"], m["channel"]): _tails(m["items"]) for m in report["messages"]}
    assert by_who == {(who, ch): items for who, items in EXPECTED.items() for ch in ("email", "webhook")}
    assert {m["status"] for m in report["messages"]} == {"sent"}
    assert report["unreachable"] == []

    mails = mailbox.by_recipient()
    assert sorted(mails) == sorted(EMAILS.values())  # one e-mail each, none to the admin
    staff = mails["s_jia@example.gov.cn"]
    assert "s_jia名，您好：2019-10-09 有以下 4 项政务公开工作需要处理。" in staff
    assert "甲街道 YSQ-2（2019-09-05 收到）：即将到期（剩 2 个工作日）（期限 2019-10-10）" in staff
    assert "YSQ-1（2019-08-01 收到）：已逾期" in staff
    assert "2019 年 9 月主动公开信息送交档案馆：待送交（期限 2019-10-10）" in staff
    assert "【依申请公开：已逾期】 https://gk.example.gov.cn/requests" in staff
    assert "YSQ-3" not in staff and "YSQ-4" not in staff
    leader = mails["l_jia@example.gov.cn"]
    assert "乙社区居务公开栏：2019 年第 3 季度季度更新已逾期（期限 2019-09-30）" in leader
    assert "YSQ-2" not in leader and "送交" not in leader
    assert "期限暂停计算" in mails["s_yi@example.gov.cn"]
    subjects = {m["To"].addresses[0].addr_spec: m["Subject"] for m in mailbox.messages}
    assert subjects["l_jia@example.gov.cn"] == "【政务公开提醒】2019-10-09：2 项待办（2 项已逾期）"

    assert len(receiver.bodies) == 3  # one webhook message per recipient
    assert {b["msgtype"] for b in receiver.bodies} == {"markdown"}
    contents = [b["markdown"]["content"] for b in receiver.bodies]
    assert sum("s_yi名，您好" in c for c in contents) == 1
    assert any("[打开页面](https://gk.example.gov.cn/duties)" in c for c in contents)

    rows = _sent_rows(empty_db)
    assert len(rows) == 2 * sum(len(v) for v in EXPECTED.values()) and set(rows.values()) == {"sent"}
    with db.read_session(empty_db) as s:
        assert s.scalar(select(func.count()).where(AuditLog.action == "reminder")) == 6

    again = _remind(empty_db)  # the same day: nothing twice
    assert again.returncode == 0 and json.loads(again.stdout)["messages"] == []
    assert len(mailbox.messages) == 3 and len(receiver.bodies) == 3
    assert len(_sent_rows(empty_db)) == len(rows)


def test_failures_are_retried_on_the_next_run_and_only_they(empty_db: Engine, inboxes, fast_hashing) -> None:  # type: ignore[no-untyped-def]
    mailbox, receiver = inboxes
    _office(empty_db)
    mailbox.refuse.add("s_yi@example.gov.cn")
    receiver.status = 500
    first = _remind(empty_db)
    assert first.returncode == 1 and "4 条提醒发送失败，下次运行时将重试" in first.stderr
    report = json.loads(first.stdout)
    status = {(m["recipient"], m["channel"]): (m["status"], m["error"]) for m in report["messages"]}
    assert status[("s_yi", "email")][0] == "failed" and "550" in status[("s_yi", "email")][1]
    assert {status[(w, "webhook")] for w in EXPECTED} == {("failed", "webhook 返回 HTTP 500")}
    assert status[("s_jia", "email")] == ("sent", None) and status[("l_jia", "email")] == ("sent", None)
    assert sorted(mailbox.by_recipient()) == ["l_jia@example.gov.cn", "s_jia@example.gov.cn"]
    rows = _sent_rows(empty_db)
    assert {k for k, v in rows.items() if v == "failed"} == {
        *((w, f"webhook:{t}") for w, items in EXPECTED.items() for t in items),
        *(("s_yi", f"email:{t}") for t in EXPECTED["s_yi"]),
    }
    with db.read_session(empty_db) as s:
        errors = set(s.scalars(select(ReminderSent.last_error).where(ReminderSent.status == "failed")))
        assert "webhook 返回 HTTP 500" in errors

    mailbox.refuse.clear()
    receiver.status = 200
    mailbox.messages.clear()
    second = _remind(empty_db)
    assert second.returncode == 0, second.stderr
    resent = {(m["recipient"], m["channel"]) for m in json.loads(second.stdout)["messages"]}
    assert resent == {("s_yi", "email"), *((w, "webhook") for w in EXPECTED)}  # only what failed
    assert list(mailbox.by_recipient()) == ["s_yi@example.gov.cn"]
    assert len(receiver.bodies) == 3
    assert set(_sent_rows(empty_db).values()) == {"sent"}
    with db.read_session(empty_db) as s:
        assert s.scalar(select(func.max(ReminderSent.attempts))) == 2
        retried = sum(len(items) for items in EXPECTED.values()) + len(
            EXPECTED["s_yi"]
        )  # webhooks + 乙's e-mail
        assert s.scalar(select(func.count()).where(ReminderSent.attempts == 2)) == retried
    third = _remind(empty_db)
    assert json.loads(third.stdout)["messages"] == [] and len(mailbox.messages) == 1


def test_dry_run_sends_and_records_nothing(empty_sqlite: Engine, inboxes, fast_hashing) -> None:  # type: ignore[no-untyped-def]
    mailbox, receiver = inboxes
    _office(empty_sqlite)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    ran = run_cli("--database-url", url, "remind", "--date", TODAY, "--dry-run", env=_env())
    assert ran.returncode == 0, ran.stderr
    assert (
        "试运行" in ran.stdout and "s_jia名（s_jia）→ 邮件 s_jia@example.gov.cn：4 项，将发送" in ran.stdout
    )
    assert "YSQ-2（2019-09-05 收到）：即将到期" in ran.stdout
    assert mailbox.messages == [] and receiver.bodies == []
    with db.read_session(empty_sqlite) as s:
        assert s.scalar(select(func.count()).select_from(ReminderSent)) == 0
        assert s.scalar(select(func.count()).where(AuditLog.action == "reminder")) == 0


def test_plain_json_webhook_and_no_channel(empty_sqlite: Engine, inboxes, fast_hashing) -> None:  # type: ignore[no-untyped-def]
    _mailbox, receiver = inboxes
    _office(empty_sqlite)
    ran = _remind(empty_sqlite, REMIND_WEBHOOK_SHAPE="json", SMTP_HOST="")
    assert ran.returncode == 0, ran.stderr
    body = next(b for b in receiver.bodies if b["recipient"]["username"] == "s_jia")
    assert body["date"] == TODAY and body["subject"].startswith("【政务公开提醒】2019-10-09：4 项待办")
    due = next(i for i in body["items"] if i["kind"] == "request_due")
    assert (due["due"], due["overdue"], due["link"]) == (
        "2019-10-10",
        False,
        "https://gk.example.gov.cn/requests",
    )
    nobody = run_cli("--database-url", empty_sqlite.url.render_as_string(hide_password=False), "remind",
                     "--date", "2019-10-10", env=_env(SMTP_HOST="", REMIND_WEBHOOK_URLS=""))  # fmt: skip
    assert nobody.returncode == 0 and "没有可用的提醒方式" in nobody.stdout


def test_bad_settings_are_refused_in_chinese(empty_sqlite: Engine) -> None:
    url = empty_sqlite.url.render_as_string(hide_password=False)
    ran = run_cli("--database-url", url, "remind", "--date", TODAY, env=_env(SMTP_TLS="tls1.3"))
    assert ran.returncode == 1 and "SMTP_TLS 应为 starttls、ssl 或 none" in ran.stderr
    ran = run_cli("--database-url", url, "remind", "--date", "2019-13-01", env=_env())
    assert ran.returncode == 2 and "日期应为 YYYY-MM-DD" in ran.stderr


def test_catalogue_items_and_lagging_projects(empty_db: Engine, fast_hashing) -> None:  # type: ignore[no-untyped-def]
    """甲街道 (tests.helpers.catalogues) owes 财政预决算 and 社会救助 each quarter (every 2019
    publication is from March: the second quarter, due 2019-06-30, has none) and reports two key
    projects for May, one far behind. 2019-06-27 is within the last 3 working days of June and 2
    working days before the quarter is due; on 2019-07-02 the quarter is past due."""
    add_offices(empty_db)
    assert upload(empty_db, TEN, 2019, 3, {"重点领域信息公开": 2}).status == "committed"
    with db.write_session(empty_db) as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == TEN))
        assert unit is not None
        batch = UploadBatch(
            kind="projects", unit_id=unit.id, period_key="2019-05", file_name="p.xlsx", file_hash="b" * 64
        )
        s.add(batch)
        s.flush()
        for seq, (name, ytd) in enumerate((("滞后项目", 10), ("正常项目", 60)), start=1):
            project = Project(unit_id=unit.id, year=2019, seq=seq, name=name, annual_plan=Decimal(100))
            s.add(project)
            s.flush()
            s.add(
                ProjectProgress(
                    project_id=project.id,
                    unit_id=unit.id,
                    year=2019,
                    month=5,
                    ym=201905,
                    month_invested=Decimal(ytd),
                    ytd_invested=Decimal(ytd),
                    annual_plan=Decimal(100),
                    batch_id=batch.id,
                )  # fmt: skip
            )
        auth.create_user(s, "ten_staff", role="staff", unit_code=TEN, display_name="甲员", actor=OPERATOR)
        auth.create_user(s, "city_lead", role="leader", unit_code=CITY, display_name="市领导", actor=OPERATOR)
    url = empty_db.url.render_as_string(hide_password=False)
    env = _env(SMTP_HOST="", REMIND_WEBHOOK_URLS=f"http://127.0.0.1:{CLOSED_PORT}/never")

    def plan(day: str) -> dict:
        ran = run_cli("--database-url", url, "remind", "--date", day, "--dry-run", "--json", env=env)
        assert ran.returncode == 0, ran.stderr
        return json.loads(ran.stdout)

    june = plan("2019-06-27")
    texts = {i["kind"]: [] for i in june["items"]}
    for i in june["items"]:
        texts[i["kind"]].append((i["text"], i["due"], i["overdue"]))
    assert sorted(texts) == ["coverage", "project"]
    assert sorted(texts["coverage"]) == [
        (f"{TEN_NAME}「{name}」2019年第2季度尚未公开（剩 2 个工作日）", "2019-06-30", False)
        for name in ("社会救助", "财政预决算")
    ]
    assert [(t, o) for t, _d, o in texts["project"]] == [
        (f"{TEN_NAME} 重点项目「滞后项目」1-5月累计完成年度计划的 10.0%，滞后于进度", True)
    ]
    # Due soon goes to the staff; the lagging project (behind schedule) to the leader as well.
    assert {m["recipient"]: len(m["items"]) for m in june["messages"]} == {"ten_staff": 3, "city_lead": 1}

    july = plan("2019-07-02")
    assert [(i["kind"], i["overdue"]) for i in july["items"]] == [("coverage", True), ("coverage", True)]
    assert any(
        f"{TEN_NAME}「财政预决算」2019年第2季度未公开（应于2019-06-30前公开）" in i["text"]
        for i in july["items"]
    )
    assert {m["recipient"] for m in july["messages"]} == {"ten_staff", "city_lead"}
    assert plan("2019-06-20")["items"] == []  # neither inside the window nor month end
