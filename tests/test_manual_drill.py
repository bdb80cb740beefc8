"""The deployment manual, followed literally on a machine made fresh: docs/部署手册.md's shell blocks of
section 1 (system user and directories), 3 (`make wheelhouse`, the package, `make run OFFLINE=1` until
Streamlit says it is up, then Ctrl+C), 4 (PostgreSQL role and database), 5 (settings file, the
gongkai-cli wrapper, init, units add), 6 (the units, two instances, their /healthz) and 9 (the
backups, the restore drill into gongkai_drill with the kpis diff, the SQLite restore), in order, as
the reader types them (tests/helpers/manual_drill.py runs them; every block of those sections is run
or skipped with a reason, so a block added to the manual must be classified here).

Contained: the drill runs in a private mount and PID namespace (`unshare --mount --pid --fork`) with
overlays on /etc (passwd, group, shadow, /etc/gongkai, /etc/systemd/system), /opt, /usr/local,
/var/lib, /var/backups and /root and a private /tmp; its processes die with the namespace. On the
PostgreSQL server of this machine (the manual's `sudo -u postgres psql`, over the local socket) it
makes the role gongkai and the databases gongkai and gongkai_drill, marked with a comment, and drops
them at the end; it runs only when they do not exist (or are a killed run's, marked).

Substituted, because this machine cannot provide it:
- sudo, systemctl, systemd-run and journalctl (systemd is not PID 1; no sudo): the stand-ins of
  tests/helpers/systemd_shim.py, which read deploy/'s unit files (User, Group, EnvironmentFile,
  WorkingDirectory, ExecStart, Restart, …; PrivateTmp, ProtectSystem and ProtectHome are not
  emulated, timers are listed but never fire) and run sudo with Debian's env_reset and secure_path.
- the ports 8501 and 8502 (other programs may hold them): two free ports, in every command.
Replaced where the manual tells the reader to replace:
- 换成强密码 → a random password; the `sudo nano` edit → `sudo sed -i` writing the values of the
  manual's own 「至少修改这几项」 block (DEFAULT_UNIT = qingyang, the unit added below);
- gongkai-日期-时间.sqlite3 → the newest backup's name.
Added where the manual has no shell block: a batch of 2026 依申请公开 records imported after
`units add` (so that the backup and the kpis diff compare data, not two empty years); the nightly
backup's unit started once (section 8's command) in place of section 9's first block, which only
shows what the timer runs; `dropdb gongkai_drill` (in the text of section 9); for the SQLite restore,
DATABASE_URL pointed at the SQLite file of section 3's trial run, and after the restore the
instances' /healthz and a kpis diff against the backup.

Slow (an offline install of some 50 wheels into a fresh venv): marked `wheelhouse`, as
test_offline_install.py, whose wheelhouse/ it reuses (and fills, when it runs first).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import manual_drill

pytestmark = pytest.mark.wheelhouse

ROOT = Path(__file__).resolve().parent.parent
HOST_FILES = ("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow")
HOST_DIRS = (
    "/opt",
    "/etc",
    "/etc/systemd/system",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/var/lib",
    "/var/backups",
)
# What the manual writes to /tmp (shared with other programs: only these are compared).
HOST_TMP = ("/tmp/备份.json", "/tmp/演练库.json", "/tmp/依申请公开.csv", "/tmp/恢复后.json")


def _why_not_here() -> str | None:
    """Why the drill cannot run here, or None."""
    if os.geteuid() != 0:
        return "演练需要 root（用户、目录、挂载命名空间）"
    for tool in ("unshare", "mount", "runuser", "psql", "make", "git", "curl", "openssl"):
        if shutil.which(tool) is None:
            return f"缺少 {tool}"
    probe = subprocess.run(["unshare", "--mount", "--pid", "--fork", "true"], capture_output=True, timeout=30)
    if probe.returncode:
        return f"不能建立私有的挂载命名空间：{probe.stderr.decode().strip()}"
    try:
        manual_drill.psql("SELECT 1")
    except (RuntimeError, KeyError, OSError) as exc:
        return f"本机没有可用 `sudo -u postgres psql` 连接的 PostgreSQL：{exc}"
    return None


@contextlib.contextmanager
def _one_drill_at_a_time() -> Iterator[None]:
    """Drills on one PostgreSQL server (other checkouts' test runs) take turns: they share the
    manual's names gongkai and gongkai_drill. A session advisory lock, held by a psql kept open."""
    lock = subprocess.Popen(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd="/")  # fmt: skip
    assert lock.stdin and lock.stdout
    lock.stdin.write(
        f"SET lock_timeout = '20min';\nSELECT pg_advisory_lock(hashtext('{manual_drill.DRILL_MARK}'));\n"
        "SELECT 'locked';\n"
    )
    lock.stdin.flush()
    try:
        while (line := lock.stdout.readline()) and line.strip() != "locked":
            pass
        assert line, "another drill held the PostgreSQL lock for 20 minutes"
        yield
    finally:
        lock.stdin.close()
        lock.wait(timeout=60)


def _host_state() -> dict[str, object]:
    """What must be the same after the drill: the account files, the listings of the directories
    the drill writes under, and the PostgreSQL server's gongkai databases and roles."""
    state: dict[str, object] = {f: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in HOST_FILES}
    for folder in HOST_DIRS:
        state[folder] = sorted(os.listdir(folder))
    state["/tmp"] = [name for name in HOST_TMP if os.path.exists(name)]
    # Other test runs make and drop their own databases meanwhile: compare the manual's names only.
    state["databases"] = manual_drill.psql(
        "SELECT datname FROM pg_database WHERE datname LIKE 'gongkai%'"
    ).split()
    state["roles"] = manual_drill.psql("SELECT rolname FROM pg_roles WHERE rolname LIKE 'gongkai%'").split()
    return state


def _steps(transcript: Path) -> dict[str, dict]:
    lines = transcript.read_text(encoding="utf-8").splitlines() if transcript.exists() else []
    return {entry["step"]: entry for entry in map(json.loads, lines)}


def _health(output: str) -> list[dict]:
    """The JSON objects `curl -s …/healthz` printed (no newline between them)."""
    decoder, found, at = json.JSONDecoder(), [], output.find('{"status"')
    while at >= 0:
        value, end = decoder.raw_decode(output, at)
        found.append(value)
        at = output.find('{"status"', end)
    return found


def test_the_manual_walks_through_on_a_fresh_machine(tmp_path):
    reason = _why_not_here()
    if reason:
        pytest.skip(reason)
    transcript = tmp_path / "transcript.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with _one_drill_at_a_time():
        foreign = manual_drill.drop_what_the_drill_made()
        if foreign:
            pytest.skip(f"PostgreSQL 上已有不是演练建立的 {', '.join(foreign)}：演练不动它们")
        before = _host_state()
        try:
            done = subprocess.run(
                ["unshare", "--mount", "--pid", "--fork", sys.executable, "-m", "tests.helpers.manual_drill",
                 str(tmp_path / "machine"), str(transcript)],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
        finally:
            manual_drill.drop_what_the_drill_made()
        after_drill = _host_state()
    steps = _steps(transcript)
    assert done.returncode == 0 and "end" in steps, (done.stdout[-3000:], done.stderr[-6000:])

    ports = json.loads(steps["substitutions"]["command"])
    p1, p2 = (int(replacement) for _, replacement in ports[1:3])
    trial = steps["§3.3"]
    assert "--no-index --find-links wheelhouse" in trial["stdout"], trial["stdout"][-3000:]
    assert trial["ctrl_c_after"] is not None
    assert "数据库已就绪" in steps["§5.4"]["stdout"]
    assert "已添加单位：青阳街道（qingyang" in steps["§5.5"]["stdout"]
    checks = steps["§6.2"]["stdout"]
    assert checks.count("Active: active (running)") == 2
    assert "gongkai-backup.timer" in checks and "gongkai-remind.timer" in checks
    health = _health(checks)
    assert [h["status"] for h in health] == ["ok", "ok"] and {h["database"] for h in health} == {"ok"}
    assert f"gongkai@{p1}" in steps["§6.1"]["command"] and f"gongkai@{p2}" in steps["§6.1"]["command"]
    assert "已复制" in steps["§9.5"]["stdout"] + steps["§9.5"]["stderr"]
    assert steps["§9.6"]["stdout"].strip().endswith("一致")
    after = steps["§9 after restore"]["stdout"]
    assert after.strip().endswith("一致") and [h["status"] for h in _health(after)] == ["ok", "ok"]

    assert after_drill == before, "the drill changed the host"
