"""Bounded load test: N leaders open dashboard pages at once while a staff member uploads.

    python -m bench.load [--backend sqlite | --backend postgresql+psycopg://user@host/db]
                         [--leaders 4] [--seconds 60] [--uploads 3] [--rows 5000]
                         [--replicas 1] [--client ws|browser] [--ttl SECONDS]

Loopback only, a fixed number of leaders for a fixed time. Creates a fresh database holding the
2018 Qingyang demo (a SQLite file in a temporary folder, or a new database beside the one the
PostgreSQL URL names, dropped afterwards), starts one or more app processes on it (`streamlit run`,
as the README's run command does; leaders are spread over them) and logs N simulated leaders in
with a session cookie minted by data_access.write.auth. Each leader opens the overview, 主动公开,
依申请公开 and 重点项目 pages in turn, each time as a new page load (a new Streamlit session),
and times it until the page's figures are drawn: the heading is there, the script run has finished
and the overview shows 158.

Two kinds of leader (--client):
- ws (default): speaks the app's websocket protocol as the browser does (a new session, one script
  run, every element until the run finishes) without fetching HTML or rendering, so the figures
  are the servers' and database's, and tens of leaders fit on a small machine.
- browser: a Playwright context each in Debian's chromium, timed to the drawn page. On a 2-core
  machine the browser's rendering takes most of the CPU, so this measures the machine as much as
  the app; use it to check the whole path, not to find the app's limit.

Meanwhile a separate process commits K publication uploads of R rows through importing.commit,
each undone at once, so the database ends as it began. Prints p50 / p95 / max page times per page,
split by whether an upload (or its undo) was writing, the uploads' times, the app servers' CPU
use, the error count (failed or wrong pages and uploads) and a verdict line: the target (p95 ≤ 1.5 s
and no errors, with 20 leaders over 2 processes on SQLite and on PostgreSQL) met or not met.
Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.app import AppProcess, first_start, free_port, streamlit_command
from bench.load_leaders import CHROMIUM, PAGES, UNIT, Load, drive, log

P95_TARGET_MS = 1500.0  # a leader waits at most 1.5 s for a page's figures (20 leaders, 2 processes)


@dataclass
class Write:
    what: str
    started: float
    ms: float
    error: str | None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (as bench.timing.Timing.p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ------------------------------------------------------------------------------- the database
@contextlib.contextmanager
def fresh_database(backend: str, tmp: Path) -> Iterator[str]:
    """A new empty database: a SQLite file in tmp, or one created beside the server URL's database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'load.sqlite3'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(backend)
    if server.get_backend_name() != "postgresql":
        raise SystemExit("--backend takes sqlite or a postgresql+psycopg:// URL")
    name = f"gkb_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def leader_token(url: str, username: str = "demo_leader", unit: str | None = None) -> str:
    """A session cookie for a leader: a login session opened in the database the app processes use.
    With `unit`, the leader is created for that unit when missing (a scale database has no users)."""
    from data_access import settings
    from data_access.rules.permissions import OPERATOR
    from data_access.store import db
    from data_access.write import auth

    engine = db.make_engine(url)
    try:
        with db.write_session(engine) as session:
            principal = auth.principal_for_username(session, username)
            if principal is None and unit is not None:
                principal, _password = auth.create_user(
                    session, username, role=auth.LEADER, unit_code=unit, display_name="基准测试领导",
                    must_change_password=False, actor=OPERATOR, source="bench",
                )  # fmt: skip
            assert principal is not None, f"the database has no {username}"
            return auth.start_session(
                session, principal, hours=settings.get_float("SESSION_HOURS"), source="bench"
            ).token
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------- the app servers
class Server(AppProcess):
    """One app process (`streamlit run`) on a free loopback port."""

    def __init__(self, env: dict[str, str], tmp: Path) -> None:
        port = free_port()
        super().__init__(streamlit_command(port), env, port, tmp / f"app-{port}.log")


