"""Stand-ins for `sudo`, `systemctl`, `systemd-run` and `journalctl`, for the deployment manual drill
(tests/test_manual_drill.py) on a machine where systemd is not PID 1 and sudo is not installed. Used
only inside the drill's private mount and PID namespace: installed there as /usr/local/sbin/<name>,
first on root's PATH and on sudo's secure_path, each a two-line script that runs this file with its
name as the first argument. Standard library only.

They interpret the unit files in /etc/systemd/system as systemd would, for the directives deploy/'s
units use, and refuse (exit 2) anything else rather than run it wrong:

- [Service] Type (simple, oneshot), User, Group (with the user's supplementary groups),
  WorkingDirectory, EnvironmentFile (systemd's KEY=VALUE format), Environment, ExecStart (with %i),
  Restart (always, on-failure, no), RestartSec, TimeoutStopSec, NoNewPrivileges. The environment is
  systemd's: PATH, LANG from /etc/default/locale, HOME, USER, LOGNAME and SHELL of User=, then the
  files. Standard output and error go to the unit's journal (a file in the state directory).
- Not emulated (read and ignored): PrivateTmp, ProtectSystem, ProtectHome, After/Wants ordering;
  a timer is listed (next run of a daily OnCalendar) but never fires.
- [Install] WantedBy: `enable` makes the symlink under <target>.wants/ as systemctl does.

A simple service runs under a small supervisor process (started in its own session) that restarts
it per Restart= and stops it with SIGTERM, then SIGKILL after TimeoutStopSec.
"""

from __future__ import annotations

import ctypes
import datetime
import fnmatch
import grp
import os
import pwd
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

UNIT_DIR = Path("/etc/systemd/system")
STATE = Path(os.environ.get("SYSTEMD_SHIM_STATE", "/run/systemd-shim"))
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SECURE_PATH = SYSTEMD_PATH  # Debian's sudoers: Defaults secure_path=…
KNOWN = {
    "Unit": {"Description", "After", "Wants", "Requires"},
    "Service": {
        "Type",
        "User",
        "Group",
        "WorkingDirectory",
        "EnvironmentFile",
        "Environment",
        "ExecStart",
        "Restart",
        "RestartSec",
        "TimeoutStopSec",
        "NoNewPrivileges",
        "PrivateTmp",
        "ProtectSystem",
        "ProtectHome",
    },  # fmt: skip
    "Timer": {"OnCalendar", "RandomizedDelaySec", "Persistent", "Unit"},
    "Install": {"WantedBy"},
}
RUN_PROPERTIES = {"User", "Group", "WorkingDirectory", "EnvironmentFile", "Environment", "NoNewPrivileges"}


class Refused(Exception):
    """Something these stand-ins do not do: exit 2 with the reason."""


# --- unit files -----------------------------------------------------------------------------------


class Unit:
    def __init__(self, name: str):
        if "." not in name.rpartition("@")[2]:
            name += ".service"
        self.name = name
        self.instance = ""
        match = re.fullmatch(r"(.+)@(.*)\.(service|timer)", name)
        path = UNIT_DIR / name
        if match and not path.exists():
            self.instance = match.group(2)
            path = UNIT_DIR / f"{match.group(1)}@.{match.group(3)}"
        if not path.is_file():
            raise Refused(f"Unit {name} not found.")
        self.path = path
        self.conf = parse_unit(path.read_text(encoding="utf-8"), path)

    def get(self, section: str, key: str, default: str = "") -> str:
        values = self.conf.get(section, {}).get(key, [])
        return self.expand(values[-1]) if values else default

    def all(self, section: str, key: str) -> list[str]:
        return [self.expand(v) for v in self.conf.get(section, {}).get(key, [])]

    def expand(self, value: str) -> str:
        def one(match: re.Match[str]) -> str:
            if match.group(1) == "i":
                return self.instance
            if match.group(1) == "%":
                return "%"
            raise Refused(f"{self.path}: specifier %{match.group(1)} is not supported")

        return re.sub(r"%(.)", one, value)

    @property
    def description(self) -> str:
        return self.get("Unit", "Description", self.name)


