"""dashboard/heap.py: the served process imports every module the pages use and freezes them.

Run in a child process: freezing the test process's own objects would keep its garbage alive.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import gc, json, sys
import serve  # what `make run` serves: it calls heap.freeze_once() before the first browser
from dashboard import heap
frozen = gc.get_freeze_count()
heap.freeze_once()  # a second call does nothing
print(json.dumps({"frozen": frozen, "again": gc.get_freeze_count(),
                  "pages": sorted(m for m in sys.modules if m.startswith("dashboard.panels."))}))
"""


def test_serve_freezes_the_loaded_modules_once():
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["frozen"] > 100_000, out["frozen"]
    assert out["again"] == out["frozen"]
    panels = {p.stem for p in (ROOT / "dashboard" / "panels").glob("*.py") if p.stem != "__init__"}
    assert {m.removeprefix("dashboard.panels.") for m in out["pages"]} == panels
