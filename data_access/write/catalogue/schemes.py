"""Which catalogue a unit uses: give it one of its own from a year on (empty, or a copy of the one it
uses then or of its parent's), adopt the parent's again, and the 标准目录 spreadsheet of a whole
catalogue — its items, the preview of an import (nothing written), the import (all or nothing:
`CatalogueRejected` lists every problem) and the export that imports back the same."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal, require
from data_access.store import catalogue
from data_access.store.catalogue import SchemeRef
from data_access.store.models import (
    AnnualTarget,
    CatalogueScheme,
    Category,
    CategoryName,
    OrgUnit,
    Publication,
)
from data_access.write.admin import check, locked_unit, name_problem, record_change, year_problem
from data_access.write.catalogue.common import _limit_columns, _may_edit, _unit
from data_access.write.catalogue.file import (
    CatalogueDiff,
    CatalogueItem,
    ParsedCatalogue,
    catalogue_workbook,
    diff_catalogues,
    parse_catalogue,
)

COPY_SOURCES = ("current", "parent", "empty")


def _inherited(session: Session, unit: OrgUnit, year: int) -> SchemeRef | None:
    """The catalogue the unit would use in the year without one of its own."""
    if unit.parent_id is not None:
        return catalogue.scheme_for(session, unit.parent_id, year)
    return catalogue.scheme_for(session, -1, year)  # no unit: the default


def _close_own(
    session: Session, unit: OrgUnit, from_year: int, *, replace_same_year: bool = False
) -> list[str]:
    """End the unit's own schemes at from_year - 1; refuse one starting from_year or later (with
    `replace_same_year`, one starting exactly then is deleted when nothing uses it)."""
    done: list[str] = []
    for s in session.scalars(
        select(CatalogueScheme).where(CatalogueScheme.unit_id == unit.id).with_for_update()
    ).all():
        starts = s.from_year if s.from_year is not None else -1
        if starts >= from_year:
            if replace_same_year and starts == from_year:
                _delete_scheme(session, unit, s)
                done.append(f"删除 {s.name}")
                continue
            raise ValueError(
                f"{unit.name}已有自{s.from_year}年起的公开目录“{s.name}”，请修改它，或从更晚的年份起新建"
            )
        if s.to_year is None or s.to_year >= from_year:
            s.to_year = from_year - 1
            done.append(f"{s.name} 截至{from_year - 1}年")
    return done


def _delete_scheme(session: Session, unit: OrgUnit, s: CatalogueScheme) -> None:
    ids = list(session.scalars(select(Category.id).where(Category.scheme_id == s.id)))
    if ids:
        used = session.scalar(
            select(func.count()).select_from(Publication).where(Publication.category_id.in_(ids))
        ) or session.scalar(
            select(func.count()).select_from(AnnualTarget).where(AnnualTarget.category_id.in_(ids))
        )
        if used:
            raise ValueError(
                f"{unit.name}自{s.from_year}年起的公开目录“{s.name}”已被上传的信息或年度目标使用，不能删除；"
                "请从更晚的年份起更换目录"
            )
        session.execute(delete(CategoryName).where(CategoryName.category_id.in_(ids)))
        session.execute(update(Category).where(Category.id.in_(ids)).values(parent_id=None, root_id=None))
        session.execute(delete(Category).where(Category.id.in_(ids)))
    session.delete(s)
    session.flush()


def _copy_items(session: Session, source: SchemeRef, into: CatalogueScheme, year: int) -> int:
    new_ids: dict[int, Category] = {}
    listed = catalogue.items(session, source.id, year)
    originals = {c.id: c for c in session.scalars(select(Category).where(Category.scheme_id == source.id))}
    for item in listed:
        old = originals[item.id]
        parent = new_ids.get(item.parent_id) if item.parent_id else None
        cat = Category(
            scheme_id=into.id,
            code=item.code,
            name=item.name,
            level=item.level,
            parent_id=parent.id if parent else None,
            sort_order=item.sort_order,
            root_id=(parent.root_id if parent else None),
            domain=old.domain,
            content=old.content,
            basis=old.basis,
            time_limit=old.time_limit,
            limit_kind=old.limit_kind,
            limit_days=old.limit_days,
            limit_unit=old.limit_unit,
            limit_period=old.limit_period,
            subject=old.subject,
            channels=old.channels,
            audience=old.audience,
            manner=old.manner,
        )
        session.add(cat)
        session.flush()
        if parent is None:
            cat.root_id = cat.id
        new_ids[item.id] = cat
    return len(listed)


def create_scheme(
    session: Session,
    unit_code: str,
    from_year: int,
    *,
    copy: str = "current",
    name: str | None = None,
    actor: Principal,
    source: str | None = None,
) -> SchemeRef:
    """Give the unit a catalogue of its own from a year on: a copy of the one it uses then
    ('current'), of its parent's ('parent'), or empty ('empty'). Its own earlier catalogue ends
    the year before; the years before keep theirs."""
    require(actor, "admin_catalogue")
    check(year_problem(from_year))
    if copy not in COPY_SOURCES:
        raise ValueError(f"复制来源应为 {'、'.join(COPY_SOURCES)}")
    unit = locked_unit(session, unit_code)
    if not _may_edit(session, actor, unit.id):
        raise ValueError(f"您无权修改{unit.name}的公开目录")
    copied = (
        catalogue.scheme_for(session, unit.id, from_year)
        if copy == "current"
        else _inherited(session, unit, from_year)
        if copy == "parent"
        else None
    )
    closed = _close_own(session, unit, from_year)
    title = (name or "").strip() or f"{unit.name}公开目录（{from_year}年起）"
    check(name_problem(title, "目录名称"))
    scheme = CatalogueScheme(unit_id=unit.id, name=title, from_year=from_year, to_year=None)
    session.add(scheme)
    session.flush()
    n = _copy_items(session, copied, scheme, from_year) if copied is not None else 0
    what = f"复制自“{copied.name}”（{n} 项）" if copied is not None else "空目录"
    record_change(
        session, actor, source,
        f"{unit.name}新建公开目录“{title}”，自{from_year}年起，{what}" + (f"；{'；'.join(closed)}" if closed else ""),
    )  # fmt: skip
    ref = catalogue.scheme_for(session, unit.id, from_year)
    assert ref is not None
    return ref


def adopt_parent_catalogue(
    session: Session, unit_code: str, from_year: int, *, actor: Principal, source: str | None = None
) -> str:
    """From a year on, the unit uses the catalogue of the units above it again: its own catalogue
    ends the year before (one starting then or later, not yet used, is deleted). Returns the name
    of the catalogue it uses from then on."""
    require(actor, "admin_catalogue")
    check(year_problem(from_year))
    unit = locked_unit(session, unit_code)
    if not _may_edit(session, actor, unit.id):
        raise ValueError(f"您无权修改{unit.name}的公开目录")
    done: list[str] = []
    for s in session.scalars(
        select(CatalogueScheme).where(CatalogueScheme.unit_id == unit.id).with_for_update()
    ).all():
        starts = s.from_year if s.from_year is not None else -1
        if starts >= from_year:
            _delete_scheme(session, unit, s)
            done.append(f"删除“{s.name}”")
        elif s.to_year is None or s.to_year >= from_year:
            s.to_year = from_year - 1
            done.append(f"“{s.name}”截至{from_year - 1}年")
    if not done:
        raise ValueError(f"{unit.name}自{from_year}年起本就使用上级单位的公开目录")
    session.flush()
    now = _inherited(session, unit, from_year)
    used = now.name if now else "（无）"
    record_change(
        session, actor, source, f"{unit.name}自{from_year}年起改用上级公开目录“{used}”：{'；'.join(done)}"
    )
    return used


# ------------------------------------------------------------------ the 标准目录 spreadsheet
class CatalogueRejected(ValueError):
    """The spreadsheet cannot be imported; `problems` lists each with its sheet, row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            "目录文件有误，未导入：" + "；".join(problems[:20]) + ("……" if len(problems) > 20 else "")
        )
        self.problems = problems


