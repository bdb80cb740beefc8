"""The only module that touches Streamlit's caches: one engine per URL, the data version, and the
two decorators every other cached read goes through.

A cached read is keyed by the database URL and its data version (`cached_read`), so an upload (which
bumps the version) shows on every page and every replica within CACHE_TTL_SECONDS, without a long
time-to-live. Only aggregates, small frames and one page of a register are cached, never raw tables.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar, overload

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from data_access import settings
from data_access.store import db

P = ParamSpec("P")
R = TypeVar("R")


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


# The (database URL, data version) a cached read is computing for: a read that asks for another
# cached read (its unit scope, say) asks under the same key, and its engine is that URL's.
_KEY: ContextVar[tuple[str, int] | None] = ContextVar("cached_read_key", default=None)


def engine() -> Engine:
    """The engine for the configured database (inside a cached read: the one it is keyed by)."""
    key = _KEY.get()
    return _engine(key[0] if key is not None else settings.database_url())


@contextmanager
def read_session() -> Iterator[Session]:
    """A read-only session on engine()."""
    with db.read_session(engine()) as session:
        yield session


# url → (monotonic time read, data version). A plain dict rather than st.cache_data: a page asks
# for the version once per cached figure (8 times a rerun on the overview), and hashing the
# arguments of a cached call costs more than the answer.
_VERSIONS: dict[str, tuple[float, int]] = {}
# URLs whose schema was found initialised: it does not become uninitialised while the app runs.
_READY: set[str] = set()


def data_version() -> int:
    """The database's data version, re-read at most every CACHE_TTL_SECONDS."""
    url = settings.database_url()
    now = time.monotonic()
    seen = _VERSIONS.get(url)
    if seen is not None and now - seen[0] < settings.get_int("CACHE_TTL_SECONDS"):
        return seen[1]
    with db.read_session(_engine(url)) as session:
        version = db.data_version(session)
    _VERSIONS[url] = (now, version)
    return version


def _key() -> tuple[str, int]:
    key = _KEY.get()
    return key if key is not None else (settings.database_url(), data_version())


def database_reachable() -> bool:
    """Whether the database answers a read right now (not cached)."""
    try:
        with db.read_session(engine()) as session:
            db.data_version(session)
    except SQLAlchemyError:
        return False
    return True


def schema_ready() -> bool:
    """True when the database has been initialised (`python -m data_access init`)."""
    url = settings.database_url()
    if url not in _READY and db.has_table(_engine(url), "app_meta"):
        _READY.add(url)
    return url in _READY


def refresh() -> None:
    """Forget the cached data version so this process sees a write at once (others within the TTL)."""
    _VERSIONS.clear()


@overload
def cached_read(fn: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def cached_read(
    *, max_entries: int = 128, shared: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...
def cached_read(
    fn: Callable[..., Any] | None = None, /, *, max_entries: int = 128, shared: bool = False
) -> Any:
    """Cache a read by (database URL, data version, its arguments); callers keep its signature.

    `@cached_read` or `@cached_read(max_entries=N)`. The function itself runs inside an inner
    function taking (url, version, *args, **kwargs) that st.cache_data wraps. Streamlit keys a
    cached function by its __module__, __qualname__ and source, and every inner function has the
    same source, so each is given the qualname of the function it runs: two cached reads never
    answer for each other (tests/dashboard/test_cached_read.py).

    st.cache_data hands every caller its own copy, unpickled on each call; for a city's year of
    open requests that is most of a page load. `shared=True` keeps the one result and hands it to
    every caller (st.cache_resource): only for results nobody can change, frozen dataclasses of
    tuples.
    """

    def decorate(read: Callable[P, R]) -> Callable[P, R]:
        def keyed(url: str, version: int, *args: Any, **kwargs: Any) -> R:
            token = _KEY.set((url, version))
            try:
                return read(*args, **kwargs)
            finally:
                _KEY.reset(token)

        keyed.__module__ = read.__module__
        keyed.__qualname__ = read.__qualname__
        keyed.__name__ = read.__name__
        store = st.cache_resource if shared else st.cache_data
        cached = store(show_spinner=False, max_entries=max_entries)(keyed)

        @functools.wraps(read)
        def public(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached(*_key(), *args, **kwargs)

        return public

    return decorate if fn is None else decorate(fn)


def cached_pure(
    *, max_entries: int, key: Callable[..., Hashable]
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a computation that depends on its arguments only (no database), e.g. a chart's spec.

    `key(*args, **kwargs)` turns the arguments into a hashable key (cheap: a chart's few rows as
    tuples, not a hash of a frame); the last `max_entries` results are kept in this process, least
    recently used dropped first. Every caller gets the same object: treat it as read-only
    (st.vega_lite_chart copies a spec before it edits it)."""

    def decorate(compute: Callable[P, R]) -> Callable[P, R]:
        kept: OrderedDict[Hashable, R] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(compute)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            k = key(*args, **kwargs)
            with lock:
                if k in kept:
                    kept.move_to_end(k)
                    return kept[k]
            value = compute(*args, **kwargs)
            with lock:
                kept[k] = value
                while len(kept) > max_entries:
                    kept.popitem(last=False)
            return value

        return cached

    return decorate
