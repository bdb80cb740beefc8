"""Send the day's reminders (`python -m data_access remind`) by e-mail (SMTP) and webhook, once.

For each recipient and channel, one message per run groups the items not yet sent to them that
day. Each item is first *claimed* (a reminder_sent row in status 'sending', committed), then the
message is sent, then every claimed row becomes 'sent' or 'failed' with the error, and the run is
audited. A second run the same day finds the items sent and sends nothing; a failed item is
claimed again by the next run (so only the failed ones are re-sent), as is one left 'sending' for
longer than STALE_MINUTES by a run that died. Two runs at once cannot both claim an item: the
row's key is unique.

Channels: 'email' (SMTP_HOST set and the user has an address) and one per webhook URL
(REMIND_WEBHOOK_URLS), named 'webhook:' and a digest of the URL so that a failure is retried for
that URL alone. `--dry-run` computes the same messages and records nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.read import reminders as read
from data_access.rules import reminders as rules
from data_access.rules.permissions import OPERATOR
from data_access.rules.reminders import Item, Person
from data_access.store import audit, db
from data_access.store.holidays import load_calendar
from data_access.store.models import ReminderSent

STALE_MINUTES = 15
TIMEOUT_SECONDS = 30
SMTP_TLS_MODES = ("starttls", "ssl", "none")
WEBHOOK_SHAPES = ("markdown", "json")


class ReminderError(Exception):
    """A setting that makes sending impossible (message in Chinese)."""


@dataclass(frozen=True)
class Channel:
    """Where a message goes: 'email' or 'webhook:<digest>', and the URL for a webhook."""

    code: str
    url: str | None = None


@dataclass
class Message:
    """One message to one recipient over one channel: its items, and how sending went."""

    person: Person
    channel: Channel
    items: list[Item]
    status: str = "pending"  # pending (dry run) | sent | failed | claimed_elsewhere
    error: str | None = None


@dataclass
class RunReport:
    """What a run found and did."""

    day: dt.date
    items: list[Item]
    messages: list[Message] = field(default_factory=list)
    unreachable: list[Person] = field(default_factory=list)  # recipients with no channel

    @property
    def failed(self) -> list[Message]:
        """The messages that could not be delivered (retried by the next run)."""
        return [m for m in self.messages if m.status == "failed"]


def webhook_urls() -> list[str]:
    """The configured webhook URLs (REMIND_WEBHOOK_URLS, comma separated)."""
    return [u.strip() for u in settings.get("REMIND_WEBHOOK_URLS").split(",") if u.strip()]


def check_settings() -> None:
    """Refuse settings that cannot work, naming the setting."""
    mode = settings.get("SMTP_TLS").lower()
    if mode not in SMTP_TLS_MODES:
        raise ReminderError(f"设置 SMTP_TLS 应为 starttls、ssl 或 none，实际为 {mode!r}")
    shape = settings.get("REMIND_WEBHOOK_SHAPE").lower()
    if shape not in WEBHOOK_SHAPES:
        raise ReminderError(f"设置 REMIND_WEBHOOK_SHAPE 应为 markdown 或 json，实际为 {shape!r}")
    if settings.get("SMTP_HOST"):
        settings.get_int("SMTP_PORT")
    for url in webhook_urls():
        if not url.startswith(("http://", "https://")):
            raise ReminderError(f"设置 REMIND_WEBHOOK_URLS 中的地址应以 http:// 或 https:// 开头：{url}")


def channels_for(person: Person) -> list[Channel]:
    """The channels that reach a person under the current settings."""
    found = [Channel("email")] if settings.get("SMTP_HOST") and person.email else []
    for url in webhook_urls():
        found.append(Channel("webhook:" + hashlib.sha256(url.encode()).hexdigest()[:16], url))
    return found


def plan(session: Session, today: dt.date) -> RunReport:
    """The day's items, and one message per recipient and channel with the items not yet sent
    to them over it today (nothing is recorded)."""
    items = read.due_items(session, today, load_calendar(session))
    _names, parents = read.units(session)
    report = RunReport(today, items)
    grouped = rules.by_recipient(items, read.people(session), parents)
    done = {
        (key, who, channel)
        for key, who, channel in session.execute(
            select(ReminderSent.item_key, ReminderSent.recipient, ReminderSent.channel).where(
                ReminderSent.day == today, ReminderSent.status == "sent"
            )
        )
    }
    for username, (person, mine) in grouped.items():
        chans = channels_for(person)
        if not chans:
            report.unreachable.append(person)
        for channel in chans:
            left = [i for i in mine if (i.key, username, channel.code) not in done]
            if left:
                report.messages.append(Message(person, channel, left))
    return report


def _claim(engine: Engine, message: Message, day: dt.date) -> list[Item]:
    """Claim the message's items (rows 'sending', committed); the ones another run holds or sent
    are left out."""
    now = audit.local_now()
    stale = now - dt.timedelta(minutes=STALE_MINUTES)
    claimed: list[Item] = []
    with db.write_session(engine) as session:
        for item in message.items:
            row = session.scalar(
                select(ReminderSent).where(
                    ReminderSent.item_key == item.key,
                    ReminderSent.day == day,
                    ReminderSent.recipient == message.person.username,
                    ReminderSent.channel == message.channel.code,
                )
            )
            if row is None:
                try:
                    with session.begin_nested():
                        session.add(
                            ReminderSent(
                                item_key=item.key,
                                day=day,
                                recipient=message.person.username,
                                channel=message.channel.code,
                                status="sending",
                                attempts=0,
                                updated_at=now,
                            )  # fmt: skip
                        )
                except IntegrityError:
                    continue  # another run claimed it a moment ago
                claimed.append(item)
                continue
            taken = session.execute(
                update(ReminderSent)
                .where(
                    ReminderSent.id == row.id,
                    (ReminderSent.status == "failed")
                    | ((ReminderSent.status == "sending") & (ReminderSent.updated_at < stale)),
                )
                .values(status="sending", updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:
                claimed.append(item)
    return claimed


def _record(engine: Engine, message: Message, day: dt.date, source: str | None) -> None:
    """Mark the claimed rows sent or failed, and audit the message."""
    now = audit.local_now()
    with db.write_session(engine) as session:
        for item in message.items:
            row = session.scalar(
                select(ReminderSent).where(
                    ReminderSent.item_key == item.key,
                    ReminderSent.day == day,
                    ReminderSent.recipient == message.person.username,
                    ReminderSent.channel == message.channel.code,
                )
            )
            if row is None:
                continue
            row.status = "sent" if message.status == "sent" else "failed"
            row.attempts = (row.attempts or 0) + 1
            row.last_error = message.error
            row.updated_at = now
        where = "邮件" if message.channel.code == "email" else "webhook"
        result = "已发送" if message.status == "sent" else f"发送失败：{message.error}"
        audit.record(
            session,
            "reminder",
            user=OPERATOR,
            detail={
                "day": day.isoformat(),
                "recipient": message.person.username,
                "channel": message.channel.code,
                "items": [i.key for i in message.items],
                "result": f"{where}提醒 {len(message.items)} 项{result}",
            },
            source=source,
        )


Sender = Callable[[Message, dt.date], None]


def run(
    engine: Engine,
    today: dt.date,
    *,
    dry_run: bool = False,
    source: str | None = None,
    send: Sender | None = None,
) -> RunReport:
    """Plan the day's reminders and, unless `dry_run`, send and record them."""
    check_settings()
    with db.read_session(engine) as session:
        report = plan(session, today)
    if dry_run:
        return report
    deliver = send or deliver_message
    for message in report.messages:
        message.items = _claim(engine, message, today)
        if not message.items:
            message.status = "claimed_elsewhere"
            continue
        try:
            deliver(message, today)
            message.status = "sent"
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            message.status, message.error = "failed", _error_text(exc)
        _record(engine, message, today, source)
    return report


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"webhook 返回 HTTP {exc.code}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "SMTP 服务器拒收：" + "；".join(f"{a} {c} {m!r}" for a, (c, m) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP 服务器拒绝（{exc.smtp_code}）：{exc.smtp_error!r}"
    return f"{type(exc).__name__}：{exc}"[:500]


