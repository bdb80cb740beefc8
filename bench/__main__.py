"""`python -m bench [--quick] [--sizes 1000000,5000000] [--postgres URL] [--runs N] [--baseline-ref REF]`

First the 2018 demo (bench.floor): every leader's page beside its floor (a bare Streamlit app
drawing the same elements from constants), new sessions and reruns over the websocket, and the
page loads a second of one app process (beside --baseline-ref's). Then builds (or reuses from
bench/.cache/) a city-scale database per size and prints, per hot query, the cold first run and
the median / p95 of N warm runs beside the hand-written SQL for the same figures (and the ratio);
the city leader's pages and the lobby screen beside their floors, with the size of every chart's
data; a 50,000-row upload through importing.commit beside read_excel + executemany; and which
targets are met. Exits 1 when the app's figures differ from the hand-written SQL's or a floor's
elements differ from its page's, 0 otherwise (missed targets are reported).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import build, floor, hot, rollup, timing

TARGETS = dict(
    query_ms=50.0, ratio=1.5, upload_ms=3000.0, upload_ratio=2.0, chart_points=5000, rebuild_ms=30_000.0
)  # fmt: skip (pages: bench.floor's targets)


def log(line: str = "") -> None:
    print(line, flush=True)


def _fmt(ms: float) -> str:
    return f"{ms:9.1f}"


def run_size(label: str, built: build.Built, args: argparse.Namespace, results: dict) -> bool:
    spec = built.spec
    total = spec.units * spec.years * spec.per_year
    how = "reused from cache" if built.built_seconds is None else f"built in {built.built_seconds:.1f} s"
    log(f"\n=== {label}: {total:,} publications ({spec.units} sub-districts × {spec.years} years), {how}")
    timing.analyse(built.url)
    scope = hot.Scope(spec.city_code, "sd001", spec.last_year, timing.today_for(spec.last_year))
    rows = timing.hot_queries(built.url, scope, args.runs)
    log(f"{'hot query':34} {'stmts':>5} {'cold':>9} {'median':>9} {'p95':>9} | {'hand cold':>9} "
        f"{'median':>9} {'p95':>9} | {'ratio':>6}  same")  # fmt: skip
    ok = True
    for r in rows:
        hand = r.hand
        ratio = r.app.median / hand.median if hand and hand.median else None
        same = "—" if r.same is None else ("yes" if r.same else "NO")
        ok = ok and r.same is not False
        hand_cols = f"{_fmt(hand.cold)} {_fmt(hand.median)} {_fmt(hand.p95)}" if hand else f"{'—':>9} " * 3
        log(f"{r.name:34} {r.statements:5} {_fmt(r.app.cold)} {_fmt(r.app.median)} {_fmt(r.app.p95)} | "
            f"{hand_cols.rstrip()} | {f'{ratio:5.2f}×' if ratio else '    —'}  {same}")  # fmt: skip
    worst = max(rows, key=lambda r: r.app.median)
    ratios = [(r.app.median / r.hand.median, r.name) for r in rows if r.hand and r.hand.median]
    worst_ratio = max(ratios)
    log(f"ratio app/hand-written (median): worst {worst_ratio[0]:.2f}× ({worst_ratio[1]}), "
        f"geometric mean {_geomean([x for x, _ in ratios]):.2f}×")  # fmt: skip
    log("(times in ms; cold = first call on a new engine of this process)")
    results[label] = dict(backend=built.url.split(":")[0], size=total, worst=(worst.app.median, worst.name),
                          ratio=worst_ratio)  # fmt: skip
    if not args.skip_pages:
        results[label]["pages"] = floor.scale(built.url, spec.city_code, spec.last_year, args, label)
    rebuilt, tally_rows = rollup.rebuild_ms(built.url)
    log(f"\nstat_tally full rebuild (rolled back): {rebuilt:,.0f} ms for {tally_rows:,} rows")
    results[label]["rebuild"] = rebuilt
    if not args.skip_upload:
        up = timing.upload(built.url, "sd001", args.upload_rows)
        ratio = up.commit_ms / up.baseline_ms if up.baseline_ms else float("inf")
        log(f"\nupload {up.rows:,} publication rows into sd001 (status {up.status}): commit {up.commit_ms:,.0f} ms, "
            f"baseline read_excel(calamine) + executemany {up.baseline_ms:,.0f} ms, ratio {ratio:.2f}×; "
            f"undo {up.undo_ms:,.0f} ms")  # fmt: skip
        results[label]["upload"] = (up, ratio)
    return ok


def _geomean(values: list[float]) -> float:
    product = 1.0
    for v in values:
        product *= v
    return product ** (1 / len(values)) if values else float("nan")


def verdicts(results: dict, args: argparse.Namespace) -> None:
    log("\n=== targets")

    def line(ok: bool | None, text: str) -> None:
        log(f"  [{'met' if ok else ('not measured' if ok is None else 'NOT met')}] {text}")

    sqlite = {k: v for k, v in results.items() if v["backend"] == "sqlite"}
    at_5m = [v for v in sqlite.values() if v["size"] >= 5_000_000]
    largest = max(sqlite.values(), key=lambda v: v["size"]) if sqlite else None
    if largest:
        ms, name = largest["worst"]
        line(ms <= TARGETS["query_ms"] if at_5m else None,
             f"hot query median ≤ 50 ms at 5M on SQLite — slowest at {largest['size']:,}: {ms:.1f} ms ({name})")  # fmt: skip
    for label, v in results.items():
        ratio, name = v["ratio"]
        line(ratio <= TARGETS["ratio"], f"≤ 1.5× hand-written ({label}): worst {ratio:.2f}× ({name})")
        floor.page_verdicts(v.get("pages", []), label, floor.SCALE_RATIO, floor.SCALE_MS)
        for p in v.get("pages", []):
            biggest = max(p.chart_points or [0])
            line(biggest <= TARGETS["chart_points"],
                 f"every chart ≤ 5,000 points ({label}, {p.page.title}): largest {biggest}")  # fmt: skip
        line(v["rebuild"] <= TARGETS["rebuild_ms"],
             f"roll-up full rebuild ≤ 30 s ({label}): {v['rebuild'] / 1000:.1f} s")  # fmt: skip
        if "upload" in v:
            up, ratio = v["upload"]
            line(up.commit_ms <= TARGETS["upload_ms"] and ratio <= TARGETS["upload_ratio"],
                 f"{up.rows:,}-row upload ≤ 3 s and ≤ 2× baseline ({label}): {up.commit_ms:,.0f} ms, {ratio:.2f}×")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few runs: under a minute")
    parser.add_argument("--sizes", default="1000000", help="publication counts, comma-separated")
    parser.add_argument("--postgres", help="also measure on this PostgreSQL server (a URL)")
    parser.add_argument("--runs", type=int, default=None, help="warm runs per query (default 20; quick 5)")
    parser.add_argument("--upload-rows", type=int, default=None, help="rows of the upload (default 50000)")
    parser.add_argument("--skip-pages", action="store_true", help="no pages beside their floor at the sizes")
    parser.add_argument(
        "--skip-demo", action="store_true", help="no demo section (pages, floors, loads a second)"
    )
    floor.add_arguments(parser)
    parser.add_argument("--skip-upload", action="store_true")
    args = parser.parse_args(argv)
    sizes = [20_000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    args.runs = args.runs or (5 if args.quick else 20)
    args.upload_rows = args.upload_rows or (5_000 if args.quick else 50_000)
    floor.defaults(args)
    floor.machine("bench", argv)
    ok = True
    same_shape = args.skip_demo or floor.demo(args) == 0
    results: dict = {}
    # --quick builds its tiny database afresh in a temporary folder: nothing shared between runs.
    scratch = tempfile.TemporaryDirectory(prefix="gkb-bench-") if args.quick else None
    cache = Path(scratch.name) if scratch else build.CACHE
    for size in sizes:
        ok = run_size(f"SQLite {size:,}", build.sqlite_db(size, log, cache), args, results) and ok
        if args.postgres:
            ok = (
                run_size(f"PostgreSQL {size:,}", build.postgres_db(args.postgres, size, log), args, results)
                and ok
            )
    verdicts(results, args)
    if scratch:
        scratch.cleanup()
    if not ok:
        log("\nFIGURES DIFFER between the app and the hand-written SQL")
    same_shape = same_shape and all(p.shape_ok for v in results.values() for p in v.get("pages", []))
    if not same_shape:
        log("\nA FLOOR DIFFERS from its page (elements by container): its ratio means nothing")
    return 0 if ok and same_shape else 1


if __name__ == "__main__":
    sys.exit(main())
