"""Property test over hostile files: each is rejected or read within 1 s, the reading process's
peak memory grows by less than 300 MB, and a rejected file changes nothing in the database.

The files are hostile ones: over a cap, lying, damaged, or small. A file within the caps is
not hostile whatever it holds, and one near them (say 100,000 rows × 30 columns, or one cell
at AD100000) takes the seconds such a sheet takes, bounded by IMPORT_PARSE_TIMEOUT_SECONDS
and IMPORT_PARSE_MAX_MB in the child: the strategies below do not make those.

The files go to a worker process (one for the module) that reads each with `read_sheets`,
timing it (a read over 1 s is timed twice more and the fastest counts, so a machine busy
elsewhere does not fail it; a file that is slow to read stays slow) and measuring its own peak
RSS during the read (Linux: VmHWM after resetting it through /proc/self/clear_refs, minus VmRSS
before; the worker first checks that the measure sees a 64 MB allocation), then commits it
through the pipeline into a SQLite database and compares the row count of every table before
and after. A file that kills the worker (as the two-cell workbook killed the server before),
takes too long or costs too much memory fails the example, and hypothesis shrinks it.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.rules.permissions import OPERATOR
from tests.helpers import hostile_files as hostile
from tests.helpers.builders import PUB_HEADER, csv_bytes, publication_rows, xlsx

ROOT = Path(__file__).resolve().parents[3]
SECONDS = 1.0
MEMORY_MB = 300
_HEADER = struct.Struct("!Q")
CASES: list[tuple[str, float, float]] = []  # (kind, seconds, MB grown) of what ran, for the summary


def _memory() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _peak_reset() -> float:
    """Reset the peak RSS to the present one; return the present RSS in MB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _memory()[0]


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the parse runs in one): unlike the
    wall clock, it does not grow when other work on the machine takes the cores."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def _timed_read(read_sheets: Any, rejected: type[Exception], data: bytes) -> tuple[float, str]:
    start = _cpu_seconds()
    try:
        _fmt, sheets = read_sheets(data)
        outcome = f"read {len(sheets)} sheet(s)"
    except rejected as exc:
        outcome = f"rejected: {exc}"
    return _cpu_seconds() - start, outcome


def _worker(db_path: str) -> None:
    """The worker: read cases from standard input, answer each on standard output."""
    from data_access.store import db
    from data_access.write.importing import commit
    from data_access.write.importing.reading import FileRejected, read_sheets
    from tests.helpers.builders import UNIT, setup_unit, table_counts

    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the answers
    engine = db.make_engine(f"sqlite:///{db_path}")
    db.upgrade(engine)
    setup_unit(engine)
    read_sheets(xlsx([PUB_HEADER, *publication_rows(3)]))  # starts the parse server
    before = _peak_reset()
    probe = bytearray(64 * 1024 * 1024)  # zero-filled: its pages are touched
    del probe
    if _memory()[1] - before < 60:
        raise SystemExit("the peak-memory measure does not see a 64 MB allocation")
    out.write(b"ready\n")
    out.flush()
    stdin = sys.stdin.buffer
    while header := stdin.read(_HEADER.size):
        data = stdin.read(_HEADER.unpack(header)[0])
        before = _peak_reset()
        seconds, outcome = _timed_read(read_sheets, FileRejected, data)
        grown = _memory()[1] - before
        for _retry in range(2):  # a slow read is timed again: the machine may be busy elsewhere
            if seconds < SECONDS:
                break
            seconds = min(seconds, _timed_read(read_sheets, FileRejected, data)[0])
        before = table_counts(engine)
        status = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "fuzz.xlsx").status
        after = table_counts(engine)
        changed = {name: (count, after[name]) for name, count in before.items() if after[name] != count}
        answer = pickle.dumps((outcome, seconds, grown, status, changed))
        out.write(_HEADER.pack(len(answer)) + answer)
        out.flush()


