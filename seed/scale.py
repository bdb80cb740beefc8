"""City-scale data: a city with N sub-districts and Y years of every record kind, fast.

`load(engine, ScaleSpec(units=20, years=10))` fills an empty, migrated database with
about `units × years × per_year` publications (1M for 20 × 10 × 5,000), a tenth as many
requests (with pauses, appeals, open and overdue ones), ~21 key projects per unit-year
with twelve reconciling monthly lines, deliveries, boards and their updates, hotline
duties, policy interpretations and targets, one upload batch per unit and month (or year)
as real uploads would leave them. Deterministic: everything is drawn from one generator
seeded from `random.Random(seed)`. Rows go in as bulk Core `insert()` (SQLite, MariaDB)
or `COPY` (PostgreSQL) in chunks of 50,000, one transaction per table chunk.
Used by `python -m seed --scale`, the benchmark (`python -m bench`) and the plan tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlalchemy import Engine, func, insert, select, text

from data_access.store import db, tally
from data_access.store.models import Base, Category, OrgUnit, PublicationDue, Topic, UploadBatch
from data_access.store.reference import ensure_reference_data
from data_access.write.importing import registers
from seed import scale_data as S
from seed import scale_rows as R

CHUNK = 50_000
# Parents before children: every buffer is flushed in this order.
ORDER = (
    "upload_batch", "publication", "policy_interpretation", "project", "project_progress",
    "disclosure_request", "request_pause", "appeal", "board", "board_update", "delivery",
    "hotline_duty", "annual_target",
)  # fmt: skip
BATCH_COLUMNS = ("id", "kind", "unit_id", "period_key", "file_name", "file_hash", "uploaded_at", "status",
                 "row_count")  # fmt: skip
COUNTED = {
    "publications": "publication",
    "projects": "project_progress",
    "requests": "disclosure_request",
    "boards": "board_update",
    "deliveries": "delivery",
    "interpretations": "policy_interpretation",
    "hotline": "hotline_duty",
}


_DECIMAL_TABLES = ("project", "project_progress", "annual_target")


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


class NotEmpty(Exception):
    """The database already holds units: the scale data is only loaded into an empty one."""


@dataclass(frozen=True)
class ScaleSpec:
    """What to generate: sub-districts, years (ending with `last_year`), items per unit-year."""

    units: int = 20
    years: int = 10
    seed: int = 1
    per_year: int = 5000
    last_year: int = 2025
    city_code: str = "city"

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1

    @property
    def end(self) -> dt.date:
        """The last day with data."""
        return dt.date(self.last_year, 12, 31)


class Writer:
    """Buffers rows per table and writes them in chunks: Core insert() or PostgreSQL COPY."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.backend = engine.dialect.name
        self.buffers: dict[str, list[tuple]] = {name: [] for name in ORDER}
        self.written: dict[str, int] = dict.fromkeys(ORDER, 0)

    def add(self, table: str, rows: list[tuple]) -> None:
        self.buffers[table].extend(rows)
        if len(self.buffers[table]) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for name in ORDER:
            rows, self.buffers[name] = self.buffers[name], []
            if rows:
                self._write(name, rows)
                self.written[name] += len(rows)

    def _write(self, name: str, rows: list[tuple]) -> None:
        columns = BATCH_COLUMNS if name == "upload_batch" else R.COLUMNS[name]
        table = Base.metadata.tables[name]
        with self.engine.connect() as conn:
            if self.backend == "sqlite":  # a rebuildable bulk load: no fsync per chunk, a big cache
                raw = conn.connection.driver_connection
                raw.execute("PRAGMA synchronous = OFF")
                raw.execute("PRAGMA cache_size = -400000")
            with conn.begin():
                if self.backend == "postgresql":
                    cursor = conn.connection.driver_connection.cursor()
                    with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                elif self.backend == "sqlite" and name != "upload_batch":
                    # The compiled Core insert() run as one executemany of plain tuples: sqlite3
                    # binds dates as ISO text (what SQLAlchemy stores), booleans as 0/1.
                    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(columns))
                    assert tuple(compiled.positiontup or ()) == columns, compiled.positiontup
                    if name in _DECIMAL_TABLES:
                        rows = [tuple(_plain(v) for v in row) for row in rows]
                    conn.exec_driver_sql(str(compiled), rows)
                else:
                    conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _reference(engine: Engine) -> R.Reference:
    with db.write_session(engine) as session:
        ensure_reference_data(session)
    with db.read_session(engine) as session:
        cats = session.execute(select(Category).order_by(Category.code)).scalars().all()
        by_id = {c.id: c for c in cats}
        roots = [c for c in cats if c.level == 1]
        leaves: list[list[tuple[int, str]]] = []
        for root in roots:
            leaves.append(
                [(c.id, by_id[c.parent_id].code) for c in cats if c.level == 3 and c.root_id == root.id]
            )
        topics: dict[str | None, int | None] = {None: None}
        topics.update((code, tid) for code, tid in session.execute(select(Topic.code, Topic.id)))
    return R.Reference([r.id for r in roots], leaves, topics)


