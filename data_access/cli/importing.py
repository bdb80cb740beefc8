"""`python -m data_access import | batches | undo`: the monthly spreadsheet import from the command line.

`import` exits 0 when the file was committed or is unchanged (or is valid with
--dry-run), 1 when it was rejected or not written because another upload or undo of the
same data got in the way (status 'conflict'; try again), 2 for usage errors (unknown unit, bad period,
missing file). A file that would delete stored rows (a re-upload without some of the rows of the
upload it replaces) is rejected unless `--confirm-delete N` names that number of rows (the dry run
shows it). `--json` prints {status, batch_id, rows, added, changed, removed, issues}.
Imports and undos act as the operator, under the --user name when given (else 命令行).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data_access.cli.main import CommandError, engine_for
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.write.importing import (
    KINDS,
    LEVEL_NAMES_CN,
    UndoRefused,
    UsageError,
    commit,
    history,
    issues_workbook,
    preview,
)
from data_access.write.importing.registers import CHOICE_NAMES
from data_access.write.undo import undo


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `import`, `batches` and `undo` subcommands."""
    p = subparsers.add_parser("import", help="导入月度表格（.xlsx / .xls / .csv）")
    p.add_argument("--kind", required=True, choices=KINDS, help="数据类型")
    p.add_argument("--unit", help="单位代码（默认：DEFAULT_UNIT）")
    p.add_argument("--period", help="期间 YYYY-MM（默认：从文件标题或表头读取）")
    p.add_argument(
        "--register",
        help="主动公开：登记册（政府网站、政务新媒体、政府公报、公开栏、其他或本单位新增的；默认从文件推断，否则政府网站）",
    )
    p.add_argument(
        "--cross-period",
        choices=("keep", "move", "skip"),
        default="keep",
        help="主动公开：文件中已在其他月份登记的索引号如何处理——keep 保留原月份并更新内容（默认）、"
        "move 改为本文件的月份、skip 跳过该行",
    )
    p.add_argument("--dry-run", action="store_true", help="只检查并预览，不写入数据库")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--report", help="把问题清单（标注出错单元格）写入此 .xlsx 文件")
    p.add_argument("--user", help="记录为上传人的用户名")
    p.add_argument(
        "--confirm-delete",
        type=int,
        default=0,
        metavar="N",
        help="确认删除 N 条已有记录（先用 --dry-run 查看将删除几条）；不加时，会删除已有记录的文件不导入",
    )
    p.add_argument("file", help="要导入的文件")
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser("batches", help="上传记录（谁、何时、上传了什么、是否生效）")
    p.add_argument("--unit", help="只看该单位")
    p.add_argument("--kind", choices=KINDS, help="只看该数据类型")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_batches)

    p = subparsers.add_parser("undo", help="撤销一次上传（恢复上传前的数据）")
    p.add_argument("batch_id", type=int, help="批次号（见 batches）")
    p.add_argument("--user", help="记录为操作人的用户名")
    p.set_defaults(func=cmd_undo)


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    engine = engine_for(args)
    if not db.has_table(engine, "import_change"):
        raise CommandError("数据库尚未初始化或版本过旧：请先运行 python -m data_access init")
    return engine


def cmd_import(args: argparse.Namespace) -> int:
    """Check, preview and (unless --dry-run) commit one file."""
    path = Path(args.file)
    if not path.is_file():
        print(f"错误：找不到文件 {path}", file=sys.stderr)
        return 2
    engine = _engine(args)
    data = path.read_bytes()
    try:
        if args.register and args.kind != "publications":
            raise UsageError("--register 只适用于主动公开（--kind publications）")
        choice = {"register": args.register, "cross_period": args.cross_period}
        if args.dry_run:
            result = preview(engine, data, args.kind, args.unit, args.period, path.name, **choice)
        else:
            result = commit(
                engine,
                Principal.operator(args.user),
                data,
                args.kind,
                args.unit,
                args.period,
                path.name,
                confirm_removed=args.confirm_delete,
                **choice,
            )
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.report:
        Path(args.report).write_bytes(issues_workbook(data, result.issues))
    summary = result.to_dict()
    if args.json:
        keys = ("status", "batch_id", "rows", "added", "changed", "removed", "issues")
        keys += (
            ("register", "register_guess", "unlisted", "cross_period") if args.kind == "publications" else ()
        )
        print(json.dumps({k: summary[k] for k in keys}, ensure_ascii=False, indent=2, default=str))
    else:
        _print_result(summary, result.issues)
    return 1 if result.status in ("rejected", "conflict") else 0


_STATUS = {
    "committed": "已导入",
    "rejected": "未导入（有错误）",
    "unchanged": "与当前数据相同，未导入",
    "conflict": "未导入（其他同事正在导入或撤销同一数据，未作任何改动，请稍后重试）",
    "valid": "检查通过（未写入）",
}


def _print_result(summary: dict, issues: list) -> None:
    print(
        f"{_STATUS.get(summary['status'], summary['status'])}：{summary['rows']} 行，新增 {summary['added']}，"
        f"修改 {summary['changed']}，删除 {summary['removed']}"
        + (f"（第 {summary['batch_id']} 批）" if summary["batch_id"] else "")
    )
    if summary.get("register"):
        guess = summary.get("register_guess")
        print(f"登记册：{summary['register']}" + (f"（{guess}）" if guess else ""))
        if summary.get("unlisted"):
            print(f"  另有 {summary['unlisted']} 条不再列入本登记册，但其他登记册仍登记，予以保留")
    for row in summary.get("cross_period") or ():
        print(
            f"  [跨月份] 第 {row['row']} 行 {row['index_no']}「{row['title']}」：{row['message']}"
            f"——{CHOICE_NAMES[row['choice']]}"
        )
    for issue in issues:
        where = issue.where
        print(
            f"  [{LEVEL_NAMES_CN.get(issue.level, issue.level)}] {where + '：' if where else ''}{issue.message}"
        )


def cmd_batches(args: argparse.Namespace) -> int:
    """List the upload history."""
    rows = history(_engine(args), args.unit, args.kind)
    if args.json:
        print(json.dumps([b.to_dict() for b in rows], ensure_ascii=False, indent=2))
        return 0
    for b in rows:
        print(
            f"{b.id:>5}  {b.uploaded_at:%Y-%m-%d %H:%M}  {b.kind_name}  {b.unit_name}  {b.period or '—'}  "
            f"{b.rows} 行  {b.status_name}  {b.uploaded_by or '—'}  {b.file_name}"
        )
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    """Undo one upload."""
    try:
        rows = undo(_engine(args), Principal.operator(args.user), args.batch_id)
    except UndoRefused as exc:
        raise CommandError(str(exc)) from exc
    print(f"已撤销第 {args.batch_id} 批（{rows} 行），数据已恢复到该次上传之前")
    return 0
