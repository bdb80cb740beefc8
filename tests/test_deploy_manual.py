"""The deployment manual's commands are the real ones.

Every shell block of docs/部署手册.md is read: each `python -m data_access …` (or the manual's
`gongkai-cli …` wrapper, which runs it) must name a command (and sub-command) the argument parser
has, each `make …` a target of the Makefile, each `deploy/…` file must exist, and each gongkai unit
that `systemctl` is told about must be one of deploy/'s units.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from data_access.cli.main import build_parser
from tests.helpers.manual import MANUAL, shell_blocks

ROOT = Path(__file__).resolve().parents[1]
# `make` targets of another project's Makefile that the manual runs: Python's own source build
# (section 1, an old system's Python).
FOREIGN_MAKE_TARGETS = {"altinstall"}
# The wrapper is run (at a line's start, after sudo, && …), not named as a path (…/bin/gongkai-cli).
CLI_PREFIX = re.compile(r"(?:python -m data_access|(?<![\w/.-])gongkai-cli)(?![\w-])")
NAME = re.compile(r"[a-z][a-z0-9-]*")
SHELL_OPERATORS = {">", ">>", "<", "|", "&&", "||", ";", "2>&1"}


@dataclass
class Found:
    cli: list[tuple[str, ...]] = field(default_factory=list)
    cli_options: list[str] = field(default_factory=list)
    make: list[str] = field(default_factory=list)
    deploy: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    cli_lines: list[list[str]] = field(default_factory=list)


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=True)
    except ValueError:  # an unbalanced quote in a comment: plain words are enough here
        return line.split("#", 1)[0].split()


def scan(text: str) -> Found:
    """What the manual's shell blocks run and name."""
    found = Found()
    for block in shell_blocks(text):
        for line in block.splitlines():
            line = re.sub(r"(?:^|\s)#.*", "", line)  # a comment runs nothing
            for match in CLI_PREFIX.finditer(line):
                words = _words(line[match.end() :])
                cut = [i for i, w in enumerate(words) if w in SHELL_OPERATORS]
                found.cli_lines.append(words[: cut[0]] if cut else list(words))
                names: list[str] = []
                while words:
                    word = words.pop(0)
                    if word == "--database-url":
                        words.pop(0)
                    elif word.startswith("--") and not names:
                        found.cli_options.append(word)
                    elif NAME.fullmatch(word) and len(names) < 2:
                        names.append(word)
                    else:
                        break
                if names:
                    found.cli.append(tuple(names))
            for segment in re.split(r"&&|\|\||;|\|", line.split("#", 1)[0]):
                words = segment.split()
                if "make" in words:
                    rest = words[words.index("make") + 1 :]
                    found.make += [w for w in rest if not w.startswith("-") and "=" not in w]
            found.units += re.findall(r"\bsystemctl\b.*", line.split("#", 1)[0])
    found.deploy = sorted(set(re.findall(r"\bdeploy/([\w@.\-]+[\w@])", text)))
    found.units = sorted({unit for line in found.units for unit in re.findall(r"\bgongkai[\w@.*\-]*", line)})
    return found


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+) \?= (\S+)", text, flags=re.M))
    targets: set[str] = set()
    for line in text.splitlines():
        match = re.match(r"^([^\s#:=][^:=]*):(?!=)", line)
        if match:
            names = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), match.group(1))
            targets.update(names.split())
    return targets - {".PHONY"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def problems(found: Found) -> list[str]:
    """Each command, target, file or unit the manual names that does not exist."""
    bad: list[str] = []
    parser = build_parser()
    top_options = {opt for action in parser._actions for opt in action.option_strings}
    for option in found.cli_options:
        if option not in top_options:
            bad.append(f"python -m data_access {option}: no such option")
    for names in found.cli:
        commands = _subcommands(parser)
        if names[0] not in commands:
            bad.append(f"python -m data_access {names[0]}: no such command")
            continue
        inner = _subcommands(commands[names[0]])
        if inner and len(names) > 1 and names[1] not in inner:
            bad.append(f"python -m data_access {' '.join(names)}: no such sub-command")
    for words in found.cli_lines:
        if not words or words[0] == "$@":  # the wrapper's own "$@"
            continue
        with contextlib.redirect_stderr(io.StringIO()) as err, contextlib.redirect_stdout(io.StringIO()):
            try:
                parser.parse_args(words)
            except SystemExit as exc:
                if exc.code:
                    message = err.getvalue().strip().splitlines()[-1:]
                    bad.append(f"python -m data_access {shlex.join(words)}: {' '.join(message)}")
    targets = makefile_targets()
    for target in found.make:
        if target not in targets and target not in FOREIGN_MAKE_TARGETS:
            bad.append(f"make {target}: no such Makefile target")
    for name in found.deploy:
        if not (ROOT / "deploy" / name).is_file():
            bad.append(f"deploy/{name}: no such file")
    for unit in found.units:
        template = re.sub(r"@\d+$", "@", unit)
        candidates = {template, f"{template}.service"} if "." not in template else {template}
        if "*" in unit:  # a pattern (systemctl list-timers 'gongkai-*') names no one unit
            continue
        if not any((ROOT / "deploy" / c).is_file() for c in candidates):
            bad.append(f"systemctl … {unit}: no such unit in deploy/")
    return bad


def test_the_manual_runs_real_commands_targets_and_files():
    found = scan(MANUAL.read_text(encoding="utf-8"))
    assert problems(found) == []
    # What the manual must walk through: not an empty scan that passes by finding nothing.
    commands = {names[0] for names in found.cli}
    assert {"init", "backup", "restore", "migrate-data", "kpis", "units"} <= commands
    assert "--version" in found.cli_options
    assert {"run", "wheelhouse"} <= set(found.make)
    assert {"nginx-gongkai.conf", "gongkai@.service", "gongkai.env.example"} <= set(found.deploy)
    assert {"gongkai@8501", "gongkai@8502", "gongkai-backup.timer"} <= set(found.units)


def test_a_wrong_command_target_file_or_unit_is_reported():
    text = """
```sh
sudo gongkai-cli frobnicate --all
python -m data_access units rename x y
python -m data_access --colour init
cd /opt/gongkai && make deploy OFFLINE=1
sudo cp deploy/gongkai-nightly.timer /etc/systemd/system/
sudo systemctl enable --now gongkai-report.timer
```
"""
    found = problems(scan(text))
    for expected in (
        "python -m data_access --colour: no such option",
        "python -m data_access frobnicate: no such command",
        "python -m data_access units rename: no such sub-command",
        "make deploy: no such Makefile target",
        "deploy/gongkai-nightly.timer: no such file",
        "systemctl … gongkai-report.timer: no such unit in deploy/",
    ):
        assert expected in found


def test_an_option_the_command_does_not_take_is_reported():
    text = """
```sh
sudo gongkai-cli kpis --yaer 2018 --json > /tmp/k.json
sudo gongkai-cli backup --to /var/backups/gongkai --keep-days 30
```
"""
    assert problems(scan(text)) == [
        "python -m data_access kpis --yaer 2018 --json: "
        "python -m data_access kpis: error: the following arguments are required: --year"
    ]


def test_continued_lines_and_options_before_the_command_are_read():
    text = """
```sh
sudo gongkai-cli --database-url postgresql+psycopg://u:p@h/db \\
  migrate-data --from sqlite:////x.sqlite3 --to postgresql+psycopg://u:p@h/db
make -j2 && sudo make wheelhouse WHEELHOUSE_DEV=1
```
"""
    found = scan(text)
    assert found.cli == [("migrate-data",)]
    assert found.make == ["wheelhouse"]
