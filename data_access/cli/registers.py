"""`python -m data_access registers list|add`: the publication registers (登记册) an office keeps.

Built in: 政府网站, 政务新媒体, 政府公报, 公开栏, 其他; `registers add NAME` adds the office's own
(`import --kind publications --register NAME` then files uploads under it).
"""

from __future__ import annotations

import argparse
import json

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write.importing import registers


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `registers` subcommand."""
    p = subparsers.add_parser("registers", help="主动公开登记册（政府网站、政务新媒体等）：列出或新增")
    sub = p.add_subparsers(dest="registers_command", required=True)
    q = sub.add_parser("list", help="列出登记册")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    q.set_defaults(func=cmd_list)
    q = sub.add_parser("add", help="新增本单位自己的登记册")
    q.add_argument("name", help="登记册名称（最多 20 个字）")
    q.set_defaults(func=cmd_add)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the registers in order."""
    from data_access.cli.main import engine_for

    with db.read_session(engine_for(args)) as session:
        names = registers.names(session)
    print(json.dumps(names, ensure_ascii=False) if args.json else "\n".join(names))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Add a register."""
    from data_access.cli.main import CommandError, engine_for

    try:
        name = registers.add(engine_for(args), OPERATOR, args.name)
    except registers.RegisterError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已新增登记册：{name}")
    return 0