@dataclass(frozen=True)
class CataloguePreview:
    """What importing a file for a unit from a year would do (nothing written)."""

    unit_name: str
    from_year: int
    parsed: ParsedCatalogue
    current: SchemeRef | None  # the catalogue the unit uses in that year now
    diff: CatalogueDiff | None  # None when the file has problems


def catalogue_items(
    session: Session, unit_code: str, year: int
) -> tuple[SchemeRef | None, list[CatalogueItem]]:
    """The unit's catalogue in the year as 标准目录 items (paths of the names in force that year)."""
    unit = _unit(session, unit_code)
    ref = catalogue.scheme_for(session, unit.id, year)
    if ref is None:
        return None, []
    listed = catalogue.items(session, ref.id, year)
    paths: dict[int, tuple[str, ...]] = {}
    out = []
    for item in listed:
        path = (*paths.get(item.parent_id, ()), item.name) if item.parent_id else (item.name,)
        paths[item.id] = path
        out.append(CatalogueItem(path, item.domain, dict(item.fields), item.code))
    return ref, out


def preview_catalogue_import(
    session: Session, unit_code: str, from_year: int, data: bytes
) -> CataloguePreview:
    """Read the file and compare it with the catalogue the unit uses in that year; writes nothing."""
    check(year_problem(from_year))
    unit = _unit(session, unit_code)
    parsed = parse_catalogue(data)
    current, old = catalogue_items(session, unit_code, from_year)
    diff = diff_catalogues(old, parsed.items) if not parsed.problems else None
    return CataloguePreview(unit.name, from_year, parsed, current, diff)


