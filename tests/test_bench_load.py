"""`python -m bench.load` runs end to end on SQLite (2 leaders, 10 s, 1 upload) with no errors.

It checks the load test works, not the figures it measures: those depend on the machine and are
read from a real run (README, Benchmarks).
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.browser import require_browser
from tests.helpers.cli import run_bench

pytestmark = [pytest.mark.e2e, pytest.mark.bench]
FIGURES = re.compile(r"^all pages +(\d+) +0 +\d+ +\d+ +\d+$", re.MULTILINE)


@pytest.mark.parametrize("client", ["browser", "ws"])
def test_tiny_load_on_sqlite_has_no_errors_and_prints_figures(client: str) -> None:
    if client == "browser":
        require_browser()
    args = ["--leaders", "2", "--seconds", "10", "--uploads", "1", "--rows", "300", "--client", client]
    done = run_bench("bench.load", *args, timeout=240)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    loads = FIGURES.search(out)
    assert loads and int(loads.group(1)) >= 2, out
    for page in ("overview", "publications", "requests", "projects"):
        assert re.search(rf"^{page} +\d+ +0 ", out, re.MULTILINE), out
    assert re.search(r"^commit +300 rows at .* ms  ok$", out, re.MULTILINE), out
    assert re.search(r"^undo +300 rows at .* ms  ok$", out, re.MULTILINE), out
    assert re.search(
        rf"^verdict: sqlite, 2 leaders \({client}\), 1 replica: p95 \d+ ms .*errors 0.* — (met|NOT met)$",
        out,
        re.MULTILINE,
    )