def _units(engine: Engine, spec: ScaleSpec) -> list[R.Unit]:
    with db.write_session(engine) as session:
        if session.scalar(select(OrgUnit.id).limit(1)) is not None:
            raise NotEmpty("数据库中已有单位数据：规模数据只导入空库（请换一个新的数据库）")
        city = OrgUnit(code=spec.city_code, name="示范市", level="city", sort_order=0, hotline="0595-12345")
        session.add(city)
        session.flush()
        units = []
        for i in range(spec.units):
            name = S.subdistrict_name(i)
            sd = OrgUnit(
                code=f"sd{i + 1:03d}", name=name, level="subdistrict", parent_id=city.id, sort_order=i,
                hotline=f"0595-8560{i + 1:04d}",
            )  # fmt: skip
            session.add(sd)
            session.flush()
            unit = R.Unit(sd.id, sd.code, name)
            for k, suffix in enumerate(S.COMMUNITY_SUFFIXES):
                community = OrgUnit(
                    code=f"{sd.code}-c{k + 1}", name=f"{name[:2]}{suffix}社区", level="community",
                    parent_id=sd.id, sort_order=k,
                )  # fmt: skip
                session.add(community)
                session.flush()
                unit.communities.append((community.id, community.name))
            units.append(unit)
    return units


def _start_ids(engine: Engine) -> R.Ids:
    with engine.connect() as conn:
        start = {
            name: (conn.scalar(select(func.max(Base.metadata.tables[name].c.id))) or 0) + 1 for name in ORDER
        }
    return R.Ids(start)


def _counts(rng: np.random.Generator, spec: ScaleSpec) -> np.ndarray:
    """Items per unit and year: units differ in size, volume grows over the years; exact total."""
    size = rng.lognormal(0.0, 0.35, spec.units)
    growth = np.linspace(0.6, 1.3, spec.years)
    weight = size[:, None] * growth[None, :]
    share = weight / weight.sum() * spec.units * spec.years * spec.per_year
    counts = np.floor(share).astype(np.int64)
    remainder = int(spec.units * spec.years * spec.per_year - counts.sum())
    top = np.argsort(-(share - counts), axis=None, kind="stable")[:remainder]
    counts.flat[top] += 1
    return counts