# ------------------------------------------------------------------------------- the uploader
def uploader(url: str, uploads: int, rows: int, start: float, seconds: float) -> list[Write]:
    """K publication uploads for 2026-01 spread over the run, each undone at once (own process)."""
    from bench.timing import upload_file
    from data_access.rules.permissions import Principal
    from data_access.store import db
    from data_access.write import importing
    from data_access.write.undo import undo

    data = upload_file(rows)
    engine = db.make_engine(url)
    out: list[Write] = []
    try:
        for i in range(uploads):
            time.sleep(max(0.0, start + (i + 0.5) * seconds / uploads - time.time()))
            began, error, batch = time.time(), None, None
            try:
                result = importing.commit(
                    engine, Principal.operator("bench"), data, "publications", UNIT, "2026-01", "load.xlsx"
                )
                batch = result.batch_id if result.status == "committed" else None
                if batch is None:
                    issues = [x.message for x in result.issues if x.level == "error"][:2]
                    error = f"status {result.status} {issues}"
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                error = f"{type(exc).__name__}: {exc}"[:300]
            out.append(Write("commit", began, (time.time() - began) * 1000, error))
            if batch is not None:
                began, error = time.time(), None
                try:
                    undo(engine, Principal.operator("bench"), batch)
                except Exception as exc:  # noqa: BLE001
                    error = f"{type(exc).__name__}: {exc}"[:300]
                out.append(Write("undo", began, (time.time() - began) * 1000, error))
    finally:
        engine.dispose()
    return out


# ------------------------------------------------------------------------------- the report
def _row(name: str, loads: list[Load]) -> str:
    ok = [x.ms for x in loads if not x.error]
    errors = sum(1 for x in loads if x.error)
    if not ok:
        return f"{name:34} {len(loads):6} {errors:7} {'—':>9} {'—':>9} {'—':>9}"
    return (
        f"{name:34} {len(loads):6} {errors:7} {statistics.median(ok):9.0f} "
        f"{percentile(ok, 0.95):9.0f} {max(ok):9.0f}"
    )


def _overlaps(load: Load, writes: list[Write]) -> bool:
    end = load.started + load.ms / 1000
    return any(w.started < end and load.started < w.started + w.ms / 1000 for w in writes)


