"""`python -m bench.reading_limits [--code DIR] [--runs N]`: what hostile and normal files cost
the process that reads them.

Each file is read in a fresh interpreter that imports `data_access` from DIR (default: this
checkout; give another checkout to measure the code before a change the same way), and the
wall time and how far the process's peak RSS rose above its RSS before the read are reported
(Linux: VmHWM after resetting it through /proc/self/clear_refs). The three hostile files go
through `pipeline.read_file` (as an upload does before it touches the database: that is where
IMPORT_MAX_ROWS rejected them before), the 50,000-row file through `read_sheets` (the reading
alone), both with the garbage collector paused as preview and commit pause it. A process that
dies is reported with its signal. The files:

- the two-cell .xlsx of issue item 1 (A1 and XFD1048576, 5 KB);
- a 1,048,576-row .xlsx written by xlsxwriter (constant_memory): the publication header, then
  one index number per row (IMPORT_MAX_ROWS is what rejected it before);
- a 1,048,576-row CSV: the same header, then "1,x" lines;
- the benchmark's 50,000-row publication upload (`bench.timing.upload_file`), read N + 1 times in
  one process: the first read apart (it starts the parse server), then the median of N.

The files are built once into bench/.cache/reading/.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["索引号", "信息名称", "所属类别", "文号", "形成日期", "公开日期", "公开方式", "全文电子化"]
CACHE = ROOT / "bench" / ".cache" / "reading"

_READER = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from data_access.write.importing.gcpause import collector_paused
from data_access.write.importing.pipeline import read_file
from data_access.write.importing.reading import FileRejected, read_sheets

def memory():
    fields = dict(l.split(":", 1) for l in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

data = Path(sys.argv[2]).read_bytes()
out = []
for _ in range(int(sys.argv[3])):
    Path("/proc/self/clear_refs").write_text("5")
    before = memory()[0]
    start = time.perf_counter()
    with collector_paused():
        if sys.argv[4] == "read_file":
            parsed = read_file(data, "publications")
            errors = [i.message for i in parsed.issues if i.level == "error"]
            outcome = f"rejected: {errors[0]}" if errors else "accepted"
        else:
            try:
                _fmt, sheets = read_sheets(data)
                outcome = f"read: {sum(len(s.rows) for s in sheets):,} rows"
            except FileRejected as exc:
                outcome = f"rejected: {exc}"
    out.append((time.perf_counter() - start, memory()[1] - before, outcome))
print(json.dumps(out))
"""


def _files() -> dict[str, Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    files = {
        "two-cell xlsx (A1 + XFD1048576)": CACHE / "two_cells.xlsx",
        "1,048,576-row xlsx": CACHE / "million_rows.xlsx",
        "1,048,576-row csv": CACHE / "million_rows.csv",
        "50,000-row upload xlsx": CACHE / "upload_50000.xlsx",
    }
    if not files["two-cell xlsx (A1 + XFD1048576)"].exists():
        import xlsxwriter

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out)
        sheet = book.add_worksheet("Sheet1")
        sheet.write(0, 0, "a")
        sheet.write(1_048_575, 16_383, "z")
        book.close()
        files["two-cell xlsx (A1 + XFD1048576)"].write_bytes(out.getvalue())
    if not files["1,048,576-row xlsx"].exists():
        import xlsxwriter

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = book.add_worksheet("Sheet1")
        sheet.write_row(0, 0, HEADER)
        for row in range(1, 1_048_576):
            sheet.write_number(row, 0, row)
        book.close()
        files["1,048,576-row xlsx"].write_bytes(out.getvalue())
    if not files["1,048,576-row csv"].exists():
        files["1,048,576-row csv"].write_bytes((",".join(HEADER) + "\n").encode() + b"1,x\n" * 1_048_575)
    if not files["50,000-row upload xlsx"].exists():
        from bench.timing import upload_file

        files["50,000-row upload xlsx"].write_bytes(upload_file(50_000))
    return files


def measure(code: Path, path: Path, runs: int, how: str) -> list[tuple[float, float, str]] | str:
    """(seconds, MB of peak RSS above the RSS before, outcome) of each read, or how the process died."""
    done = subprocess.run(
        [sys.executable, "-c", _READER, str(code), str(path), str(runs), how],
        cwd=code,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[0][:120]
        return f"process died (exit {done.returncode}): {last}"
    return [tuple(r) for r in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose data_access is measured")
    parser.add_argument("--runs", type=int, default=5, help="reads of the 50,000-row file after the first")
    parser.add_argument("--only", default="", help="measure only the files whose name contains this")
    args = parser.parse_args()
    for name, path in _files().items():
        if args.only not in name:
            continue
        normal = name.startswith("50,000")
        result = measure(
            args.code.resolve(),
            path,
            args.runs + 1 if normal else 1,
            "read_sheets" if normal else "read_file",
        )
        size = f"{path.stat().st_size / 1024 / 1024:.2f} MB"
        if isinstance(result, str):
            print(f"{name} ({size}): {result}")
            continue
        seconds, grown, outcome = result[0]
        print(f"{name} ({size}): {seconds:.3f} s, peak RSS +{grown:.0f} MB; {outcome[:110]}")
        if len(result) > 1:
            rest = result[1:]
            print(
                f"    then {len(rest)} reads: median {statistics.median(r[0] for r in rest):.3f} s "
                f"(min {min(r[0] for r in rest):.3f}, max {max(r[0] for r in rest):.3f}), "
                f"peak RSS +{max(r[1] for r in rest):.0f} MB"
            )


if __name__ == "__main__":
    main()
