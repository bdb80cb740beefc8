"""Editing the entries of a catalogue: add one, rename it from a year (or correct its own name), retire
it from a year, map a level-one entry to a 领域, set its 公开时限, and the preview of a rename. Each
applies to the scheme the unit uses in the year (`common._scheme`), so the years before a change keep
their figures and reports."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.read.reports.format_2021 import NORMATIVE_CATEGORY
from data_access.rules.permissions import Principal, require
from data_access.store import catalogue
from data_access.store.models import Category, CategoryName
from data_access.write.admin import category_code_problem, check, name_problem, record_change, year_problem
from data_access.write.catalogue.common import (
    CategoryRow,
    _category,
    _limit_columns,
    _name_taken,
    _scheme,
    _unit,
)
from data_access.write.catalogue.file import name_changes, name_in


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
