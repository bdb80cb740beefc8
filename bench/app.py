"""Start the app as its own process and wait until it answers: the one way the load test, the
screen soak and the browser tests (tests/e2e) start it.

`first_start` does what the run command does before it serves (the demo seed on an empty
database, then `init`); `AppProcess` runs a command that serves the app on a loopback port, in
its own process group (so stopping it stops `make` and everything under it), logs to a file and
polls the health endpoint until it answers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(port: int, script: str = "serve.py") -> list[str]:
    """`streamlit run` of the app on a loopback port (serve.py, what the run command serves, without make);
    another script (a floor app of bench.floor) is run the same way."""
    return [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip


def first_start(env: Mapping[str, str], cwd: Path = ROOT) -> None:
    """What the run command does on a first start before serving: the demo seed, then `init`
    (by the code in `cwd`: another checkout's, given its folder and PYTHONPATH in `env`)."""
    for command in (["-m", "seed", "--first-run"], ["-m", "data_access", "init"]):
        done = subprocess.run(
            [sys.executable, *command], cwd=cwd, env=dict(env), capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


class AppProcess:
    """An app server started by `command` on `port`, in its own process group, logging to `log_path`."""

    def __init__(
        self,
        command: Sequence[str],
        env: Mapping[str, str],
        port: int,
        log_path: Path,
        *,
        keep_log: bool = True,
        cwd: Path = ROOT,
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.keep_log = keep_log
        self.log = open(log_path, "w+b")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 120) -> float:
        """Poll the health endpoint until it answers 200; return the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.output()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return time.monotonic() - start
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"the app was not ready after {timeout} s:\n{self.output()[-3000:]}")

    def output(self) -> str:
        """Everything the process printed so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the started process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """Stop the server abruptly, as a crash or power cut would."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        """Stop the process group (SIGTERM, then SIGKILL after 10 s) and close the log."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
            except ProcessLookupError:
                pass
        self.log.close()
        if not self.keep_log:
            Path(self.log.name).unlink(missing_ok=True)
