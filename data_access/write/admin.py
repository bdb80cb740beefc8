"""Administration: the shared checks, the unit tree (any level under any other, any depth), the
unit levels (added, renamed; an office's own deleted while unused) and each unit's profile.

No Streamlit here. Each write takes the caller's session (run it inside
`db.write_session`), raises ValueError with a Chinese message when refused, appends a
`settings_change` entry to the audit log and bumps the data version so every cached
page shows the change. The checks are pure functions (`*_problem`, `target_value`,
`creates_cycle`) so they can be tested with tables of cases. The catalogue and the targets
are in `admin_catalogue`, the holiday schedule's audited writes in `admin_calendar`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal, require
from data_access.rules.vocab import UNIT_LEVELS
from data_access.store import audit, db, tally
from data_access.store.models import OrgUnit, UnitLevel
from data_access.store.reference import unit_levels

# The profile's fields as the forms and the command line name them: (column, Chinese label, max length).
PROFILE_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("full_name", "单位全称", 200),
    ("archive_name", "送交的档案馆", 100),
    ("library_name", "送交的图书馆", 100),
    ("hotline_name", "值班热线名称", 100),
    ("phone", "公开电话", 40),
    ("signature", "年度报告落款", 200),
)
TARGET_MAX = 1_000_000
_UNIT_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HOTLINE = re.compile(r"[0-9+()（）\- ]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# ------------------------------------------------------------------ pure checks
def unit_code_problem(code: str) -> str | None:
    """Why a new unit code is not acceptable (lowercase letters, digits, inner '-'), or None."""
    if not code:
        return "单位代码不能为空"
    if len(code) > 40:
        return "单位代码不能超过 40 个字符"
    if not _UNIT_CODE.fullmatch(code):
        return f"单位代码只能由小写字母、数字和连字符“-”组成，且不能以“-”开头或结尾：{code}"
    return None


def name_problem(name: str, what: str = "名称", max_length: int = 100) -> str | None:
    """Why a name is not acceptable (blank, too long, line breaks or control characters), or None."""
    if not name.strip():
        return f"{what}不能为空"
    if len(name.strip()) > max_length:
        return f"{what}不能超过 {max_length} 个字符"
    if _CONTROL.search(name):
        return f"{what}不能包含换行或控制字符"
    return None


def hotline_problem(hotline: str) -> str | None:
    """Why a hotline number is not acceptable (blank is fine: it clears the hotline), or None."""
    text = hotline.strip()
    if not text:
        return None
    if len(text) > 40:
        return "热线号码不能超过 40 个字符"
    if not _HOTLINE.fullmatch(text) or sum(ch.isdigit() for ch in text) < 3:
        return f"热线号码只能包含数字、连字符、空格、加号和括号：{text}"
    return None


def level_problem(level: str, levels: Mapping[str, str]) -> str | None:
    """Why `level` is not a unit level (code → label), or None. Any level may sit under any other."""
    if level in levels:
        return None
    choices = "、".join(f"{code}（{label}）" for code, label in levels.items())
    return f"未知的单位层级：{level}（可选：{choices}）"


def level_code_problem(code: str) -> str | None:
    """Why a new level code is not acceptable (lowercase letters, digits, inner '-', ≤ 20), or None."""
    if not code:
        return "层级代码不能为空"
    if len(code) > 20:
        return "层级代码不能超过 20 个字符"
    if not _UNIT_CODE.fullmatch(code):
        return f"层级代码只能由小写字母、数字和连字符“-”组成，且不能以“-”开头或结尾：{code}"
    return None


def profile_problem(field: str, value: str) -> str | None:
    """Why a profile value is not acceptable (blank is fine: it clears the field), or None."""
    if field == "phone":
        return hotline_problem(value)
    label, max_length = next((lb, n) for f, lb, n in PROFILE_FIELDS if f == field)
    if not value.strip():
        return None
    return name_problem(value, label, max_length)


def creates_cycle(parents: Mapping[int, int | None], unit_id: int, new_parent_id: int | None) -> bool:
    """True when putting unit_id under new_parent_id would make a unit its own ancestor."""
    seen: set[int] = set()
    current = new_parent_id
    while current is not None and current not in seen:
        if current == unit_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return current is not None  # an existing loop further up counts too


def category_code_problem(code: str, parent_code: str) -> str | None:
    """Why a new catalogue code is wrong: two digits appended to its parent's code, or None."""
    expected = len(parent_code) + 2
    if not code.isascii() or not code.isdigit():
        return f"目录编码只能由数字组成：{code}"
    if len(code) != expected or not code.startswith(parent_code):
        return f"目录编码应为上级编码 {parent_code} 后加两位数字（共 {expected} 位），例如 {parent_code}01"
    if code.endswith("00"):
        return "目录编码的最后两位不能是 00"
    return None


