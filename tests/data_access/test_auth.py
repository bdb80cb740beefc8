"""Login, lockout, tokens, the session secret, roles and scope, user administration."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from data_access.cli import main as cli_main
from data_access.rules import permissions
from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db, reference
from data_access.store.models import AppMeta, AppUser, AuditLog, LoginSession, OrgUnit
from data_access.write import auth
from data_access.write.auth import passwords, sessions
from seed import demo_users

T0 = dt.datetime(2024, 3, 1, 9, 0, 0)
PASSWORD = "correct-horse-1"
PRODUCTION_HASHER = passwords._HASHER


# Cheap argon2 parameters for speed (tests/conftest.py); the production ones are checked below.
pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def units(empty_db):
    """jinjiang (city) → qingyang (sub-district) → xiyuan (community); ids by code."""
    with db.write_session(empty_db) as s:
        city = OrgUnit(code="jinjiang", name="晋江市", level="city")
        s.add(city)
        s.flush()
        sub = OrgUnit(code="qingyang", name="青阳街道", level="subdistrict", parent_id=city.id)
        s.add(sub)
        s.flush()
        s.add(OrgUnit(code="xiyuan", name="西园社区", level="community", parent_id=sub.id))
    with db.read_session(empty_db) as s:
        return dict(s.execute(select(OrgUnit.code, OrgUnit.id)).all())


@pytest.fixture
def engine(empty_db, units):
    """A database with the three units and users staff `wang` and admin `boss`."""
    with db.write_session(empty_db) as s:
        auth.create_user(
            s,
            "wang",
            role="staff",
            unit_code="qingyang",
            display_name="王五",
            password=PASSWORD,
            actor=OPERATOR,
        )
        auth.create_user(s, "boss", role="admin", unit_code="jinjiang", password=PASSWORD, actor=OPERATOR)
    return empty_db


def login(engine, username, password, now, source="10.0.0.8"):
    with db.write_session(engine) as s:
        return auth.authenticate(s, username, password, source, now=now)


def actions(engine, username=None):
    with db.read_session(engine) as s:
        return [e.action for e in reversed(audit.list_entries(s, 1000, username=username))]


# ------------------------------------------------------------------ passwords


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("abc1234", "密码至少需要 8 个字符"),
        ("12345678", "密码不能全是数字"),
        ("１２３４５６７８", "密码不能全是数字"),
        ("        ", "密码不能全是空格"),
        ("x" * 129, "密码不能超过 128 个字符"),
        ("abcd1234", None),
        ("政务公开看板密码", None),
        ("x" * 128, None),
    ],
)
def test_password_policy(password, problem):
    assert auth.password_problem(password) == problem


def test_production_hasher_is_argon2id_with_strong_parameters():
    from argon2 import Type

    h = PRODUCTION_HASHER
    assert (h.type, h.time_cost >= 2, h.memory_cost >= 19 * 1024) == (Type.ID, True, True)


def test_hash_verify_and_rehash_outdated_parameters():
    stored = auth.hash_password("s3cret-pass")
    assert stored.startswith("$argon2id$") and "s3cret-pass" not in stored
    assert auth.verify_password(stored, "s3cret-pass") == (True, None)
    assert auth.verify_password(stored, "S3cret-pass") == (False, None)
    assert auth.verify_password("not a hash", "s3cret-pass") == (False, None)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("s3cret-pass")
    ok, new_hash = auth.verify_password(weak, "s3cret-pass")
    assert ok and new_hash is not None and new_hash != weak
    assert auth.verify_password(new_hash, "s3cret-pass") == (True, None)


def test_generated_passwords_pass_the_policy_and_differ():
    passwords = {auth.generate_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(auth.password_problem(p) is None for p in passwords)


# ------------------------------------------------------------------ login


def test_successful_login_returns_principal_and_is_audited(engine, units):
    result = login(engine, "  WANG ", PASSWORD, T0)
    assert result.ok and result.message == "登录成功"
    p = result.user
    assert (p.username, p.display_name, p.role, p.unit_id, p.unit_code) == (
        "wang",
        "王五",
        "staff",
        units["qingyang"],
        "qingyang",
    )
    assert p.must_change_password is True
    with db.read_session(engine) as s:
        user = s.scalar(select(AppUser).where(AppUser.username == "wang"))
        assert user.last_login_at == T0 and user.failed_attempts == 0
        entry = audit.list_entries(s, 1, action="login_ok")[0]
    assert (entry.username, entry.user_id, entry.source, entry.at) == ("wang", p.id, "10.0.0.8", T0)


def test_six_wrong_passwords_lock_until_the_lock_expires(engine):
    for i in range(4):
        result = login(engine, "wang", "wrong-password", T0 + dt.timedelta(seconds=i))
        assert (result.ok, result.message) == (False, auth.BAD_CREDENTIALS)
    fifth = login(engine, "wang", "wrong-password", T0 + dt.timedelta(seconds=4))
    assert fifth.message == "账户已锁定，请 15 分钟后再试"
    sixth = login(engine, "wang", "wrong-password", T0 + dt.timedelta(minutes=2))
    assert sixth.message == "账户已锁定，请 14 分钟后再试"
    # The right password does not help while locked.
    right = login(engine, "wang", PASSWORD, T0 + dt.timedelta(minutes=14, seconds=30))
    assert not right.ok and right.message == "账户已锁定，请 1 分钟后再试"
    after = login(engine, "wang", PASSWORD, T0 + dt.timedelta(minutes=15, seconds=5))
    assert after.ok
    assert actions(engine, "wang") == ["login_failed"] * 5 + ["login_locked"] * 3 + ["login_ok"]


def test_failures_are_counted_consecutively_and_reset_by_success(engine, monkeypatch):
    monkeypatch.setenv("LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("LOGIN_LOCK_MINUTES", "2")
    login(engine, "wang", "nope-nope", T0)
    login(engine, "wang", "nope-nope", T0)
    assert login(engine, "wang", PASSWORD, T0).ok
    login(engine, "wang", "nope-nope", T0)
    login(engine, "wang", "nope-nope", T0)
    assert login(engine, "wang", PASSWORD, T0).ok  # only two in a row: not locked
    for _ in range(3):
        last = login(engine, "wang", "nope-nope", T0)
    assert last.message == "账户已锁定，请 2 分钟后再试"
    # After the lock expires the user gets a fresh set of attempts.
    assert login(engine, "wang", "nope-nope", T0 + dt.timedelta(minutes=2)).message == auth.BAD_CREDENTIALS


def test_unknown_username_looks_like_a_wrong_password_but_is_audited(engine):
    unknown = login(engine, "nobody", PASSWORD, T0, source="10.9.9.9")
    wrong = login(engine, "wang", "wrong-password", T0)
    assert unknown.message == wrong.message == auth.BAD_CREDENTIALS
    assert not unknown.ok and unknown.user is None
    with db.read_session(engine) as s:
        entry = audit.list_entries(s, 1, username="nobody")[0]
    assert (entry.action, entry.user_id, entry.source) == ("login_failed", None, "10.9.9.9")


def test_disabled_account_is_rejected(engine):
    with db.write_session(engine) as s:
        assert auth.disable_user(s, "wang", actor=OPERATOR) is True
    result = login(engine, "wang", PASSWORD, T0)
    assert not result.ok and result.message == "账户已停用，请联系管理员"
    assert login(engine, "wang", "wrong-password", T0).message == auth.BAD_CREDENTIALS
    with db.write_session(engine) as s:
        assert auth.enable_user(s, "wang", actor=OPERATOR) is True
    assert login(engine, "wang", PASSWORD, T0).ok


# ------------------------------------------------------------------ sessions


def principal_of(engine, username="wang"):
    return login(engine, username, PASSWORD, T0).user


def start(engine, principal, now=T0, hours=12):
    with db.write_session(engine) as s:
        return auth.start_session(s, principal, hours=hours, source="10.0.0.8", now=now)


def who(engine, token, now):
    with db.read_session(engine) as s:
        return auth.principal_from_token(s, token, auth.existing_session_secret(s), now)


def test_session_round_trip_and_expiry(engine):
    p = principal_of(engine)
    started = start(engine, p)
    assert started.expires_at == T0 + dt.timedelta(hours=12)
    assert who(engine, started.token, T0 + dt.timedelta(hours=11, minutes=59)) == p
    assert who(engine, started.token, T0 + dt.timedelta(hours=12)) is None
    with db.read_session(engine) as s:
        row = s.scalar(select(LoginSession))
    # The database keeps neither the cookie nor the one-time code, only keyed hashes of them.
    assert started.token not in (row.token_hash, row.handoff_hash) and started.handoff != row.handoff_hash
    assert (row.user_id, row.created_at, row.source, row.revoked_at) == (p.id, T0, "10.0.0.8", None)


def test_logout_ends_the_session_on_the_server(engine):
    """A copy of the cookie made before logging out is refused right after it (it used to work
    until it expired, SESSION_HOURS later)."""
    p = principal_of(engine)
    mine, other = start(engine, p), start(engine, p)
    with db.write_session(engine) as s:
        auth.record_logout(s, p, "10.0.0.8", token=mine.token, now=T0 + dt.timedelta(minutes=5))
    later = T0 + dt.timedelta(minutes=5)
    assert who(engine, mine.token, later) is None
    assert who(engine, other.token, later) == p, "only the session that logged out ends"
    with db.read_session(engine) as s:
        assert s.scalar(select(LoginSession.revoked_at).where(LoginSession.revoked_at.is_not(None))) == later
        assert [(e.username, e.at) for e in audit.list_entries(s, 5, action="logout")] == [("wang", later)]
    with db.write_session(engine) as s:
        assert auth.end_session(s, mine.token) is False, "already ended"


def _tampered(token: str) -> list[str]:
    flip = "A" if token[5] != "A" else "B"
    return [f"{token[:5]}{flip}{token[6:]}", token[:-1], token + "x", token.upper(), "", "garbage", "v1.a.b"]


def test_forged_and_foreign_cookies_are_rejected(engine, monkeypatch):
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    p = principal_of(engine)
    started = start(engine, p)
    for bad in _tampered(started.token):
        assert who(engine, bad, T0) is None, bad
    with db.read_session(engine) as s:
        assert auth.principal_from_token(s, started.token, "another-secret-123", T0) is None
    # Setting SESSION_SECRET (a new key) ends every login made with the old one.
    monkeypatch.setenv("SESSION_SECRET", "a-brand-new-secret-0")
    assert who(engine, started.token, T0) is None


def test_the_one_time_code_is_traded_for_the_cookie_once(engine):
    p = principal_of(engine)
    started = start(engine, p)
    with db.write_session(engine) as s:
        assert auth.redeem_handoff(s, "not-a-code", now=T0) is None
        traded = auth.redeem_handoff(s, started.handoff, now=T0 + dt.timedelta(seconds=30))
        assert traded == started
        assert auth.redeem_handoff(s, started.handoff, now=T0 + dt.timedelta(seconds=31)) is None, "used"
    late = start(engine, p)
    with db.write_session(engine) as s:
        assert auth.redeem_handoff(s, late.handoff, now=T0 + dt.timedelta(seconds=61)) is None, "too late"
    ended = start(engine, p)
    with db.write_session(engine) as s:
        auth.end_session(s, ended.token)
        assert auth.redeem_handoff(s, ended.handoff, now=T0) is None, "logged out already"


def test_password_change_and_disabling_end_old_sessions(engine):
    p = principal_of(engine)
    here, elsewhere = start(engine, p), start(engine, p)
    with db.write_session(engine) as s:
        fresh = auth.change_own_password(s, p, PASSWORD, "a-new-password-2", keep_token=here.token)
    later = T0 + dt.timedelta(hours=1)
    assert who(engine, elsewhere.token, later) is None, "the other browsers are logged out"
    assert who(engine, here.token, later) == fresh, "the session that changed it goes on"
    boss = principal_of(engine, "boss")
    with db.write_session(engine) as s:
        auth.set_password(s, "wang", "reset-by-admin-3", actor=boss, keep_token=here.token)
    assert who(engine, here.token, later) is None, "an admin's reset ends every session"
    again = start(engine, fresh)
    with db.write_session(engine) as s:
        auth.disable_user(s, "wang", actor=OPERATOR)
    assert who(engine, again.token, later) is None
    with db.write_session(engine) as s:
        auth.enable_user(s, "wang", actor=OPERATOR)
    assert who(engine, again.token, later) is None, "enabling the user does not bring old sessions back"


def test_session_reflects_role_changes_from_the_database(engine):
    started = start(engine, principal_of(engine))
    with db.write_session(engine) as s:
        s.scalar(select(AppUser).where(AppUser.username == "wang")).role = "leader"
    assert who(engine, started.token, T0).role == "leader"


def test_last_seen_is_kept_up_to_date_at_most_every_ten_minutes(engine):
    started = start(engine, principal_of(engine))
    with db.read_session(engine) as s:
        secret = auth.existing_session_secret(s)
        assert not auth.session_seen_due(s, started.token, secret, T0 + dt.timedelta(minutes=10))
        assert auth.session_seen_due(s, started.token, secret, T0 + dt.timedelta(minutes=11))
    with db.write_session(engine) as s:
        auth.mark_session_seen(s, started.token, now=T0 + dt.timedelta(minutes=11))
    with db.read_session(engine) as s:
        assert s.scalar(select(LoginSession.last_seen_at)) == T0 + dt.timedelta(minutes=11)


def test_expired_sessions_are_deleted_a_day_later(engine):
    p = principal_of(engine)
    start(engine, p, hours=1)
    start(engine, p, now=T0 + dt.timedelta(hours=24))
    assert _sessions(engine) == 2
    start(engine, p, now=T0 + dt.timedelta(hours=25, seconds=1))
    assert _sessions(engine) == 2


def _sessions(engine) -> int:
    with db.read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(LoginSession))


# ------------------------------------------------------------------ session secret


def test_session_secret_is_generated_once_and_shared(empty_db, monkeypatch):
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    with db.write_session(empty_db) as s:
        first = auth.session_secret(s)
    with db.write_session(empty_db) as s:
        assert auth.session_secret(s) == first
    assert len(first) == 64
    monkeypatch.setenv("SESSION_SECRET", "configured-secret-value")
    with db.read_session(empty_db) as s:
        assert auth.session_secret(s) == "configured-secret-value"
    monkeypatch.setenv("SESSION_SECRET", "short")
    with pytest.raises(ValueError, match="SESSION_SECRET"), db.read_session(empty_db) as s:
        auth.session_secret(s)


def test_session_secret_race_rereads_the_winner(empty_db, monkeypatch):
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    with db.write_session(empty_db) as s:
        s.add(AppMeta(key="session_secret", value="winner-secret"))
        s.add(AppMeta(key="data_version", value="7"))
    real = sessions._stored_secret
    # The loser's first read happened before the winner committed: it saw nothing.
    monkeypatch.setattr(
        sessions, "_stored_secret", lambda s, lock=False: real(s, lock=True) if lock else None
    )
    with db.write_session(empty_db) as s:
        assert auth.session_secret(s) == "winner-secret"
        assert s.scalar(select(AppMeta.value).where(AppMeta.key == "data_version")) == "7"
    with db.read_session(empty_db) as s:
        keys = set(s.scalars(select(AppMeta.key).where(AppMeta.key.in_(("session_secret", "data_version")))))
        assert keys == {"session_secret", "data_version"}
        assert s.scalar(select(func.count()).select_from(AppMeta).where(AppMeta.key == "session_secret")) == 1


def test_session_secret_concurrent_first_use(empty_db, monkeypatch):
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        with db.write_session(empty_db) as s:
            results.append(auth.session_secret(s))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1


def test_init_creates_the_session_secret_so_first_logins_do_not_race(empty_db, monkeypatch, capsys):
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    with db.write_session(empty_db) as s:
        s.add(OrgUnit(code="root", name="根单位", level="city"))
    url = empty_db.url.render_as_string(hide_password=False)
    assert cli_main.main(["--database-url", url, "init"]) == 0
    capsys.readouterr()
    with db.read_session(empty_db) as s:
        made = auth.existing_session_secret(s)
    assert made is not None and len(made) == 64
    with db.write_session(empty_db) as s:
        auth.ensure_session_secret(s)  # a second init keeps it
        assert auth.session_secret(s) == made


# ------------------------------------------------------------------ roles and scope

EXPECTED = {
    # action: (leader, staff, admin)
    "view_dashboards": (True, True, True),
    "view_reports": (True, True, True),
    "upload": (False, True, True),
    "undo": (False, True, True),
    "edit_records": (False, True, True),
    "download_templates": (False, True, True),
    "edit_boards_deliveries": (False, True, True),
    "statutory_letters": (False, True, True),
    "admin_users": (False, False, True),
    "admin_units": (False, False, True),
    "admin_catalogue": (False, False, True),
    "admin_targets": (False, False, True),
    "admin_holidays": (False, False, True),
    "screen_settings": (False, True, True),
    "view_audit": (False, False, True),
    "restore_withdrawn": (False, False, True),
}


@pytest.mark.parametrize("action", permissions.PERMISSION_ACTIONS)
@pytest.mark.parametrize("role_index", range(3))
def test_permission_table(action, role_index):
    role = ("leader", "staff", "admin")[role_index]
    assert permissions.can(role, action) is EXPECTED[action][role_index]


def test_permission_table_edges():
    assert set(EXPECTED) == set(permissions.PERMISSION_ACTIONS)
    assert not any(permissions.can("intruder", a) for a in permissions.PERMISSION_ACTIONS)
    with pytest.raises(ValueError, match="未知的权限动作"):
        permissions.can("admin", "delete_everything")


def _p(role, unit_id):
    return permissions.Principal(1, "u", "U", role, unit_id, "x", False)


def test_scope_and_personal_fields(units, empty_db):
    q, x, city = units["qingyang"], units["xiyuan"], units["jinjiang"]
    with db.read_session(empty_db) as s:
        assert reference.visible_unit_ids(s, _p("staff", q)) == sorted([q, x])
        assert reference.visible_unit_ids(s, _p("leader", city)) == sorted([city, q, x])
        assert reference.visible_unit_ids(s, _p("staff", x)) == [x]
    cases = [
        # role, user's unit, record's unit, may see personal fields
        ("staff", q, q, True),
        ("staff", q, x, True),
        ("staff", x, q, False),
        ("admin", city, x, True),
        ("admin", x, city, False),
        ("leader", q, q, False),
        ("leader", city, x, False),
    ]
    with db.read_session(empty_db) as s:
        for role, unit, record_unit, expected in cases:
            p = _p(role, unit)
            assert permissions.can_see_personal(p, record_unit, reference.visible_unit_ids(s, p)) is expected


# ------------------------------------------------------------------ administration


@pytest.mark.parametrize(
    ("username", "role", "unit", "password", "message"),
    [
        ("x", "staff", "qingyang", None, "用户名只能"),
        ("张三", "staff", "qingyang", None, "用户名只能"),
        ("-dash", "staff", "qingyang", None, "用户名只能"),
        ("li", "boss", "qingyang", None, "角色应为"),
        ("li", "staff", "nowhere", None, "单位代码 nowhere 不存在"),
        ("li", "staff", "qingyang", "1234567890", "密码不能全是数字"),
        ("WANG", "staff", "qingyang", None, "用户名 wang 已存在"),
    ],
)
def test_create_user_refusals(engine, username, role, unit, password, message):
    with pytest.raises(auth.AuthError, match=message), db.write_session(engine) as s:
        auth.create_user(s, username, role=role, unit_code=unit, password=password, actor=OPERATOR)


def test_admin_reset_forces_a_change_self_change_does_not(engine):
    boss = principal_of(engine, "boss")
    with db.write_session(engine) as s:
        auth.set_password(s, "boss", "my-own-password", actor=boss)
        auth.set_password(s, "wang", "temporary-pass-1", actor=boss)
    with db.read_session(engine) as s:
        flags = dict(s.execute(select(AppUser.username, AppUser.must_change_password)).all())
        details = [e.detail for e in audit.list_entries(s, 2, action="user_change")]
    assert flags == {"boss": False, "wang": True}
    assert details == ["重置用户 wang 的密码", "修改本人密码"]
    assert login(engine, "wang", "temporary-pass-1", T0).ok


def test_admin_reset_unlocks(engine):
    for _ in range(5):
        login(engine, "wang", "wrong-password", T0)
    assert not login(engine, "wang", PASSWORD, T0).ok
    with db.write_session(engine) as s:
        auth.set_password(s, "wang", "unlocked-pass-1", actor=OPERATOR)
    assert login(engine, "wang", "unlocked-pass-1", T0).ok


def test_change_own_password_checks(engine):
    p = principal_of(engine)
    for old, new, message in [
        ("wrong-old-pass", "whatever-123", "原密码不正确"),
        (PASSWORD, PASSWORD, "新密码不能与原密码相同"),
        (PASSWORD, "short", "至少需要 8 个字符"),
    ]:
        with pytest.raises(auth.AuthError, match=message), db.write_session(engine) as s:
            auth.change_own_password(s, p, old, new)
    assert login(engine, "wang", PASSWORD, T0).ok


def test_disable_refusals_and_listing(engine):
    boss = principal_of(engine, "boss")
    with pytest.raises(auth.AuthError, match="不能停用自己的账户"), db.write_session(engine) as s:
        auth.disable_user(s, "boss", actor=boss)
    with pytest.raises(auth.AuthError, match="唯一启用的管理员"), db.write_session(engine) as s:
        auth.disable_user(s, "boss", actor=OPERATOR)
    with pytest.raises(auth.AuthError, match="用户 ghost 不存在"), db.write_session(engine) as s:
        auth.disable_user(s, "ghost", actor=OPERATOR)
    with db.write_session(engine) as s:
        assert auth.disable_user(s, "wang", actor=boss) is True
        assert auth.disable_user(s, "wang", actor=boss) is False
    with db.read_session(engine) as s:
        users = {u.username: u for u in auth.list_users(s)}
        entry = audit.list_entries(s, 1, action="user_change")[0]
    assert (users["wang"].active, users["boss"].active) == (False, True)
    assert (users["wang"].unit_code, users["wang"].unit_name, users["wang"].role) == (
        "qingyang",
        "青阳街道",
        "staff",
    )
    assert (entry.detail, entry.username, entry.user_id) == ("停用用户 wang", "boss", boss.id)


def test_ensure_first_admin(empty_db, monkeypatch):
    monkeypatch.delenv("ADMIN_INITIAL_PASSWORD", raising=False)
    with db.write_session(empty_db) as s:
        assert auth.ensure_first_admin(s) is None  # no unit yet
        assert s.scalar(select(func.count()).select_from(AppUser)) == 0
        city = OrgUnit(code="jinjiang", name="晋江市", level="city", sort_order=5)
        s.add(city)
        s.flush()
        s.add(OrgUnit(code="qingyang", name="青阳街道", level="subdistrict", parent_id=city.id, sort_order=0))
    with db.write_session(empty_db) as s:
        password = auth.ensure_first_admin(s)
    assert password is not None and auth.password_problem(password) is None
    with db.write_session(empty_db) as s:
        assert auth.ensure_first_admin(s) is None
    with db.read_session(empty_db) as s:
        (admin,) = auth.list_users(s)
    assert (admin.username, admin.role, admin.unit_code, admin.must_change_password) == (
        "admin",
        "admin",
        "jinjiang",
        True,
    )
    result = login(empty_db, "admin", password, T0)
    assert result.ok and result.user.must_change_password


def test_ensure_first_admin_uses_the_configured_password(units, empty_db, monkeypatch):
    monkeypatch.setenv("ADMIN_INITIAL_PASSWORD", "1234")
    with pytest.raises(auth.AuthError, match="ADMIN_INITIAL_PASSWORD"), db.write_session(empty_db) as s:
        auth.ensure_first_admin(s)
    monkeypatch.setenv("ADMIN_INITIAL_PASSWORD", "first-admin-pw")
    with db.write_session(empty_db) as s:
        assert auth.ensure_first_admin(s) == "first-admin-pw"
    assert login(empty_db, "admin", "first-admin-pw", T0).user.unit_code == "jinjiang"


def test_demo_users_are_idempotent(units, empty_db):
    with db.write_session(empty_db) as s:
        assert demo_users.load_demo_users(s) == 4
    with db.write_session(empty_db) as s:
        assert demo_users.load_demo_users(s) == 0
    expected = {
        "demo_leader": ("leader", "qingyang"),
        "demo_staff": ("staff", "qingyang"),
        "demo_admin": ("admin", "qingyang"),
        "demo_city": ("leader", "jinjiang"),
    }
    for username, (role, unit) in expected.items():
        result = login(empty_db, username, "demo12345", T0)
        assert result.ok and (result.user.role, result.user.unit_code) == (role, unit)
        assert result.user.must_change_password is False
    with db.read_session(empty_db) as s:
        assert (
            s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "user_change")) == 4
        )


def test_trusted_header(engine, monkeypatch):
    monkeypatch.delenv("TRUSTED_USER_HEADER", raising=False)
    with db.read_session(engine) as s:
        assert auth.principal_from_header(s, {"X-Remote-User": "wang"}) is None
        monkeypatch.setenv("TRUSTED_USER_HEADER", "X-Remote-User")
        assert auth.principal_from_header(s, {"x-remote-user": "wang"}).username == "wang"
        assert auth.principal_from_header(s, {"x-remote-user": "ghost"}) is None
        assert auth.principal_from_header(s, {"other": "wang"}) is None


def test_single_sign_on_logins_are_audited(engine, monkeypatch):
    monkeypatch.delenv("TRUSTED_USER_HEADER", raising=False)
    with db.write_session(engine) as s:
        assert auth.sso_login(s, {"X-Remote-User": "wang"}, "10.0.0.9", now=T0) is None  # off
    monkeypatch.setenv("TRUSTED_USER_HEADER", "X-Remote-User")
    with db.write_session(engine) as s:
        assert auth.sso_login(s, {"other": "wang"}, "10.0.0.9", now=T0) is None  # absent: no login at all
        p = auth.sso_login(s, {"x-remote-user": " WANG "}, "10.0.0.9", now=T0)
        assert p is not None and (p.username, p.role) == ("wang", "staff")
        assert auth.sso_login(s, {"x-remote-user": "ghost"}, "10.0.0.9", now=T0) is None
        auth.disable_user(s, "wang", actor=OPERATOR)
        assert auth.sso_login(s, {"x-remote-user": "wang"}, "10.0.0.9", now=T0) is None
    with db.read_session(engine) as s:
        entries = [
            (e.action, e.username, e.detail, e.source)
            for e in reversed(audit.list_entries(s, 10))
            if e.action.startswith("login")
        ]
        assert s.scalar(select(AppUser.last_login_at).where(AppUser.username == "wang")) == T0
    assert entries == [
        ("login_ok", "wang", "单点登录（X-Remote-User）", "10.0.0.9"),
        ("login_failed", "ghost", "单点登录（X-Remote-User）：用户名不存在", "10.0.0.9"),
        ("login_failed", "wang", "单点登录（X-Remote-User）：账户已停用", "10.0.0.9"),
    ]


def test_checking_a_cookie_reads_while_an_upload_holds_the_write_lock(tmp_path, monkeypatch):
    """A page load checks its cookie with a read: on SQLite it must not wait for (or, past the busy
    timeout, fail on) the write lock that a long upload holds."""
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_MS", "100")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'gk.sqlite3'}")
    db.upgrade(engine)
    with db.write_session(engine) as s:
        secret = auth.session_secret(s)
    uploader = engine.raw_connection()
    try:
        uploader.execute("BEGIN IMMEDIATE")  # what a writer holds for the length of an upload
        with db.read_session(engine) as s:
            assert auth.existing_session_secret(s) == secret
        with pytest.raises(Exception, match="locked"), db.write_session(engine) as s:
            auth.session_secret(s)  # the old way: a write session, refused while the upload runs
    finally:
        uploader.rollback()
        uploader.close()
        engine.dispose()


def test_one_lookup_answers_who_and_whether_last_seen_is_due(engine):
    started = start(engine, principal_of(engine))
    with db.read_session(engine) as s:
        secret = auth.existing_session_secret(s)
        who_now, due = auth.login_of_token(s, started.token, secret, T0 + dt.timedelta(minutes=11))
        assert who_now is not None and who_now.username == "wang" and due
        assert auth.login_of_token(s, started.token, secret, T0 + dt.timedelta(minutes=10))[1] is False
        assert auth.login_of_token(s, started.token, "another-secret-123", T0) == (None, False)
        assert auth.login_of_token(s, "", secret, T0) == (None, False)
    with db.write_session(engine) as s:
        s.scalar(select(AppUser).where(AppUser.username == "wang")).active = False
    with db.read_session(engine) as s:
        assert auth.login_of_token(s, started.token, secret, T0) == (None, False)
