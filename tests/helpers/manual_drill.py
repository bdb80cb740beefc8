"""The deployment manual drill: docs/部署手册.md's shell blocks of sections 1, 3, 4, 5, 6 and 9, run in
order as the reader types them, on this machine made to look fresh. tests/test_manual_drill.py starts
`python -m tests.helpers.manual_drill WORK TRANSCRIPT` inside `unshare --mount --pid --fork`; this
module then

- contains the machine: overlays (upper layer under WORK) on /etc (so useradd's /etc/passwd, group,
  shadow, /etc/gongkai, /etc/systemd/system are private), /opt, /usr/local, /var/lib, /var/backups and
  /root, and WORK/tmp bound on /tmp; every process it starts dies with the PID namespace;
- puts the stand-ins of tests/helpers/systemd_shim.py (sudo, systemctl, systemd-run, journalctl) in
  /usr/local/sbin, first on root's PATH and on sudo's secure_path;
- runs each block with `bash -e` in a root login environment (cwd carried from block to block, as in
  one terminal), after the substitutions of SUBSTITUTIONS, and writes one JSON line per step to
  TRANSCRIPT (an open file: /tmp is replaced early);
- drops what it made on the PostgreSQL server (the test drops it too, should this process be killed).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.manual import MANUAL, sections, shell_blocks

ROOT = Path(__file__).resolve().parents[2]
SHIM = Path(__file__).resolve().with_name("systemd_shim.py")
SHIM_STATE = "/var/lib/systemd-shim"
OVERLAID = ("/etc", "/opt", "/usr/local", "/var/lib", "/var/backups", "/root")
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ONLINE = "/tmp/联网机器"  # the machine with internet where section 3 makes the offline package
PROGRAM = f"{ONLINE}/政务公开看板"  # the program folder, as the release package unpacks
# What the drill leaves on the PostgreSQL server carries this comment, so that a run killed half-way
# is cleaned up by the next one (and nothing else named gongkai is ever dropped).
DRILL_MARK = "deployment manual drill"
DATABASES = ("gongkai", "gongkai_drill")
ROLE = "gongkai"
DRILL_SECTIONS = (1, 3, 4, 5, 6, 9)
RECORDS_YEAR = 2026  # the manual's kpis commands read 2026: the drill's records are of 2026


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Substitutions:
    """What the manual tells the reader to replace, and what this machine cannot provide."""

    password: str
    ports: tuple[int, int]

    def table(self) -> list[tuple[str, str]]:
        """(pattern, replacement) applied to every block before it runs, listed in the transcript."""
        return [
            # 第 4 节：「密码换成强密码」。
            ("换成强密码", self.password),
            # 8501/8502 may be taken on a shared machine: the instances run on two free ports.
            (r"\b8501\b", str(self.ports[0])),
            (r"\b8502\b", str(self.ports[1])),
        ]

    def env_values(self, text: str) -> dict[str, str]:
        """第 5 节「至少修改这几项」: the manual's own KEY=VALUE block, placeholders filled in:
        the password, and the unit code the reader adds below (`units add qingyang`)."""
        body = sections(text)[5]
        block = re.search(r"至少修改这几项.*?```\n(.*?)```", body, flags=re.S)
        assert block, "第 5 节没有「至少修改这几项」的设置块"
        values = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
        values = {k: self.apply(v) for k, v in values.items()}
        values["DEFAULT_UNIT"] = re.sub(
            r"^本单位代码（见下文 units add）$", "qingyang", values["DEFAULT_UNIT"]
        )
        return values

    def apply(self, command: str) -> str:
        for pattern, replacement in self.table():
            command = re.sub(pattern, replacement, command)
        return command


class Drill:
    def __init__(self, transcript: io.TextIOBase, subs: Substitutions):
        self.transcript = transcript
        self.subs = subs
        self.cwd = "/root"
        self.text = MANUAL.read_text(encoding="utf-8")
        self.blocks = {n: shell_blocks(sections(self.text)[n], joined=False) for n in DRILL_SECTIONS}
        self.done: set[tuple[int, int]] = set()

    # --- the transcript -------------------------------------------------------------------------

    def record(
        self, step: str, command: str, rc: int | None, out: str, err: str = "", **more: object
    ) -> None:
        entry = {"step": step, "command": command, "rc": rc, "stdout": out, "stderr": err, **more}
        self.transcript.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.transcript.flush()
        if rc not in (0, None) and not more.get("rc_expected"):
            raise SystemExit(f"{step} failed (exit {rc}):\n$ {command}\n{out[-3000:]}\n{err[-3000:]}")

    # --- running the manual's blocks ------------------------------------------------------------

    def block(self, section: int, index: int, *, env: dict[str, str] | None = None,
              edit: Callable[[str], str] | None = None, timeout: int = 300) -> str:  # fmt: skip
        """Run block `index` of `section` (after the substitutions, and `edit` where the manual
        asks the reader to edit); return its standard output."""
        command = self.subs.apply(self.blocks[section][index])
        if edit:
            command = edit(command)
        self.done.add((section, index))
        started = time.monotonic()
        script = f"cd {self.cwd}\n{command}\npwd > /tmp/.drill-cwd\n"
        done = subprocess.run(["bash", "-e", "-c", script], env=env or root_env(), capture_output=True,
                              text=True, timeout=timeout)  # fmt: skip
        if done.returncode == 0:
            self.cwd = Path("/tmp/.drill-cwd").read_text().strip()
        self.record(f"§{section}.{index + 1}", command, done.returncode, done.stdout, done.stderr,
                    seconds=round(time.monotonic() - started, 1))  # fmt: skip
        return done.stdout

    def skip(self, section: int, index: int, reason: str) -> None:
        self.done.add((section, index))
        self.record(f"§{section}.{index + 1}", self.blocks[section][index], None, "", skipped=reason)

    def extra(self, step: str, command: str, *, why: str, timeout: int = 120) -> str:
        """A command the manual does not give in a shell block (said in `why`), run like a block."""
        started = time.monotonic()
        done = subprocess.run(["bash", "-e", "-c", f"cd {self.cwd}\n{command}"], env=root_env(),
                              capture_output=True, text=True, timeout=timeout)  # fmt: skip
        self.record(step, command, done.returncode, done.stdout, done.stderr, extra=why,
                    seconds=round(time.monotonic() - started, 1))  # fmt: skip
        return done.stdout

    def until_then_ctrl_c(self, section: int, index: int, banner: str, timeout: int = 900) -> None:
        """Run a block that does not return (`make run`) in a terminal, as the reader does; when
        `banner` shows, press Ctrl+C, as the manual says."""
        command = self.subs.apply(self.blocks[section][index])
        self.done.add((section, index))
        started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: a shell on the terminal
            os.chdir(self.cwd)
            os.execve("/bin/bash", ["bash", "-e", "-c", command], root_env())
        output = b""
        pressed = None
        deadline = started + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the terminal closed: the shell ended
                    break
                if not chunk:
                    break
                output += chunk
            if pressed is None and banner.encode() in output:
                pressed = round(time.monotonic() - started, 1)
                os.write(fd, b"\x03")
        else:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        self.cwd = "/opt/gongkai" if "cd /opt/gongkai" in command else self.cwd
        text = output.decode("utf-8", errors="replace").replace("\r\n", "\n")
        self.record(f"§{section}.{index + 1}", command, os.waitstatus_to_exitcode(status), text,
                    ctrl_c_after=pressed, rc_expected=pressed is not None,
                    seconds=round(time.monotonic() - started, 1))  # fmt: skip
        if pressed is None:
            raise SystemExit(f"§{section}.{index + 1}: 「{banner}」 never showed:\n{text[-4000:]}")

    def wait_healthy(self, ports: tuple[int, int], timeout: float = 120) -> None:
        """The reader waits for the instances to come up before the checks: `systemctl start`
        returns once the process is started, not once it listens."""
        started = time.monotonic()
        for port in ports:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                        break
                except OSError:
                    if time.monotonic() - started > timeout:
                        raise SystemExit(
                            f"127.0.0.1:{port}/healthz did not answer within {timeout} s"
                        ) from None
                    time.sleep(0.5)
        self.record(
            f"wait {ports}",
            f"wait for /healthz on {ports}",
            0,
            "",
            seconds=round(time.monotonic() - started, 1),
        )

    def check_coverage(self) -> None:
        missing = [
            (s, i) for s in DRILL_SECTIONS for i in range(len(self.blocks[s])) if (s, i) not in self.done
        ]
        if missing:
            raise SystemExit(
                f"the drill neither runs nor skips these blocks (a block was added to the manual?): {missing}"
            )


def root_env() -> dict[str, str]:
    """A root login shell's environment on Debian."""
    return {"PATH": ROOT_PATH, "HOME": "/root", "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash",
            "LANG": "C.UTF-8", "TERM": "xterm"}  # fmt: skip


