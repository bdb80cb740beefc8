"""`python -m data_access remind [--dry-run] [--json] [--date YYYY-MM-DD]`: send the day's reminders.

Requests due within 3 working days or overdue, requests waiting for a 补正, last month's delivery
to the archive and library in the first 3 working days of the month, boards due for their
quarterly update, catalogue items not published by their due date, and lagging key projects at
month end — to the staff of the unit (and its leaders for overdue items), by e-mail and webhook,
one message per recipient and channel (data_access.write.reminders). Exit code 1 when a message
could not be delivered (the next run tries it again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from data_access.cli.main import CommandError, engine_for
from data_access.cli.users import _source
from data_access.store import db
from data_access.write import reminders

STATUS_TEXT = {
    "pending": "将发送",
    "sent": "已发送",
    "failed": "发送失败",
    "claimed_elsewhere": "已由另一次运行发送",
}


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，实际为 {text!r}") from None


def _where(message: reminders.Message) -> str:
    if message.channel.code == "email":
        return f"邮件 {message.person.email}"
    return f"webhook {message.channel.url}"


def cmd_remind(args: argparse.Namespace) -> int:
    """Plan (and unless --dry-run, send) the reminders of a day."""
    engine = engine_for(args)
    if not db.has_table(engine, "reminder_sent"):
        raise CommandError("数据库尚未初始化或不是最新：请先运行 python -m data_access init")
    today = args.date or dt.date.today()
    try:
        report = reminders.run(engine, today, dry_run=args.dry_run, source=_source())
    except reminders.ReminderError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps(_as_json(report, args.dry_run), ensure_ascii=False, indent=2))
    else:
        _print(report, args.dry_run)
    if report.failed:
        print(f"错误：{len(report.failed)} 条提醒发送失败，下次运行时将重试", file=sys.stderr)
        return 1
    return 0


def _as_json(report: reminders.RunReport, dry_run: bool) -> dict[str, object]:
    return {
        "date": report.day.isoformat(),
        "dry_run": dry_run,
        "items": [
            {
                "key": i.key,
                "kind": i.kind,
                "unit": i.unit_name,
                "text": i.text,
                "due": i.due.isoformat() if i.due else None,
                "overdue": i.overdue,
            }  # fmt: skip
            for i in report.items
        ],
        "messages": [
            {
                "recipient": m.person.username,
                "channel": m.channel.code if m.channel.code == "email" else "webhook",
                "to": m.person.email if m.channel.code == "email" else m.channel.url,
                "items": [i.key for i in m.items],
                "status": m.status,
                "error": m.error,
            }
            for m in report.messages
        ],
        "unreachable": [p.username for p in report.unreachable],
    }


def _print(report: reminders.RunReport, dry_run: bool) -> None:
    head = "（试运行，不发送、不记录）" if dry_run else ""
    print(
        f"{report.day.isoformat()} 提醒{head}：到期或逾期事项 {len(report.items)} 项，消息 {len(report.messages)} 条"
    )
    for m in report.messages:
        state = STATUS_TEXT.get(m.status, m.status)
        error = f"：{m.error}" if m.error else ""
        print(
            f"{m.person.display_name}（{m.person.username}）→ {_where(m)}：{len(m.items)} 项，{state}{error}"
        )
        for line in reminders.item_lines(m.items):
            print(line)
    for p in report.unreachable:
        print(
            f"注意：{p.display_name}（{p.username}）有待提醒事项，但没有可用的提醒方式（未设置邮箱，也未设置 webhook）"
        )
    if not report.messages and not report.unreachable:
        print("今天没有需要发送的提醒")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `remind` command."""
    p = subparsers.add_parser("remind", help="发送到期、逾期事项提醒（邮件、webhook）")
    p.add_argument("--dry-run", action="store_true", help="只显示将发送的提醒，不发送也不记录")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--date", type=_day, help="按该日判断（YYYY-MM-DD，默认：今天）")
    p.set_defaults(func=cmd_remind)