class Worker:
    """The worker process; one that died is replaced for the next file (and that file fails)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.started = folder, 0
        self._start()

    def _start(self) -> None:
        self.started += 1
        code = "import sys; from tests.data_access.importing.test_hostile_fuzz import _worker; _worker(sys.argv[1])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(self.folder / f"fuzz-{self.started}.sqlite3")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.process.stdout is not None and self.process.stdout.readline() == b"ready\n"

    def run(self, data: bytes) -> tuple[str, float, float, str, dict[str, tuple[int, int]]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(_HEADER.pack(len(data)) + data)
            self.process.stdin.flush()
            header = self.process.stdout.read(_HEADER.size)
        except BrokenPipeError:
            header = b""
        if not header:
            code = self.process.wait()
            self._start()
            raise AssertionError(f"the file killed the reading process (exit {code})")
        return pickle.loads(self.process.stdout.read(_HEADER.unpack(header)[0]))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Any:
    process = Worker(tmp_path_factory.mktemp("fuzz"))
    yield process
    process.close()
    kinds = [kind for kind, _s, _m in CASES]
    print(f"\n{len(CASES)} files: " + ", ".join(f"{k} {kinds.count(k)}" for k in sorted(set(kinds))))
    if CASES:
        slowest = max(CASES, key=lambda c: c[1])
        print(
            f"slowest {slowest[1]:.3f} s ({slowest[0]}); largest peak RSS growth {max(c[2] for c in CASES):.0f} MB"
        )


# ------------------------------------------------------------------ the hostile files
positions = st.tuples(
    st.one_of(st.integers(1, 60), st.integers(101_001, 2**40)),  # row: small, or past the cap
    st.one_of(st.integers(1, 30), st.integers(201, 2**24)),  # column
)


@st.composite
def far_cells(draw: st.DrawFn) -> tuple[str, bytes]:
    """A few cells anywhere (rows and cells with or without references), and a dimension that may lie."""
    rows = []
    for row, column in draw(st.lists(positions, min_size=1, max_size=4)):
        ref = f"{hostile.letters(column)}{row}" if draw(st.booleans()) else None
        rows.append(hostile.row_xml(row if draw(st.booleans()) else None, [(ref, "x")]))
    dimension = None
    if draw(st.booleans()):
        row, column = draw(positions)
        dimension = f"A1:{hostile.letters(column)}{row}"
    return "far cells", hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(b"".join(rows), dimension)})


@st.composite
def garbage_references(draw: st.DrawFn) -> tuple[str, bytes]:
    """References that are not references, on cells and rows."""
    text = st.text(alphabet="AZaz09-!$:. \u4e00", max_size=14)
    cell, row = draw(text), draw(st.one_of(text, st.integers(-(2**40), 2**40).map(str)))
    body = b'<row r="%s"><c r="%s"><v>1</v></c></row>' % (row.encode(), cell.encode())
    return "garbage references", hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)})


@st.composite
def huge_shared_strings(draw: st.DrawFn) -> tuple[str, bytes]:
    """A sharedStrings part that claims or holds too many strings."""
    claimed = draw(st.one_of(st.none(), st.integers(0, 2**40)))
    held = draw(st.sampled_from([1, 1000, 3_000_001]))
    body = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    shared = hostile.shared_strings(claimed, held)
    return "shared strings", hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}, shared=shared, level=1)


@st.composite
def deep_nesting(draw: st.DrawFn) -> tuple[str, bytes]:
    """Nesting 10 to 2 million deep in a sheet, the shared strings, the workbook or another part."""
    depth = draw(st.one_of(st.integers(10, 200), st.integers(10_000, 2_000_000)))
    deep = hostile.deep_xml(depth)
    where = draw(st.sampled_from(["sheet", "sharedStrings", "workbook", "styles"]))
    body = hostile.row_xml(1, [("A1", "a")])
    sheet = hostile.sheet_xml(body, after=deep if where == "sheet" else b"")
    if where == "workbook":
        book = b'<workbook xmlns="%s"><sheets/>%s</workbook>' % (hostile._MAIN, deep)
        return "deep nesting", hostile.xlsx_parts({"Sheet1": sheet}, workbook=book, level=1)
    shared = b"<sst>" + deep + b"</sst>" if where == "sharedStrings" else None
    extra = {"xl/styles.xml": deep} if where == "styles" else None
    return "deep nesting", hostile.xlsx_parts({"Sheet1": sheet}, shared=shared, extra=extra, level=1)


_VALID_XLSX = xlsx([PUB_HEADER, *publication_rows(200)])
_VALID_XLS = hostile.small_xls()


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid .xlsx or .xls cut short or with bytes overwritten."""
    data = bytearray(draw(st.sampled_from([_VALID_XLSX, _VALID_XLS])))
    if draw(st.booleans()):
        return "truncated", bytes(data[: draw(st.integers(1, len(data) - 1))])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return "bytes overwritten", bytes(data)


