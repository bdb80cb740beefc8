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
    """Write a consistent backup of the database."""
    try:
        info = backup.backup_database(_url(args), args.file)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已备份到 {info.path}（{info.size_bytes / 1024 / 1024:.1f} MB，数据库结构版本 {info.revision}）")
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
    p = subparsers.add_parser("backup", help="在线备份数据库到文件（SQLite；其他数据库给出备份命令）")
    p.add_argument("file", type=Path, help="备份文件路径")
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser("restore", help="从备份文件恢复数据库（先检查文件，并另存当前数据库）")
    p.add_argument("file", type=Path, help="备份文件路径")
    p.set_defaults(func=cmd_restore)
