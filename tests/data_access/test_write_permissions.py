"""Every write of data_access.write checks the acting principal's permission itself.

One table names each public write entry point with the action it needs (permissions.PERMISSIONS)
and how to call it. For every entry point × every role: a role that may do the action gets the
write done; one that may not gets PermissionDenied naming its role and the action, and not one
row of any table changed. The entry points are checked against the modules: a public function of
data_access.write whose name says it writes and that is in neither the table nor the list of
exemptions (with the reason it needs no permission) fails the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import inspect
import io
import pkgutil
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

import data_access.write
from data_access.rules import permissions
from data_access.rules.permissions import OPERATOR, PermissionDenied, Principal
from data_access.rules.vocab import ROLES
from data_access.rules.workdays import DayOverride
from data_access.store import db
from data_access.store.models import Base, Category, LoginSession, OrgUnit
from data_access.store.reference import ensure_reference_data
from data_access.write import admin, auth, balances, importing, records
from data_access.write import calendar as admin_calendar
from data_access.write import catalogue as admin_catalogue
from data_access.write.auth import passwords
from data_access.write.undo import undo
from tests.helpers.databases import migrated_database
from tests.helpers.hashing import cheap_hasher

UNIT = "qingyang"
TODAY = dt.date(2019, 12, 31)
SCHEDULED = dt.date(2031, 10, 8)
PASSWORD = "pass-word-1"
REQUEST = {
    "request_no": "YSQ-2019-001",
    "received_date": "2019-09-27",
    "channel": "网络",
    "applicant_type": "自然人",
    "applicant_name": "陈某",
    "applicant_contact": "13800000000",
    "summary": "申请公开安置房分配方案",
}
PUB_HEADER = ["索引号", "信息名称", "所属类别", "文号", "形成日期", "公开日期", "公开方式", "全文电子化"]
PUB_ROW = [
    "QY-P-2018-00001",
    "测试信息",
    "科教文体卫生类",
    "",
    "2018-12-01",
    "2018-12-10",
    "政府门户网站",
    "是",
]

# A name that says it writes (what the check looks for).
WRITE_NAME = re.compile(
    r"(add|rename|set|save|create|disable|enable|move|remove|commit|undo|register|update|change|record"
    r"|ensure|start|end|mark|redeem|delete|authenticate|sso_login|retire|adopt|import|correct|withdraw|restore)(_|$)"
)

Call = Callable[[Engine, Principal, dict[str, Any]], object]


def _in_session(write: Callable[..., object], *args: object, **kwargs: object) -> Call:
    """A write that takes (session, ...) and the acting principal as `actor`."""

    def call(engine: Engine, who: Principal, ctx: dict[str, Any]) -> object:
        with db.write_session(engine) as s:
            named = {k: v(ctx) if callable(v) else v for k, v in kwargs.items()}
            return write(s, *[a(ctx) if callable(a) else a for a in args], actor=who, **named)

    return call


def _form(write: Callable[..., object], *args: object, **kwargs: object) -> Call:
    """A 逐条登记 save: (session, principal, unit, values, today, ...)."""

    def call(engine: Engine, who: Principal, ctx: dict[str, Any]) -> object:
        with db.write_session(engine) as s:
            extra = {k: v(ctx) if callable(v) else v for k, v in kwargs.items()}
            return write(s, who, *args, **extra)

    return call


def _commit(engine: Engine, who: Principal, ctx: dict[str, Any]) -> object:
    out = io.StringIO()
    csv.writer(out).writerows([PUB_HEADER, PUB_ROW])
    result = importing.commit(engine, who, out.getvalue().encode(), "publications", UNIT, "2018-12", "p.csv")
    assert result.status == "committed", result.issues
    return result


def _undo(engine: Engine, who: Principal, ctx: dict[str, Any]) -> object:
    return undo(engine, who, ctx["hotline_batch"])


# face.name → (the action it needs, how to call it in the state `world` makes)
ENTRY_POINTS: dict[str, tuple[str, Call]] = {
    "admin.add_unit": (
        "admin_units",
        _in_session(admin.add_unit, code="donggang", name="东港社区", level="community", parent_code=UNIT),
    ),
    "admin.rename_unit": ("admin_units", _in_session(admin.rename_unit, "xiyuan", "西园新社区")),
    "admin.set_hotline": ("admin_units", _in_session(admin.set_hotline, "xiyuan", "0595-85601021")),
    "admin.move_unit": ("admin_units", _in_session(admin.move_unit, "xiyuan", "meiling")),
    "admin.set_profile": (
        "admin_units",
        _in_session(admin.set_profile, "xiyuan", {"full_name": "某街道西园社区居民委员会", "hotline_name": "12345热线"}),
    ),
    "admin.add_level": ("admin_units", _in_session(admin.add_level, "zone", "开发区")),
    "admin.rename_level": ("admin_units", _in_session(admin.rename_level, "community", "社区（居委会）")),
    "admin.delete_level": ("admin_units", _in_session(admin.delete_level, "park")),
    "catalogue.add_category": (
        "admin_catalogue",
        _in_session(admin_catalogue.add_category, parent_code=lambda c: c["root"], code=lambda c: c["root"] + "99", name="新增目录"),
    ),
    "catalogue.rename_category": (
        "admin_catalogue",
        _in_session(admin_catalogue.rename_category, lambda c: c["root"], "更名后的目录"),
    ),
    "catalogue.save_targets": ("admin_targets", _in_session(admin_catalogue.save_targets, UNIT, 2019, {None: 120})),
    "catalogue.save_documents_target": (
        "admin_targets", _in_session(admin_catalogue.save_documents_target, UNIT, 2019, "40"),
    ),
    "catalogue.retire_category": (
        "admin_catalogue", _in_session(admin_catalogue.retire_category, lambda c: c["root"], from_year=2030),
    ),
    "catalogue.set_category_domain": (
        "admin_catalogue", _in_session(admin_catalogue.set_category_domain, lambda c: c["root"], "机构职能"),
    ),
    "catalogue.set_category_time_limit": (
        "admin_catalogue", _in_session(admin_catalogue.set_category_time_limit, lambda c: c["root"], "每季度"),
    ),
    "catalogue.create_scheme": (
        "admin_catalogue", _in_session(admin_catalogue.create_scheme, UNIT, 2020, copy="current"),
    ),
    "catalogue.adopt_parent_catalogue": (
        "admin_catalogue", _in_session(admin_catalogue.adopt_parent_catalogue, "xiyuan", 2021),
    ),
    "catalogue.import_catalogue": (
        "admin_catalogue",
        _in_session(admin_catalogue.import_catalogue, UNIT, 2022,
                    "一级事项,二级事项,公开时限\n工作动态,会议,每月\n".encode()),
    ),
    "calendar.save_year_schedule": (
        "admin_holidays",
        _in_session(admin_calendar.save_year_schedule, 2031, [DayOverride(dt.date(2031, 10, 1), False, "国庆节")]),
    ),
    "calendar.remove_overrides": ("admin_holidays", _in_session(admin_calendar.remove_overrides, [SCHEDULED])),
    "auth.create_user": ("admin_users", _in_session(auth.create_user, "newcomer", role="leader", unit_code=UNIT)),
    "auth.set_password": ("admin_users", _in_session(auth.set_password, "someone", "another-pass-2")),
    "auth.disable_user": ("admin_users", _in_session(auth.disable_user, "someone")),
    "auth.enable_user": ("admin_users", _in_session(auth.enable_user, "retired")),
    "auth.set_email": ("admin_users", _in_session(auth.set_email, "someone", "someone@example.gov.cn")),
    "records.register_request": (
        "edit_records",
        _form(records.register_request, UNIT, {**REQUEST, "request_no": "YSQ-2019-002"}, TODAY),
    ),
    "records.update_request": (
        "edit_records",
        _form(records.update_request, UNIT, "YSQ-2019-001", {"reply_date": "2019-10-20", "outcome": "予以公开"},
              TODAY, loaded=lambda c: c["stamp"]),
    ),
    "records.add_appeal": (
        "edit_records",
        _form(records.add_appeal, UNIT, {"kind": "行政复议", "filed_date": "2019-11-04"}, TODAY),
    ),
    "records.add_interpretation": (
        "edit_records",
        _form(records.add_interpretation, UNIT, {"title": "解读工作要点", "published_date": "2019-03-01"}, TODAY),
    ),
    "records.add_hotline": (
        "edit_records",
        _form(records.add_hotline, UNIT, {"duty_date": "2019-05-07", "official": "王主任"}, TODAY),
    ),
    "records.add_board_update": (
        "edit_boards_deliveries",
        _form(records.add_board_update, UNIT,
              {"board": "西园社区公开栏", "location": "社区门口", "update_date": "2019-10-08", "kind": "季度更新"}, TODAY),
    ),
    "records.save_delivery": (
        "edit_boards_deliveries",
        _form(records.save_delivery, UNIT,
              {"period_ym": "2019-09", "recipient": "市档案馆", "delivered_date": "2019-10-09", "item_count": 12},
              TODAY, loaded=None),
    ),
    "records.save_annual_figures": (
        "edit_records",
        _form(records.save_annual_figures, UNIT, 2019, {"licensing": records.AnnualFormItem({"decisions": "3"})}),
    ),
    "balances.set_opening_balance": (
        "admin_units", _in_session(balances.set_opening_balance, UNIT, 2019, {"publications": 10, "requests": 2}),
    ),
    "balances.remove_opening_balance": ("admin_units", _in_session(balances.remove_opening_balance, UNIT)),
    "balances.record_zero_report": (
        "edit_records", _in_session(balances.record_zero_report, UNIT, "interpretations", 2019),
    ),
    "balances.remove_zero_report": (
        "edit_records", _in_session(balances.remove_zero_report, UNIT, "interpretations", 2019),
    ),
    "records.correct_publication": (
        "edit_records",
        _form(records.correct_publication, UNIT, "QY-W-2018-00002", {"title": "更正后的标题"}, "2019-01-05", "",
              TODAY, loaded=lambda ctx: ctx["stamps"]["QY-W-2018-00002"]),
    ),
    "records.withdraw_publication": (
        "edit_records",
        _form(records.withdraw_publication, UNIT, "QY-W-2018-00003", "2018-12-20", "内容有误", TODAY,
              loaded=lambda ctx: ctx["stamps"]["QY-W-2018-00003"]),
    ),
    "records.restore_publication": (
        "restore_withdrawn",
        _form(records.restore_publication, UNIT, "QY-W-2018-00001", "2019-01-02", "", TODAY,
              loaded=lambda ctx: ctx["stamps"]["QY-W-2018-00001"]),
    ),
    "importing.commit": ("upload", _commit),
    "undo.undo": ("undo", _undo),
}  # fmt: skip

# Writes that need no permission, and why.
EXEMPT: dict[str, str] = {
    "admin.record_change": "a helper of the unit, catalogue and target writes, called after their check",
    "auth.authenticate": "the login itself: nobody is logged in yet",
    "auth.sso_login": "the login itself, through the trusted proxy's header",
    "auth.start_session": "opens the login just checked by authenticate / sso_login",
    "auth.redeem_handoff": "trades a login's one-time code for its cookie (the code is the credential)",
    "auth.mark_session_seen": "keeps the cookie's own login alive",
    "auth.end_session": "ends the login the cookie stands for (logout); record_logout scopes it to its owner",
    "auth.end_user_sessions": "called by the checked user writes (password reset, disabling)",
    "auth.ensure_session_secret": "server state created by init",
    "auth.ensure_first_admin": "first run: acts as the operator",
    "auth.change_own_password": "self-service: acts only on the principal's own account",
    "auth.set_own_email": "self-service: sets only the principal's own reminder address",
    "auth.record_logout": "self-service: ends only a login of the principal's own",
    "importing.register_names": "a read: lists the publication registers (register is the noun here)",
}


def write_faces() -> dict[str, ModuleType]:
    """The public faces of data_access.write: each top-level module or package, by short name."""
    return {
        info.name: importlib.import_module(f"data_access.write.{info.name}")
        for info in pkgutil.iter_modules(data_access.write.__path__)
    }


def public_writes(faces: dict[str, ModuleType]) -> set[str]:
    """face.name of every public function of a face whose name says it writes: a package's
    __all__, a module's own functions."""
    found = set()
    for face, module in faces.items():
        if hasattr(module, "__path__"):
            names: Iterable[str] = getattr(module, "__all__", ())
        else:
            names = [
                n
                for n, f in inspect.getmembers(module, inspect.isfunction)
                if f.__module__ == module.__name__
            ]
        found |= {
            f"{face}.{n}"
            for n in names
            if not n.startswith("_") and inspect.isfunction(getattr(module, n)) and WRITE_NAME.match(n)
        }
    return found


