"""The scale databases the benchmark reads: built once per size, then reused.

SQLite files live in bench/.cache/ (gitignored), named by size, seed and generator version;
a file whose schema is behind the migrations or whose publication count is off (an
interrupted run) is rebuilt. On PostgreSQL each size gets its own database (`gkb_bench` for 1M, `gkb_bench_<size>` otherwise)
on the server named by --postgres.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data_access.store import db
from seed import scale

CACHE = Path(__file__).resolve().parent / ".cache"
VERSION = 2  # bump when the generator changes what it writes


def spec_for(size: int) -> scale.ScaleSpec:
    """A city for about `size` publications: 10 years of 5,000 items per sub-district (fewer for tiny sizes)."""
    years = 10 if size >= 500_000 else 2
    units = max(1, round(size / (years * 5000)))
    return scale.ScaleSpec(units=units, years=years, per_year=max(1, size // (units * years)), seed=1)


@dataclass
class Built:
    """A ready scale database and how it came to be."""

    url: str
    spec: scale.ScaleSpec
    built_seconds: float | None  # None: reused from the cache


def _usable(engine: Engine, spec: scale.ScaleSpec) -> bool:
    try:
        if not db.schema_is_current(engine):
            return False
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM publication")).scalar_one()
        return count == spec.units * spec.years * spec.per_year
    except Exception:  # a half-written or foreign file: rebuild it
        return False


def _load(url: str, spec: scale.ScaleSpec, log) -> float:  # type: ignore[no-untyped-def]
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        started = time.perf_counter()
        scale.load(engine, spec, progress=None)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    log(f"  built {spec.units} units × {spec.years} years × {spec.per_year} = "
        f"{spec.units * spec.years * spec.per_year:,} publications in {seconds:.1f} s")  # fmt: skip
    return seconds


def sqlite_db(size: int, log, cache: Path = CACHE) -> Built:  # type: ignore[no-untyped-def]
    """The cached SQLite file for a size (built when missing or stale)."""
    spec = spec_for(size)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"scale-{size}-s{spec.seed}-v{VERSION}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists():
        engine = db.make_engine(url)
        try:
            if not db.schema_is_current(engine):  # built by older code: migrate it as a user's would be
                started = time.perf_counter()
                db.upgrade(engine)
                log(
                    f"  upgraded the cached database to the current schema in {time.perf_counter() - started:.1f} s"
                )
        except Exception as exc:  # noqa: BLE001 — a half-written or foreign file: rebuild it
            log(f"  could not upgrade the cached database ({exc}); building it again")
        ok = _usable(engine, spec)
        engine.dispose()
        if ok:
            return Built(url, spec, None)
    partial = path.with_suffix(".building")
    for stale in (partial, *partial.parent.glob(partial.name + "-*")):
        stale.unlink(missing_ok=True)
    seconds = _load(f"sqlite:///{partial}", spec, log)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    checkpoint = create_engine(f"sqlite:///{partial}")
    with checkpoint.connect() as conn:  # fold the WAL into the file before renaming it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.dispose()
    partial.rename(path)
    return Built(url, spec, seconds)


def postgres_db(server: str, size: int, log) -> Built:  # type: ignore[no-untyped-def]
    """The database gkb_bench_<size> on the server (created and loaded when missing or stale)."""
    spec = spec_for(size)
    name = "gkb_bench" if size == 1_000_000 else f"gkb_bench_{size}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists:
            engine = db.make_engine(url)
            ok = _usable(engine, spec)
            engine.dispose()
            if ok:
                return Built(url, spec, None)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    finally:
        admin.dispose()
    return Built(url, spec, _load(url, spec, log))
