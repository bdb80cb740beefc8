"""`python -m data_access users ...`: add, reset, disable, enable and list login accounts.

A password given with --password-stdin is read from the first line of standard
input; without it a random initial password is printed once. Either way the user
must change it at first login (an administrator knows it).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from data_access.cli.main import CommandError, engine_for
from data_access.rules import permissions
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import auth


def _source() -> str:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    return f"命令行（{who}）"


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    engine = engine_for(args)
    if not db.has_table(engine, "app_user"):
        raise CommandError("数据库尚未初始化：请先运行 python -m data_access init")
    return engine


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CommandError("标准输入中没有密码")
    return password


def cmd_add(args: argparse.Namespace) -> int:
    """Create a user."""
    password = _read_password() if args.password_stdin else None
    engine = _engine(args)
    try:
        with db.write_session(engine) as session:
            user, password = auth.create_user(
                session,
                args.username,
                role=args.role,
                unit_code=args.unit,
                display_name=args.name,
                password=password,
                actor=OPERATOR,
                source=_source(),
            )
    except auth.AuthError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已创建用户 {user.username}（{user.role_label}，单位 {user.unit_code}）")
    if not args.password_stdin:
        print(f"初始密码：{password}")
        print("该密码只显示这一次，首次登录后必须修改。")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """Reset a user's password (and unlock the account)."""
    password = _read_password() if args.password_stdin else auth.generate_password()
    engine = _engine(args)
    try:
        with db.write_session(engine) as session:
            user = auth.set_password(session, args.username, password, actor=OPERATOR, source=_source())
    except auth.AuthError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已重置用户 {user.username} 的密码，账户已解锁")
    if not args.password_stdin:
        print(f"新密码：{password}")
        print("该密码只显示这一次，下次登录后必须修改。")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    """Disable a user."""
    try:
        with db.write_session(_engine(args)) as session:
            changed = auth.disable_user(session, args.username, actor=OPERATOR, source=_source())
    except auth.AuthError as exc:
        raise CommandError(str(exc)) from exc
    name = auth.normalize_username(args.username)
    print(f"已停用用户 {name}" if changed else f"用户 {name} 本已停用，未做修改")
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    """Enable a disabled user."""
    try:
        with db.write_session(_engine(args)) as session:
            changed = auth.enable_user(session, args.username, actor=OPERATOR, source=_source())
    except auth.AuthError as exc:
        raise CommandError(str(exc)) from exc
    name = auth.normalize_username(args.username)
    print(f"已启用用户 {name}" if changed else f"用户 {name} 本已启用，未做修改")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    """Set a user's reminder e-mail address (an empty one clears it)."""
    try:
        with db.write_session(_engine(args)) as session:
            changed = auth.set_email(session, args.username, args.email, actor=OPERATOR, source=_source())
    except auth.AuthError as exc:
        raise CommandError(str(exc)) from exc
    name = auth.normalize_username(args.username)
    if not changed:
        print(f"用户 {name} 的提醒邮箱未变，未做修改")
    elif args.email.strip():
        print(f"已设置用户 {name} 的提醒邮箱：{args.email.strip()}")
    else:
        print(f"已清除用户 {name} 的提醒邮箱")
    return 0


def _when(value) -> str | None:  # type: ignore[no-untyped-def]
    return value.isoformat(sep=" ") if value is not None else None


def cmd_list(args: argparse.Namespace) -> int:
    """List every user."""
    with db.read_session(_engine(args)) as session:
        users = auth.list_users(session)
    if args.json:
        rows = [
            {
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "unit": u.unit_code,
                "active": u.active,
                "must_change_password": u.must_change_password,
                "locked_until": _when(u.locked_until),
                "last_login_at": _when(u.last_login_at),
                "email": u.email,
            }
            for u in users
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not users:
        print("尚无用户")
    for u in users:
        state = "启用" if u.active else "停用"
        extra = "，须改密码" if u.must_change_password else ""
        last = _when(u.last_login_at) or "从未登录"
        role = permissions.ROLE_LABELS.get(u.role, u.role)
        print(
            f"{u.username}\t{u.display_name}\t{role}\t{u.unit_name}（{u.unit_code}）\t{state}{extra}\t{last}"
        )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `users` command and its subcommands."""
    parser = subparsers.add_parser("users", help="管理登录用户")
    sub = parser.add_subparsers(dest="users_command", required=True)

    p = sub.add_parser("add", help="新建用户")
    p.add_argument("username")
    p.add_argument("--role", required=True, help="leader 领导 / staff 工作人员 / admin 管理员")
    p.add_argument("--unit", required=True, help="单位代码，例如 qingyang")
    p.add_argument("--name", help="显示名（默认：用户名）")
    p.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取密码（默认：随机生成并显示一次）"
    )
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("passwd", help="重置密码并解锁")
    p.add_argument("username")
    p.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取新密码（默认：随机生成并显示一次）"
    )
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("disable", help="停用用户")
    p.add_argument("username")
    p.set_defaults(func=cmd_disable)

    p = sub.add_parser("enable", help="重新启用用户")
    p.add_argument("username")
    p.set_defaults(func=cmd_enable)

    p = sub.add_parser("set", help="修改用户信息（提醒邮箱）")
    p.add_argument("username")
    p.add_argument("--email", required=True, help="接收提醒的邮箱地址；空字符串表示清除")
    p.set_defaults(func=cmd_set)

    p = sub.add_parser("list", help="列出用户")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_list)