def parse_unit(text: str, where: object) -> dict[str, dict[str, list[str]]]:
    conf: dict[str, dict[str, list[str]]] = {}
    section = ""
    text = re.sub(r"\\\n", " ", text)
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            if section not in KNOWN:
                raise Refused(f"{where}: section [{section}] is not supported")
            conf.setdefault(section, {})
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not section or key not in KNOWN[section]:
            raise Refused(f"{where}: {line!r} is not supported")
        values = conf[section].setdefault(key, [])
        if value == "":  # `ExecStart=` resets the list
            values.clear()
        else:
            values.append(value)
    return conf


def parse_environment_file(path: str) -> dict[str, str]:
    optional = path.startswith("-")
    path = path.lstrip("-")
    if not os.path.exists(path):
        if optional:
            return {}
        raise Refused(f"Failed to load environment files: {path}: No such file or directory")
    env = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            raise Refused(f"{path}: {line!r} is not KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def _locale() -> dict[str, str]:
    for name in ("/etc/locale.conf", "/etc/default/locale"):
        if os.path.exists(name):
            values = parse_environment_file(name)
            return {k: v for k, v in values.items() if k == "LANG" or k.startswith("LC_")}
    return {}


class Exec:
    """How systemd would start a command with these [Service] settings."""

    def __init__(self, props: dict[str, list[str]], argv: list[str]):
        def last(key: str, default: str = "") -> str:
            return props[key][-1] if props.get(key) else default

        self.env = {"PATH": SYSTEMD_PATH, **_locale()}
        self.uid = self.gid = 0
        self.groups: list[int] = []
        user = last("User")
        if user:
            entry = pwd.getpwnam(user)
            self.uid, self.gid = entry.pw_uid, entry.pw_gid
            self.env.update(HOME=entry.pw_dir, USER=user, LOGNAME=user, SHELL=entry.pw_shell)
            self.groups = os.getgrouplist(user, entry.pw_gid)
        if last("Group"):
            self.gid = grp.getgrnam(last("Group")).gr_gid
        for assignment in props.get("Environment", []):
            for word in shlex.split(assignment):
                key, _, value = word.partition("=")
                self.env[key] = value
        for name in props.get("EnvironmentFile", []):
            self.env.update(parse_environment_file(name))
        directory = last("WorkingDirectory").lstrip("-")
        self.cwd = self.env.get("HOME", "/") if directory == "~" else directory or "/"
        self.no_new_privs = last("NoNewPrivileges", "no").lower() in ("yes", "true", "1", "on")
        if not argv:
            raise Refused("no command to run")
        program = argv[0] if argv[0].startswith("/") else shutil.which(argv[0], path=SYSTEMD_PATH)
        if program is None:
            raise Refused(f"Failed to find executable {argv[0]}")
        self.argv = [program, *argv[1:]]

    def _preexec(self) -> None:
        if self.no_new_privs:
            PR_SET_NO_NEW_PRIVS = 38
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    def popen(self, **kwargs: object) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
            self.argv, env=self.env, cwd=self.cwd, user=self.uid, group=self.gid, extra_groups=self.groups,
            preexec_fn=self._preexec, **kwargs,
        )  # fmt: skip


def service_exec(unit: Unit) -> Exec:
    props = {key: unit.all("Service", key) for key in KNOWN["Service"]}
    exec_start = unit.get("Service", "ExecStart")
    return Exec(props, shlex.split(exec_start.lstrip("-@+!")))


# --- state: pid files and journals ----------------------------------------------------------------


def _journal(name: str) -> Path:
    return STATE / f"{name}.journal"


