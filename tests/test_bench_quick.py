"""`python -m bench --quick` runs end to end (tiny database, few runs) and reports its ratios.

It checks the benchmark works, not the figures it measures: the targets are judged by the
full benchmark on a large database, never by a timed unit test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_exits_zero_and_prints_ratios() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEFAULT_UNIT")}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert re.search(r"ratio app/hand-written \(median\): worst \d+\.\d\d×", out), out
    assert re.search(r"baseline read_excel\(calamine\) \+ executemany .* ratio \d+\.\d\d×", out), out
    assert "kpis.compute[city]" in out and "public.screen_data[subdistrict]" in out
    assert "=== targets" in out and "FIGURES DIFFER" not in out
    assert re.search(r"stat_tally full rebuild \(rolled back\): [\d,]+ ms for [\d,]+ rows", out), out
