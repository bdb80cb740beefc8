"""`python -m bench --quick` runs end to end (the demo's pages beside their floors, a tiny
database, few runs) and reports its ratios and targets.

It checks the benchmark works, not the figures it measures: the targets are judged by the
full benchmark on a large database, never by a timed unit test.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.cli import run_bench

pytestmark = pytest.mark.bench


def test_quick_benchmark_exits_zero_and_prints_ratios() -> None:
    done = run_bench("bench", "--quick", timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert re.search(r"ratio app/hand-written \(median\): worst \d+\.\d\d×", out), out
    assert re.search(r"baseline read_excel\(calamine\) \+ executemany .* ratio \d+\.\d\d×", out), out
    assert "kpis.compute[city]" in out and "public.screen_data[subdistrict]" in out
    assert "=== targets" in out and "FIGURES DIFFER" not in out
    # the pages beside their floors: the demo's leader, then the city's leader at the size
    assert re.search(r"\[(met|NOT met)\] new session ≤ 1\.3× its floor \(demo, 总览\): \d+\.\d\d×", out), out
    assert re.search(
        r"\[(met|NOT met)\] new session ≤ 2× its floor and ≤ 300 ms \(SQLite 20,000, 总览\)", out
    ), out
    assert re.search(r"\[(met|NOT met)\] rerun ≤ 1\.2× the floor's rerun \(SQLite 20,000, 总览\)", out), out
    assert "A FLOOR DIFFERS" not in out
    assert re.search(r"stat_tally full rebuild \(rolled back\): [\d,]+ ms for [\d,]+ rows", out), out