def online_env() -> dict[str, str]:
    """The machine with internet is this one as the test found it (its python3, pip settings)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return env | {"HOME": "/root"}


# --- containment --------------------------------------------------------------------------------


def contain(work: Path) -> None:
    """Make every path the manual writes private to this mount namespace."""
    if os.getpid() != 1:
        raise SystemExit("run me inside `unshare --mount --pid --fork` (I must be PID 1 of my namespace)")
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    subprocess.run(["mount", "-t", "proc", "proc", "/proc"], check=True)
    for path in OVERLAID:
        layer = work / "overlay" / path.strip("/").replace("/", "_")
        (layer / "upper").mkdir(parents=True)
        (layer / "work").mkdir()
        options = f"lowerdir={path},upperdir={layer / 'upper'},workdir={layer / 'work'}"
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o", options, path], check=True)
    tmp = work / "tmp"
    tmp.mkdir()
    tmp.chmod(0o1777)
    # What lives under the real /tmp and must stay reachable at its own path: the checkout (a clone
    # in /tmp, say), its Python and this drill's own folder. Each is bound into the private /tmp first.
    kept = sorted({p for p in (ROOT, Path(sys.prefix).resolve(), work) if p.is_relative_to("/tmp")})
    for path in kept:
        if any(path != other and path.is_relative_to(other) for other in kept):
            continue  # inside another kept path: reachable through it
        mirror = tmp / path.relative_to("/tmp")
        mirror.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "--bind", str(path), str(mirror)], check=True)
    subprocess.run(["mount", "--rbind", str(tmp), "/tmp"], check=True)  # with the paths bound into it


def install_shims() -> None:
    for name in ("sudo", "systemctl", "systemd-run", "journalctl"):
        wrapper = Path("/usr/local/sbin") / name
        wrapper.write_text(
            f'#!/bin/sh\nSYSTEMD_SHIM_STATE={SHIM_STATE} exec {sys.executable} -I {SHIM} {name} "$@"\n'
        )
        wrapper.chmod(0o755)


def prepare_program_folder() -> None:
    """The program folder on the machine with internet: the repository's files (what a release
    package holds), with the repository's wheelhouse/ linked in so that `make wheelhouse` only
    checks it against the index (the test of the offline install made it, or this drill makes it)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    program = Path(PROGRAM)
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (program / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, program / name)
    _link_wheels(ROOT / "wheelhouse", program / "wheelhouse")