def target_value(value: object) -> int | None:
    """A target as entered (int, float, text, blank) → a non-negative integer, None for no target."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise ValueError("年度目标应为不小于 0 的整数")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise ValueError(f"年度目标应为不小于 0 的整数，而不是“{value.strip()}”") from None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"年度目标应为不小于 0 的整数，而不是“{value}”") from None
    if not number.is_finite():
        raise ValueError("年度目标应为不小于 0 的整数")
    if number < 0:
        raise ValueError(f"年度目标不能为负数：{value}")
    if number != number.to_integral_value():
        raise ValueError(f"年度目标应为整数：{value}")
    if number > TARGET_MAX:
        raise ValueError(f"年度目标不能超过 {TARGET_MAX}：{value}")
    return int(number)


def year_problem(year: int) -> str | None:
    """Why a year is out of range for targets and schedules, or None."""
    return None if 2000 <= year <= 2100 else f"年份应在 2000–2100 之间：{year}"


def check(problem: str | None) -> None:
    """Raise ValueError with the problem, if any."""
    if problem is not None:
        raise ValueError(problem)


# ------------------------------------------------------------------ units
@dataclass(frozen=True)
class UnitRow:
    """One unit as the admin page lists it, in hierarchy order."""

    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    depth: int
    hotline: str | None  # the public phone
    level_label: str = ""
    # The profile as entered (None: empty, the fallback applies; store.reference.unit_profile).
    full_name: str | None = None
    archive_name: str | None = None
    library_name: str | None = None
    hotline_name: str | None = None
    signature: str | None = None

    def profile_value(self, field: str) -> str:
        """A profile field as entered ('' when empty), by its PROFILE_FIELDS name."""
        return (self.hotline if field == "phone" else getattr(self, field)) or ""


def _unit_row(unit: OrgUnit, parent_code: str | None, depth: int, labels: Mapping[str, str]) -> UnitRow:
    return UnitRow(
        unit.id, unit.code, unit.name, unit.level, parent_code, depth, unit.hotline,
        labels.get(unit.level, unit.level), unit.full_name, unit.archive_name, unit.library_name,
        unit.hotline_name, unit.signature,
    )  # fmt: skip


def list_unit_rows(session: Session) -> list[UnitRow]:
    """Every unit, parents before children, siblings by sort order (any depth)."""
    units = session.scalars(select(OrgUnit).order_by(OrgUnit.sort_order, OrgUnit.id)).all()
    labels = unit_levels(session)
    children: dict[int | None, list[OrgUnit]] = {}
    codes = {u.id: u.code for u in units}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    out: list[UnitRow] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for u in children.get(parent, []):
            if u.id not in seen:
                seen.add(u.id)
                out.append(_unit_row(u, codes.get(u.parent_id) if u.parent_id else None, depth, labels))
                walk(u.id, depth + 1)

    walk(None, 0)
    return out


def locked_unit(session: Session, code: str) -> OrgUnit:
    """The unit with this code, locked for update (ValueError when unknown)."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code).with_for_update())
    if unit is None:
        raise ValueError(f"单位代码 {code} 不存在")
    return unit


