"""A new installation without the demo: add the first unit, which creates the first admin."""

from __future__ import annotations

import json

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


def test_any_level_under_any_other_an_own_level_and_the_profile(tmp_path):
    """`units add` for a district under a city, sub-districts under it and a department under it;
    `units levels --add` for an office's own level; `units set` fills the profile, "" clears a field."""
    url = f"sqlite:///{tmp_path / 'tree.sqlite3'}"
    assert _cli(url, "init").returncode == 0
    for args in (
        ("city", "某市", "--level", "city"),
        ("dist", "某区", "--level", "district", "--parent", "city"),
        ("sd-a", "甲街道", "--level", "subdistrict", "--parent", "dist"),
        ("sd-b", "乙街道", "--level", "subdistrict", "--parent", "dist", "--phone", "0000-1234567"),
        ("office", "区政务公开办", "--level", "department", "--parent", "dist"),
    ):
        ran = _cli(url, "units", "add", *args)
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.startswith(f"已添加单位：{args[1]}（{args[0]}，")
    assert ran.stdout.startswith("已添加单位：区政务公开办（office，部门）")
    unknown = _cli(url, "units", "add", "z", "高新区", "--level", "zone", "--parent", "city")
    assert unknown.returncode == 1 and "未知的单位层级：zone" in unknown.stderr
    added = _cli(url, "units", "levels", "--add", "zone", "开发区")
    assert added.returncode == 0 and "已添加单位层级：开发区（zone）" in added.stdout
    assert _cli(url, "units", "add", "z", "高新区", "--level", "zone", "--parent", "city").returncode == 0
    levels = json.loads(_cli(url, "units", "levels", "--json").stdout)
    assert [lv["code"] for lv in levels][-2:] == ["department", "zone"]
    ran = _cli(url, "units", "set", "dist", "--full-name", "某市某区人民政府", "--archive-name", "区档案馆",
               "--library-name", "区图书馆", "--hotline-name", "12345热线", "--signature", "某区")  # fmt: skip
    assert ran.returncode == 0 and "已更新单位 dist 的资料" in ran.stdout, ran.stderr
    assert "没有变化" in _cli(url, "units", "set", "dist", "--archive-name", "区档案馆").stdout
    assert _cli(url, "units", "set", "dist", "--hotline-name", "").returncode == 0
    bad = _cli(url, "units", "set", "dist", "--phone", "call me")
    assert bad.returncode == 1 and bad.stderr.startswith("错误：热线号码")
    assert _cli(url, "units", "set", "dist").returncode == 1
    rows = {r["code"]: r for r in json.loads(_cli(url, "units", "list", "--json").stdout)}
    assert (rows["sd-a"]["depth"], rows["sd-a"]["parent"], rows["dist"]["level_label"]) == (
        2,
        "dist",
        "区（县）",
    )
    assert (rows["dist"]["full_name"], rows["dist"]["archive_name"], rows["dist"]["hotline_name"]) == (
        "某市某区人民政府",
        "区档案馆",
        None,
    )
    assert (rows["sd-b"]["phone"], rows["z"]["level"]) == ("0000-1234567", "zone")
    assert _cli(url, "units", "list").stdout.splitlines() == [
        "某市（city）", "  某区（dist）", "    甲街道（sd-a）", "    乙街道（sd-b）", "    区政务公开办（office）",
        "  高新区（z）",
    ]  # fmt: skip


def test_levels_rename_and_delete(tmp_path):
    """`units levels rename CODE NAME` renames any level (the code stays); `units levels delete CODE`
    deletes an office's own level no unit uses, and refuses the others in one Chinese line."""
    url = f"sqlite:///{tmp_path / 'levels.sqlite3'}"
    assert _cli(url, "init").returncode == 0
    assert _cli(url, "units", "add", "city", "某市", "--level", "city").returncode == 0
    assert _cli(url, "units", "levels", "--add", "zone", "开发区").returncode == 0
    assert _cli(url, "units", "levels", "--add", "park", "园区").returncode == 0
    assert _cli(url, "units", "add", "z", "高新区", "--level", "zone", "--parent", "city").returncode == 0

    renamed = _cli(url, "units", "levels", "rename", "city", "地级市")
    assert renamed.returncode == 0 and renamed.stdout.strip() == "已将单位层级 city 改名为：地级市"
    assert "没有变化" in _cli(url, "units", "levels", "rename", "city", "地级市").stdout
    taken = _cli(url, "units", "levels", "rename", "zone", "地级市")
    assert (taken.returncode, taken.stderr.strip()) == (1, "错误：层级名称“地级市”已被使用")
    rows = {r["code"]: r for r in json.loads(_cli(url, "units", "list", "--json").stdout)}
    assert (rows["city"]["level"], rows["city"]["level_label"]) == ("city", "地级市")

    used = _cli(url, "units", "levels", "delete", "zone")
    refusal = "错误：层级“开发区”（zone）有 1 个单位在用，不能删除"
    assert (used.returncode, used.stderr.strip()) == (1, refusal)
    built_in = _cli(url, "units", "levels", "delete", "community")
    assert built_in.returncode == 1 and "系统内置的层级，不能删除" in built_in.stderr
    deleted = _cli(url, "units", "levels", "delete", "park")
    assert deleted.returncode == 0 and deleted.stdout.strip() == "已删除单位层级：园区（park）"
    levels = {lv["code"]: lv["label"] for lv in json.loads(_cli(url, "units", "levels", "--json").stdout)}
    assert "park" not in levels and (levels["city"], levels["zone"]) == ("地级市", "开发区")
    assert _cli(url, "units", "levels", "delete", "park").returncode == 1  # gone