def unchecked(found: Iterable[str]) -> list[str]:
    """The writes neither in the table nor exempt."""
    return sorted(set(found) - set(ENTRY_POINTS) - set(EXEMPT))


def test_every_write_is_in_the_table_or_exempt_with_a_reason():
    found = public_writes(write_faces())
    assert unchecked(found) == []
    assert set(ENTRY_POINTS) | set(EXEMPT) <= found  # nothing stale in the lists
    assert not set(ENTRY_POINTS) & set(EXEMPT)


def test_the_check_catches_a_new_write():
    module = ModuleType("data_access.write.widgets")
    exec("def add_widget(session, name): pass\ndef list_widgets(session): pass", module.__dict__)  # noqa: S102
    assert unchecked(public_writes({"widgets": module})) == ["widgets.add_widget"]


def test_every_action_of_the_table_is_a_permission_action():
    assert {action for action, _ in ENTRY_POINTS.values()} <= set(permissions.PERMISSION_ACTIONS)


# ------------------------------------------------------------------ the table, role by role
pytestmark = pytest.mark.usefixtures("fast_hashing")  # cheap argon2 parameters (tests/conftest.py)


def _counts(engine: Engine) -> dict[str, int]:
    with db.read_session(engine) as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def world_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Principal]]:
    """The world below, built once per module in a SQLite file that each test copies."""
    url, drop = migrated_database("sqlite", tmp_path_factory.mktemp("world"))
    engine = db.make_engine(url)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(passwords, "_HASHER", cheap_hasher())
            ctx, who = _build_world(engine)
    finally:
        engine.dispose()
    path = Path(engine.url.database or "")
    yield path, ctx, who  # type: ignore[misc]
    drop()


