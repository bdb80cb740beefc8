"""Administration writes for the catalogues (政务公开目录) and the annual publication targets.

Catalogues belong to units and years (data_access.store.catalogue): a unit uses its own, a
unit's above it, or the installation's default. Writes here create one for a unit (empty, a copy,
or imported from a 标准目录 spreadsheet — `catalogue_file`), adopt the parent's again, and add,
rename from a year, retire from a year, map to a 领域 or set the time limit of an entry, so the
years before a change keep their figures and reports. Each takes the acting Principal and checks
`admin_catalogue` first; an entry of a unit's catalogue is edited only by that unit's admins (or
those above it).

Same conventions as `admin`: functions take the caller's write session, raise ValueError
with a Chinese message, audit a `settings_change` and bump the data version. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from data_access.read.reports.format_2021 import NORMATIVE_CATEGORY
from data_access.rules.permissions import Principal, require
from data_access.rules.time_limits import describe, parse_time_limit
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
from data_access.store.reference import default_scheme, visible_unit_ids
from data_access.write.admin import (
    category_code_problem,
    check,
    locked_unit,
    name_problem,
    record_change,
    target_value,
    year_problem,
)
from data_access.write.catalogue_file import (
    CatalogueDiff,
    CatalogueItem,
    ParsedCatalogue,
    catalogue_workbook,
    diff_catalogues,
    name_changes,
    name_in,
    parse_catalogue,
)
from data_access.write.importing.cells import category_key
from data_access.write.records.validate import STALE_MESSAGE

TARGET_METRIC = "publications"


# ------------------------------------------------------------------ catalogue
@dataclass(frozen=True)
class CategoryRow:
    """One catalogue entry as it reads in a year, in tree order."""

    code: str
    name: str
    level: int
    parent_code: str | None
    domain: str | None = None
    time_limit: str | None = None
    limit: str = ""  # the parsed time limit in short words
    valid_from: int | None = None
    valid_to: int | None = None
    in_force: bool = True


@dataclass(frozen=True)
class CatalogueView:
    """The catalogue a unit uses in a year: which scheme (own, a parent's, the default) and its items."""

    unit_code: str
    unit_name: str
    year: int
    scheme: SchemeRef | None
    rows: list[CategoryRow]

    @property
    def source(self) -> str:
        """'own', 'inherited' (a unit above), 'default' (the installation's) or 'none'."""
        if self.scheme is None:
            return "none"
        if self.scheme.own:
            return "own"
        return "inherited" if self.scheme.owner_id is not None else "default"


def _rows(session: Session, scheme_id: int, year: int | None) -> list[CategoryRow]:
    listed = catalogue.items(session, scheme_id, year if year is not None else 9999, retired=True)
    if year is None:  # every item under its own name
        own = dict(
            session.execute(select(Category.id, Category.name).where(Category.scheme_id == scheme_id)).all()
        )
        listed = [replace(i, name=own[i.id], valid=True) for i in listed]
    codes = {i.id: i.code for i in listed}
    valid = {
        c.id: (c.valid_from, c.valid_to)
        for c in session.scalars(select(Category).where(Category.scheme_id == scheme_id))
    }
    return [
        CategoryRow(
            i.code,
            i.name,
            i.level,
            codes.get(i.parent_id) if i.parent_id else None,
            i.domain,
            i.fields.get("time_limit"),
            describe(i.limit) if i.limit or i.fields.get("time_limit") else "",
            *valid.get(i.id, (None, None)),
            i.valid,
        )
        for i in listed
    ]


def list_category_rows(
    session: Session, unit_code: str | None = None, year: int | None = None
) -> list[CategoryRow]:
    """The catalogue's entries, each after its parent: the unit's for the year (retired ones marked),
    or without a unit the default catalogue under the items' own names."""
    if unit_code is None:
        scheme = default_scheme(session, create=False)
        return _rows(session, scheme.id, year) if scheme is not None else []
    view = catalogue_view(session, unit_code, year or dt.date.today().year)
    return view.rows


def catalogue_view(session: Session, unit_code: str, year: int) -> CatalogueView:
    """Which catalogue the unit uses in the year, and its entries as they read that year."""
    unit = _unit(session, unit_code)
    ref = catalogue.scheme_for(session, unit.id, year)
    return CatalogueView(unit.code, unit.name, year, ref, _rows(session, ref.id, year) if ref else [])


def _unit(session: Session, code: str) -> OrgUnit:
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise ValueError(f"单位代码 {code} 不存在")
    return unit


def _may_edit(session: Session, actor: Principal, owner_id: int | None) -> bool:
    """The default catalogue: anyone who may administer catalogues; a unit's: its administrators
    and those of the units above it."""
    return owner_id is None or actor.is_operator or owner_id in visible_unit_ids(session, actor)


def _scheme(session: Session, actor: Principal, unit_code: str | None, year: int | None) -> CatalogueScheme:
    """The scheme an edit applies to, locked: the unit's catalogue in the year (the default
    catalogue without a unit)."""
    if unit_code is None:
        scheme = default_scheme(session)
        assert scheme is not None
    else:
        unit = _unit(session, unit_code)
        when = year or dt.date.today().year
        ref = catalogue.scheme_for(session, unit.id, when)
        if ref is None:
            raise ValueError(f"{unit.name}{when}年没有公开目录，请先新建、复制或导入目录")
        if not _may_edit(session, actor, ref.owner_id):
            raise ValueError(
                f"{unit.name}{when}年使用的是{ref.owner_name}的公开目录，您无权修改；可先为本单位复制一份再修改"
            )
        scheme = session.get(CatalogueScheme, ref.id)
        assert scheme is not None
    locked = session.scalar(select(CatalogueScheme).where(CatalogueScheme.id == scheme.id).with_for_update())
    assert locked is not None
    return locked


def _category(session: Session, scheme_id: int, code: str) -> Category:
    cat = session.scalar(
        select(Category).where(Category.scheme_id == scheme_id, Category.code == code).with_for_update()
    )
    if cat is None:
        raise ValueError(f"目录编码 {code} 不存在")
    return cat


def _name_taken(
    session: Session, scheme_id: int, name: str, year: int | None, except_code: str | None = None
) -> str | None:
    """The code of another entry in force that year whose name reads the same (uploads match
    categories by name)."""
    key = category_key(name)
    for row in _rows(session, scheme_id, year):
        if row.in_force and row.code != except_code and category_key(row.name) == key:
            return row.code
    return None


def _limit_columns(text: str | None) -> dict[str, object]:
    limit = parse_time_limit(text)
    return {
        "time_limit": text or None,
        "limit_kind": limit.kind if limit else None,
        "limit_days": limit.days if limit else None,
        "limit_unit": limit.unit if limit else None,
        "limit_period": limit.period if limit else None,
    }


def add_category(
    session: Session,
    *,
    parent_code: str | None,
    code: str,
    name: str,
    unit_code: str | None = None,
    year: int | None = None,
    domain: str | None = None,
    time_limit: str | None = None,
    actor: Principal,
    source: str | None = None,
) -> CategoryRow:
    """Add an entry to the unit's catalogue of the year (the default catalogue without a unit):
    a level-one entry (no parent) or one under any entry; in force from `year` on."""
    require(actor, "admin_catalogue")
    code, name = code.strip(), name.strip()
    check(name_problem(name, "目录名称"))
    if year is not None:
        check(year_problem(year))
    scheme = _scheme(session, actor, unit_code, year)
    parent = _category(session, scheme.id, parent_code) if parent_code else None
    check(category_code_problem(code, parent.code if parent else ""))
    if len(code) > 20:
        raise ValueError("目录层级过深：目录编码最多 20 位")
    if (
        session.scalar(select(Category.id).where(Category.scheme_id == scheme.id, Category.code == code))
        is not None
    ):
        raise ValueError(f"目录编码 {code} 已存在")
    if (taken := _name_taken(session, scheme.id, name, year)) is not None:
        raise ValueError(f"目录名称“{name}”与编码 {taken} 的名称重复（上传时按名称识别类别）")
    if domain is not None:
        domain = domain.strip() or None
        check(name_problem(domain, "领域", 40) if domain else None)
    last = session.scalar(
        select(func.max(Category.sort_order)).where(
            Category.scheme_id == scheme.id,
            Category.parent_id == parent.id if parent else Category.parent_id.is_(None),
        )
    )
    starts_later = year is not None and (scheme.from_year is None or year > scheme.from_year)
    cat = Category(
        scheme_id=scheme.id,
        code=code,
        name=name,
        level=parent.level + 1 if parent else 1,
        parent_id=parent.id if parent else None,
        sort_order=(last if last is not None else -1) + 1,
        root_id=(parent.root_id or parent.id) if parent else None,
        valid_from=year if starts_later else None,
        domain=domain,
        **_limit_columns(time_limit.strip() if time_limit else None),
    )
    session.add(cat)
    session.flush()
    if parent is None:
        cat.root_id = cat.id
    where = f"（上级 {parent.code} {parent.name}）" if parent else ""
    since = f"，自{year}年起" if starts_later else ""
    record_change(session, actor, source, f"{scheme.name}：新增{cat.level}级目录 {code} {name}{where}{since}")
    return CategoryRow(code, name, cat.level, parent.code if parent else None, domain, cat.time_limit)


def rename_category(
    session: Session,
    code: str,
    name: str,
    *,
    unit_code: str | None = None,
    from_year: int | None = None,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Rename an entry from a year on (the years before keep the old name, their figures and
    reports unchanged); without a year, correct its own name (every year that has no later
    rename). False when unchanged."""
    require(actor, "admin_catalogue")
    name = name.strip()
    check(name_problem(name, "目录名称"))
    if from_year is not None:
        check(year_problem(from_year))
    scheme = _scheme(session, actor, unit_code, from_year)
    cat = _category(session, scheme.id, code)
    history = [(None, cat.name), *session.execute(
        select(CategoryName.from_year, CategoryName.name).where(CategoryName.category_id == cat.id)
    ).all()]  # fmt: skip
    old = name_in(history, from_year) if from_year is not None else cat.name
    if old == name:
        return False
    if cat.level == 2 and NORMATIVE_CATEGORY in (cat.name, old):
        raise ValueError(f"“{NORMATIVE_CATEGORY}”用于年度报告统计行政规范性文件，不能更名")
    if (taken := _name_taken(session, scheme.id, name, from_year, except_code=code)) is not None:
        raise ValueError(f"目录名称“{name}”与编码 {taken} 的名称重复（上传时按名称识别类别）")
    if from_year is None:
        cat.name = name
        record_change(session, actor, source, f"{scheme.name}：目录 {code} 更名：{old} → {name}")
        return True
    row = session.scalar(
        select(CategoryName).where(CategoryName.category_id == cat.id, CategoryName.from_year == from_year)
    )
    if row is None:
        session.add(CategoryName(category_id=cat.id, from_year=from_year, name=name))
    else:
        row.name = name
    session.flush()
    record_change(session, actor, source, f"{scheme.name}：目录 {code} 自{from_year}年起更名：{old} → {name}")
    return True


def preview_rename(
    session: Session, code: str, name: str, *, unit_code: str, from_year: int
) -> list[tuple[str, str, str]]:
    """Preview of a rename: (years, name before, name after) for each span whose name would change."""
    ref = catalogue.scheme_for(session, _unit(session, unit_code).id, from_year)
    if ref is None:
        return []
    cat = session.scalar(select(Category).where(Category.scheme_id == ref.id, Category.code == code))
    if cat is None:
        raise ValueError(f"目录编码 {code} 不存在")
    history = [(None, cat.name), *session.execute(
        select(CategoryName.from_year, CategoryName.name).where(CategoryName.category_id == cat.id)
    ).all()]  # fmt: skip
    return name_changes(history, from_year, name.strip())


def retire_category(
    session: Session,
    code: str,
    *,
    unit_code: str | None = None,
    from_year: int,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Retire an entry (and those under it) from a year on: the years before keep it. False when it
    is retired by then already."""
    require(actor, "admin_catalogue")
    check(year_problem(from_year))
    scheme = _scheme(session, actor, unit_code, from_year)
    cat = _category(session, scheme.id, code)
    if cat.valid_to is not None and cat.valid_to < from_year:
        return False
    cat.valid_to = from_year - 1
    record_change(session, actor, source, f"{scheme.name}：目录 {code} {cat.name} 自{from_year}年起停用")
    return True


def set_category_domain(
    session: Session,
    code: str,
    domain: str | None,
    *,
    unit_code: str | None = None,
    year: int | None = None,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Map a level-one entry to a standard 领域 (None: no mapping); False when unchanged."""
    require(actor, "admin_catalogue")
    domain = (domain or "").strip() or None
    if domain:
        check(name_problem(domain, "领域", 40))
    scheme = _scheme(session, actor, unit_code, year)
    cat = _category(session, scheme.id, code)
    if cat.level != 1:
        raise ValueError("只有一级目录可以对应领域（下级目录随其一级目录汇总）")
    if cat.domain == domain:
        return False
    old, cat.domain = cat.domain, domain
    record_change(
        session,
        actor,
        source,
        f"{scheme.name}：目录 {code} {cat.name} 对应领域：{old or '无'} → {domain or '无'}",
    )
    return True


def set_category_time_limit(
    session: Session,
    code: str,
    time_limit: str | None,
    *,
    unit_code: str | None = None,
    year: int | None = None,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Set an entry's 公开时限 (the text as the catalogue writes it; parsed into its rule)."""
    require(actor, "admin_catalogue")
    text = (time_limit or "").strip() or None
    if text and len(text) > 200:
        raise ValueError("公开时限不能超过 200 个字")
    scheme = _scheme(session, actor, unit_code, year)
    cat = _category(session, scheme.id, code)
    if cat.time_limit == text:
        return False
    for column, value in _limit_columns(text).items():
        setattr(cat, column, value)
    record_change(
        session, actor, source, f"{scheme.name}：目录 {code} {cat.name} 公开时限：{text or '未注明'}"
    )
    return True


# ------------------------------------------------------------------ schemes
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


# ------------------------------------------------------------------ annual targets
@dataclass(frozen=True)
class TargetRow:
    """One line of a unit's targets for a year: the total (category None) or a level-one category.

    `version` is the stored row's (None while the target is not set): the editor hands the
    versions it was drawn with back to `save_targets`, which refuses a save over a newer value.
    """

    category_code: str | None
    category_name: str | None
    target: int | None
    version: int | None = None


def list_targets(session: Session, unit_code: str, year: int) -> list[TargetRow]:
    """The total and every level-one category of the unit's catalogue for the year (under its name
    that year) with its publication target (None: not set)."""
    unit = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    if unit is None:
        raise ValueError(f"单位代码 {unit_code} 不存在")
    stored = {
        cat: (int(value), version)
        for cat, value, version in session.execute(
            select(AnnualTarget.category_id, AnnualTarget.target, AnnualTarget.version).where(
                AnnualTarget.unit_id == unit, AnnualTarget.year == year, AnnualTarget.metric == TARGET_METRIC
            )
        )
    }
    roots = [(i.id, i.code, i.name) for i in catalogue.unit_items(session, unit, year) if i.level == 1]
    return [TargetRow(None, None, *stored.get(None, (None, None)))] + [
        TargetRow(code, name, *stored.get(cid, (None, None))) for cid, code, name in roots
    ]


def save_targets(
    session: Session,
    unit_code: str,
    year: int,
    values: Mapping[str | None, object],
    *,
    loaded: Mapping[str | None, int | None] | None = None,
    actor: Principal,
    source: str | None = None,
) -> int:
    """Set a unit's targets for a year ({category code or None for the total: value}); return changes.

    `loaded` ({code: version, None while unset}) is what the editor was drawn with: a target it
    changes must still have that version (the unit lock queues simultaneous saves), else
    ValueError "该记录已被他人修改，请刷新后重试" and nothing is written. The ORM checks the
    version again in each UPDATE/DELETE (AnnualTarget's version_id_col).
    """
    require(actor, "admin_targets")
    check(year_problem(year))
    unit = locked_unit(session, unit_code)
    level_one = [i for i in catalogue.unit_items(session, unit.id, year) if i.level == 1]
    roots = {i.code: i.id for i in level_one}
    names = {i.code: i.name for i in level_one}
    wanted: dict[int | None, int | None] = {}
    for code, raw in values.items():
        if code is not None and code not in roots:
            raise ValueError(f"一级目录编码 {code} 不存在")
        try:
            wanted[roots.get(code) if code else None] = target_value(raw)
        except ValueError as exc:
            raise ValueError(f"{names.get(code, '总计') if code else '总计'}：{exc}") from None
    existing = {
        t.category_id: t
        for t in session.scalars(
            select(AnnualTarget).where(
                AnnualTarget.unit_id == unit.id,
                AnnualTarget.year == year,
                AnnualTarget.metric == TARGET_METRIC,
            )
        )
    }
    label = {cid: names[code] for code, cid in roots.items()} | {None: "总计"}
    changes: list[str] = []
    code_of = {cid: code for code, cid in roots.items()} | {None: None}
    for cid, value in wanted.items():
        row = existing.get(cid)
        old = int(row.target) if row is not None else None
        if old == value:
            continue
        if loaded is not None and (row.version if row is not None else None) != loaded.get(code_of[cid]):
            raise ValueError(STALE_MESSAGE)
        if value is None and row is not None:
            session.delete(row)
        elif row is None:
            session.add(
                AnnualTarget(unit_id=unit.id, year=year, metric=TARGET_METRIC, category_id=cid, target=value)
            )
        else:
            row.target = Decimal(value)
        changes.append(
            f"{label[cid]} {'未设' if old is None else old} → {'未设' if value is None else value}"
        )
    if changes:
        try:
            session.flush()
        except StaleDataError:
            raise ValueError(STALE_MESSAGE) from None
        record_change(session, actor, source, f"{unit.name} {year} 年主动公开目标：" + "；".join(changes))
    return len(changes)
