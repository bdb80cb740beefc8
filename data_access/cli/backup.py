"""`python -m data_access backup FILE` and `restore FILE` (see data_access.store.backup)."""

from __future__ import annotations

import argparse
from pathlib import Path

from data_access import settings
from data_access.cli.main import CommandError
from data_access.store import backup


def _url(args: argparse.Namespace) -> str:
    return args.database_url or settings.database_url()


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent backup of the database (to a file, or a checked, recorded and rotated one
    into a folder)."""
    if (args.file is None) == (args.to is None):
        raise CommandError("请给出备份文件路径，或用 --to 给出备份目录（二者选一）")
    if args.keep_days is not None and args.to is None:
        raise CommandError("--keep-days 只能与 --to 一起使用")
    try:
        if args.to is None:
            info = backup.backup_database(_url(args), args.file)
        else:
            done = backup.backup_to_folder(_url(args), args.to, args.keep_days)
            info = done.info
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已备份到 {info.path}（{info.size_bytes / 1024 / 1024:.1f} MB，数据库结构版本 {info.revision}）")
    if args.to is not None:
        print(f"备份文件已通过完整性检查（{done.rows} 行），并已记入操作日志")
        for path in done.removed:
            print(f"已删除超过 {args.keep_days} 天的旧备份：{path.name}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database with a checked backup."""
    try:
        info = backup.restore_database(_url(args), args.file)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已从 {args.file} 恢复数据库（结构版本 {info.revision}）")
    if info.previous_saved_as is not None:
        print(f"恢复前的数据库已另存为 {info.previous_saved_as}")
    if info.needs_upgrade:
        print("该备份来自较早的版本：请运行 python -m data_access init 升级数据库结构")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `backup` and `restore` commands."""
    p = subparsers.add_parser(
        "backup",
        help="在线备份数据库：到文件（SQLite；其他数据库给出备份命令），或用 --to 备份到目录（任何数据库，"
        "检查并记入操作日志，可按天数轮换）",
    )
    p.add_argument("file", type=Path, nargs="?", help="备份文件路径")
    p.add_argument("--to", type=Path, metavar="DIR", help="备份目录：写入 gongkai-日期-时间.sqlite3")
    p.add_argument(
        "--keep-days",
        type=int,
        metavar="N",
        help="与 --to 一起：删除该目录中超过 N 天的旧备份（最新的一份总保留）",
    )
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser("restore", help="从备份文件恢复数据库（先检查文件，并另存当前数据库）")
    p.add_argument("file", type=Path, help="备份文件路径")
    p.set_defaults(func=cmd_restore)
