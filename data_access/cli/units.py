"""`python -m data_access units add|set|levels|list`: org units from the command line.

A new installation without the demo needs its first (top-level) unit before `init` can
create the first admin account; after that, admins manage units on the 单位管理 page or here.
Any level may sit under any other (`units levels` lists them, `--add` adds an office's own,
`units levels rename CODE NAME` renames any, `units levels delete CODE` deletes an unused own one);
`units set` fills a unit's profile (full name, archive, library, hotline duty, phone, signature),
which its reports, letters and screen print.
"""

from __future__ import annotations

import argparse
import json

from data_access.cli import balances
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import admin, auth

# `units set` options → profile fields (admin.PROFILE_FIELDS).
PROFILE_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--full-name", "full_name", "单位全称（公文、告知书用），如 XX市人民政府XX街道办事处"),
    ("--archive-name", "archive_name", "送交的档案馆名称，如 区档案馆（不填沿用上级单位的）"),
    ("--library-name", "library_name", "送交的图书馆名称，如 区图书馆（不填沿用上级单位的）"),
    ("--hotline-name", "hotline_name", "轮值接听的热线名称，如 12345热线（空字符串：不承担热线值班）"),
    ("--phone", "phone", "公开电话（大屏和告知书显示），如 0595-12345678"),
    ("--signature", "signature", "年度报告落款（不填用单位全称）"),
)


def cmd_add(args: argparse.Namespace) -> int:
    """Add a unit; create the first admin if this was the first unit."""
    from data_access.cli.main import CommandError, announce_first_admin, engine_for

    engine = engine_for(args)
    db.upgrade(engine)
    try:
        with db.write_session(engine) as session:
            row = admin.add_unit(session, code=args.code, name=args.name, level=args.level,
                                 parent_code=args.parent, hotline=args.phone or "", actor=OPERATOR,
                                 source="命令行")  # fmt: skip
            password = auth.ensure_first_admin(session)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已添加单位：{row.name}（{row.code}，{row.level_label}）")
    announce_first_admin(password)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    """Set a unit's profile fields (an empty value clears one, so its fallback applies)."""
    from data_access.cli.main import CommandError, engine_for

    values = {field: getattr(args, field) for _opt, field, _help in PROFILE_OPTIONS}
    if all(v is None for v in values.values()) and args.name is None:
        raise CommandError("请至少指定一项要修改的资料，例如 --full-name 或 --hotline-name")
    try:
        with db.write_session(engine_for(args)) as session:
            renamed = args.name is not None and admin.rename_unit(
                session, args.code, args.name, actor=OPERATOR, source="命令行"
            )
            changed = admin.set_profile(session, args.code, values, actor=OPERATOR, source="命令行")
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已更新单位 {args.code} 的资料" if renamed or changed else f"单位 {args.code} 的资料没有变化")
    return 0


def cmd_levels(args: argparse.Namespace) -> int:
    """List the unit levels; with --add, add an office's own first; `rename` / `delete` one."""
    from data_access.cli.main import CommandError, engine_for
    from data_access.store.reference import unit_levels

    engine = engine_for(args)
    if args.levels == "rename":
        try:
            with db.write_session(engine) as session:
                renamed = admin.rename_level(session, args.code, args.name, actor=OPERATOR, source="命令行")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        name = args.name.strip()
        print(
            f"已将单位层级 {args.code} 改名为：{name}"
            if renamed
            else f"单位层级 {args.code} 已叫“{name}”，没有变化"
        )
        return 0
    if args.levels == "delete":
        try:
            with db.write_session(engine) as session:
                label = admin.delete_level(session, args.code, actor=OPERATOR, source="命令行")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        print(f"已删除单位层级：{label}（{args.code.strip()}）")
        return 0
    if args.add:
        try:
            with db.write_session(engine) as session:
                code, label = admin.add_level(
                    session, args.add[0], args.add[1], actor=OPERATOR, source="命令行"
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        print(f"已添加单位层级：{label}（{code}）")
        return 0
    with db.read_session(engine) as session:
        levels = unit_levels(session)
    if args.json:
        print(
            json.dumps([{"code": c, "label": lb} for c, lb in levels.items()], ensure_ascii=False, indent=2)
        )
    else:
        for code, label in levels.items():
            print(f"{code}\t{label}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print the unit tree (with --json: every unit with its level and profile as entered)."""
    from data_access.cli.main import engine_for

    with db.read_session(engine_for(args)) as session:
        rows = admin.list_unit_rows(session)
    if args.json:
        out = [
            {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "level_label": r.level_label,
                "parent": r.parent_code,
                "depth": r.depth,
                **{field: r.profile_value(field) or None for field, _label, _n in admin.PROFILE_FIELDS},
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{'  ' * r.depth}{r.name}（{r.code}）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `units` subcommand."""
    units = sub.add_parser("units", help="管理单位（新装系统先添加顶级单位）").add_subparsers(
        dest="units", required=True
    )
    p = units.add_parser("add", help="添加单位（任何层级都可设在任何层级之下）")
    p.add_argument("code", help="单位代码（小写字母、数字、-）")
    p.add_argument("name", help="单位名称")
    p.add_argument(
        "--level",
        required=True,
        help="层级代码：province（省）、city（市）、district（区/县）、subdistrict（街道/乡镇）、"
        "community（社区/村）、department（部门），或管理员添加的层级（units levels 列出）",
    )
    p.add_argument("--parent", help="上级单位代码（顶级单位不填）")
    p.add_argument("--phone", "--hotline", dest="phone", help="公开电话（政务热线号码）")
    p.set_defaults(func=cmd_add)
    p = units.add_parser("set", help="修改单位资料（报告、告知书和大屏使用的名称）")
    p.add_argument("code", help="单位代码")
    p.add_argument("--name", help="单位名称（简称）")
    for option, field, text in PROFILE_OPTIONS:
        p.add_argument(option, dest=field, help=text)
    p.set_defaults(func=cmd_set)
    p = units.add_parser("levels", help="列出单位层级；--add 添加本单位自己的层级；rename 改名；delete 删除")
    p.add_argument("--add", nargs=2, metavar=("CODE", "LABEL"), help="新层级的代码和中文名称，如 town 镇")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_levels, levels=None)
    levels = p.add_subparsers(dest="levels", required=False)
    q = levels.add_parser("rename", help="层级改名（内置层级也可以；代码不变，各处显示新名称）")
    q.add_argument("code", help="层级代码（units levels 列出）")
    q.add_argument("name", help="新的中文名称")
    q = levels.add_parser("delete", help="删除本单位自己添加的层级（内置层级和有单位在用的层级不能删除）")
    q.add_argument("code", help="层级代码")
    p = units.add_parser("list", help="列出单位")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（含层级和单位资料）")
    p.set_defaults(func=cmd_list)
    balances.register(units)