def log(name: str, message: str) -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%b %d %H:%M:%S")
    with _journal(name).open("a", encoding="utf-8") as journal:
        journal.write(f"{stamp} systemd[1]: {message}\n")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def supervisor_pid(name: str) -> int | None:
    try:
        pid = int((STATE / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _seconds(value: str, default: float) -> float:
    if not value:
        return default
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s|min)?", value)
    if not match:
        raise Refused(f"time span {value!r} is not supported")
    return float(match.group(1)) * {"ms": 0.001, "s": 1, "min": 60, None: 1}[match.group(2)]


def supervise(name: str) -> int:
    """Run a Type=simple service until `systemctl stop`, restarting it per Restart=."""
    unit = Unit(name)
    how = service_exec(unit)
    restart = unit.get("Service", "Restart", "no")
    restart_sec = _seconds(unit.get("Service", "RestartSec"), 0.1)
    stop_timeout = _seconds(unit.get("Service", "TimeoutStopSec"), 90)
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def on_term(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    (STATE / f"{name}.pid").write_text(str(os.getpid()))
    try:
        while not stopping:
            with _journal(name).open("ab") as journal:
                child = how.popen(
                    stdin=subprocess.DEVNULL, stdout=journal, stderr=journal, start_new_session=True
                )
            (STATE / f"{name}.main").write_text(str(child.pid))
            log(name, f"Started {unit.description}.")
            deadline = None
            while child.poll() is None:
                if stopping and deadline is None:
                    os.killpg(child.pid, signal.SIGTERM)
                    deadline = time.monotonic() + stop_timeout
                elif deadline is not None and time.monotonic() > deadline:
                    os.killpg(child.pid, signal.SIGKILL)
                time.sleep(0.1)
            if stopping:
                log(name, f"Stopped {unit.description}.")
                break
            log(name, f"{name}: Main process exited, status={child.returncode}")
            if restart == "always" or (restart == "on-failure" and child.returncode != 0):
                log(name, f"{name}: Scheduled restart job.")
                until = time.monotonic() + restart_sec
                while not stopping and time.monotonic() < until:
                    time.sleep(0.1)
            else:
                break
    finally:
        for suffix in ("pid", "main"):
            (STATE / f"{name}.{suffix}").unlink(missing_ok=True)
    return 0


# --- systemctl ------------------------------------------------------------------------------------


def _start(unit: Unit) -> None:
    if unit.name.endswith(".timer"):
        Unit(unit.get("Timer", "Unit") or unit.name.removesuffix(".timer") + ".service")
        (STATE / f"{unit.name}.active").write_text("")
        return
    kind = unit.get("Service", "Type", "simple")
    if kind == "oneshot":
        how = service_exec(unit)
        log(unit.name, f"Starting {unit.description}...")
        with _journal(unit.name).open("ab") as journal:
            code = how.popen(stdin=subprocess.DEVNULL, stdout=journal, stderr=journal).wait()
        if code:
            log(unit.name, f"{unit.name}: Main process exited, status={code}/FAILURE")
            raise Refused(
                f"Job for {unit.name} failed because the control process exited with error code.\n"
                f'See "journalctl -u {unit.name}" for details.'
            )
        log(unit.name, f"Finished {unit.description}.")
        return
    if kind != "simple":
        raise Refused(f"{unit.path}: Type={kind} is not supported")
    if supervisor_pid(unit.name):
        return
    service_exec(unit)  # refuse now what the supervisor would refuse
    subprocess.Popen([sys.executable, __file__, "_supervise", unit.name], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    until = time.monotonic() + 10
    while not (STATE / f"{unit.name}.main").exists():
        if time.monotonic() > until:
            raise Refused(f"Job for {unit.name} failed: the supervisor did not start it")
        time.sleep(0.05)


def _stop(unit: Unit) -> None:
    if unit.name.endswith(".timer"):
        (STATE / f"{unit.name}.active").unlink(missing_ok=True)
        return
    pid = supervisor_pid(unit.name)
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    until = time.monotonic() + _seconds(unit.get("Service", "TimeoutStopSec"), 90) + 10
    while _alive(pid):
        if time.monotonic() > until:
            raise Refused(f"Job for {unit.name} timed out while stopping")
        time.sleep(0.05)


def _enable(unit: Unit) -> None:
    targets = unit.all("Install", "WantedBy")
    if not targets:
        raise Refused(f"The unit files have no installation config (WantedBy=) in {unit.path}")
    for target in targets:
        wants = UNIT_DIR / f"{target}.wants"
        wants.mkdir(exist_ok=True)
        link = wants / unit.name
        if not link.is_symlink():
            link.symlink_to(unit.path)
            print(f"Created symlink {link} → {unit.path}.", file=sys.stderr)


def _active(unit: Unit) -> str:
    if unit.name.endswith(".timer"):
        return "active (waiting)" if (STATE / f"{unit.name}.active").exists() else "inactive (dead)"
    return "active (running)" if supervisor_pid(unit.name) else "inactive (dead)"


def _status(unit: Unit) -> bool:
    enabled = any((UNIT_DIR / f"{t}.wants" / unit.name).is_symlink() for t in unit.all("Install", "WantedBy"))
    active = _active(unit)
    print(f"● {unit.name} - {unit.description}")
    print(f"     Loaded: loaded ({unit.path}; {'enabled' if enabled else 'disabled'})")
    print(f"     Active: {active}")
    main = STATE / f"{unit.name}.main"
    if active.startswith("active") and main.exists():
        print(f"   Main PID: {main.read_text()}")
    print()
    print("\n".join(_tail(unit.name, 10)))
    return active.startswith("active")


def _next_run(spec: str) -> str:
    match = re.fullmatch(r"\*-\*-\* (\d\d):(\d\d):(\d\d)", spec)
    if not match:
        raise Refused(f"OnCalendar={spec} is not supported")
    now = datetime.datetime.now()
    at = now.replace(
        hour=int(match.group(1)), minute=int(match.group(2)), second=int(match.group(3)), microsecond=0
    )
    return (at if at > now else at + datetime.timedelta(days=1)).strftime("%a %Y-%m-%d %H:%M:%S")


def _list_timers(patterns: list[str]) -> None:
    rows = []
    for marker in sorted(STATE.glob("*.timer.active")):
        name = marker.name.removesuffix(".active")
        if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
            continue
        timer = Unit(name)
        activates = timer.get("Timer", "Unit") or name.removesuffix(".timer") + ".service"
        rows.append((_next_run(timer.get("Timer", "OnCalendar")), "n/a", name, activates))
    print(f"{'NEXT':<28}{'LAST':<6}{'UNIT':<28}ACTIVATES")
    for row in rows:
        print(f"{row[0]:<28}{row[1]:<6}{row[2]:<28}{row[3]}")
    print(f"\n{len(rows)} timers listed.")


def systemctl(args: list[str]) -> int:
    now = "--now" in args
    words = [a for a in args if a not in ("--now", "--no-pager")]
    if any(w.startswith("-") for w in words) or not words:
        raise Refused(f"systemctl {shlex.join(args)}: not supported")
    verb, names = words[0], words[1:]
    STATE.mkdir(parents=True, exist_ok=True)
    if verb == "daemon-reload":  # unit files are read each time they are used: nothing cached to reload
        return 0
    if verb == "list-timers":
        _list_timers(names)
        return 0
    units = [Unit(n) for n in names]
    if not units:
        raise Refused(f"systemctl {verb}: no unit named")
    if verb == "enable":
        for unit in units:
            _enable(unit)
        if now:
            for unit in units:
                _start(unit)
        return 0
    if verb in ("start", "stop", "restart"):
        for unit in units:
            if verb in ("stop", "restart"):
                _stop(unit)
            if verb in ("start", "restart"):
                _start(unit)
        return 0
    if verb == "status":
        return 0 if all([_status(u) for u in units]) else 3
    raise Refused(f"systemctl {verb}: not supported")


# --- systemd-run, journalctl, sudo ----------------------------------------------------------------


def systemd_run(args: list[str]) -> int:
    short = {"--quiet": "-q", "--pipe": "-P", "--wait": "-W", "--collect": "-G"}
    flags: set[str] = set()
    props: dict[str, list[str]] = {}
    while args and args[0].startswith("-"):
        word = args.pop(0)
        if short.get(word, word) in short.values():
            flags.add(short.get(word, word))
        elif word in ("-p", "--property") or word.startswith("--property="):
            assignment = word.partition("=")[2] if word.startswith("--property=") else args.pop(0)
            key, _, value = assignment.partition("=")
            if key not in RUN_PROPERTIES:
                raise Refused(f"systemd-run: property {key} is not supported")
            props.setdefault(key, []).append(value)
        elif word == "--":
            break
        else:
            raise Refused(f"systemd-run: option {word} is not supported")
    if not {"-P", "-W"} <= flags:
        raise Refused("systemd-run: only --pipe --wait (run in the foreground) is supported")
    how = Exec(props, args)
    if "-q" not in flags:
        print(f"Running as unit: run-u{os.getpid()}.service", file=sys.stderr)
    return how.popen().wait()


def _tail(name: str, lines: int | None) -> list[str]:
    path = _journal(name)
    if not path.exists():
        return ["-- No entries --"]
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return text[-lines:] if lines else text


def journalctl(args: list[str]) -> int:
    unit = lines = None
    while args:
        word = args.pop(0)
        if word in ("-u", "--unit"):
            unit = args.pop(0)
        elif word in ("-n", "--lines"):
            lines = int(args.pop(0))
        elif word == "--no-pager":
            continue
        else:
            raise Refused(f"journalctl: {word} is not supported")
    if unit is None:
        raise Refused("journalctl: only -u UNIT is supported")
    print("\n".join(_tail(Unit(unit).name, lines)))
    return 0


def sudo(args: list[str]) -> None:
    """sudo with Debian's defaults (env_reset, secure_path), as root: no password, no sudoers."""
    user, keep_env = "root", False
    while args and args[0].startswith("-"):
        word = args.pop(0)
        if word in ("-E", "--preserve-env"):
            keep_env = True
        elif word in ("-u", "--user"):
            user = args.pop(0)
        elif word.startswith("-u") or word.startswith("--user="):
            user = word.removeprefix("--user=").removeprefix("-u")
        elif word == "--":
            break
        else:
            raise Refused(f"sudo: option {word} is not supported")
    if not args:
        raise Refused("usage: sudo [-E] [-u user] command")
    caller = pwd.getpwuid(os.getuid())
    target = pwd.getpwnam(user)
    if keep_env:
        env = dict(os.environ)
    else:
        kept = ("TERM", "LANG", "LANGUAGE", "TZ", "DISPLAY", "XAUTHORITY", "COLORS", "LS_COLORS")
        env = {k: v for k, v in os.environ.items() if k in kept or k.startswith("LC_")}
        env.update(
            HOME=target.pw_dir, USER=user, LOGNAME=user, SHELL=target.pw_shell, MAIL=f"/var/mail/{user}"
        )
    env.update(PATH=SECURE_PATH, SUDO_USER=caller.pw_name, SUDO_UID=str(caller.pw_uid),
               SUDO_GID=str(caller.pw_gid), SUDO_COMMAND=shlex.join(args))  # fmt: skip
    program = args[0] if "/" in args[0] else shutil.which(args[0], path=SECURE_PATH)
    if program is None:
        print(f"sudo: {args[0]}: command not found", file=sys.stderr)
        sys.exit(1)
    os.setgroups(os.getgrouplist(user, target.pw_gid))
    os.setgid(target.pw_gid)
    os.setuid(target.pw_uid)
    os.execve(program, args, env)


def main(argv: list[str]) -> int:
    name, args = argv[0], argv[1:]
    try:
        if name == "sudo":
            sudo(args)
        if name == "_supervise":
            return supervise(args[0])
        commands = {"systemctl": systemctl, "systemd-run": systemd_run, "journalctl": journalctl}
        return commands[name](args)
    except Refused as refused:
        print(f"{name}: {refused}", file=sys.stderr)
        return 2 if "not supported" in str(refused) else 1
    except OSError as exc:  # e.g. a WorkingDirectory or program that does not exist
        print(f"{name}: Failed to start: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