def _link_wheels(source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    for wheel in source.glob("*.whl") if source.is_dir() else []:
        if not (target / wheel.name).exists():
            try:
                os.link(wheel, target / wheel.name)
            except OSError:
                shutil.copy2(wheel, target / wheel.name)


# --- the PostgreSQL server ----------------------------------------------------------------------


def psql(sql: str) -> str:
    """As the manual does it: psql as the postgres system user, over the local socket."""
    done = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At", "-c", sql],
                          capture_output=True, text=True, cwd="/", timeout=120)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"psql -c {sql!r}: {done.stderr.strip()}")
    return done.stdout


def mark(kind: str, name: str) -> None:
    psql(f"COMMENT ON {kind} {name} IS '{DRILL_MARK}'")


def drop_what_the_drill_made() -> list[str]:
    """Drop the databases and the role this drill (or a killed earlier run) made; return anything
    named like them that was not the drill's, which is left alone."""
    foreign = []
    for name in DATABASES:
        comment = psql(
            f"SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '{name}'"
        )
        if comment.strip() == DRILL_MARK:
            psql(f"DROP DATABASE {name} WITH (FORCE)")
        elif comment:
            foreign.append(f"database {name}")
    comment = psql(
        f"SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = '{ROLE}'"
    )
    if comment.strip() == DRILL_MARK and not foreign:
        psql(f"DROP ROLE {ROLE}")
    elif comment:
        foreign.append(f"role {ROLE}")
    return foreign


# --- the drill ----------------------------------------------------------------------------------


