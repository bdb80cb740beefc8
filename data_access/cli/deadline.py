"""`python -m data_access deadline`: a request's reply deadline, worked out and explained.

No database is needed: the calendar is the chinese-calendar package, overridden by
the configured database's `workday_override` rows when that database exists and is
initialised. An unreachable database falls back to the package with a warning.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from data_access import settings
from data_access.rules.deadlines import DeadlineError, Pause, compute_deadline
from data_access.rules.vocab import REQUEST_CHANNELS
from data_access.rules.workdays import Calendar, package_calendar
from data_access.store import db
from data_access.store.holidays import load_calendar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, with a Chinese message for anything else."""
    message = f"日期无效：{text!r}（应为 YYYY-MM-DD，例如 2019-09-27）"
    if not _DATE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(message)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(message) from exc


def parse_span(text: str) -> tuple[dt.date, dt.date | None]:
    """An argparse type: START:END (YYYY-MM-DD:YYYY-MM-DD), END left empty while it is not over."""
    start, sep, end = text.strip().partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"时段无效：{text!r}（应为 开始:结束，例如 2025-09-28:2025-10-11；未结束的写 2025-09-28:）"
        )
    first = parse_date(start)
    last = parse_date(end) if end.strip() else None
    if last is not None and last < first:
        raise argparse.ArgumentTypeError(f"时段无效：{text!r}（结束日期早于开始日期）")
    return first, last


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `deadline` subcommand."""
    p = subparsers.add_parser("deadline", help="依申请公开答复期限（按收到日期与工作日计算）")
    p.add_argument("--received", type=parse_date, required=True, help="收到申请之日 YYYY-MM-DD")
    p.add_argument(
        "--channel",
        choices=REQUEST_CHANNELS,
        help="申请渠道：当面（提交之日）、网络（系统收到之日）、信函（签收之日）、传真（双方确认之日）",
    )
    p.add_argument(
        "--correction",
        type=parse_span,
        action="append",
        default=[],
        metavar="SENT:RECEIVED",
        help="补正：通知申请人补正之日:收到补正后申请之日（未收到的写 SENT:）；可写多次，以最后一次为准，期限自收到之日重新计算",
    )
    p.add_argument(
        "--third-party",
        type=parse_span,
        action="append",
        default=[],
        metavar="FROM:TO",
        help="征求第三方意见：开始之日:结束之日（未结束的写 FROM:）；其间不计入期限；可写多次",
    )
    p.add_argument("--extended", action="store_true", help="延长答复期限已经批准（按延长后期限计）")
    p.add_argument(
        "--extended-on",
        type=parse_date,
        metavar="DATE",
        help="延期批准日期 YYYY-MM-DD（含 --extended）；晚于原答复期限批准的，延期不计，按原期限",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_deadline)


def calendar_for(url: str) -> tuple[Calendar, list[str]]:
    """The calendar with the database's overrides when it is there; otherwise the package and maybe a warning."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return package_calendar(), [f"数据库地址无效，未使用自定节假日：{url}"]
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:" or not Path(path).exists():
            return package_calendar(), []  # no database yet: nothing entered, nothing to warn about
    try:
        engine = db.make_engine(url)
    except (SQLAlchemyError, ImportError) as exc:
        return package_calendar(), [f"无法连接数据库，未使用自定节假日，按 chinese-calendar 计算（{exc}）"]
    try:
        if not db.has_table(engine, "workday_override"):
            return package_calendar(), []
        with db.read_session(engine) as session:
            return load_calendar(session), []
    except (SQLAlchemyError, OSError) as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        return package_calendar(), [f"无法连接数据库，未使用自定节假日，按 chinese-calendar 计算（{reason}）"]
    finally:
        engine.dispose()


def cmd_deadline(args: argparse.Namespace) -> int:
    """Print the due date and how it was worked out."""
    calendar, warnings = calendar_for(args.database_url or settings.database_url())
    pauses = [Pause("correction", a, b) for a, b in args.correction]
    pauses += [Pause("third_party", a, b) for a, b in args.third_party]
    try:
        deadline = compute_deadline(
            args.received,
            channel=args.channel,
            pauses=pauses,
            extension_approved=args.extended or args.extended_on is not None,
            extension_approved_on=args.extended_on,
            calendar=calendar,
        )
    except DeadlineError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.json:
        out = deadline.to_dict()
        out["warnings"] = warnings + out["warnings"]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    head = f"收到 {deadline.received.isoformat()} 的申请，答复期限：{deadline.due or '暂停计算'}"
    if deadline.extension_approved:
        head += f"；已批准延长，延长后期限：{deadline.extended_due}"
    print(head)
    for line in deadline.explanation():
        print(f"  {line}")
    for w in warnings:
        print(f"  注意：{w}")
    return 0