def report(
    args: argparse.Namespace, label: str, loads: list[Load], writes: list[Write], cpu: list[float]
) -> int:
    log(f"\n{'page (time to figures, ms)':34} {'loads':>6} {'errors':>7} {'p50':>9} {'p95':>9} {'max':>9}")
    for spec in PAGES:
        log(_row(spec.name, [x for x in loads if x.page == spec.name]))
    if args.replicas > 1:
        for i in range(args.replicas):
            log(_row(f"replica {i + 1}", [x for x in loads if x.replica == i]))
    during = [x for x in loads if _overlaps(x, writes)]
    quiet = [x for x in loads if not _overlaps(x, writes)]
    log(_row("while an upload or undo wrote", during))
    log(_row("while nothing wrote", quiet))
    log(_row("all pages", loads))
    for w in writes:
        status = f"FAILED {w.error}" if w.error else "ok"
        log(
            f"{w.what:6} {args.rows:,} rows at +{w.started - writes[0].started:5.1f} s: {w.ms:8.0f} ms  {status}"
        )
    log(f"page loads per second: {len(loads) / args.seconds:.2f}; app server CPU: "
        + ", ".join(f"{c / args.seconds * 100:.0f}%" for c in cpu) + " of one core")  # fmt: skip
    failed = [x for x in loads if x.error] + [w for w in writes if w.error]
    for x in failed[:5]:
        where = f"{x.page} (replica {x.replica + 1})" if isinstance(x, Load) else x.what
        log(f"error: {where}: {x.error}")
    ok_ms = [x.ms for x in loads if not x.error]
    p95 = percentile(ok_ms, 0.95) if ok_ms else float("inf")
    met = not failed and p95 <= P95_TARGET_MS
    quiet_ok = [x.ms for x in quiet if not x.error]
    during_ok = [x.ms for x in during if not x.error]
    blocked = (
        f"; p95 while writing {percentile(during_ok, 0.95):.0f} ms vs {percentile(quiet_ok, 0.95):.0f} ms quiet"
        if during_ok and quiet_ok
        else ""
    )
    log(f"verdict: {label}: p95 {p95:.0f} ms (target ≤ {P95_TARGET_MS:.0f} ms), errors {len(failed)}{blocked} — "
        + ("met" if met else "NOT met"))  # fmt: skip
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite", help="sqlite (default) or a postgresql+psycopg:// URL")
    parser.add_argument("--leaders", type=int, default=4, help="concurrent leaders")
    parser.add_argument("--seconds", type=float, default=60, help="how long the leaders open pages")
    parser.add_argument("--uploads", type=int, default=3, help="uploads committed (and undone) meanwhile")
    parser.add_argument("--rows", type=int, default=5000, help="publication rows per upload")
    parser.add_argument("--replicas", type=int, default=1, help="app processes on the database")
    parser.add_argument(
        "--client",
        choices=("browser", "ws"),
        default="ws",
        help="ws: the app's websocket protocol, no rendering (default); browser: Debian's chromium",
    )
    parser.add_argument("--ttl", type=int, help="CACHE_TTL_SECONDS of the app processes (default: theirs)")
    args = parser.parse_args(argv)
    if min(args.leaders, args.replicas) < 1 or args.uploads < 0 or args.seconds <= 0 or args.rows < 1:
        parser.error("--leaders and --replicas must be ≥ 1, --uploads ≥ 0, --seconds and --rows > 0")
    if args.client == "browser" and not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} is missing (apt-get install chromium)")
        return 2
    backend = "sqlite" if args.backend == "sqlite" else "postgresql"
    replicas = f"{args.replicas} replica{'s' if args.replicas > 1 else ''}"
    label = f"{backend}, {args.leaders} leaders ({args.client}), {replicas}"
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.backend, Path(tmp)) as url:
        env = {k: v for k, v in os.environ.items() if k not in ("DEFAULT_UNIT",)}
        env.update(DATABASE_URL=url, SEED_DEMO="yes")
        if args.ttl is not None:
            env["CACHE_TTL_SECONDS"] = str(args.ttl)
        started = time.monotonic()
        first_start(env)
        os.environ["DATABASE_URL"] = url  # settings read by leader_token and the uploader
        token = leader_token(url)
        servers = [Server(env, Path(tmp)) for _ in range(args.replicas)]
        try:
            for server in servers:
                server.wait_ready()
            ttl = env.get("CACHE_TTL_SECONDS", "the default")
            log(f"=== load: {label} on the 2018 demo; {args.seconds:g} s; {args.uploads} uploads of "
                f"{args.rows:,} rows (each undone); CACHE_TTL_SECONDS {ttl}; ready in "
                f"{time.monotonic() - started:.1f} s")  # fmt: skip
            spawn = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as pool:
                pool.submit(time.sleep, 0).result()  # the worker is up before the clock starts
                futures: list[concurrent.futures.Future] = []
                cpu0: list[float] = []

                def start() -> None:
                    cpu0.extend(s.cpu_seconds() for s in servers)
                    if args.uploads:
                        futures.append(
                            pool.submit(uploader, url, args.uploads, args.rows, time.time(), args.seconds)
                        )

                loads, warm_s = asyncio.run(drive(servers, token, args, start))
                cpu = [s.cpu_seconds() - c for s, c in zip(servers, cpu0, strict=True)]
                writes = futures[0].result() if futures else []
            log(f"warm-up: every page once per replica in {warm_s:.1f} s (not counted)")
            return report(args, label, loads, writes, cpu)
        finally:
            for server in servers:
                server.stop()


if __name__ == "__main__":
    sys.exit(main())