def record_change(session: Session, actor: Principal | None, source: str | None, detail: str) -> None:
    """Audit a settings change and bump the data version (every cache sees it)."""
    audit.record(session, "settings_change", user=actor, detail=detail, source=source)
    db.bump_data_version(session)


def add_unit(
    session: Session,
    *,
    code: str,
    name: str,
    level: str,
    parent_code: str | None,
    hotline: str = "",
    actor: Principal,
    source: str | None = None,
) -> UnitRow:
    """Add a unit under parent_code (None: a top-level unit)."""
    require(actor, "admin_units")
    code, name, hotline, level = code.strip(), name.strip(), hotline.strip(), level.strip()
    check(unit_code_problem(code) or name_problem(name, "单位名称") or hotline_problem(hotline))
    levels = unit_levels(session)
    check(level_problem(level, levels))
    parent = locked_unit(session, parent_code) if parent_code else None
    if session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        raise ValueError(f"单位代码 {code} 已被使用")
    parent_id = parent.id if parent else None
    siblings = OrgUnit.parent_id.is_(None) if parent_id is None else OrgUnit.parent_id == parent_id
    last = session.scalar(select(func.max(OrgUnit.sort_order)).where(siblings))
    unit = OrgUnit(
        code=code,
        name=name,
        level=level,
        parent_id=parent_id,
        sort_order=(last or 0) + 1,
        hotline=hotline or None,
    )
    session.add(unit)
    session.flush()
    tally.rollup.refresh(session.connection())  # the new unit's ancestors, for the roll-up's triggers
    under = f"，上级：{parent.name}（{parent.code}）" if parent else "，顶级单位"
    record_change(session, actor, source, f"新增单位 {name}（{code}，{levels[level]}）{under}")
    return _unit_row(unit, parent.code if parent else None, 0, levels)


def rename_unit(
    session: Session, code: str, name: str, *, actor: Principal, source: str | None = None
) -> bool:
    """Rename a unit; False when the name is unchanged."""
    require(actor, "admin_units")
    name = name.strip()
    check(name_problem(name, "单位名称"))
    unit = locked_unit(session, code)
    if unit.name == name:
        return False
    old, unit.name = unit.name, name
    record_change(session, actor, source, f"单位 {code} 更名：{old} → {name}")
    return True


def set_hotline(
    session: Session, code: str, hotline: str, *, actor: Principal, source: str | None = None
) -> bool:
    """Set (blank: clear) a unit's public hotline; False when unchanged."""
    require(actor, "admin_units")
    hotline = hotline.strip()
    check(hotline_problem(hotline))
    unit = locked_unit(session, code)
    if (unit.hotline or "") == hotline:
        return False
    old, unit.hotline = unit.hotline, hotline or None
    record_change(
        session, actor, source, f"单位 {unit.name}（{code}）热线：{old or '无'} → {hotline or '无'}"
    )
    return True


