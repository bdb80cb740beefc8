"""`python -m data_access letter`: a statutory letter for one request, as .docx."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from data_access import settings
from data_access.read import letters
from data_access.store import db


def cmd_letter(args: argparse.Namespace) -> int:
    """Write the letter to a file and print where."""
    from data_access.cli.main import CommandError, engine_for

    unit = args.unit or settings.get("DEFAULT_UNIT")
    try:
        with db.write_session(engine_for(args)) as session:
            letter = letters.build(
                session, unit, args.request, args.kind, today=args.date, username=args.user
            )
    except letters.LetterError as exc:
        raise CommandError(str(exc)) from exc
    out = Path(args.output or letter.file_name)
    out.write_bytes(letter.docx)
    print(f"已生成{letter.title}：{out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `letter` subcommand."""
    p = sub.add_parser("letter", help="生成补正告知书 / 延期答复告知书 / 答复书（.docx）")
    p.add_argument("--request", required=True, help="申请编号，如 YSQ-2019-003")
    p.add_argument(
        "--kind",
        required=True,
        choices=sorted(letters.KINDS),
        help="correction 补正 / extension 延期 / reply 答复",
    )
    p.add_argument("--unit", help="单位代码（默认：DEFAULT_UNIT）")
    p.add_argument("--date", type=dt.date.fromisoformat, help="落款日期 YYYY-MM-DD（默认：今天）")
    p.add_argument("--user", help="记入操作日志的用户名")
    p.add_argument("-o", "--output", help="输出文件（默认：单位名称+编号+文书名.docx）")
    p.set_defaults(func=cmd_letter)
