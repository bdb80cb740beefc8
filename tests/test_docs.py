"""The README documents every setting, its two commands are the Makefile's (and CI's), and every\nlocale has every key."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboard.i18n import LOCALES, LOCALES_DIR, catalogue
from data_access.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_default(setting):
    line = next((ln for ln in README.splitlines() if ln.startswith(f"| `{setting.name}` |")), None)
    assert line is not None, f"README does not document {setting.name}"
    if setting.name != "DATABASE_URL":  # its default is a path on the user's machine
        assert f"`{setting.default}`" in line, f"README gives no default for {setting.name}"
    meaning = line.strip().strip("|").split("|")[-1].strip()
    assert len(meaning) > 10, f"README does not say what {setting.name} does"
    assert setting.help


def test_every_locale_has_every_key():
    files = {loc: sorted(p.name for p in (LOCALES_DIR / loc).glob("*.json")) for loc in LOCALES}
    assert len({tuple(f) for f in files.values()}) == 1, f"locales have different files: {files}"
    for name in files["zh_CN"]:
        keys = {
            loc: set(json.loads((LOCALES_DIR / loc / name).read_text(encoding="utf-8"))) for loc in LOCALES
        }
        for loc, found in keys.items():
            missing, extra = keys["zh_CN"] - found, found - keys["zh_CN"]
            assert not missing and not extra, f"{loc}/{name}: missing {missing}, extra {extra}"
    for loc in LOCALES:
        assert catalogue(loc)  # raises if a key is defined in two files


def _two_commands() -> list[str]:
    """The commands of the README's '两条命令' block, without their comments."""
    section = README.split("## 两条命令", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README: '两条命令' has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def _dry_run(target: str) -> list[str]:
    """The commands `make <target>` runs on a fresh checkout (every prerequisite out of date)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "--no-print-directory", "-n", "-B", target], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, f"make {target} is not a target of the Makefile: {done.stderr}"
    return done.stdout.replace("\\\n", " ").splitlines()


def _index(lines: list[str], pattern: str) -> int:
    found = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert found, f"no command matches {pattern!r} in:\n" + "\n".join(lines)
    return found[0]


def test_the_readme_gives_two_commands_and_make_knows_them():
    assert _two_commands() == ["make run", "make test"]


def test_make_run_installs_from_the_lock_then_serves_the_app():
    lines = _dry_run("run")
    install = _index(lines, r"pip install .*--require-hashes -r requirements\.lock")
    serve = _index(lines, r"-m streamlit run serve\.py")
    assert install < _index(lines, r"-m seed --first-run") < _index(lines, r"-m data_access init") < serve
    assert serve == len(lines) - 1, "serving is the last step"


def test_make_test_installs_from_the_dev_lock_lints_then_runs_the_suite():
    lines = _dry_run("test")
    install = _index(lines, r"pip install .*--require-hashes -r requirements-dev\.lock")
    lint = [_index(lines, pattern) for pattern in (r"ruff check", r"ruff format --check", r"/mypy\b")]
    suite = _index(lines, r"-m pytest\b")
    assert install < min(lint) and max(lint) < suite, "installed, then linted, then tested"
    assert suite == len(lines) - 1 and '-m "not bench"' in lines[suite], "the whole suite but the benchmarks"


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in ci if line.strip() and not line.lstrip().startswith("#")]
    assert "make test" in commands, ".ci/run must run the README's `make test`"
    assert commands.index("make test") < commands.index("make test-bench")
