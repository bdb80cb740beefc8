"""Accounts and logins (no Streamlit here): what the login page, the session cookie, the account
and user-administration pages and the `users` command call.

- passwords.py — the password policy, argon2 hashing, random passwords, usernames, AuthError;
- principals.py — the Principal of a stored user;
- throttle.py — failed logins counted per client address, and how long an address must wait;
- login.py — a password login (throttled, locking the account, audited);
- sso.py — a login through the trusted single-sign-on header;
- sessions.py — login sessions in the database, their cookies and handoff codes, the session
  secret, logout;
- users.py — create, reset, change one's own password, disable, enable, list, the first admin.

Passwords are stored as argon2 hashes. Functions that write take the caller's session: run them
inside `db.write_session` so the failure counters and the audit entry commit even when a login
is refused. Times are naive local time (see audit.local_now).
"""

from data_access.rules.permissions import ADMIN, LEADER, STAFF
from data_access.rules.vocab import ROLES
from data_access.store import audit as audit  # the clock sessions and logins read (tests move it)
from data_access.write.auth.login import BAD_CREDENTIALS, LoginResult, authenticate
from data_access.write.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AuthError,
    check_password_policy,
    generate_password,
    hash_password,
    normalize_username,
    password_problem,
    verify_password,
)
from data_access.write.auth.principals import principal_for_username
from data_access.write.auth.sessions import (
    HANDOFF_SECONDS,
    SEEN_EVERY,
    StartedSession,
    end_session,
    end_user_sessions,
    ensure_session_secret,
    existing_session_secret,
    login_of_token,
    mark_session_seen,
    principal_from_token,
    record_logout,
    redeem_handoff,
    session_secret,
    session_seen_due,
    start_session,
)
from data_access.write.auth.sso import principal_from_header, sso_login, sso_username
from data_access.write.auth.throttle import LOCAL_ADDRESS, THROTTLED, login_wait
from data_access.write.auth.users import (
    UserInfo,
    change_own_password,
    clean_email,
    create_user,
    disable_user,
    enable_user,
    ensure_first_admin,
    list_users,
    own_email,
    set_email,
    set_own_email,
    set_password,
)

__all__ = [
    "ADMIN",
    "BAD_CREDENTIALS",
    "HANDOFF_SECONDS",
    "LEADER",
    "LOCAL_ADDRESS",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "SEEN_EVERY",
    "STAFF",
    "THROTTLED",
    "AuthError",
    "LoginResult",
    "StartedSession",
    "UserInfo",
    "authenticate",
    "change_own_password",
    "check_password_policy",
    "clean_email",
    "create_user",
    "disable_user",
    "enable_user",
    "end_session",
    "end_user_sessions",
    "ensure_first_admin",
    "ensure_session_secret",
    "existing_session_secret",
    "generate_password",
    "hash_password",
    "list_users",
    "login_wait",
    "mark_session_seen",
    "normalize_username",
    "own_email",
    "password_problem",
    "principal_for_username",
    "principal_from_header",
    "login_of_token",
    "principal_from_token",
    "record_logout",
    "redeem_handoff",
    "session_secret",
    "session_seen_due",
    "set_email",
    "set_own_email",
    "set_password",
    "sso_login",
    "sso_username",
    "start_session",
    "verify_password",
]