def requests_csv() -> str:
    """A month of 依申请公开 records, as an office would upload them (the header of the import)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"])
    for i in range(1, 13):
        replied = i % 4 != 0
        writer.writerow([
            f"YSQ-{RECORDS_YEAR}-{i:03d}", f"{RECORDS_YEAR}-{1 + i % 3:02d}-{10 + i:02d}", ("网络", "当面", "信函")[i % 3],
            "自然人", f"申请公开第{i}项信息", f"{RECORDS_YEAR}-{2 + i % 3:02d}-{5 + i:02d}" if replied else "",
            ("予以公开", "部分公开", "无法提供-本机关不掌握相关政府信息")[i % 3] if replied else "",
        ])  # fmt: skip
    return out.getvalue()


def run(drill: Drill) -> None:
    subs = drill.subs
    p1, p2 = subs.ports
    drill.record("substitutions", json.dumps(subs.table(), ensure_ascii=False), 0, "")

    # 1. 准备服务器
    drill.block(1, 0)
    drill.skip(1, 1, "只在系统自带的 Python 太旧时才从源码编译：本机的 python3 已是 3.11")
    drill.block(1, 2)

    # 3. 离线安装包：联网机器上制作、打包（在程序目录里），服务器上解压、离线安装并试运行
    drill.cwd = PROGRAM
    drill.block(3, 0, env=online_env())
    _link_wheels(Path(PROGRAM) / "wheelhouse", ROOT / "wheelhouse")  # the next run (and CI) reuse it
    drill.block(3, 1, env=online_env())
    drill.cwd = ONLINE  # the reader copies the package to the server and works there in their home
    drill.until_then_ctrl_c(3, 2, "You can now view your Streamlit app")

    # 4. PostgreSQL
    drill.block(4, 0)
    mark("ROLE", ROLE)
    mark("DATABASE", "gongkai")

    # 5. 设置文件与初始化（`nano` 里的修改由 sed 写入手册要求的值）
    values = subs.env_values(drill.text)

    def edit_with_sed(command: str) -> str:
        script = " ".join(f"-e 's|^{k}=.*|{k}={v}|'" for k, v in values.items())
        return command.replace(
            "sudo nano /etc/gongkai/gongkai.env", f"sudo sed -i {script} /etc/gongkai/gongkai.env"
        )

    drill.block(5, 0, edit=edit_with_sed)
    written = dict(
        ln.split("=", 1) for ln in Path("/etc/gongkai/gongkai.env").read_text().splitlines() if "=" in ln
    )
    assert all(written.get(k) == v for k, v in values.items()), f"设置文件没有写入 {values}"
    for index in range(1, len(drill.blocks[5])):
        drill.block(5, index)
    Path("/tmp/依申请公开.csv").write_text(requests_csv(), encoding="utf-8")
    drill.extra("data", "sudo gongkai-cli import --kind requests --unit qingyang /tmp/依申请公开.csv",
                why="单位上传的一批记录，使第 9 节的备份与核对有数据可比")  # fmt: skip

    # 6. 两个实例
    drill.block(6, 0)
    drill.wait_healthy((p1, p2))
    drill.block(6, 1)

    # 9. 备份与恢复演练
    drill.skip(9, 0, "这是 gongkai-backup.timer 运行的命令：由下一步启动 gongkai-backup.service 运行")
    drill.extra("§9 backup.service", "sudo systemctl start gongkai-backup.service\njournalctl -u gongkai-backup.service -n 5",
                why="第 8 节的命令：立即运行一次每晚的备份")  # fmt: skip
    drill.block(9, 1)
    drill.block(9, 2)
    backups = sorted(Path("/var/backups/gongkai").glob("gongkai-*.sqlite3"))
    assert len(backups) == 2, f"两次备份应各写出一个文件：{backups}"
    stamp = re.fullmatch(r"gongkai-(.+)\.sqlite3", backups[-1].name).group(1)  # type: ignore[union-attr]

    def newest_backup(command: str) -> str:
        return command.replace("gongkai-日期-时间.sqlite3", f"gongkai-{stamp}.sqlite3")

    drill.block(9, 3)
    mark("DATABASE", "gongkai_drill")
    drill.block(9, 4, edit=newest_backup)
    drill.block(9, 5, edit=newest_backup)
    drill.extra(
        "§9 dropdb", "sudo -u postgres dropdb gongkai_drill", why="第 9 节恢复演练第 4 步（写在正文里的命令）"
    )

    # 使用 SQLite 的安装：设置文件指向第 3 节试运行的 SQLite 文件，再按手册用 restore 恢复。
    sqlite = "DATABASE_URL=sqlite:////opt/gongkai/data/gongkai.sqlite3"
    drill.extra("§9 SQLite", f"sudo sed -i 's|^DATABASE_URL=.*|{sqlite}|' /etc/gongkai/gongkai.env",
                why="把这台服务器当作使用 SQLite 的安装（第 3 节试运行留下的数据库文件）")  # fmt: skip
    drill.block(9, 6, edit=newest_backup)
    drill.wait_healthy((p1, p2))
    drill.extra(
        "§9 after restore",
        f"curl -s http://127.0.0.1:{p1}/healthz\ncurl -s http://127.0.0.1:{p2}/healthz\n"
        "sudo gongkai-cli kpis --year 2026 --unit qingyang --json > /tmp/恢复后.json\n"
        "diff /tmp/备份.json /tmp/恢复后.json && echo 一致",
        why="恢复后两个实例正常、关键指标与备份相同",
    )
    drill.check_coverage()


def main(argv: list[str]) -> int:
    work, transcript_path = Path(argv[0]), Path(argv[1])
    transcript = transcript_path.open("w", encoding="utf-8")
    contain(work)
    install_shims()
    prepare_program_folder()
    ports: set[int] = set()
    while len(ports) < 2:
        ports |= {free_port()} - {8501, 8502}
    drill = Drill(transcript, Substitutions(password=secrets.token_hex(16), ports=tuple(sorted(ports))))  # type: ignore[arg-type]
    try:
        run(drill)
    finally:
        subprocess.run(["systemctl", "stop", *(f"gongkai@{p}" for p in drill.subs.ports)], env=root_env(),
                       capture_output=True, timeout=60)  # fmt: skip
        drop_what_the_drill_made()
    transcript.write(json.dumps({"step": "end", "rc": 0}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
