"""`python -m data_access publication correct|withdraw|restore|history` on every backend: the
withdrawal leaves `kpis --json` and both reports (`report --format json`, old and 2021 templates)
exactly as they were; history --json keeps every action with old → new; bad input exits 1 with a
Chinese message and changes nothing."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import records
from data_access.write.importing import commit
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, setup_unit, xlsx
from tests.helpers.cli import run_cli

ITEM = "QY-T-2018-00003"


def _figures(url: str) -> list[str]:
    out = []
    for argv in (
        ("kpis", "--year", "2018", "--unit", UNIT, "--json"),
        ("report", "--year", "2018", "--unit", UNIT, "--template", "old"),
        ("report", "--year", "2018", "--unit", UNIT, "--template", "2021"),
    ):
        ran = run_cli("--database-url", url, *argv)
        assert ran.returncode == 0, ran.stderr
        out.append(ran.stdout)
    return out


def test_the_publication_commands(empty_db: Engine):
    setup_unit(empty_db)
    assert (
        commit(
            empty_db, OPERATOR, xlsx([PUB_HEADER, *publication_rows(6)]), "publications", UNIT, "2018-12"
        ).status
        == "committed"
    )
    url = empty_db.url.render_as_string(hide_password=False)
    before = _figures(url)
    assert json.loads(before[0])["publications"]["total"] == 6
    item = ("--unit", UNIT, "--index-no", ITEM)

    ran = run_cli(
        "--database-url",
        url,
        "publication",
        "withdraw",
        *item,
        "--date",
        "2018-12-20",
        "--reason",
        "内容有误",
    )
    assert (ran.returncode, ran.stdout) == (0, f"已撤回：{ITEM}（2018-12-20）\n")
    assert _figures(url) == before  # still counted where it was published

    ran = run_cli("--database-url", url, "publication", "correct", *item, "--field", "title=测试信息三",
                  "--field", "文号=青街〔2018〕9号", "--date", "2018-12-28", "--note", "错字")  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "信息名称：测试信息3 → 测试信息三" in ran.stdout
    after = _figures(url)
    assert after[0] == before[0]  # kpis: the item did not move

    ran = run_cli("--database-url", url, "publication", "restore", *item, "--date", "2019-01-02")
    assert ran.returncode == 0, ran.stderr

    ran = run_cli("--database-url", url, "publication", "history", *item, "--json")
    shown = json.loads(ran.stdout)
    assert (shown["title"], shown["doc_no"], shown["withdrawn"]) == ("测试信息三", "青街〔2018〕9号", None)
    assert [(h["action"], h["date"], h["note"], h["by"]) for h in shown["history"]] == [
        ("withdraw", "2018-12-20", "内容有误", "命令行"),
        ("correct", "2018-12-28", "错字", "命令行"),
        ("restore", "2019-01-02", None, "命令行"),
    ]
    assert shown["history"][1]["changes"] == [
        {"field": "信息名称", "old": "测试信息3", "new": "测试信息三"},
        {"field": "文号", "old": None, "new": "青街〔2018〕9号"},
    ]

    for argv, message in (
        (("withdraw", "--unit", UNIT, "--index-no", "QY-NONE", "--date", "2018-12-20", "--reason", "x"),
         "单位「qingyang」的公开目录中没有索引号「QY-NONE」"),
        (("withdraw", *item, "--date", "2018-12-01", "--reason", "x"), "“撤回日期”：2018-12-01 早于该信息的公开日期 2018-12-13"),
        (("correct", *item, "--field", "title", "--date", "2018-12-28"), "--field 应写作 字段=新值"),
        (("correct", *item, "--field", "所属类别=机构职能类", "--date", "2018-12-28"), "“所属类别”：不能更正"),
    ):  # fmt: skip
        ran = run_cli("--database-url", url, "publication", *argv)
        assert ran.returncode == 1 and message in ran.stderr, ran.stderr
    with db.read_session(empty_db) as s:
        assert len(records.publication_history(s, UNIT, ITEM)) == 3
        assert records.find_publication(s, UNIT, ITEM).withdrawal is None  # type: ignore[union-attr]
