"""A re-upload that deletes stored rows needs their number confirmed (page and command line); the
preview names each row's 所属类别 and how a variant was mapped, and a projects file's 合计 check and
lagging count; a file holding exactly the data in force is not imported again — on every backend."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select

from data_access.cli import main as cli
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import Publication, UploadBatch
from data_access.write.importing import commit, preview
from tests.helpers.builders import (
    PROJECT_HEADER,
    PUB_HEADER,
    UNIT,
    csv_bytes,
    project_rows,
    publication_rows,
    setup_unit,
    xlsx,
)

TITLE = ["青阳街道2018年12月主动公开政府信息目录"]


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def _counts(engine: Engine) -> tuple[int, int]:
    with db.read_session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Publication)) or 0,
            s.scalar(select(func.count()).select_from(UploadBatch)) or 0,
        )


def test_removals_are_written_only_when_their_number_is_confirmed(engine: Engine) -> None:
    rows = publication_rows(5)
    first = commit(engine, OPERATOR, xlsx([TITLE, PUB_HEADER, *rows]), "publications", UNIT, None, "a.xlsx")
    assert first.status == "committed" and _counts(engine) == (5, 1)
    fewer = xlsx([TITLE, PUB_HEADER, *rows[:3]])

    shown = preview(engine, fewer, "publications", UNIT, None, "b.xlsx")
    assert shown.status == "valid"
    assert sorted(r["index_no"] for r in shown.removed) == ["QY-T-2018-00003", "QY-T-2018-00004"]

    for confirmed in (0, 1, 3):  # none agreed, or not the number the file removes: nothing written
        refused = commit(
            engine, OPERATOR, fewer, "publications", UNIT, None, "b.xlsx", confirm_removed=confirmed
        )
        assert refused.status == "rejected" and refused.batch_id is None
        errors = [i.message for i in refused.issues if i.level == "error"]
        assert len(errors) == 1 and "将删除 2 条已有记录" in errors[0], errors
        assert "「QY-T-2018-00003」" in errors[0]
        assert _counts(engine) == (5, 1)

    done = commit(engine, OPERATOR, fewer, "publications", UNIT, None, "b.xlsx", confirm_removed=2)
    assert done.status == "committed" and len(done.removed) == 2
    assert _counts(engine) == (3, 2)


def test_the_preview_names_each_category_and_the_variants_it_mapped(engine: Engine) -> None:
    rows = publication_rows(4)
    rows[0][2] = "安全生产应急管理类"  # variants without the 、
    rows[1][2] = "安全生产应急管理"
    data = xlsx([TITLE, PUB_HEADER, *rows])
    shown = preview(engine, data, "publications", UNIT, None, "a.xlsx")
    assert [r["_category"] for r in shown.added] == [
        "安全生产应急管理类 → 安全生产、应急管理类",
        "安全生产应急管理 → 安全生产、应急管理类",
        "安全生产、应急管理类",
        "科教文体卫生类",
    ]
    assert shown.notes == [
        "「安全生产应急管理类」按「安全生产、应急管理类」导入（1 行）",
        "「安全生产应急管理」按「安全生产、应急管理类」导入（1 行）",
    ]
    commit(engine, OPERATOR, data, "publications", UNIT, None, "a.xlsx")
    fewer = preview(engine, xlsx([TITLE, PUB_HEADER, *rows[1:3]]), "publications", UNIT, None, "b.xlsx")
    assert sorted((r["index_no"], r["_category"]) for r in fewer.removed) == [
        ("QY-T-2018-00000", "安全生产、应急管理类"),  # as stored: the catalogue's name
        ("QY-T-2018-00003", "科教文体卫生类"),
    ]


def test_a_projects_preview_checks_the_total_and_counts_the_lagging(engine: Engine) -> None:
    rows = project_rows()
    total = ["合计", None, 6000, 60, 1300, 1600, None, None]
    title = ["青阳街道2018年10月份重大项目完成情况表"]
    shown = preview(engine, xlsx([title, PROJECT_HEADER, *rows, total]), "projects", UNIT, None, "p.xlsx")
    assert shown.status == "valid", [i.message for i in shown.issues]
    assert shown.notes[0] == (
        "合计行与各行相加一致：本月完成投资 60 万元，累计完成投资 1300 万元，年度计划投资 1600 万元"
    )
    # October expects 10/12 = 83.3% of the plan: 甲 (50%) is more than 10 points behind, 丙 (75%) is not
    assert shown.notes[1].startswith("按 1-10 月进度") and shown.notes[1].endswith("滞后 1 个：「甲项目」")
    no_total = preview(engine, xlsx([title, PROJECT_HEADER, rows[1]]), "projects", UNIT, None, "p.xlsx")
    assert no_total.notes[0].startswith("文件没有合计行，各行相加：本月完成投资 20 万元")
    assert no_total.notes[1] == "按 1-10 月进度，没有滞后的项目"


def test_a_file_with_the_data_in_force_makes_no_new_batch(engine: Engine) -> None:
    rows = publication_rows(3)
    first = commit(engine, OPERATOR, xlsx([TITLE, PUB_HEADER, *rows]), "publications", UNIT, None, "a.xlsx")
    same_data = csv_bytes([PUB_HEADER, *rows])  # other bytes, other format, the same content
    shown = preview(engine, same_data, "publications", UNIT, "2018-12", "a.csv")
    assert (shown.status, shown.batch_id) == ("unchanged", first.batch_id)
    again = commit(engine, OPERATOR, same_data, "publications", UNIT, "2018-12", "a.csv")
    assert (again.status, again.batch_id) == ("unchanged", first.batch_id)
    assert _counts(engine) == (3, 1)
    rows[0][1] = "测试信息（修订）"
    edited = commit(
        engine, OPERATOR, csv_bytes([PUB_HEADER, *rows]), "publications", UNIT, "2018-12", "b.csv"
    )
    assert edited.status == "committed" and _counts(engine) == (3, 2)


def test_the_command_line_refuses_to_delete_without_confirm_delete(engine: Engine, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    rows = publication_rows(4)
    full, fewer = tmp_path / "full.xlsx", tmp_path / "fewer.xlsx"
    full.write_bytes(xlsx([TITLE, PUB_HEADER, *rows]))
    fewer.write_bytes(xlsx([TITLE, PUB_HEADER, *rows[:1]]))

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(["--database-url", url, "import", "--kind", "publications", *argv])
        return code, capsys.readouterr().out

    assert run(str(full))[0] == 0
    code, out = run("--dry-run", "--json", str(fewer))
    assert code == 0 and json.loads(out)["removed"] == 3
    code, out = run(str(fewer))
    assert code == 1 and "将删除 3 条已有记录" in out and "删除未经确认" in out
    assert _counts(engine) == (4, 1)
    code, out = run("--confirm-delete", "2", str(fewer))
    assert code == 1 and "与确认删除的 2 条不符" in out
    code, out = run("--confirm-delete", "3", "--json", str(fewer))
    assert code == 0 and json.loads(out)["status"] == "committed" and json.loads(out)["removed"] == 3
    assert _counts(engine) == (1, 2)
