"""Passwords and usernames: the policy, argon2 hashing, random initial passwords, the
normalised form of a username, and AuthError (a refused request with a Chinese message)."""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class AuthError(ValueError):
    """A refused request (bad password, unknown user, ...) with a Chinese message."""


MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
_HASHER = PasswordHasher()
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable (Chinese), or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符"
    if password.isdigit():
        return "密码不能全是数字"
    if not password.strip():
        return "密码不能全是空格"
    return None


def check_password_policy(password: str) -> None:
    """Raise AuthError when a new password breaks the policy."""
    problem = password_problem(password)
    if problem is not None:
        raise AuthError(problem)


def hash_password(password: str) -> str:
    """An argon2 hash of the password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one uses outdated parameters, else None)."""
    try:
        _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, (_HASHER.hash(password) if _HASHER.check_needs_rehash(password_hash) else None)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    return _HASHER.hash(secrets.token_hex(16))


def generate_password(length: int = 12) -> str:
    """A random initial password without look-alike characters."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if password_problem(candidate) is None:
            return candidate


def normalize_username(username: str) -> str:
    """Usernames are compared trimmed and in lower case."""
    return username.strip().lower()