class _Batches:
    """One upload batch per unit and month (publications, projects) or year (the rest)."""

    def __init__(self, ids: R.Ids, writer: Writer, seed: int) -> None:
        self.ids, self.writer, self.seed = ids, writer, seed

    def make(self, kind: str, unit: R.Unit, period: str, uploaded: dt.date) -> int:
        bid = self.ids.take("upload_batch")
        digest = hashlib.sha256(f"scale:{self.seed}:{kind}:{unit.code}:{period}".encode()).hexdigest()
        at = dt.datetime.combine(uploaded, dt.time(9, 30))
        name = f"{unit.name}{period}{kind}.xlsx"
        self.writer.add("upload_batch", [(bid, kind, unit.id, period, name, digest, at, "active", 0)])
        return bid

    def monthly(self, kind: str, unit: R.Unit, year: int) -> list[int]:
        return [
            self.make(kind, unit, f"{year}-{m:02d}", dt.date(year + m // 12, m % 12 + 1, 5))
            for m in range(1, 13)
        ]


def load(engine: Engine, spec: ScaleSpec, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Fill an empty, migrated database; return rows written per table (raises NotEmpty)."""
    started = time.perf_counter()
    ref = _reference(engine)
    units = _units(engine, spec)
    rng = np.random.default_rng(random.Random(spec.seed).getrandbits(128))
    ids, writer = _start_ids(engine), Writer(engine)
    batches = _Batches(ids, writer, spec.seed)
    counts = _counts(rng, spec)
    deferred = _drop_indexes(engine)
    # Per-row triggers would cost more than the load: count here, write the tally once (MariaDB keeps them).
    counted = _Tally(_dues(engine)) if engine.dialect.name in ("sqlite", "postgresql") else None
    if counted is not None:
        with engine.begin() as conn:
            tally.uninstall(conn)
    for u, unit in enumerate(units):
        board_rows = R.boards(ids, unit)
        writer.add("board", board_rows)
        for y, year in enumerate(range(spec.first_year, spec.last_year + 1)):
            month_counts = rng.multinomial(int(counts[u, y]), S.SEASON_P)
            pub_batches = batches.monthly("publications", unit, year)
            rows, proactive, policy = R.publications(rng, ids, ref, unit, year, month_counts, pub_batches)
            writer.add("publication", rows)
            if counted is not None:
                counted.publications(rows)
            yearly = {
                kind: batches.make(kind, unit, str(year), dt.date(year + 1, 1, 10))
                for kind in ("requests", "boards", "deliveries", "interpretations", "hotline")
            }
            projects, progress_rows = R.projects(
                rng, ids, unit, year, 12, batches.monthly("projects", unit, year), u % 3 == 0
            )
            writer.add("project", projects)
            writer.add("project_progress", progress_rows)
            if counted is not None:
                counted.add((r[2], "pp", "", r[5], "") for r in progress_rows)
                counted.add((r[2], "yp", "", r[3] * 100, "") for r in progress_rows)
            requests, pauses, appeals = R.requests(
                rng, ids, unit, year, max(1, round(counts[u, y] / 10)), spec.end, yearly["requests"]
            )
            writer.add("disclosure_request", requests)
            if counted is not None:
                counted.requests(requests)
            writer.add("request_pause", pauses)
            writer.add("appeal", appeals)
            writer.add("delivery", R.deliveries(rng, ids, unit, year, proactive, 12, yearly["deliveries"]))
            writer.add("board_update", R.board_updates(rng, ids, board_rows, year, 12, yearly["boards"]))
            interpretations, duties, targets = R.small_tables(
                rng, ids, unit, year, int(proactive.sum()), policy,
                (yearly["interpretations"], yearly["hotline"]),
            )  # fmt: skip
            writer.add("policy_interpretation", interpretations)
            writer.add("hotline_duty", duties)
            writer.add("annual_target", targets)
        if progress:
            progress(f"{unit.code}: {writer.written['publication'] + len(writer.buffers['publication'])} 条")
    writer.flush()
    _create_indexes(engine, deferred)
    if counted is not None:
        writer._write(tally.TABLE, counted.rows())
        with engine.begin() as conn:
            tally.install(conn)
            tally.recount(conn, ("rt",))  # judged against workday_count in SQL, as the triggers do
            tally.pauses.recount(conn)  # the pauses went in without their triggers too
    _finish(engine)
    written = dict(writer.written)
    written["seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[assignment]
    return written


def _dues(engine: Engine) -> dict[str, str]:
    """The stored publication due date of each day (data_access.store.publication_due), as ISO text."""
    with engine.connect() as conn:
        rows = conn.execute(select(PublicationDue.day, PublicationDue.due)).all()
    return {day.isoformat(): due.isoformat() for day, due in rows}


class _Tally:
    """The running counts of data_access.store.tally, counted from the generated rows (SQLite load)."""

    def __init__(self, dues: dict[str, str]) -> None:
        self.counts: Counter[tuple] = Counter()
        self.dues = dues

    def _timely(self, formed: str, published: str) -> str:
        """Dim 'pl''s flag, as the trigger judges it against publication_due."""
        if published < formed:
            return "x"
        due = self.dues.get(formed)
        return "?" if due is None else ("1" if published <= due else "0")

    def add(self, keys: Iterable[tuple]) -> None:
        self.counts.update(keys)

    def publications(self, rows: list[tuple]) -> None:
        # columns: 1 unit_id, 5 category_root_id, 6 topic_id, 9 formed_date, 10 published_date (ISO text),
        # 11 published_year, 12 published_ym, 13 channel, 14 full_text, 15 attribute
        for r in rows:
            if r[12] is not None:
                unit, attribute, ym, year = r[1], r[15], r[12], r[11] * 100
                self.counts[(unit, "pc", attribute, ym, str(r[5]))] += 1
                self.counts[(unit, "pt", attribute, ym, "" if r[6] is None else str(r[6]))] += 1
                self.counts[(unit, "ph", attribute, ym, r[13])] += 1
                self.counts[(unit, "pf", attribute, ym, "1" if r[14] else "0")] += 1
                self.counts[(unit, "yh", attribute, year, r[13])] += 1
                self.counts[(unit, "yf", attribute, year, "")] += 1
                self.counts[(unit, "pl", attribute, ym, f"{r[5]}|{self._timely(r[9], r[10])}")] += 1

    def requests(self, rows: list[tuple]) -> None:
        # columns: 1 unit_id, 3 received_date, 5 channel, 12 reply_date, 13 outcome
        for r in rows:
            self.counts[(r[1], "rr", "", r[3].year * 100 + r[3].month, r[5])] += 1
            self.counts[(r[1], "yr", "", r[3].year * 100, r[5])] += 1
            if r[12] is not None:
                group = (r[13] or "").split("-", 1)[0]
                self.counts[(r[1], "ra", "", r[12].year * 100 + r[12].month, group)] += 1
                self.counts[(r[1], "ya", "", r[12].year * 100, group)] += 1

    def rows(self) -> list[tuple]:
        return [(*key, n) for key, n in sorted(self.counts.items())]


BIG_TABLES = ("publication", "disclosure_request", "project_progress")


def _drop_indexes(engine: Engine) -> list:
    """Drop the big tables' plain indexes (built again, sorted, after the load: much faster).

    MariaDB keeps them: it needs an index behind every foreign key.
    """
    if engine.dialect.name not in ("sqlite", "postgresql"):
        return []
    indexes = [ix for name in BIG_TABLES for ix in Base.metadata.tables[name].indexes if not ix.unique]
    with engine.begin() as conn:
        for ix in indexes:
            ix.drop(conn)
    return indexes


def _create_indexes(engine: Engine, indexes: list) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.connection.driver_connection.execute("PRAGMA cache_size = -400000")
        with conn.begin():
            for ix in indexes:
                ix.create(conn)


def _finish(engine: Engine) -> None:
    """Batch row counts, sequences past the explicit ids, the data version, planner statistics."""
    with db.write_session(engine) as session:
        tally.rollup.refresh(session.connection())  # the tree, and the roll-up of the counts written
        registers.list_unlisted(session)  # every item is in its unit's 政府网站 register
        for kind, table in COUNTED.items():
            t = Base.metadata.tables[table]
            counted = select(func.count()).where(t.c.batch_id == UploadBatch.id).scalar_subquery()
            session.execute(
                UploadBatch.__table__.update().where(UploadBatch.kind == kind).values(row_count=counted)
            )
        if engine.dialect.name == "postgresql":
            for name in ORDER:
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 1)) FROM {name}"
                    )
                )
        db.bump_data_version(session)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":  # sampled statistics: seconds less, same plans
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        if engine.dialect.name in ("mysql", "mariadb"):
            conn.exec_driver_sql(f"ANALYZE TABLE {', '.join((*ORDER, tally.TABLE))}")
        else:
            conn.exec_driver_sql("ANALYZE")
        conn.commit()
