"""The offline install: `make wheelhouse` downloads every wheel requirements.lock names, checked
against the lock's hashes, into wheelhouse/; the install step of `make run OFFLINE=1` then fills a
fresh venv from that folder alone (`--no-index`, pip's configuration and environment cleared, so no
index URL or other wheel folder can be reached), and the installed program runs.

Slow (a download the first time, then an install of some 50 wheels): marked `wheelhouse`, so
`-m "not wheelhouse"` leaves it out of a quick run; `make test` runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheelhouse

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = ROOT / "wheelhouse"


def _make(*args: str, env: dict[str, str] | None = None, timeout: int = 1800) -> subprocess.CompletedProcess:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    clean = {k: v for k, v in (env or os.environ).items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run([make, "--no-print-directory", *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def _locked(lock: Path) -> dict[str, str]:
    """name → version of every requirement the lock pins."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", lock.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def _wheels(folder: Path) -> dict[str, str]:
    found = {}
    for wheel in folder.glob("*.whl"):
        name, version = wheel.name.split("-")[:2]
        found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def test_the_wheelhouse_installs_the_program_without_an_index(tmp_path):
    python = getattr(sys, "_base_executable", sys.executable)
    built = _make("wheelhouse", f"PYTHON={python}", f"WHEELHOUSE={WHEELHOUSE}")
    assert built.returncode == 0, built.stderr[-3000:]
    assert _wheels(WHEELHOUSE).items() >= _locked(ROOT / "requirements.lock").items(), (
        "a wheel of the lock is missing"
    )

    # No index, no configured wheel folder: pip's configuration files and PIP_* variables cleared.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    venv = tmp_path / "venv"
    installed = _make(f"{venv}/.run-installed", f"VENV={venv}", f"PYTHON={python}", "OFFLINE=1",
                      f"WHEELHOUSE={WHEELHOUSE}", env=env)  # fmt: skip
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-3000:]
    assert "--no-index --find-links" in installed.stdout and "upgrade pip" not in installed.stdout

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    for command in (
        [str(venv / "bin" / "python"), "-m", "data_access", "--version"],
        [str(venv / "bin" / "gongkai"), "--version"],
    ):
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"政务公开看板 {version}"
    imports = "import streamlit, pandas, altair, sqlalchemy, alembic, psycopg, pymysql, chinese_calendar; print('ok')"
    done = subprocess.run([str(venv / "bin" / "python"), "-c", imports], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.stdout.strip() == "ok", done.stderr


def test_offline_1_switches_every_install_to_the_wheelhouse_and_nothing_else():
    for target in ("run", "lint"):
        offline = _make("-n", "-B", target, "OFFLINE=1", "VENV=/nonexistent/venv").stdout
        installs = [ln for ln in offline.splitlines() if "pip install" in ln and "-e ." not in ln]
        assert installs and all("--no-index --find-links wheelhouse" in ln for ln in installs), offline
        assert "upgrade pip" not in offline
        online = _make("-n", "-B", target, "VENV=/nonexistent/venv").stdout
        assert "--no-index" not in online and "upgrade pip" in online
    assert "/wheelhouse/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
