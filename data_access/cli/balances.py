"""`python -m data_access units balance CODE --before-year Y --publications N [...]`: a unit's
opening balance (历年累计 before the year it starts using the product), and `--zero-report`.

The figures are the old-format 附表's rows (data_access.rules.entered.BALANCE_FIGURES); a figure
left out is not entered, so a 历年累计 cell that needs it prints 未录入. The command line acts as
the operator (permissions.OPERATOR).
"""

from __future__ import annotations

import argparse

from data_access.rules.entered import BALANCE_FIGURES, ENTRY_KINDS
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import balances

# Options beyond --publications and --requests, each a 附表 row.
_OPTIONS = {key: "--" + key.replace("_", "-") for key, _name in BALANCE_FIGURES}
_OPTIONS["publications_website"], _OPTIONS["publications_gazette"] = "--website", "--gazette"


def cmd_balance(args: argparse.Namespace) -> int:
    """Enter (or replace, or with --remove delete) a unit's opening balance."""
    from data_access.cli.main import CommandError, engine_for

    engine = engine_for(args)
    db.upgrade(engine)
    try:
        with db.write_session(engine) as session:
            if args.remove:
                changed = balances.remove_opening_balance(session, args.code, actor=OPERATOR, source="命令行")
                print("已删除期初数" if changed else "该单位没有期初数")
                return 0
            if args.before_year is None or args.publications is None:
                raise CommandError("请给出 --before-year 和 --publications（或用 --remove 删除期初数）")
            figures = {key: getattr(args, key) for key, _name in BALANCE_FIGURES}
            changed = balances.set_opening_balance(
                session, args.code, args.before_year, figures, actor=OPERATOR, source="命令行"
            )
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    print(f"{'已保存' if changed else '未变化：'}{args.code} {args.before_year} 年以前的历年累计期初数")
    return 0


def cmd_zero_report(args: argparse.Namespace) -> int:
    """File (or with --remove withdraw) a 零报告 for a unit, kind and year."""
    from data_access.cli.main import CommandError, engine_for

    engine = engine_for(args)
    db.upgrade(engine)
    write = balances.remove_zero_report if args.remove else balances.record_zero_report
    try:
        with db.write_session(engine) as session:
            changed = write(session, args.code, args.kind, args.year, actor=OPERATOR, source="命令行")
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    what = f"{args.code} {args.year} 年{ENTRY_KINDS[args.kind]}零报告"
    print(("已撤回" if args.remove else "已登记") + what if changed else f"未变化：{what}")
    return 0


def register(units: argparse._SubParsersAction) -> None:
    """Add `units balance` and `units zero-report` to the `units` subcommand."""
    p = units.add_parser("balance", help="录入单位的历年累计期初数（开始使用本系统之前的累计数）")
    p.add_argument("code", help="单位代码")
    p.add_argument(
        "--before-year", type=int, metavar="Y", help="期初数截至该年之前（该年起的数据由本系统统计）"
    )
    p.add_argument("--remove", action="store_true", help="删除该单位的期初数")
    for key, name in BALANCE_FIGURES:
        need = "必填" if key == "publications" else "不填为未录入"
        p.add_argument(_OPTIONS[key], dest=key, type=int, metavar="N", help=f"{name}（历年累计，{need}）")
    p.set_defaults(func=cmd_balance)
    p = units.add_parser("zero-report", help="登记零报告：某年度没有某类事项（打印 0 而非“未录入”）")
    p.add_argument("code", help="单位代码")
    p.add_argument(
        "--kind",
        required=True,
        choices=tuple(ENTRY_KINDS),
        help="、".join(f"{k} {v}" for k, v in ENTRY_KINDS.items()),
    )
    p.add_argument("--year", required=True, type=int, help="年份")
    p.add_argument("--remove", action="store_true", help="撤回零报告")
    p.set_defaults(func=cmd_zero_report)
