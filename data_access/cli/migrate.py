"""`python -m data_access migrate-data --from URL --to URL` (see data_access.store.transfer)."""

from __future__ import annotations

import argparse
import time

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from data_access.cli.main import CommandError
from data_access.store import db, transfer


def _engine(url: str, which: str):  # type: ignore[no-untyped-def]
    try:
        make_url(url)
    except ArgumentError as exc:
        raise CommandError(f"{which}数据库地址无法识别：{url}") from exc
    return db.make_engine(url)


def cmd_migrate_data(args: argparse.Namespace) -> int:
    """Copy every table from one database into a freshly initialised one."""
    if args.source == args.target:
        raise CommandError("源数据库和目标数据库是同一个")
    source, target = _engine(args.source, "源"), _engine(args.target, "目标")
    started = time.monotonic()

    def shown(table: str, rows: int) -> None:
        if not args.quiet:
            print(f"  {table}：{rows} 行")

    try:
        result = transfer.copy_database(source, target, progress=shown)
    except transfer.TransferError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        source.dispose()
        target.dispose()
    print(
        f"已复制 {len(result.counts)} 张表共 {result.rows} 行到 "
        f"{make_url(args.target).render_as_string(hide_password=True)}（结构版本 {result.revision}，"
        f"各表行数与源数据库一致，用时 {time.monotonic() - started:.1f} 秒）"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `migrate-data` command."""
    p = subparsers.add_parser(
        "migrate-data",
        help="把一个数据库的全部数据复制到另一个刚 init 过的空数据库（如 SQLite → PostgreSQL）",
    )
    p.add_argument("--from", dest="source", required=True, help="源数据库地址（SQLAlchemy URL）")
    p.add_argument("--to", dest="target", required=True, help="目标数据库地址（须先对其运行 init）")
    p.add_argument("--quiet", action="store_true", help="不逐表显示行数")
    p.set_defaults(func=cmd_migrate_data)
