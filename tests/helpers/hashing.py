"""Cheap password hashing for tests: the production argon2 parameters cost ~0.1 s a hash."""

from __future__ import annotations

from argon2 import PasswordHasher


def cheap_hasher() -> PasswordHasher:
    """Argon2 with the smallest parameters (a hash's own parameters verify it, so these stay valid)."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
