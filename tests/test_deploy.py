"""deploy/: the systemd units (the app on several ports, the nightly backup and the daily reminders,
each a timer) and the environment file they read, which lists every setting with its default.

The units are checked by `systemd-analyze verify` where it is installed (with this machine's Python
and a temporary environment file in place of the install paths), and the app unit's own command
line is started on two consecutive ports and asked for its health URL."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.app import AppProcess
from data_access import settings
from data_access.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
ENV_FILE = "/etc/gongkai/gongkai.env"
PYTHON = f"{settings.DEPLOY_ROOT}/.venv/bin/python"
SERVICES = ("gongkai@.service", "gongkai-backup.service", "gongkai-remind.service")
TIMERS = {"gongkai-backup.timer": "gongkai-backup.service", "gongkai-remind.timer": "gongkai-remind.service"}


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def _exec(name: str) -> list[str]:
    return shlex.split(_unit(name)["Service"]["ExecStart"])


def test_the_environment_file_lists_every_setting_with_its_default():
    text = (DEPLOY / "gongkai.env.example").read_text(encoding="utf-8")
    assert text == settings.env_example(), (
        "deploy/gongkai.env.example is not what data_access.settings.env_example() gives (a setting was "
        'added or changed): regenerate it with\n  python -c "from data_access.settings import env_example; '
        "print(env_example(), end='')\" > deploy/gongkai.env.example"
    )
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    values = dict(ln.split("=", 1) for ln in lines)
    assert len(values) == len(lines) == len(settings.SETTINGS)
    for s in settings.SETTINGS:
        if s.name == "DATABASE_URL":
            assert values[s.name] == f"sqlite:///{settings.DEPLOY_ROOT}/data/gongkai.sqlite3"
        else:
            assert values[s.name] == s.default, s.name


def test_every_service_reads_the_environment_file_and_the_app_restarts():
    for name in SERVICES:
        service = _unit(name)["Service"]
        assert service["EnvironmentFile"] == ENV_FILE, name
        assert service["WorkingDirectory"] == settings.DEPLOY_ROOT, name
        assert _exec(name)[0] == PYTHON, name
    app = _unit("gongkai@.service")
    assert app["Service"]["Restart"] == "always"
    assert app["Install"]["WantedBy"] == "multi-user.target"
    command = _exec("gongkai@.service")
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == "serve.py"
    assert command[command.index("--server.port") + 1] == "%i", "the instance name is the port"
    for timer, service in TIMERS.items():
        unit = _unit(timer)
        assert unit["Timer"]["Unit"] == service and unit["Timer"]["Persistent"] == "true"
        assert unit["Install"]["WantedBy"] == "timers.target"


def test_the_timers_run_the_backup_and_the_reminders():
    backup = _exec("gongkai-backup.service")
    assert backup[1:4] == ["-m", "data_access", "backup"]
    args = build_parser().parse_args(backup[3:])  # the command line accepts these options
    assert args.to == Path("/var/backups/gongkai") and args.keep_days == 30 and args.file is None
    assert _exec("gongkai-remind.service")[1:] == ["-m", "data_access", "remind"]


def _installed_copies(tmp_path: Path) -> tuple[list[Path], Path]:
    """The units with this machine's Python and a temporary environment file in place of the install's."""
    env = tmp_path / "gongkai.env"
    env.write_text(settings.env_example(), encoding="utf-8")
    folder = tmp_path / "units"
    folder.mkdir()
    units = []
    for source in sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer")):
        text = source.read_text(encoding="utf-8").replace(PYTHON, sys.executable).replace(ENV_FILE, str(env))
        names = (
            ["gongkai@8501.service", "gongkai@8502.service"]
            if source.name == "gongkai@.service"
            else [source.name]
        )
        for name in names:
            (folder / name).write_text(text, encoding="utf-8")
            units.append(folder / name)
    return units, env


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    units, _env = _installed_copies(tmp_path)
    assert len(units) == 6
    done = subprocess.run([analyze, "verify", "--man=no", *map(str, units)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})  # fmt: skip
    ours = [ln for ln in (done.stdout + done.stderr).splitlines() if str(tmp_path) in ln or "gongkai" in ln]
    assert done.returncode == 0 and not ours, done.stdout + done.stderr


def test_a_broken_unit_is_caught(tmp_path):
    """The check above can fail: verify refuses a timer with a calendar it cannot read."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    bad = tmp_path / "gongkai-backup.timer"
    bad.write_text((DEPLOY / "gongkai-backup.timer").read_text(encoding="utf-8").replace("02:30:00", "半夜"))
    done = subprocess.run(
        [analyze, "verify", "--man=no", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0


def _two_free_ports() -> int:
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = a.getsockname()[1]
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
        return port
    raise RuntimeError("no two consecutive free ports")


def test_the_app_units_command_serves_two_instances_on_consecutive_ports(seeded_sqlite_url, tmp_path):
    import json
    import urllib.request

    _units, env_file = _installed_copies(tmp_path)
    env = dict(os.environ)
    for line in env_file.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value
    env.update({"DATABASE_URL": seeded_sqlite_url, "PYTHONPATH": str(ROOT)})
    first = _two_free_ports()
    apps = []
    try:
        for port in (first, first + 1):
            command = [
                sys.executable if a == PYTHON else a.replace("%i", str(port))
                for a in _exec("gongkai@.service")
            ]
            apps.append(AppProcess(command, env, port, tmp_path / f"app-{port}.log"))
        for app in apps:
            app.wait_ready()
            with urllib.request.urlopen(f"{app.url}/healthz", timeout=30) as resp:
                assert resp.status == 200 and json.loads(resp.read())["schema"] == "head"
    finally:
        for app in apps:
            app.stop()
