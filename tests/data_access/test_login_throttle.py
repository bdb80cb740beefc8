"""Guessing passwords: failed logins are throttled per client address (before any password is
checked or any account's failures are counted), the delay doubles, the state is in the database,
and no amount of guessing locks an admin account out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AppUser, OrgUnit
from data_access.write import auth
from data_access.write.auth import login as login_module

T0 = dt.datetime(2024, 3, 1, 9, 0, 0)
PASSWORD = "correct-horse-1"
ATTACKER = "203.0.113.9"
STAFF = ("wang", "li", "zhao", "sun", "zhou", "wu")
# Eight usernames: six staff, the admin and one that does not exist.
USERNAMES = (*STAFF, "boss", "ghost")


pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture(autouse=True)
def default_login_limits(monkeypatch):
    for name in ("LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES", "LOGIN_THROTTLE_FAILURES",
                 "LOGIN_THROTTLE_WINDOW_MINUTES"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def engine(empty_db):
    with db.write_session(empty_db) as s:
        s.add(OrgUnit(code="jinjiang", name="晋江市", level="city"))
    with db.write_session(empty_db) as s:
        for name in STAFF:
            auth.create_user(s, name, role="staff", unit_code="jinjiang", password=PASSWORD, actor=OPERATOR)
        auth.create_user(s, "boss", role="admin", unit_code="jinjiang", password=PASSWORD, actor=OPERATOR)
    return empty_db


@pytest.fixture
def checked(monkeypatch):
    """How many attempts had a password checked (argon2 run, for a known or an unknown user)."""
    calls: list[int] = []
    real = auth.verify_password

    def counting(password_hash, password):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(login_module, "verify_password", counting)
    return calls


def login(engine, username, password, now, source=ATTACKER):
    with db.write_session(engine) as s:
        return auth.authenticate(s, username, password, source, now=now)


def locked_users(engine, now):
    with db.read_session(engine) as s:
        return sorted(s.scalars(select(AppUser.username).where(AppUser.locked_until > now)))


def test_32_wrong_passwords_over_8_usernames_from_one_address(engine, checked):
    """A script sends 32 guesses, four for each of eight usernames, round robin, in the same second."""
    results = [login(engine, USERNAMES[i % 8], f"guess-{i}", T0) for i in range(32)]
    processed = len(checked)
    refused = results[processed:]
    print(
        f"\n32 wrong passwords over 8 usernames from one address: {processed} checked, {len(refused)} refused"
    )
    assert processed == 10, "only the first LOGIN_THROTTLE_FAILURES (10) are checked"
    assert [r.message for r in results[:9]] == [auth.BAD_CREDENTIALS] * 9
    # The tenth failure starts a 2 s wait; the 22 guesses sent meanwhile are refused unchecked.
    assert {r.message for r in results[9:]} == {"登录尝试过于频繁，请 2 秒后再试"}
    assert not any(r.ok for r in results)
    assert locked_users(engine, T0) == [], "refused attempts count against no account"
    # The admin (and everyone else) still logs in from another address at once ...
    assert login(engine, "boss", PASSWORD, T0, source="10.0.0.5").ok
    assert login(engine, "wang", PASSWORD, T0, source="10.0.0.5").ok
    # ... and from the attacker's address once the wait is over.
    assert login(engine, "boss", PASSWORD, T0 + dt.timedelta(seconds=2)).ok


def test_the_wait_doubles_and_ends_after_a_quiet_window(engine, checked):
    now = T0
    for i in range(9):
        assert login(engine, USERNAMES[i % 8], "wrong-guess", now).message == auth.BAD_CREDENTIALS
    waits = []
    for _ in range(12):
        # The next guess comes the moment it is allowed: checked, wrong, and the wait doubles.
        message = login(engine, "ghost", "wrong-guess", now).message
        seconds = int(message.removeprefix("登录尝试过于频繁，请 ").removesuffix(" 秒后再试"))
        waits.append(seconds)
        early = login(engine, "ghost", "wrong-guess", now + dt.timedelta(seconds=seconds - 1))
        assert early.message == "登录尝试过于频繁，请 1 秒后再试"
        now += dt.timedelta(seconds=seconds)
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900], "doubling, at most the window"
    assert len(checked) == 9 + 12, "no guess made during a wait was checked"
    # Fifteen quiet minutes after the last wait ended: a fresh allowance.
    later = now + dt.timedelta(minutes=15)
    assert login(engine, "ghost", "wrong-guess", later).message == auth.BAD_CREDENTIALS


def test_the_throttle_is_per_address_and_kept_in_the_database(engine, checked, monkeypatch):
    monkeypatch.setenv("LOGIN_THROTTLE_FAILURES", "3")
    for _ in range(3):
        login(engine, "ghost", "wrong-guess", T0)
    assert login(engine, "ghost", "wrong-guess", T0).message == "登录尝试过于频繁，请 2 秒后再试"
    # Another process (a fresh engine on the same database) sees the same state.
    other = db.make_engine(engine.url.render_as_string(hide_password=False))
    try:
        assert login(other, "wang", PASSWORD, T0).message == "登录尝试过于频繁，请 2 秒后再试"
        assert login(other, "wang", PASSWORD, T0, source="198.51.100.7").ok
    finally:
        other.dispose()


def test_guessing_never_locks_an_admin_out(engine, checked):
    """Five wrong passwords lock a staff account, but not an admin's: the address that guessed is
    blocked for LOGIN_LOCK_MINUTES instead, and the admin logs in from anywhere else."""
    for i in range(5):
        login(engine, "boss", f"guess-{i}", T0)
    assert login(engine, "boss", PASSWORD, T0, source="10.0.0.5").ok, "the admin is not locked"
    assert locked_users(engine, T0) == []
    # The guessing address may not try again for 15 minutes, whatever the account.
    assert login(engine, "boss", PASSWORD, T0 + dt.timedelta(minutes=14)).message == (
        "登录尝试过于频繁，请 60 秒后再试"
    )
    assert login(engine, "boss", PASSWORD, T0 + dt.timedelta(minutes=15)).ok
    # A staff account still locks after five wrong passwords.
    for i in range(5):
        login(engine, "wang", f"guess-{i}", T0, source="198.51.100.7")
    assert locked_users(engine, T0) == ["wang"]


def test_guesses_at_the_admin_from_many_addresses_do_not_lock_it(engine, checked):
    """Each guess from another address: no address is throttled, the admin still is not locked; past
    LOGIN_MAX_FAILURES in a row each further wrong password blocks the address it came from."""
    for i in range(8):
        result = login(engine, "boss", f"guess-{i}", T0, source=f"192.0.2.{i + 1}")
        assert not result.ok
    assert locked_users(engine, T0) == []
    assert login(engine, "boss", PASSWORD, T0, source="10.0.0.5").ok
    blocked = login(engine, "wang", PASSWORD, T0, source="192.0.2.8")
    assert blocked.message == "登录尝试过于频繁，请 900 秒后再试"
    assert login(engine, "wang", PASSWORD, T0, source="192.0.2.1").ok, "before the fifth: only counted"
