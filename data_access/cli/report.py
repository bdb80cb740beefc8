"""`python -m data_access report`: the annual report (年度报告) as JSON, .xlsx or .docx.

The template defaults to 'old' (the 附表 of the 2008 rules) for years up to 2018 and
to '2021' (国办公开办函〔2021〕30号) afterwards; --template overrides it. JSON goes to
stdout unless -o is given; .xlsx and .docx go to -o or, without it, to
<单位代码>-<年份>-年度报告-<格式>.<后缀> in the current directory, whose path is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data_access.cli.main import CommandError, engine_for
from data_access.read.reports import TEMPLATES, build, default_template
from data_access.read.reports.docx import write_docx
from data_access.read.reports.xlsx import write_xlsx
from data_access.store import db

FORMATS: tuple[str, ...] = ("json", "xlsx", "docx")


def default_file_name(report: dict, fmt: str) -> str:
    """The file name used when -o is not given, e.g. qingyang-2018-年度报告-old.xlsx."""
    return f"{report['unit']}-{report['year']}-年度报告-{report['template']}.{fmt}"


def cmd_report(args: argparse.Namespace) -> int:
    """Build the annual report and print it or write it to a file."""
    engine = engine_for(args)
    if not db.has_table(engine, "publication"):
        raise CommandError("数据库尚未初始化：请先运行 python -m data_access init")
    template = args.template or default_template(args.year)
    with db.read_session(engine) as session:
        report = build(session, args.year, args.unit, template)
    for finding in report.get("findings", []):
        print(finding, file=sys.stderr)
    if args.format == "json" and not args.output:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    path = Path(args.output or default_file_name(report, args.format))
    try:
        if args.format == "json":
            path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        elif args.format == "xlsx":
            write_xlsx(report, path)
        else:
            write_docx(report, path)
    except OSError as exc:
        raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
    print(path.resolve())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` subcommand."""
    p = subparsers.add_parser(
        "report",
        help="政府信息公开工作年度报告（JSON / xlsx / docx）",
        description="生成年度报告。格式默认：2018 年及以前为旧格式（old，附表），2019 年起为 2021 年格式（2021）。"
        "json 默认输出到标准输出；xlsx、docx 未给 -o 时写入当前目录的默认文件名并打印其路径。",
    )
    p.add_argument("--year", type=int, required=True, help="报告年度")
    p.add_argument("--unit", help="单位代码（默认：DEFAULT_UNIT）")
    p.add_argument("--format", choices=FORMATS, default="json", help="输出格式（默认 json）")
    p.add_argument("--template", choices=TEMPLATES, help="报告格式：old（≤2018 默认）或 2021（2019 起默认）")
    p.add_argument("-o", "--output", help="输出文件路径")
    p.set_defaults(func=cmd_report)
