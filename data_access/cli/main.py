"""`python -m data_access`: the command line.

`init` and `kpis` live here; every other command is a module listed in
COMMAND_MODULES that defines `register(subparsers)` and sets `func` on its
parser. A command returns its exit code. Errors print one Chinese line on
stderr and exit 1 (a command may raise CommandError for that); usage errors exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from data_access import settings
from data_access.read import kpis
from data_access.rules.entered import NOT_ENTERED, count_text
from data_access.store import db, publication_due
from data_access.store.reference import ensure_reference_data
from data_access.version import VERSION
from data_access.write import auth

# Modules that add subcommands (each: register(subparsers) -> None).
COMMAND_MODULES: tuple[str, ...] = (
    "data_access.cli.deadline",
    "data_access.cli.users",
    "data_access.cli.backup",
    "data_access.cli.report",
    "data_access.cli.importing",
    "data_access.cli.letters",
    "data_access.cli.units",
    "data_access.cli.catalogue",
    "data_access.cli.migrate",
    "data_access.cli.publication",
    "data_access.cli.remind",
    "data_access.cli.registers",
)


class CommandError(Exception):
    """A failure to report to the user as one Chinese line (exit code 1)."""


def engine_for(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The engine for --database-url or the configured DATABASE_URL."""
    return db.make_engine(args.database_url or settings.database_url())


def cmd_init(args: argparse.Namespace) -> int:
    """Create or upgrade the schema, add the reference catalogue, the first admin and the session secret."""
    engine = engine_for(args)
    db.upgrade(engine)
    with db.write_session(engine) as session:
        added = ensure_reference_data(session)
        password = auth.ensure_first_admin(session)
        auth.ensure_session_secret(session)  # now, not at the first logins (they would race for it)
        if publication_due.is_stale(session.connection()):  # chinese-calendar was upgraded
            publication_due.refresh(session.connection())
    print(f"数据库已就绪（{engine.url.render_as_string(hide_password=True)}），新增参考数据 {added} 条")
    announce_first_admin(password)
    return 0


def announce_first_admin(password: str | None) -> None:
    """Say the first admin was created: its password only when generated here, never one taken
    from ADMIN_INITIAL_PASSWORD (that would put it in logs)."""
    if not password:
        return
    shown = "（取自 ADMIN_INITIAL_PASSWORD）" if settings.get("ADMIN_INITIAL_PASSWORD") else f"：{password}"
    print(f"已创建管理员账户 admin，初始密码{shown}")
    print("该密码只显示这一次；首次登录后须修改。")


def cmd_kpis(args: argparse.Namespace) -> int:
    """Print a unit's key figures for a year."""
    engine = engine_for(args)
    if not db.has_table(engine, "publication"):
        raise kpis.KpiError("数据库尚未初始化：请先运行 python -m data_access init")
    with db.read_session(engine) as session:
        result = kpis.compute(session, args.year, args.month, args.unit)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_kpis(result)
    return 0


def _print_kpis(k: dict) -> None:
    pub, req, proj = k["publications"], k["requests"], k["projects"]
    rate = "—" if pub["full_text_rate"] is None else f"{pub['full_text_rate']:.0%}"
    print(f"{k['unit_name']} {k['year']} 年（截至 {k['month']} 月）")
    print(f"主动公开 {pub['total']} 条（历年累计 {pub['cumulative']} 条），全文电子化率 {rate}")
    for name, n in pub["by_category"].items():
        print(f"  {name}：{n}")
    print(f"依申请公开：受理 {req['received']} 件，答复 {req['replied']} 件")
    dl = k["deliveries"]
    print(f"送交两馆：档案馆 {count_text(dl['archive'], ' 份')}，图书馆 {count_text(dl['library'], ' 份')}")
    print(
        f"政策解读 {count_text(k['interpretations'], ' 篇')}，热线值班接听 {count_text(k['hotline_duties'], ' 次')}"
    )
    if proj is None:
        print(f"重点项目：{NOT_ENTERED}")
    elif proj["count"]:
        print(
            f"重点项目 {proj['count']} 个（{proj['month']} 月）：累计完成 {proj['ytd_invested']} 万元 / "
            f"年度计划 {proj['annual_plan']} 万元，滞后 {len(proj['lagging'])} 个"
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the documentation test)."""
    parser = argparse.ArgumentParser(prog="python -m data_access", description="政务公开看板 命令行")
    parser.add_argument("--database-url", help="覆盖 DATABASE_URL")
    parser.add_argument(
        "--version", action="version", version=f"政务公开看板 {VERSION}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="创建或升级数据库结构")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("kpis", help="某单位某年的关键指标")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--month", type=int, help="截至该月底（默认：该年有数据的最后一个月）")
    p.add_argument("--unit", help="单位代码（默认：DEFAULT_UNIT）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_kpis)

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (kpis.KpiError, CommandError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        hint = (
            "（数据库结构可能不是最新：请先运行 python -m data_access init）"
            if "no such" in str(exc.orig)
            else ""
        )
        print(f"错误：无法访问数据库：{exc.orig}{hint}", file=sys.stderr)
        return 1
