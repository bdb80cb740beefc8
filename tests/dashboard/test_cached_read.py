"""dashboard.reads.cache.cached_read: each decorated read keeps its own cache entries, keyed by the
database URL and the data version, and callers keep the read's own signature."""

from __future__ import annotations

import streamlit as st

from dashboard.reads import cache

CALLS: list[tuple[str, int]] = []


@cache.cached_read
def first(x: int) -> tuple[str, int]:
    CALLS.append(("first", x))
    return "first", x


@cache.cached_read(max_entries=4)
def second(x: int) -> tuple[str, int]:
    CALLS.append(("second", x))
    return "second", x


def _at(monkeypatch, url: str, version: int) -> None:
    monkeypatch.setattr(cache.settings, "database_url", lambda: url)
    monkeypatch.setattr(cache, "data_version", lambda: version)


def test_two_reads_with_the_same_arguments_answer_for_themselves(monkeypatch):
    st.cache_data.clear()
    CALLS.clear()
    _at(monkeypatch, "sqlite:///one.db", 1)
    assert first(7) == ("first", 7)
    assert second(7) == ("second", 7)
    assert first(7) == ("first", 7) and second(7) == ("second", 7)
    assert CALLS == [("first", 7), ("second", 7)], "each computed once, neither answered by the other"
    assert first.__name__ == "first" and first.__doc__ is None  # the read's own name for callers


def test_a_data_version_bump_or_another_database_turns_the_cache_over(monkeypatch):
    st.cache_data.clear()
    CALLS.clear()
    _at(monkeypatch, "sqlite:///one.db", 1)
    first(1)
    first(1)
    assert CALLS == [("first", 1)]
    _at(monkeypatch, "sqlite:///one.db", 2)  # an upload bumped the version
    first(1)
    assert CALLS == [("first", 1), ("first", 1)]
    _at(monkeypatch, "sqlite:///two.db", 2)  # another database, same version
    first(1)
    assert len(CALLS) == 3
    _at(monkeypatch, "sqlite:///one.db", 2)
    first(1)
    assert len(CALLS) == 3, "the earlier key is still cached"


def test_a_read_inside_a_read_is_asked_under_the_same_key(monkeypatch):
    st.cache_data.clear()
    seen: list[tuple[str, int] | None] = []

    @cache.cached_read
    def inner() -> None:
        seen.append(cache._KEY.get())

    @cache.cached_read
    def outer() -> None:
        _at(monkeypatch, "sqlite:///elsewhere.db", 99)  # what a fresh look would now say
        inner()

    _at(monkeypatch, "sqlite:///one.db", 5)
    outer()
    assert seen == [("sqlite:///one.db", 5)]


SHARED: list[int] = []


@cache.cached_read(shared=True)
def frozen(x: int) -> tuple[int, ...]:
    SHARED.append(x)
    return tuple(range(x))


def test_a_shared_read_hands_every_caller_the_same_result_until_the_version_moves(monkeypatch):
    st.cache_resource.clear()
    SHARED.clear()
    _at(monkeypatch, "sqlite:///one.db", 1)
    a, b = frozen(3), frozen(3)
    assert a == (0, 1, 2) and a is b, "one result, not a copy per caller"
    _at(monkeypatch, "sqlite:///one.db", 2)
    assert frozen(3) is not a and SHARED == [3, 3]
