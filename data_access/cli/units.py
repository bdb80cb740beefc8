"""`python -m data_access units add|list`: org units from the command line.

A new installation without the demo needs its first (top-level) unit before `init` can
create the first admin account; after that, admins manage units on the 单位管理 page.
"""

from __future__ import annotations

import argparse

from data_access.cli import balances
from data_access.rules.permissions import OPERATOR
from data_access.rules.vocab import UNIT_LEVELS
from data_access.store import db
from data_access.write import admin, auth


def cmd_add(args: argparse.Namespace) -> int:
    """Add a unit; create the first admin if this was the first unit."""
    from data_access.cli.main import CommandError, announce_first_admin, engine_for

    engine = engine_for(args)
    db.upgrade(engine)
    try:
        with db.write_session(engine) as session:
            row = admin.add_unit(session, code=args.code, name=args.name, level=args.level,
                                 parent_code=args.parent, hotline=args.hotline or "", actor=OPERATOR,
                                 source="命令行")  # fmt: skip
            password = auth.ensure_first_admin(session)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已添加单位：{row.name}（{row.code}）")
    announce_first_admin(password)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print the unit tree."""
    from data_access.cli.main import engine_for
    from data_access.store.reference import list_units

    with db.read_session(engine_for(args)) as session:
        for code, name, depth in list_units(session):
            print(f"{'  ' * depth}{name}（{code}）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `units` subcommand."""
    units = sub.add_parser("units", help="管理单位（新装系统先添加顶级单位）").add_subparsers(
        dest="units", required=True
    )
    p = units.add_parser("add", help="添加单位")
    p.add_argument("code", help="单位代码（小写字母、数字、-）")
    p.add_argument("name", help="单位名称")
    p.add_argument(
        "--level", required=True, choices=UNIT_LEVELS, help="city / subdistrict / community / department"
    )
    p.add_argument("--parent", help="上级单位代码（顶级单位不填）")
    p.add_argument("--hotline", help="政务热线")
    p.set_defaults(func=cmd_add)
    p = units.add_parser("list", help="列出单位")
    p.set_defaults(func=cmd_list)
    balances.register(units)
