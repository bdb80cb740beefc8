"""`python -m data_access publication correct|withdraw|restore|history`: an item's 更正 and 撤回.

The item is named by its unit and 索引号. `correct --field title=… [--field 文号=…] --date D
[--note …]` corrects 信息名称 / 文号 (the item stays counted where it was published);
`withdraw --date D --reason …` withdraws it (never on the screen or the public read path from
that day on; still counted where it was published); `restore [--date D] [--reason …]` takes a
withdrawal back; `history [--json]` prints every 更正, 撤回 and 恢复. The command line acts as
the operator (an admin).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import records


def _item(session: Any, args: argparse.Namespace) -> records.PublicationItem:
    from data_access.cli.main import CommandError

    item = records.find_publication(session, args.unit, args.index_no)
    if item is None:
        raise CommandError(f"单位「{args.unit}」的公开目录中没有索引号「{args.index_no}」")
    return item


def _fields(pairs: list[str]) -> dict[str, str]:
    from data_access.cli.main import CommandError

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--field 应写作 字段=新值（如 title=新的信息名称），实际为「{pair}」")
        values[name.strip()] = value
    return values


def _run(args: argparse.Namespace, action: str) -> int:
    from data_access.cli.main import CommandError, engine_for

    today = dt.date.today()
    try:
        with db.write_session(engine_for(args)) as session:
            item = _item(session, args)
            if action == "correct":
                done = records.correct_publication(
                    session, OPERATOR, args.unit, item.index_no, _fields(args.field), args.date, args.note,
                    today, loaded=item.stamp,
                )  # fmt: skip
            elif action == "withdraw":
                done = records.withdraw_publication(
                    session,
                    OPERATOR,
                    args.unit,
                    item.index_no,
                    args.date,
                    args.reason,
                    today,
                    loaded=item.stamp,
                )
            else:
                done = records.restore_publication(
                    session, OPERATOR, args.unit, item.index_no, args.date or today.isoformat(), args.reason,
                    today, loaded=item.stamp,
                )  # fmt: skip
    except records.RecordError as exc:
        raise CommandError(str(exc)) from exc
    entry = done.entry
    print(f"已{entry.action_label}：{done.index_no}（{entry.date}）")
    for label, old, new in entry.changes:
        print(f"  {label}：{old or '（空）'} → {new or '（空）'}")
    return 0


def history_json(item: records.PublicationItem, entries: list[records.HistoryEntry]) -> dict[str, Any]:
    """The item and its history as `publication history --json` prints it."""
    w = item.withdrawal
    return {
        "index_no": item.index_no,
        "title": item.title,
        "doc_no": item.doc_no,
        "published_date": item.published_date.isoformat() if item.published_date else None,
        "withdrawn": None
        if w is None
        else {"date": w.date.isoformat(), "reason": w.reason, "by": w.username},
        "history": [
            {
                "action": e.action,
                "date": e.date.isoformat(),
                "changes": [{"field": label, "old": old, "new": new} for label, old, new in e.changes],
                "note": e.note,
                "by": e.username,
                "recorded_at": e.recorded_at.isoformat(sep=" "),
            }
            for e in entries
        ],
    }


def cmd_history(args: argparse.Namespace) -> int:
    """Print an item's 更正, 撤回 and 恢复."""
    from data_access.cli.main import engine_for

    with db.read_session(engine_for(args)) as session:
        item = _item(session, args)
        entries = records.publication_history(session, args.unit, item.index_no)
    if args.json:
        print(json.dumps(history_json(item, entries), ensure_ascii=False, indent=2))
        return 0
    print(f"{item.index_no} {item.title}（公开日期 {item.published_date or '—'}）")
    if item.withdrawal is not None:
        print(f"  已撤回：{item.withdrawal.date}，原因：{item.withdrawal.reason}")
    if not entries:
        print("  没有更正或撤回记录")
    for e in entries:
        print(f"  {e.date} {e.action_label}（{e.username}）" + (f"：{e.note}" if e.note else ""))
        for label, old, new in e.changes:
            print(f"    {label}：{old or '（空）'} → {new or '（空）'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `publication` and its subcommands."""
    group = sub.add_parser("publication", help="主动公开信息的更正、撤回与恢复")
    actions = group.add_subparsers(dest="publication_command", required=True)

    def item(p: argparse.ArgumentParser) -> None:
        p.add_argument("--unit", required=True, help="单位代码")
        p.add_argument("--index-no", required=True, help="索引号")

    p = actions.add_parser("correct", help="更正信息名称或文号（该信息仍计入原公开期间）")
    item(p)
    p.add_argument(
        "--field",
        action="append",
        required=True,
        metavar="字段=新值",
        help="title（信息名称）或 doc_no（文号），可重复",
    )
    p.add_argument("--date", required=True, help="更正日期 YYYY-MM-DD")
    p.add_argument("--note", help="更正说明")
    p.set_defaults(func=lambda a: _run(a, "correct"))

    p = actions.add_parser("withdraw", help="撤回已公开的信息（仍计入原公开期间，不再在大屏展示）")
    item(p)
    p.add_argument("--date", required=True, help="撤回日期 YYYY-MM-DD")
    p.add_argument("--reason", required=True, help="撤回原因")
    p.set_defaults(func=lambda a: _run(a, "withdraw"))

    p = actions.add_parser("restore", help="恢复已撤回的信息（管理员）")
    item(p)
    p.add_argument("--date", help="恢复日期 YYYY-MM-DD（默认：今天）")
    p.add_argument("--reason", help="恢复原因")
    p.set_defaults(func=lambda a: _run(a, "restore"))

    p = actions.add_parser("history", help="某条信息的更正、撤回与恢复记录")
    item(p)
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_history)
