"""Racing uploads and undos on real concurrent connections, and what the database holds after.

Used by test_upload_races.py, and runnable for the figures of the report:

    python -m tests.helpers.races [--rounds 10] [--backends postgresql,mariadb,sqlite]

(servers from TEST_POSTGRES_URL / TEST_MARIADB_URL) prints, per backend and scenario, how many
rounds ended with two active batches, an unhandled error, or stored rows that do not match what
the uploads reported; then eight processes re-uploading a large file to one SQLite file.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit, Publication, UploadBatch
from data_access.write.importing import UndoRefused, commit
from data_access.write.undo import undo
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, xlsx

KIND = "publications"
ROWS = 300


def pub_file(tag: str, period: str, n: int = ROWS, title: str = "信息") -> bytes:
    """n valid publications for the period YYYY-MM whose 索引号 carry `tag` (same tag = same 索引号)."""
    year, month = period[:4], period[5:]
    rows = [
        [f"QY-{tag}-{i:05d}", f"{title}{i}", row[2], None, f"{year}-{month}-0{1 + i % 5}",
         f"{year}-{month}-1{i % 9}", *row[6:]]
        for i, row in enumerate(publication_rows(n, int(month)))
    ]  # fmt: skip
    return xlsx([PUB_HEADER, *rows])


@dataclass
class Outcome:
    """What one racer got back: a result ('committed', 'unchanged', 'conflict', …) or an exception."""

    status: str
    batch_id: int | None = None
    rows: int | None = None
    message: str = ""
    error: BaseException | None = None

    @property
    def unhandled(self) -> bool:
        """An exception other than the refusals the user is meant to see."""
        return self.error is not None and not isinstance(self.error, UndoRefused)


def upload(data: bytes, period: str, name: str) -> Callable[[Engine], Outcome]:
    """A racer that commits the file."""

    def run(engine: Engine) -> Outcome:
        result = commit(engine, OPERATOR, data, KIND, UNIT, period, name)
        return Outcome(
            result.status, result.batch_id, result.rows, " ".join(i.message for i in result.issues)
        )

    return run


def undoing(batch_id: int, delay: float = 0.0) -> Callable[[Engine], Outcome]:
    """A racer that undoes a batch (`delay` seconds after the start)."""

    def run(engine: Engine) -> Outcome:
        time.sleep(delay)
        return Outcome("undone", batch_id, undo(engine, OPERATOR, batch_id))

    return run


def race(url: str, racers: list[Callable[[Engine], Outcome]]) -> list[Outcome]:
    """Run the racers at once, each in its own thread with its own engine, released by a barrier."""
    barrier = threading.Barrier(len(racers))

    def run(racer: Callable[[Engine], Outcome]) -> Outcome:
        engine = db.make_engine(url)
        try:
            with engine.connect():
                pass  # connected before the start
            barrier.wait()
            return racer(engine)
        except UndoRefused as exc:
            return Outcome("refused", message=str(exc), error=exc)
        except Exception as exc:  # whatever would reach the user
            return Outcome("error", message=f"{type(exc).__name__}: {exc}"[:300], error=exc)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(len(racers)) as pool:
        return list(pool.map(run, racers))


@dataclass
class KeyState:
    """The batches in force for (publications, qingyang, period) and the rows of that month."""

    active: list[UploadBatch]
    rows_by_batch: dict[int, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.rows_by_batch.values())


def key_state(engine: Engine, period: str) -> KeyState:
    """What the database holds for the key now."""
    ym = int(period[:4]) * 100 + int(period[5:])
    with db.read_session(engine) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
        active = list(
            s.scalars(
                select(UploadBatch).where(
                    UploadBatch.kind == KIND,
                    UploadBatch.unit_id == unit_id,
                    UploadBatch.period_key == period,
                    UploadBatch.status == "active",
                )
            )
        )
        s.expunge_all()
        counts = dict(
            s.execute(
                select(Publication.batch_id, func.count())
                .where(Publication.unit_id == unit_id, Publication.published_ym == ym)
                .group_by(Publication.batch_id)
            ).all()
        )
    return KeyState(active, counts)


def problems(engine: Engine, period: str, outcomes: list[Outcome]) -> list[str]:
    """What is wrong after a race: not exactly one active batch, unhandled errors, rows that do not
    match what was reported (an active batch whose rows are not all there, rows of another batch)."""
    found = []
    state = key_state(engine, period)
    if len(state.active) != 1:
        found.append(f"two active batches: {[b.id for b in state.active]}")
    if any(o.unhandled for o in outcomes):
        found.append("unhandled error: " + "; ".join(o.message for o in outcomes if o.unhandled))
    for batch in state.active:
        if state.rows_by_batch.get(batch.id, 0) != batch.row_count:
            found.append(
                f"batch {batch.id} reports {batch.row_count} rows, holds {state.rows_by_batch.get(batch.id, 0)}"
            )
    strays = {b: n for b, n in state.rows_by_batch.items() if b not in {a.id for a in state.active}}
    if strays:
        found.append(f"rows of batches not in force: {strays}")
    for o in outcomes:
        if o.status == "committed" and any(b.id == o.batch_id for b in state.active):
            if state.rows_by_batch.get(o.batch_id, 0) != o.rows:
                found.append(
                    f"said 已导入 {o.rows} 行 (batch {o.batch_id}), holds {state.rows_by_batch.get(o.batch_id, 0)}"
                )
    return found


# ------------------------------------------------------------------ scenarios (one round each)


def disjoint(url: str, engine: Engine, period: str) -> tuple[list[Outcome], list[str]]:
    """Two files with disjoint 索引号 for the same key at once."""
    racers = [upload(pub_file(f"A{period}", period), period, "a.xlsx"),
              upload(pub_file(f"B{period}", period), period, "b.xlsx")]  # fmt: skip
    outcomes = race(url, racers)
    return outcomes, problems(engine, period, outcomes)


def overlapping(url: str, engine: Engine, period: str) -> tuple[list[Outcome], list[str]]:
    """Two files with the same 索引号 (different titles) for the same key at once."""
    racers = [upload(pub_file(f"S{period}", period, title="甲"), period, "a.xlsx"),
              upload(pub_file(f"S{period}", period, title="乙"), period, "b.xlsx")]  # fmt: skip
    outcomes = race(url, racers)
    return outcomes, problems(engine, period, outcomes)


def against_undo(
    url: str, engine: Engine, period: str, delay: float | None = None
) -> tuple[list[Outcome], list[str]]:
    """A re-upload racing the undo of the batch it replaces (F0 → F1, then F2 ∥ undo F1); the undo
    starts `delay` seconds later (random up to 0.6 s by default, so either may win)."""
    first = commit(engine, OPERATOR, pub_file(f"X{period}", period), KIND, UNIT, period, "f0.xlsx")
    second = commit(engine, OPERATOR, pub_file(f"Y{period}", period), KIND, UNIT, period, "f1.xlsx")
    assert (first.status, second.status) == ("committed", "committed"), (first, second)
    third = upload(pub_file(f"Y{period}", period, title="改"), period, "f2.xlsx")
    wait = random.uniform(0, 0.6) if delay is None else delay
    outcomes = race(url, [third, undoing(second.batch_id, wait)])
    return outcomes, problems(engine, period, outcomes)


SCENARIOS: dict[str, Callable[[str, Engine, str], tuple[list[Outcome], list[str]]]] = {
    "disjoint": disjoint,
    "overlapping": overlapping,
    "against_undo": against_undo,
}


# ------------------------------------------------------------------ SQLite: eight processes


def _reupload(args: tuple[str, bytes, str, str]) -> tuple[str, str, float]:
    """One process: its own engine, one upload; the status (or the error) and how long it took."""
    url, data, period, name = args
    engine = db.make_engine(url)
    start = time.perf_counter()
    try:
        result = commit(engine, OPERATOR, data, KIND, UNIT, period, name)
        return (
            result.status,
            " ".join(i.message for i in result.issues if i.level == "error"),
            time.perf_counter() - start,
        )
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"[:300], time.perf_counter() - start
    finally:
        engine.dispose()


def eight_reuploads(
    url: str, rows: int, processes: int = 8, busy_ms: int | None = None
) -> tuple[list[tuple[str, str, float]], float]:
    """A file of `rows` publications, then `processes` processes re-upload changed versions of it at once."""
    engine = db.make_engine(url)
    try:
        assert (
            commit(
                engine, OPERATOR, pub_file("BIG", "2018-03", n=rows), KIND, UNIT, "2018-03", "v0.xlsx"
            ).status
            == "committed"
        )
    finally:
        engine.dispose()
    jobs = [
        (url, pub_file("BIG", "2018-03", n=rows, title=f"第{p}版"), "2018-03", f"v{p}.xlsx")
        for p in range(1, processes + 1)
    ]
    saved = os.environ.get("SQLITE_BUSY_TIMEOUT_MS")
    if busy_ms is not None:
        os.environ["SQLITE_BUSY_TIMEOUT_MS"] = str(busy_ms)  # the spawned processes inherit it
    try:
        start = time.perf_counter()
        with mp.get_context("spawn").Pool(processes) as pool:
            outcomes = pool.map(_reupload, jobs)
        return outcomes, time.perf_counter() - start
    finally:
        if busy_ms is not None:
            if saved is None:
                os.environ.pop("SQLITE_BUSY_TIMEOUT_MS", None)
            else:
                os.environ["SQLITE_BUSY_TIMEOUT_MS"] = saved


# ------------------------------------------------------------------ figures


def _fresh(backend: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    from tests.helpers.builders import setup_unit
    from tests.helpers.databases import create_database

    url, drop = create_database(backend, tmp)
    engine = db.make_engine(url)
    db.upgrade(engine)
    setup_unit(engine)
    engine.dispose()
    return url, drop


def _figures(backend: str, rounds: int, tmp: Path) -> None:
    url, drop = _fresh(backend, tmp)
    engine = db.make_engine(url)
    try:
        for name, scenario in SCENARIOS.items():
            tally: dict[str, int] = {
                "two active": 0,
                "unhandled error": 0,
                "wrong stored rows": 0,
                "conflict": 0,
            }
            statuses: dict[str, int] = {}
            for r in range(rounds):
                period = f"{2001 + r + 20 * list(SCENARIOS).index(name)}-11"
                outcomes, found = scenario(url, engine, period)
                for o in outcomes:
                    statuses[o.status] = statuses.get(o.status, 0) + 1
                tally["two active"] += any(p.startswith("two active") for p in found)
                tally["unhandled error"] += any(p.startswith("unhandled") for p in found)
                tally["wrong stored rows"] += any(
                    not p.startswith(("two active", "unhandled")) for p in found
                )
                tally["conflict"] += any(o.status == "conflict" for o in outcomes)
                if found:
                    print(f"    round {r}: {found[:3]}", flush=True)
            print(f"{backend:10} {name:13} rounds={rounds} {tally} outcomes={statuses}", flush=True)
    finally:
        engine.dispose()
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--backends", default="postgresql,mariadb")
    parser.add_argument(
        "--sqlite-rows", type=int, default=0, help="also run eight SQLite re-uploads of this many rows"
    )
    parser.add_argument("--busy-ms", type=int, default=None)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for backend in [b for b in args.backends.split(",") if b]:
            _figures(backend, args.rounds, Path(tmp))
        if args.sqlite_rows:
            url, _drop = _fresh("sqlite", Path(tmp))
            outcomes, wall = eight_reuploads(url, args.sqlite_rows, busy_ms=args.busy_ms)
            engine = db.make_engine(url)
            state = key_state(engine, "2018-03")
            engine.dispose()
            failed = [o for o in outcomes if o[0] not in ("committed", "unchanged")]
            print(
                f"sqlite 8 re-uploads of {args.sqlite_rows} rows: failed={len(failed)} wall={wall:.1f}s "
                f"active={[b.id for b in state.active]} rows={state.rows_by_batch} "
                f"statuses={sorted(o[0] for o in outcomes)} times={[round(o[2], 1) for o in outcomes]}",
                flush=True,
            )
            for o in failed:
                print("    ", o[1], flush=True)


if __name__ == "__main__":
    main()
