"""Build messy spreadsheet files inside the tests (openpyxl, xlwt, csv) and a unit to import into."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlwt
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from data_access.store import db
from data_access.store.models import Base, OrgUnit, UploadBatch
from data_access.store.reference import ensure_reference_data
from seed.qingyang_data import PROJECTS

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
UNIT = "qingyang"


def setup_unit(engine: Engine) -> None:
    """The reference catalogue, a sub-district `qingyang` and one community under it."""
    with db.write_session(engine) as session:
        ensure_reference_data(session)
        parent = OrgUnit(code=UNIT, name="青阳街道", level="subdistrict", sort_order=0)
        session.add(parent)
        session.flush()
        session.add(OrgUnit(code="qingyang-xiyuan", name="西园社区", level="community", parent_id=parent.id))


def xlsx(
    rows: list[list[Any]],
    *,
    title: str = "Sheet1",
    merges: tuple[str, ...] = (),
    extra: dict[str, list[list[Any]]] | None = None,
    extra_first: bool = False,
) -> bytes:
    """An .xlsx with the rows on one sheet (None = empty cell), merged ranges and extra sheets."""
    wb = Workbook()
    ws = wb.active
    if extra and extra_first:
        ws.title = next(iter(extra))
        for row in next(iter(extra.values())):
            ws.append(row)
        ws = wb.create_sheet(title)
        extra = dict(list(extra.items())[1:])
    else:
        ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for name, sheet_rows in (extra or {}).items():
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls(rows: list[list[Any]], *, title: str = "Sheet1") -> bytes:
    """An old-format .xls (BIFF8) written with xlwt; dates get a date format."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(title)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    """CSV text in the given encoding ('utf-8-sig' for a BOM, 'gbk', 'gb18030')."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def table_counts(engine: Engine) -> dict[str, int]:
    """Row count of every table (to prove a rejected file changed nothing)."""
    with db.read_session(engine) as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
        }


def snapshot(engine: Engine, tables: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every row of the tables, sorted (to prove undo restores exactly).

    A row's `version` is left out: it is the forms' concurrency token, which every change moves
    on and an undo never moves back (see versions())."""
    with db.read_session(engine) as session:
        out = {}
        for name in tables:
            table = Base.metadata.tables[name]
            columns = [c for c in table.c if c.key != "version"]
            out[name] = sorted(tuple(str(v) for v in row) for row in session.execute(select(*columns)))
        return out


def versions(engine: Engine, table_name: str) -> dict[int, int]:
    """id → version of every row of a table that forms edit."""
    with db.read_session(engine) as session:
        table = Base.metadata.tables[table_name]
        return {row_id: version for row_id, version in session.execute(select(table.c.id, table.c.version))}


PUB_HEADER = ["索引号", "信息名称", "所属类别", "文号", "形成日期", "公开日期", "公开方式", "全文电子化"]


def publication_rows(n: int, month: int = 12) -> list[list[Any]]:
    """n valid publication rows for 2018-<month>."""
    cats = ["机构职能类", "民政扶贫救灾社会保障就业类", "安全生产、应急管理类", "科教文体卫生类"]
    return [
        [
            f"QY-T-2018-{i:05d}",
            f"测试信息{i}",
            cats[i % len(cats)],
            None,
            f"2018-{month:02d}-0{1 + i % 5}",
            f"2018-{month:02d}-1{i % 9}",
            "政府门户网站",
            "是",
        ]
        for i in range(n)
    ]


PROJECT_HEADER = [
    "序号",
    "项目名称",
    "总投资",
    "本月完成投资",
    "1-10月累计完成投资",
    "年度计划完成投资",
    "完成进度",
    "主要实施情况",
]


def project_rows() -> list[list[Any]]:
    """Three valid October project rows (plus their 合计 line is added by callers)."""
    return [
        [1, "甲项目", 1000, 10, 100, 200, "50.0%", "施工中"],
        [2, "乙项目", 2000, 20, 900, 1000, "90.0%", "已完工"],
        [3, "丙项目", 3000, 30, 300, 400, "75.0%", None],
    ]


def make_unit_and_batch(session, kind: str, period: str):  # type: ignore[no-untyped-def]
    """A fresh sub-district 测试街道 (code t) and an upload batch of `kind` for it."""
    ensure_reference_data(session)
    unit = OrgUnit(code="t", name="测试街道", level="subdistrict")
    session.add(unit)
    session.flush()
    batch = UploadBatch(
        kind=kind, unit_id=unit.id, period_key=period, file_name=f"{kind}.xlsx", file_hash="d" * 64
    )
    session.add(batch)
    session.flush()
    return unit, batch


# The MIME type of an .xlsx upload.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def projects_file(*, broken: bool = False, note: str | None = None) -> tuple[bytes, Decimal]:
    """January 2019's key projects as an office writes them: merged title, unit line, quirky cells, 合计, signature."""
    wb = Workbook()
    ws = wb.active
    ws.title = "1月"
    ws.append(["青阳街道2019年1月份重大项目完成情况表"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：青阳街道党政办", None, None, None, None, None, None, "单位：万元"])
    ws.append(
        [
            "序号",
            "项目名称",
            "总投资",
            "本月完成投资",
            "1-1月累计完成投资",
            "年度计划完成投资",
            "完成进度",
            "主要实施情况",
        ]
    )
    total = Decimal(0)
    for seq, (name, invest, _m10, _ytd10, plan, note) in enumerate(PROJECTS, start=1):
        month = round(plan * 0.07)
        total += month
        cells = [seq, f" {name}\u3000", str(invest).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                 month, month, f"{plan:,}", f"{month / plan:.1%}", note]  # fmt: skip
        if broken and seq == 3:
            cells[3] = "约五百"
        if note is not None and seq == 1:
            cells[7] = note
        ws.append(cells)
        if seq == 12:
            ws.append([None] * 8)
    ws.append(["合计", None, None, float(total) + (1 if broken else 0), float(total), None, None, None])
    ws.append(["填报人：王某某　　审核人：林某某"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), total
