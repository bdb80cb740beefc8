"""A new installation without the demo: add the first unit, which creates the first admin."""

from __future__ import annotations

from tests.helpers.cli import Ran, run_cli, run_process


def _cli(url: str, *args: str) -> Ran:
    return run_cli("--database-url", url, *args)


def test_first_unit_then_first_admin(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert _cli(url, "init").returncode == 0
    first = _cli(url, "units", "add", "xiamen", "厦门市", "--level", "city")
    assert first.returncode == 0, first.stderr
    assert "已创建管理员账户 admin，初始密码：" in first.stdout
    second = _cli(url, "units", "add", "siming", "思明区", "--level", "subdistrict", "--parent", "xiamen")
    assert second.returncode == 0 and "admin" not in second.stdout
    bad = _cli(url, "units", "add", "Bad_Code", "X", "--level", "city")
    assert bad.returncode == 1 and bad.stderr.startswith("错误：单位代码")
    listed = _cli(url, "units", "list").stdout.splitlines()
    assert listed == ["厦门市（xiamen）", "  思明区（siming）"]
    users = _cli(url, "users", "list").stdout
    assert "admin" in users and "须改密码" in users


def test_a_refused_unit_exits_1_with_one_chinese_line(tmp_path):
    """The process boundary: the exit code and standard error of a real `python -m data_access`."""
    url = f"sqlite:///{tmp_path / 'process.sqlite3'}"
    assert run_process("--database-url", url, "init").returncode == 0
    bad = run_process("--database-url", url, "units", "add", "Bad_Code", "X", "--level", "city")
    assert (bad.returncode, bad.stdout) == (1, "")
    (line,) = bad.stderr.strip().splitlines()
    assert line.startswith("错误：单位代码")