def import_catalogue(
    session: Session,
    unit_code: str,
    from_year: int,
    data: bytes,
    *,
    name: str | None = None,
    actor: Principal,
    source: str | None = None,
) -> CataloguePreview:
    """Make the file the unit's own catalogue from a year on (all or nothing: CatalogueRejected
    lists every problem and nothing is written). Its own earlier catalogue ends the year before;
    one of its own starting that very year is replaced while nothing uses it."""
    require(actor, "admin_catalogue")
    preview = preview_catalogue_import(session, unit_code, from_year, data)
    if preview.parsed.problems:
        raise CatalogueRejected(preview.parsed.problems)
    unit = locked_unit(session, unit_code)
    if not _may_edit(session, actor, unit.id):
        raise ValueError(f"您无权修改{unit.name}的公开目录")
    closed = _close_own(session, unit, from_year, replace_same_year=True)
    title = (name or "").strip() or f"{unit.name}公开目录（{from_year}年起）"
    check(name_problem(title, "目录名称"))
    scheme = CatalogueScheme(unit_id=unit.id, name=title, from_year=from_year, to_year=None)
    session.add(scheme)
    session.flush()
    made: dict[tuple[str, ...], Category] = {}
    order: dict[tuple[str, ...], int] = {}
    for item in preview.parsed.items:
        parent = made.get(item.path[:-1]) if item.level > 1 else None
        order[item.path[:-1]] = order.get(item.path[:-1], -1) + 1
        cat = Category(
            scheme_id=scheme.id,
            code=item.code,
            name=item.name,
            level=item.level,
            parent_id=parent.id if parent else None,
            sort_order=order[item.path[:-1]],
            root_id=parent.root_id if parent else None,
            domain=item.domain if item.level == 1 else None,
            content=item.fields.get("content"),
            basis=item.fields.get("basis"),
            subject=item.fields.get("subject"),
            channels=item.fields.get("channels"),
            audience=item.fields.get("audience"),
            manner=item.fields.get("manner"),
            **_limit_columns(item.fields.get("time_limit")),
        )
        session.add(cat)
        session.flush()
        if parent is None:
            cat.root_id = cat.id
        made[item.path] = cat
    diff = preview.diff
    assert diff is not None
    record_change(
        session, actor, source,
        f"{unit.name}导入公开目录“{title}”，自{from_year}年起，{len(made)} 项"
        f"（新增 {len(diff.added)}、停用 {len(diff.removed)}、更名 {len(diff.renamed)}、内容变化 {len(diff.changed)}）"
        + (f"；{'；'.join(closed)}" if closed else ""),
    )  # fmt: skip
    return preview


def export_catalogue(session: Session, unit_code: str, year: int) -> bytes:
    """The unit's catalogue for the year as a 标准目录 spreadsheet (.xlsx) that imports back the same."""
    unit = _unit(session, unit_code)
    ref, listed = catalogue_items(session, unit_code, year)
    if ref is None:
        raise ValueError(f"{unit.name}{year}年没有公开目录")
    return catalogue_workbook(f"{unit.name}{year}年政务公开标准目录", listed)