@pytest.fixture
def world(world_file, tmp_path: Path) -> Iterator[tuple[Engine, dict[str, Any], dict[str, Principal]]]:  # type: ignore[no-untyped-def]
    """A copy of the world for one test."""
    path, ctx, who = world_file
    copy = tmp_path / "world.sqlite"
    shutil.copyfile(path, copy)
    engine = db.make_engine(f"sqlite:///{copy}")
    try:
        yield engine, dict(ctx), who
    finally:
        engine.dispose()


def _build_world(engine: Engine) -> tuple[dict[str, Any], dict[str, Principal]]:
    """jinjiang → qingyang → xiyuan and jinjiang → meiling; an unused own level; a user of each role
    in qingyang, two more users, a registered request, a hotline duty, an entered holiday."""
    with db.write_session(engine) as s:
        ensure_reference_data(s)
        city = OrgUnit(code="jinjiang", name="晋江市", level="city")
        s.add(city)
        s.flush()
        sub = OrgUnit(code=UNIT, name="青阳街道", level="subdistrict", parent_id=city.id)
        s.add_all([sub, OrgUnit(code="meiling", name="梅岭街道", level="subdistrict", parent_id=city.id)])
        s.flush()
        s.add(OrgUnit(code="xiyuan", name="西园社区", level="community", parent_id=sub.id))
        s.flush()
        admin.add_level(s, "park", "园区", actor=OPERATOR)  # an own level no unit uses, to delete
        for name, role in [*((f"as_{r}", r) for r in ROLES), ("someone", "leader"), ("retired", "staff")]:
            auth.create_user(s, name, role=role, unit_code=UNIT, password=PASSWORD, actor=OPERATOR)
        auth.disable_user(s, "retired", actor=OPERATOR)
        records.register_request(s, OPERATOR, UNIT, REQUEST, TODAY)
        hotline = records.add_hotline(
            s, OPERATOR, UNIT, {"duty_date": "2019-05-06", "official": "林主任"}, TODAY
        )
        admin_calendar.save_year_schedule(s, 2031, [DayOverride(SCHEDULED, True, "调休")], actor=OPERATOR)
        admin_catalogue.create_scheme(
            s, "xiyuan", 2020, copy="empty", actor=OPERATOR
        )  # its own, to adopt from
        root = s.scalar(
            select(Category.code).where(Category.level == 1).order_by(Category.sort_order).limit(1)
        )
    # Three November items: one withdrawn (to restore), one to correct, one to withdraw.
    out = io.StringIO()
    csv.writer(out).writerows(
        [PUB_HEADER, *([f"QY-W-2018-0000{i}", f"十一月信息{i}", *PUB_ROW[2:4], "2018-11-01", "2018-11-05",
                        *PUB_ROW[6:]] for i in (1, 2, 3))]
    )  # fmt: skip
    assert (
        importing.commit(engine, OPERATOR, out.getvalue().encode(), "publications", UNIT, "2018-11").status
        == "committed"
    )
    with db.write_session(engine) as s:
        first = records.find_publication(s, UNIT, "QY-W-2018-00001")
        assert first is not None
        records.withdraw_publication(
            s, OPERATOR, UNIT, first.index_no, "2018-12-01", "内容有误", TODAY, loaded=first.stamp
        )
    with db.read_session(engine) as s:
        stamp = next(r.stamp for r in records.list_requests(s, UNIT, TODAY) if r.request_no == "YSQ-2019-001")
        who = {role: auth.principal_for_username(s, f"as_{role}") for role in ROLES}
        stamps = {
            f"QY-W-2018-0000{i}": records.find_publication(s, UNIT, f"QY-W-2018-0000{i}").stamp
            for i in (1, 2, 3)
        }  # type: ignore[union-attr]
    ctx = {"hotline_batch": hotline.batch_id, "stamp": stamp, "root": root, "stamps": stamps}
    return ctx, who  # type: ignore[return-value]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_a_write_is_refused_exactly_when_the_role_may_not(world, entry, role):
    engine, ctx, who = world
    action, call = ENTRY_POINTS[entry]
    if permissions.can(role, action):
        call(engine, who[role], ctx)
        return
    before = _counts(engine)
    with pytest.raises(PermissionDenied) as refused:
        call(engine, who[role], ctx)
    label = permissions.ROLE_LABELS[role]
    assert str(refused.value) == f"您的角色（{label}）无权进行此操作：{permissions.ACTION_LABELS[action]}"
    assert _counts(engine) == before