# --------------------------------------------------------------- transports
def deliver_message(message: Message, today: dt.date) -> None:
    """Send one message over its channel; raises on failure."""
    if message.channel.code == "email":
        send_email(message, today)
    else:
        assert message.channel.url is not None
        post_webhook(message.channel.url, webhook_body(message, today))


def send_email(message: Message, today: dt.date) -> None:
    """E-mail the message (plain text) through the configured SMTP server."""
    host, port = settings.get("SMTP_HOST"), settings.get_int("SMTP_PORT")
    mode = settings.get("SMTP_TLS").lower()
    email = EmailMessage()
    email["Subject"] = rules.subject(today, message.items)
    email["From"] = settings.get("SMTP_FROM")
    email["To"] = formataddr((message.person.display_name, message.person.email or ""))
    email.set_content(
        rules.message(message.person, today, message.items, settings.get("PUBLIC_BASE_URL"), markdown=False)
    )
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if mode == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with client:
        if mode == "starttls":
            client.starttls(context=context)
        user = settings.get("SMTP_USER")
        if user:
            client.login(user, settings.get("SMTP_PASSWORD"))
        client.send_message(email)


def webhook_body(message: Message, today: dt.date) -> dict[str, object]:
    """The JSON a webhook receives: the work-chat robot's markdown shape, or a plain one."""
    base = settings.get("PUBLIC_BASE_URL")
    if settings.get("REMIND_WEBHOOK_SHAPE").lower() == "markdown":
        text = rules.message(message.person, today, message.items, base, markdown=True)
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {
        "date": today.isoformat(),
        "recipient": {"username": message.person.username, "name": message.person.display_name},
        "subject": rules.subject(today, message.items),
        "text": rules.message(message.person, today, message.items, base, markdown=False),
        "items": [_item_json(i, base) for i in message.items],
    }


def _item_json(item: Item, base: str) -> dict[str, object]:
    return {
        "key": item.key,
        "kind": item.kind,
        "heading": rules.KIND_HEADINGS[item.kind],
        "unit": item.unit_name,
        "text": item.text,
        "due": item.due.isoformat() if item.due else None,
        "overdue": item.overdue,
        "link": f"{base.rstrip('/')}/{rules.KIND_PAGES[item.kind]}",
    }


def post_webhook(url: str, body: dict[str, object]) -> None:
    """POST the JSON; an HTTP error, or a robot's reply with a non-zero errcode, is a failure."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URL)
        reply = response.read(65536)
    try:
        answer = json.loads(reply.decode("utf-8")) if reply else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0):
        raise ValueError(f"webhook 返回错误 {answer.get('errcode')}：{answer.get('errmsg', '')}")


def item_lines(items: Sequence[Item]) -> list[str]:
    """Items as the command line prints them."""
    return [
        f"  - [{rules.KIND_HEADINGS[i.kind]}] {i.text}" + (f"（期限 {i.due}）" if i.due else "")
        for i in items
    ]