@st.composite
def lying_xls(draw: st.DrawFn) -> tuple[str, bytes]:
    """An .xls whose DIMENSIONS record lies, or with a cell far away (past the column cap) or near."""
    if draw(st.booleans()):
        return "xls dimensions", hostile.xls_dimensions(
            draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 2**16 - 1))
        )
    row, column = draw(
        st.one_of(
            st.tuples(st.integers(0, 2**16 - 1), st.integers(200, 2**16 - 1)),
            st.tuples(st.integers(0, 60), st.integers(0, 30)),
        )
    )
    return "xls far cell", hostile.xls_cell_at(row, column)


@st.composite
def big_csv(draw: st.DrawFn) -> tuple[str, bytes]:
    """A CSV of up to 1.2 million rows, or up to 5,000 columns, or a small one; maybe with a NUL."""
    rows, width = draw(
        st.one_of(
            st.tuples(st.integers(101_001, 1_200_000), st.integers(1, 3)),
            st.tuples(st.integers(1, 20), st.integers(201, 5000)),
            st.tuples(st.integers(0, 100), st.integers(1, 10)),
        )
    )
    data = hostile.many_rows_csv(rows, width)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + b"\x00" + data[at + 1 :]
    return "csv", data


@st.composite
def lying_zip(draw: st.DrawFn) -> tuple[str, bytes]:
    """A member whose real size is far above the size its headers declare (a hidden zip bomb)."""
    real = draw(st.sampled_from([10_000, 1_000_000, 50_000_000]))
    body = hostile.row_xml(1, [("A1", "a")]) + b" " * real
    data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}, level=9)
    return "lying zip sizes", hostile.lying_zip_sizes(
        data, "xl/worksheets/sheet1.xml", draw(st.integers(0, 5000))
    )


@st.composite
def many_sheets(draw: st.DrawFn) -> tuple[str, bytes]:
    """Many sheets, each within the caps, together over the cell cap, or small."""
    count = draw(st.integers(30, 60))
    row = draw(st.one_of(st.integers(1, 50), st.integers(3_000_000 // count + 1, 101_000)))
    sheet = hostile.sheet_xml(hostile.row_xml(row, [(f"A{row}", "x")]))
    return "many sheets", hostile.xlsx_parts({f"S{i}": sheet for i in range(count)})


EXAMPLES: dict[str, Callable[[], bytes]] = {
    "two_corner_cells": hostile.two_corner_cells,
    "many_rows_xlsx": hostile.many_rows_xlsx,
    "many_rows_xlsx_without_dimension": lambda: hostile.many_rows_xlsx(dimension=False),
    "many_rows_csv": hostile.many_rows_csv,
    "xls_dimensions": lambda: hostile.xls_dimensions(0xFFFFFFFF, 0xFFFF),
    "xls_cell_at": lambda: hostile.xls_cell_at(0xFFFF, 0xFF),
    "valid_xlsx": lambda: _VALID_XLSX,
    "valid_gbk_csv": lambda: csv_bytes([PUB_HEADER, *publication_rows(200)], "gbk"),
}

FAMILIES = {
    "far cells": far_cells(),
    "garbage references": garbage_references(),
    "shared strings": huge_shared_strings(),
    "deep nesting": deep_nesting(),
    "damaged": damaged(),
    "lying xls": lying_xls(),
    "csv": big_csv(),
    "lying zip sizes": lying_zip(),
    "many sheets": many_sheets(),
}


def _check(worker: Worker, kind: str, data: bytes) -> None:
    outcome, seconds, grown, status, changed = worker.run(data)
    CASES.append((kind, seconds, grown))
    assert seconds < SECONDS, f"{kind}: {seconds:.2f} s ({outcome})"
    assert grown < MEMORY_MB, f"{kind}: peak memory grew by {grown:.0f} MB ({outcome})"
    if status == "rejected":
        assert not changed, f"{kind}: a rejected file changed {changed}"
    else:  # only a valid file, or one whose overwritten bytes did not matter, is imported
        assert kind in ("valid", "bytes overwritten") and outcome.startswith("read"), f"{kind}: {status}"


@pytest.mark.parametrize("family", FAMILIES)
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),  # per family
    deadline=None,
    derandomize=True,  # the same files on every run: CI is not the place to discover new ones
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_hostile_files_are_handled_fast_and_change_nothing(
    worker: Worker, family: str, data: st.DataObject
) -> None:
    kind, content = data.draw(FAMILIES[family])
    _check(worker, kind, content)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_issues_files_and_valid_ones(worker: Worker, name: str) -> None:
    _check(worker, "valid" if name.startswith("valid") else name, EXAMPLES[name]())