def test_the_operator_may_do_every_write(world):
    engine, ctx, _ = world
    for entry in sorted(ENTRY_POINTS):
        ENTRY_POINTS[entry][1](engine, OPERATOR, ctx)


def test_no_principal_is_refused(world):
    engine, ctx, _ = world
    before = _counts(engine)
    with pytest.raises(PermissionDenied, match="请先登录"):
        ENTRY_POINTS["admin.add_unit"][1](engine, None, ctx)  # type: ignore[arg-type]
    assert _counts(engine) == before


# ------------------------------------------------------------------ scope and self-service
def test_an_upload_or_undo_outside_the_scope_is_refused(world):
    engine, ctx, who = world
    with db.read_session(engine) as s:
        other = auth.principal_for_username(s, "as_staff")
    assert other is not None
    stranger = Principal(
        other.id, other.username, other.display_name, "staff", _unit_id(engine, "meiling"), "meiling", False
    )
    before = _counts(engine)
    with pytest.raises(PermissionDenied, match="不是您所在的单位或其下属单位"):
        _commit(engine, stranger, ctx)
    with pytest.raises(importing.UndoRefused, match="不属于您所在的单位"):
        _undo(engine, stranger, ctx)
    with pytest.raises(records.RecordError, match="不是您所在的单位或其下属单位"):
        ENTRY_POINTS["records.add_hotline"][1](engine, stranger, ctx)
    assert _counts(engine) == before


