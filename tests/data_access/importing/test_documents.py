"""公文 (documents made) and 公文类信息主动公开率 (issue 16, item 3): an office's year of documents
from one imported file — 3,021 made, 1,027 主动公开, 459 依申请公开, 1,535 不予公开 (34.0%) —
through `kpis`, both report formats and the 2021 .docx; a re-upload supersedes the year, undo
takes it back to 未录入; bad rows are refused at their cells with nothing written — on every
backend."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import Engine, func, select

from data_access.read import kpis, reports
from data_access.read.reports.docx import write_docx
from data_access.read.reports.format_2021 import overview_sentences
from data_access.read.reports.old_format import narrative_sentences
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import Document, UploadBatch
from data_access.write.importing import commit, preview
from data_access.write.importing.issues import ERROR, WARNING
from data_access.write.undo import undo
from tests.helpers.builders import UNIT, setup_unit, table_counts, xlsx
from tests.helpers.cli import run_cli

HEAD = ["文号", "标题", "成文日期", "公开属性", "不公开理由", "索引号"]
SENTENCE = (
    "本年度制发公文3021件，其中主动公开1027件、依申请公开459件、不予公开1535件，公文类信息主动公开率34.0%。"
)


def _rows(proactive: int, on_request: int, withheld: int, year: int = 2021) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for attribute, n in (("主动公开", proactive), ("依申请公开", on_request), ("不予公开", withheld)):
        for _ in range(n):
            i = len(rows) + 1
            day = dt.date(year, 1, 1) + dt.timedelta(days=i % 360)
            reason = "工作秘密" if attribute == "不予公开" else None
            index_no = f"QY-0601-{year}-{i:04d}" if attribute == "主动公开" and i % 2 else None
            rows.append(
                [f"某政〔{year}〕{i}号", f"关于某项工作的通知（{i}）", day, attribute, reason, index_no]
            )
    return rows


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def _documents(engine: Engine) -> dict | None:
    with db.read_session(engine) as s:
        return kpis.compute(s, 2021, None, UNIT)["documents"]


def test_an_offices_documents_give_its_proactive_rate(engine: Engine, tmp_path: Path) -> None:
    data = xlsx([HEAD, *_rows(1027, 459, 1535)])
    checked = preview(engine, data, "documents", UNIT, None, "公文.xlsx")
    assert checked.period == "2021" and len(checked.added) == 3021, [i.message for i in checked.issues]
    # 索引号 the unit's publication register does not hold (none uploaded): one warning, kept as typed.
    assert [i.message for i in checked.issues if i.level == WARNING] == [
        "第 2、4、6、8、10、12、14、16、18、20、22、24、26、28、30、32、34、36、38、40 行等的索引号在本单位主动公开信息目录中"
        "找不到（共 514 行），仍按所填保存；该目录上传后即可对应"
    ]
    path = tmp_path / "公文.xlsx"
    path.write_bytes(data)
    url = engine.url.render_as_string(hide_password=False)
    ran = run_cli("--database-url", url, "import", "--kind", "documents", "--unit", UNIT, "--json", str(path))
    summary = json.loads(ran.stdout)
    assert ran.returncode == 0 and summary["status"] == "committed" and summary["added"] == 3021, ran
    expected = {"made": 3021, "proactive": 1027, "on_request": 459, "withheld": 1535, "proactive_rate": 0.34}
    printed = run_cli("--database-url", url, "kpis", "--year", "2021", "--unit", UNIT, "--json")
    assert printed.returncode == 0 and json.loads(printed.stdout)["documents"] == expected
    assert _documents(engine) == expected
    with db.read_session(engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(Document).where(Document.index_no.is_not(None))) == 514
        )
        new_format = reports.build(s, 2021, UNIT, "2021")
        old_format = reports.build(s, 2021, UNIT, "old")
    assert SENTENCE in overview_sentences(new_format)  # type: ignore[arg-type]
    assert SENTENCE in narrative_sentences(old_format)["一"]  # type: ignore[arg-type]
    assert json.loads(json.dumps(new_format, ensure_ascii=False))["narrative"]["documents"] == expected
    buffer = io.BytesIO()
    write_docx(new_format, buffer)
    assert SENTENCE in [p.text for p in docx.Document(io.BytesIO(buffer.getvalue())).paragraphs]

    # A second file for the year supersedes the first (rows kept where the 文号 is the same).
    again = commit(engine, OPERATOR, xlsx([HEAD, *_rows(3, 1, 0)]), "documents", UNIT, "2021", "公文2.xlsx")
    assert again.status == "committed" and len(again.removed) == 3021 - 4
    assert _documents(engine) == {
        "made": 4, "proactive": 3, "on_request": 1, "withheld": 0, "proactive_rate": 0.75,
    }  # fmt: skip
    undo(engine, OPERATOR, again.batch_id)
    assert _documents(engine) == expected
    undo(engine, OPERATOR, summary["batch_id"])
    assert table_counts(engine)["document"] == 0
    with db.read_session(engine) as s:
        with pytest.raises(kpis.KpiError):  # nothing else entered for 2021: no figures at all
            kpis.compute(s, 2021, None, UNIT)
        statuses = sorted(s.scalars(select(UploadBatch.status).where(UploadBatch.kind == "documents")))
    assert statuses == ["undone", "undone"]


def test_documents_not_entered_print_as_not_entered(engine: Engine) -> None:
    # Another kind entered for the year, documents not: null in kpis, 未录入 in both reports.
    head = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
    row = ["YSQ-2021-001", "2021-03-01", "网络", "自然人", "申请公开某文件", "2021-03-10", "予以公开"]
    assert commit(engine, OPERATOR, xlsx([head, row]), "requests", UNIT, None, "r.xlsx").status == "committed"
    assert _documents(engine) is None
    with db.read_session(engine) as s:
        new_format = reports.build(s, 2021, UNIT, "2021")
        old_format = reports.build(s, 2021, UNIT, "old")
    assert "本年度制发公文及其公开属性未录入。" in overview_sentences(new_format)  # type: ignore[arg-type]
    assert "本年度制发公文及其公开属性未录入。" in narrative_sentences(old_format)["一"]  # type: ignore[arg-type]


def test_bad_rows_are_refused_at_their_cells(engine: Engine) -> None:
    rows = [
        HEAD,
        ["某政〔2021〕1号", "通知一", "2021-02-01", "主动公开", None, None],
        ["某政〔2021〕2号", "通知二", "2021-02-30", "主动公开", None, None],  # no such day
        ["某政〔2021〕3号", "通知三", "2021-02-03", "内部传阅", None, None],  # unknown attribute
        ["某政〔2021〕4号", "通知四", "2021-02-04", "不予公开", None, None],  # no reason
        ["某政〔2021〕5号", "通知五", "2021-02-05", "主动公开", "工作秘密", None],  # reason on 主动公开
        ["某政〔2021〕1号", "通知六", "2021-02-06", "依申请公开", None, None],  # 文号 repeated
        [None, "通知七", "2021-02-07", "主动公开", None, None],  # no 文号
    ]
    before = table_counts(engine)
    result = commit(engine, OPERATOR, xlsx(rows), "documents", UNIT, None, "坏公文.xlsx")
    assert result.status == "rejected"
    errors = {(i.row, i.column_letter) for i in result.issues if i.level == ERROR}
    assert {(3, "C"), (4, "D"), (5, "E"), (6, "E"), (2, "A"), (8, "A")} <= errors, result.issues
    messages = " ".join(i.message for i in result.issues)
    assert "不予公开的公文须填写不公开理由" in messages and "重复" in messages
    assert table_counts(engine) == before

    # Documents dated in two years without a chosen year: which year is asked, nothing written.
    two_years = [HEAD, ["某政〔2020〕9号", "通知", "2020-12-30", "主动公开", None, None],
                 ["某政〔2021〕9号", "通知", "2021-01-04", "主动公开", None, None]]  # fmt: skip
    refused = commit(engine, OPERATOR, xlsx(two_years), "documents", UNIT, None, "跨年.xlsx")
    assert refused.status == "rejected" and "请指定所属年份" in " ".join(i.message for i in refused.issues)
    assert table_counts(engine) == before
