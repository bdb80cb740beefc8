"""`python -m data_access catalogue import|export|list|template`: a unit's catalogue by year.

`import --unit CODE --from-year Y FILE` makes a 标准目录 spreadsheet (.xlsx/.xls/.csv) the unit's
own catalogue from that year on (`--dry-run`: only show what would change); `export --unit CODE
--year Y -o FILE` writes the catalogue the unit uses that year in the same shape; `list --unit
CODE --year Y [--json]` prints it. The command line acts as the operator.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from data_access import settings
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import catalogue as admin_catalogue

SOURCE = "命令行"


def _read(path: str) -> bytes:
    from data_access.cli.main import CommandError

    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件：{path}")
    limit = settings.get_float("UPLOAD_MAX_MB") * 1024 * 1024
    if file.stat().st_size > limit:
        raise CommandError(f"文件超过 {settings.get('UPLOAD_MAX_MB')} MB，未导入")
    return file.read_bytes()


def _print_preview(preview: admin_catalogue.CataloguePreview) -> None:
    current = preview.current.name if preview.current else "（无）"
    print(
        f"{preview.unit_name} 自{preview.from_year}年起：读到 {len(preview.parsed.items)} 项（现用目录：{current}）"
    )
    diff = preview.diff
    if diff is None:
        return
    for label, values in (("新增", diff.added), ("停用", diff.removed), ("内容变化", diff.changed)):
        for value in values:
            print(f"  {label}：{value}")
    for old, new in diff.renamed:
        print(f"  更名：{old} → {new}")
    print(f"  不变：{diff.unchanged} 项")
    for note in preview.parsed.notes:
        print(f"  提示：{note}")


def cmd_import(args: argparse.Namespace) -> int:
    """Import (or with --dry-run preview) a 标准目录 spreadsheet as the unit's catalogue from a year."""
    from data_access.cli.main import CommandError, engine_for

    data = _read(args.file)
    engine = engine_for(args)
    try:
        if args.dry_run:
            with db.read_session(engine) as session:
                preview = admin_catalogue.preview_catalogue_import(session, args.unit, args.from_year, data)
            if preview.parsed.problems:
                raise admin_catalogue.CatalogueRejected(preview.parsed.problems)
        else:
            with db.write_session(engine) as session:
                preview = admin_catalogue.import_catalogue(
                    session, args.unit, args.from_year, data, name=args.name, actor=OPERATOR, source=SOURCE
                )
    except admin_catalogue.CatalogueRejected as exc:
        for problem in exc.problems:
            print(problem)
        raise CommandError(f"目录文件有 {len(exc.problems)} 处问题，未导入") from exc
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    _print_preview(preview)
    print("（预览，未写入）" if args.dry_run else "已导入")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the unit's catalogue for a year as a 标准目录 spreadsheet."""
    from data_access.cli.main import CommandError, engine_for

    try:
        with db.read_session(engine_for(args)) as session:
            data = admin_catalogue.export_catalogue(session, args.unit, args.year)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    Path(args.output).write_bytes(data)
    print(f"已导出：{args.output}")
    return 0


def catalogue_json(view: admin_catalogue.CatalogueView, items: list[Any]) -> dict[str, Any]:
    """The unit's catalogue for the year as `catalogue list --json` prints it."""
    scheme = view.scheme
    limits = {i.code: i.limit for i in items}
    return {
        "unit": view.unit_code,
        "unit_name": view.unit_name,
        "year": view.year,
        "source": view.source,
        "scheme": None
        if scheme is None
        else {
            "name": scheme.name,
            "owner": scheme.owner_code,
            "owner_name": scheme.owner_name,
            "from_year": scheme.from_year,
            "to_year": scheme.to_year,
        },
        "items": [
            {
                "code": item.code,
                "name": item.path[-1],
                "level": item.level,
                "path": list(item.path),
                "domain": item.domain,
                **{f: item.fields.get(f) for f in ("content", "basis", "time_limit", "subject", "channels",
                                                   "audience", "manner")},
                "limit": None
                if limits[item.code] is None
                else {k: v for k, v in vars(limits[item.code]).items()},
            }
            for item in items
        ],
    }  # fmt: skip


def cmd_list(args: argparse.Namespace) -> int:
    """Print the catalogue the unit uses in a year."""
    from data_access.cli.main import CommandError, engine_for

    try:
        with db.read_session(engine_for(args)) as session:
            view = admin_catalogue.catalogue_view(session, args.unit, args.year)
            _ref, items = admin_catalogue.catalogue_items(session, args.unit, args.year)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps(catalogue_json(view, items), ensure_ascii=False, indent=2))
        return 0
    where = {"own": "本单位目录", "inherited": f"沿用{view.scheme.owner_name if view.scheme else ''}的目录",
             "default": "默认目录", "none": "无目录"}[view.source]  # fmt: skip
    print(f"{view.unit_name} {view.year} 年：{view.scheme.name if view.scheme else '（无）'}（{where}）")
    for item in items:
        print(f"{'  ' * (item.level - 1)}{item.code} {item.path[-1]}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write a kind's blank template with the unit's catalogue of the period's year."""
    from data_access.cli.main import CommandError, engine_for
    from data_access.write.importing import SPECS, unit_template

    if args.kind not in SPECS:
        raise CommandError(f"未知的数据类型：{args.kind}（应为 {'、'.join(SPECS)}）")
    try:
        year = int(args.period[:4])
    except ValueError:
        raise CommandError(f"期间「{args.period}」格式不对，应为 YYYY-MM（如 2018-10）") from None
    try:
        with db.read_session(engine_for(args)) as session:
            data = unit_template(session, args.kind, args.unit, year)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    Path(args.output).write_bytes(data)
    print(f"已生成模板：{args.output}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `catalogue` and `template` subcommands."""
    cat = sub.add_parser("catalogue", help="单位的公开目录（按年度）").add_subparsers(
        dest="catalogue", required=True
    )
    p = cat.add_parser("import", help="导入基层政务公开标准目录表格，作为本单位自某年起的目录")
    p.add_argument("--unit", required=True, help="单位代码")
    p.add_argument("--from-year", type=int, required=True, help="自哪一年起使用")
    p.add_argument("--name", help="目录名称（默认：单位名称公开目录（某年起））")
    p.add_argument("--dry-run", action="store_true", help="只预览变化，不写入")
    p.add_argument("file", help=".xlsx / .xls / .csv")
    p.set_defaults(func=cmd_import)
    p = cat.add_parser("export", help="导出单位某年使用的目录（标准目录表格）")
    p.add_argument("--unit", required=True, help="单位代码")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export)
    p = cat.add_parser("list", help="列出单位某年使用的目录")
    p.add_argument("--unit", required=True, help="单位代码")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("template", help="生成带本单位目录下拉选项的空白模板")
    p.add_argument(
        "--kind",
        required=True,
        help="publications / projects / requests / boards / deliveries / annual-figures",
    )
    p.add_argument("--unit", required=True, help="单位代码")
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_template)
