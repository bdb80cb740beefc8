"""Administration: the shared checks and the unit hierarchy.

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
from data_access.store import audit, db
from data_access.store.models import OrgUnit

LEVEL_NAMES: Mapping[str, str] = {
    "city": "市（县）",
    "subdistrict": "街道（乡镇）",
    "community": "社区（村）",
    "department": "部门",
}
# Which level may sit under which: city → sub-district → community / department.
CHILD_LEVELS: Mapping[str | None, tuple[str, ...]] = {
    None: ("city", "subdistrict"),
    "city": ("subdistrict", "department"),
    "subdistrict": ("community", "department"),
    "community": (),
    "department": (),
}
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


def child_level_problem(parent_level: str | None, level: str) -> str | None:
    """Why a unit of `level` cannot sit under a parent of `parent_level` (None: top level), or None."""
    if level not in UNIT_LEVELS:
        return f"未知的单位层级：{level}"
    allowed = CHILD_LEVELS.get(parent_level, ())
    if level in allowed:
        return None
    if parent_level is None:
        return f"顶级单位只能是{'或'.join(LEVEL_NAMES[x] for x in allowed)}"
    if not allowed:
        return f"{LEVEL_NAMES[parent_level]}下不能再设下级单位"
    names = "或".join(LEVEL_NAMES[x] for x in allowed)
    return f"{LEVEL_NAMES[parent_level]}下只能设{names}，不能设{LEVEL_NAMES[level]}"


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
    hotline: str | None


def list_unit_rows(session: Session) -> list[UnitRow]:
    """Every unit, parents before children, siblings by sort order."""
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.hotline)
        .order_by(OrgUnit.sort_order, OrgUnit.id)
    ).all()  # fmt: skip
    children: dict[int | None, list] = {}
    codes = {r.id: r.code for r in rows}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    out: list[UnitRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for r in children.get(parent, []):
            out.append(UnitRow(r.id, r.code, r.name, r.level, codes.get(r.parent_id), depth, r.hotline))
            walk(r.id, depth + 1)

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
    code, name, hotline = code.strip(), name.strip(), hotline.strip()
    check(unit_code_problem(code) or name_problem(name, "单位名称") or hotline_problem(hotline))
    parent = locked_unit(session, parent_code) if parent_code else None
    check(child_level_problem(parent.level if parent else None, level))
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
    under = f"，上级：{parent.name}（{parent.code}）" if parent else "，顶级单位"
    record_change(session, actor, source, f"新增单位 {name}（{code}，{LEVEL_NAMES[level]}）{under}")
    return UnitRow(unit.id, code, name, level, parent.code if parent else None, 0, unit.hotline)


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
    """Put a unit (with everything under it) under another parent; refuses cycles and wrong levels."""
    require(actor, "admin_units")
    unit = locked_unit(session, code)
    parent = locked_unit(session, parent_code) if parent_code else None
    new_parent_id = parent.id if parent else None
    if unit.parent_id == new_parent_id:
        return False
    parents = dict(session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
    if creates_cycle(parents, unit.id, new_parent_id):
        raise ValueError(f"不能把 {unit.name} 调整到它自己或它的下级单位之下")
    check(child_level_problem(parent.level if parent else None, unit.level))
    unit.parent_id = new_parent_id
    where = f"{parent.name}（{parent.code}）" if parent else "顶级"
    record_change(session, actor, source, f"单位 {unit.name}（{code}）调整到 {where} 之下")
    return True