def _unit_id(engine: Engine, code: str) -> int:
    with db.read_session(engine) as s:
        return s.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) or 0


def test_changing_a_password_acts_only_on_ones_own_account(world):
    engine, _, who = world
    with db.write_session(engine) as s:
        mine = auth.change_own_password(s, who["leader"], PASSWORD, "fresh-pass-9")
    assert mine.username == "as_leader"
    with db.write_session(engine) as s:
        assert auth.authenticate(s, "as_leader", "fresh-pass-9").ok
        assert auth.authenticate(s, "someone", PASSWORD).ok  # nobody else's changed
    with pytest.raises(auth.AuthError), db.write_session(engine) as s:
        auth.change_own_password(s, OPERATOR, PASSWORD, "fresh-pass-9")  # the operator has no account


def test_a_logout_ends_only_a_login_of_ones_own(world):
    engine, _, who = world
    with db.write_session(engine) as s:
        theirs = auth.start_session(s, who["staff"], hours=8)
    with db.write_session(engine) as s:
        auth.record_logout(s, who["leader"], token=theirs.token)
    with db.read_session(engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(LoginSession).where(LoginSession.revoked_at.is_(None)))
            == 1
        )
    with db.write_session(engine) as s:
        auth.record_logout(s, who["staff"], token=theirs.token)
    with db.read_session(engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(LoginSession).where(LoginSession.revoked_at.is_(None)))
            == 0
        )