def move_unit(
    session: Session,
    code: str,
    parent_code: str | None,
    *,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Put a unit (with everything under it) under another parent, whatever the levels; refuses cycles."""
    require(actor, "admin_units")
    unit = locked_unit(session, code)
    parent = locked_unit(session, parent_code) if parent_code else None
    new_parent_id = parent.id if parent else None
    if unit.parent_id == new_parent_id:
        return False
    parents = dict(session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
    if creates_cycle(parents, unit.id, new_parent_id):
        raise ValueError(f"不能把 {unit.name} 调整到它自己或它的下级单位之下")
    unit.parent_id = new_parent_id
    session.flush()
    tally.rollup.refresh(session.connection())  # the counts under its old and new ancestors move too
    where = f"{parent.name}（{parent.code}）" if parent else "顶级"
    record_change(session, actor, source, f"单位 {unit.name}（{code}）调整到 {where} 之下")
    return True


def set_profile(
    session: Session,
    code: str,
    values: Mapping[str, str | None],
    *,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Set a unit's profile fields (PROFILE_FIELDS names; None: leave as is, blank: clear, so the
    fallback applies); False when nothing changed. Every problem is refused before anything changes."""
    require(actor, "admin_units")
    labels = {f: label for f, label, _n in PROFILE_FIELDS}
    unknown = [f for f in values if f not in labels]
    if unknown:
        raise ValueError(f"未知的单位资料项：{'、'.join(unknown)}")
    given = {f: v.strip() for f, v in values.items() if v is not None}
    problems = [p for f, v in given.items() if (p := profile_problem(f, v)) is not None]
    if problems:
        raise ValueError("；".join(problems))
    unit = locked_unit(session, code)
    changes: list[str] = []
    for field, value in given.items():
        column = "hotline" if field == "phone" else field
        old = getattr(unit, column) or ""
        if old != value:
            setattr(unit, column, value or None)
            changes.append(f"{labels[field]}：{old or '无'} → {value or '无'}")
    if not changes:
        return False
    record_change(session, actor, source, f"单位 {unit.name}（{code}）资料：" + "；".join(changes))
    return True


# ------------------------------------------------------------------ levels
def add_level(
    session: Session, code: str, label: str, *, actor: Principal, source: str | None = None
) -> tuple[str, str]:
    """Add an office's own unit level (code, Chinese label) after the others; any level may sit
    under any other."""
    require(actor, "admin_units")
    code, label = code.strip(), label.strip()
    check(level_code_problem(code) or name_problem(label, "层级名称", 40))
    levels = unit_levels(session)
    if code in levels:
        raise ValueError(f"层级代码 {code} 已被使用")
    if label in levels.values():
        raise ValueError(f"层级名称“{label}”已被使用")
    last = session.scalar(select(func.max(UnitLevel.sort_order)))
    session.add(UnitLevel(code=code, label=label, sort_order=(last or 0) + 1))
    session.flush()
    record_change(session, actor, source, f"新增单位层级 {label}（{code}）")
    return code, label


def rename_level(
    session: Session, code: str, label: str, *, actor: Principal, source: str | None = None
) -> bool:
    """Rename a unit level, built-in or an office's own: the new label shows everywhere, the code
    (which units point at) stays. False when the label is unchanged."""
    require(actor, "admin_units")
    code, label = code.strip(), label.strip()
    check(name_problem(label, "层级名称", 40))
    level = session.get(UnitLevel, code, with_for_update=True)
    if level is None:
        raise ValueError(level_problem(code, unit_levels(session)))
    if level.label == label:
        return False
    if session.scalar(select(UnitLevel.code).where(UnitLevel.label == label)) is not None:
        raise ValueError(f"层级名称“{label}”已被使用")
    old, level.label = level.label, label
    session.flush()
    record_change(session, actor, source, f"单位层级 {code} 改名：{old} → {label}")
    return True


def delete_level(session: Session, code: str, *, actor: Principal, source: str | None = None) -> str:
    """Delete an office's own unit level that no unit uses; return its label. The built-in levels
    (rules.vocab.UNIT_LEVELS) stay, and a level in use is refused with how many units use it."""
    require(actor, "admin_units")
    code = code.strip()
    level = session.get(UnitLevel, code, with_for_update=True)
    if level is None:
        raise ValueError(level_problem(code, unit_levels(session)))
    if code in dict(UNIT_LEVELS):
        raise ValueError(f"“{level.label}”（{code}）是系统内置的层级，不能删除（可以改名）")
    used = session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.level == code)) or 0
    if used:
        raise ValueError(f"层级“{level.label}”（{code}）有 {used} 个单位在用，不能删除")
    label = level.label
    session.delete(level)
    session.flush()
    record_change(session, actor, source, f"删除单位层级 {label}（{code}）")
    return label
