"""The command lines (`python -m data_access`, `python -m seed`) run in this process as a
subprocess would see them (arguments, standard input, environment) and what a subprocess would
report (exit code, standard output, standard error), in a fraction of a process start.

`run_process` is the real thing, for the few tests that check the process boundary itself (exit
codes, the `gongkai` console script); it imports this checkout's code whichever checkout the
shared environment was installed from.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GONGKAI = Path(sys.executable).parent / "gongkai"  # the console script of pyproject.toml


@dataclass(frozen=True)
class Ran:
    """What a finished command line reported (the fields of subprocess.CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(changes: Mapping[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(changes or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(*argv: str, stdin: str | None = None, env: Mapping[str, str] | None = None,
            module: str = "data_access") -> Ran:  # fmt: skip
    """`python -m <module> argv…` in this process: settings are read from os.environ on each use,
    so `env` applies as it would to a child process; a usage error (argparse) is exit code 2."""
    if module == "data_access":
        from data_access.cli.main import main
    elif module == "seed":
        from seed.__main__ import main
    else:
        raise ValueError(f"no command line {module!r}")
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with _environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin = saved_stdin
    return Ran(code, out.getvalue(), err.getvalue())


def run_process(*argv: str, stdin: str | None = None, env: Mapping[str, str] | None = None,
                command: tuple[str, ...] = (sys.executable, "-m", "data_access")) -> Ran:  # fmt: skip
    """The command line as a real process (`command` may be the `gongkai` script: (str(GONGKAI),))."""
    done = subprocess.run(
        [*command, *argv],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def run_bench(module: str, *argv: str, timeout: float) -> Ran:
    """A benchmark's command line (`python -m bench…`) as a real process, on no configured database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEFAULT_UNIT")}
    done = subprocess.run(
        [sys.executable, "-m", module, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Ran(done.returncode, done.stdout, done.stderr)
