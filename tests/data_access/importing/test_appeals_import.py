"""Appeals and complaints in bulk (issue 16, item 5): an office's 658 complaints, 421 of them through
the hotline (市长热线, 12345, 热线 or the name its profile gives the hotline), come in from one file
and are counted by source; a yearly appeals file fills the 2021 table 四; a re-upload replaces only
its own earlier upload (never an appeal entered on the form); undo takes it back; bad rows are
refused at their cells with nothing written — on every backend."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from data_access.cli import main as cli
from data_access.read import kpis, reports
from data_access.read.reports import format_2021
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import Appeal, OrgUnit
from data_access.write import records
from data_access.write.importing import commit, preview
from data_access.write.undo import undo
from tests.helpers.builders import UNIT, setup_unit, xlsx

COMPLAINT_HEAD = ["收到日期", "来源", "事项", "处理结果"]
APPEAL_HEAD = ["类型", "收到（提起）日期", "涉及的申请编号", "诉讼途径", "结果", "审结日期"]
# 421 through the hotline under four names, and 237 otherwise.
SOURCES = (
    ("市长热线", 150),
    ("12345", 120),
    ("热线", 100),
    ("便民服务专线", 51),  # the unit profile's name for its hotline
    ("信访", 90),
    ("网上留言", 80),
    ("来信", 40),
    ("其他", 27),
)


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    with db.write_session(empty_db) as s:
        s.execute(update(OrgUnit).where(OrgUnit.code == UNIT).values(hotline_name="便民服务专线"))
    return empty_db


def _complaints_file() -> bytes:
    rows: list[list[object]] = [["2025年申诉举报登记表"], COMPLAINT_HEAD]
    n = 0
    for source, count in SOURCES:
        for _ in range(count):
            day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 360)
            # Some rows are identical (same day, source and 事项): each is still a complaint.
            rows.append([day, source, f"反映事项{n % 300}", "已办结" if n % 2 else None])
            n += 1
    return xlsx(rows, title="申诉举报")


def _figures(engine: Engine, year: int = 2025) -> kpis.Kpis:
    with db.read_session(engine) as s:
        return kpis.compute(s, year, 12, UNIT, projects=False)


def _appeal_count(engine: Engine) -> int:
    with db.read_session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Appeal)) or 0)


def test_658_complaints_from_one_file_421_through_the_hotline(engine: Engine) -> None:
    data = _complaints_file()
    _request(engine, "YSQ-2025-001")  # the yearly requests sheet enters its year's complaints: 0
    before = _figures(engine)["requests"]
    assert before["complaints"] == 0 and sum((before["complaints_by_source"] or {"x": 1}).values()) == 0
    checked = preview(engine, data, "complaints", UNIT, "2025", "申诉举报.xlsx")
    assert checked.status == "valid" and len(checked.added) == 658, [i.message for i in checked.issues]
    result = commit(engine, OPERATOR, data, "complaints", UNIT, "2025", "申诉举报.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]
    figures = _figures(engine)["requests"]
    assert figures["complaints"] == 658
    assert figures["complaints_by_source"] == {"热线": 421, "信访": 90, "网络": 80, "来信": 40, "其他": 27}

    # The same file again changes nothing; undo takes the whole upload back.
    again = commit(engine, OPERATOR, data, "complaints", UNIT, "2025", "申诉举报.xlsx")
    assert again.status == "unchanged"
    undo(engine, OPERATOR, result.batch_id)
    assert _appeal_count(engine) == 0
    assert _figures(engine)["requests"]["complaints"] == 0


def _request(engine: Engine, no: str) -> None:
    head = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
    row = [no, "2025-02-10", "网络", "自然人", "申请公开某项目审批文件", "2025-02-20", "予以公开"]
    result = commit(engine, OPERATOR, xlsx([head, row]), "requests", UNIT, "2025", "r.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]


APPEAL_ROWS = [
    ["行政复议", "2025-03-01", "YSQ-2025-001", None, "维持", "2025-04-20"],
    ["复议", "2025-05-01", None, None, "纠正", "2025-06-20"],
    ["行政复议", "2025-07-01", None, None, "其他结果", "2025-08-01"],
    ["行政复议", "2025-11-01", None, None, "尚未审结", None],
    ["行政诉讼", "2025-04-01", "YSQ-2025-001", "未经复议直接起诉", "维持", "2025-09-01"],
    ["行政诉讼", "2025-04-02", None, "直接起诉", "纠正", "2025-09-02"],
    ["行政诉讼", "2025-08-01", None, "复议后起诉", "尚未审结", None],
    ["诉讼", "2025-08-02", None, "复议后起诉", "其他结果", "2025-12-01"],
]


def _table4(engine: Engine) -> dict:  # type: ignore[type-arg]
    with db.read_session(engine) as s:
        return dict(format_2021.build_2021(s, 2025, UNIT)["tables"]["四"])


def test_an_appeals_file_fills_table_4_and_replaces_only_its_own_upload(engine: Engine) -> None:
    _request(engine, "YSQ-2025-001")
    with db.write_session(engine) as s:  # one entered on the form: never replaced by an upload
        records.add_appeal(
            s,
            OPERATOR,
            UNIT,
            dict(kind="行政复议", filed_date="2025-10-10", result="维持", closed_date="2025-11-11"),
            dt.date(2026, 1, 10),
        )
    data = xlsx([APPEAL_HEAD, *APPEAL_ROWS], title="复议诉讼")
    result = commit(engine, OPERATOR, data, "appeals", UNIT, "2025", "复议诉讼.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]
    with db.read_session(engine) as s:
        linked = s.scalar(select(func.count()).select_from(Appeal).where(Appeal.request_id.is_not(None)))
    assert linked == 2
    figures = _figures(engine)["requests"]
    assert (figures["reconsiderations"], figures["litigations"]) == (5, 4)
    table = _table4(engine)
    assert table["行政复议"] == {"结果维持": 2, "结果纠正": 1, "其他结果": 1, "尚未审结": 1, "总计": 5}
    direct, after = table["行政诉讼"].values()
    assert direct == {"结果维持": 1, "结果纠正": 1, "其他结果": 0, "尚未审结": 0, "总计": 2}
    assert after == {"结果维持": 0, "结果纠正": 0, "其他结果": 1, "尚未审结": 1, "总计": 2}

    # A corrected file for the year: the pending reconsideration closed; only the upload's rows move.
    rows = [list(r) for r in APPEAL_ROWS]
    rows[3] = ["行政复议", "2025-11-01", None, None, "纠正", "2025-12-20"]
    second = commit(engine, OPERATOR, xlsx([APPEAL_HEAD, *rows]), "appeals", UNIT, "2025", "v2.xlsx")
    assert second.status == "committed"
    assert (len(second.added), len(second.removed), second.unchanged_rows) == (1, 1, 7)
    assert _appeal_count(engine) == 9
    assert _table4(engine)["行政复议"]["尚未审结"] == 0
    # A requests sheet re-uploaded with its appeal columns keeps the upload's appeals of its request.
    head = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "复议诉讼类型", "复议诉讼日期"]
    row = ["YSQ-2025-001", "2025-02-10", "网络", "自然人", "申请公开某项目审批文件", None, None]
    sheet = commit(engine, OPERATOR, xlsx([head, row]), "requests", UNIT, "2025", "r2.xlsx")
    assert sheet.status == "committed", [i.message for i in sheet.issues]
    assert _appeal_count(engine) == 9
    undo(engine, OPERATOR, sheet.batch_id)
    undo(engine, OPERATOR, second.batch_id)
    assert _table4(engine)["行政复议"]["尚未审结"] == 1
    undo(engine, OPERATOR, result.batch_id)
    assert _appeal_count(engine) == 1  # the form's
    assert _figures(engine)["requests"]["reconsiderations"] == 1


@pytest.mark.parametrize(
    ("kind", "head", "row", "column", "message"),
    [
        ("complaints", COMPLAINT_HEAD, ["2025-02-30", "热线", "噪音", None], "收到日期", "日期"),
        ("complaints", COMPLAINT_HEAD, ["2025-02-03", "广播", "噪音", None], "来源", "无法识别"),
        ("complaints", COMPLAINT_HEAD, ["2025-02-03", "信访", None, None], "事项", "不能为空"),
        ("appeals", APPEAL_HEAD, ["申诉", "2025-03-01", None, None, "维持", None], "类型", "申诉举报"),
        ("appeals", APPEAL_HEAD, ["行政诉讼", "2025-03-01", None, None, "维持", None], "诉讼途径", "须填写"),
        (
            "appeals",
            APPEAL_HEAD,
            ["行政复议", "2025-03-01", None, "复议后起诉", "维持", None],
            "诉讼途径",
            "行政复议请留空",
        ),
        ("appeals", APPEAL_HEAD, ["行政复议", "2025-03-01", None, None, "胜诉", None], "结果", "无法识别"),
        (
            "appeals",
            APPEAL_HEAD,
            ["行政复议", "2025-03-01", None, None, "维持", "2025-02-01"],
            "审结日期",
            "早于",
        ),
        (
            "appeals",
            APPEAL_HEAD,
            ["行政复议", "2025-03-01", "YSQ-404", None, "维持", None],
            "涉及的申请编号",
            "尚未登记",
        ),
    ],
)
def test_bad_rows_are_refused_at_their_cells(
    engine: Engine, kind: str, head: list[str], row: list[object], column: str, message: str
) -> None:
    good = ["2025-02-03", "12345", "反映公开栏未更新", None] if kind == "complaints" else APPEAL_ROWS[1]
    result = commit(engine, OPERATOR, xlsx([head, good, row]), kind, UNIT, "2025", "bad.xlsx")
    assert result.status == "rejected"
    errors = [i for i in result.issues if i.level == "error"]
    assert any(message in i.message and i.row == 3 and i.column == column for i in errors), [
        (i.row, i.column, i.message) for i in errors
    ]
    assert _appeal_count(engine) == 0


def test_an_empty_complaints_file_is_the_years_zero_report(engine: Engine) -> None:
    result = commit(engine, OPERATOR, xlsx([COMPLAINT_HEAD]), "complaints", UNIT, "2025", "none.xlsx")
    assert result.status == "committed", [i.message for i in result.issues]
    figures = _figures(engine)["requests"]
    assert figures["complaints"] == 0 and figures["complaints_by_source"] == {
        "热线": 0,
        "信访": 0,
        "网络": 0,
        "来信": 0,
        "其他": 0,
    }
    assert figures["reconsiderations"] is None


def test_the_old_format_appendix_counts_uploaded_appeals_and_complaints(engine: Engine) -> None:
    _request(engine, "YSQ-2025-001")
    complaints = xlsx([COMPLAINT_HEAD, *[["2025-05-01", "12345", f"事项{i}", None] for i in range(7)]])
    appeals = xlsx([APPEAL_HEAD, *APPEAL_ROWS])
    for kind, data in (("complaints", complaints), ("appeals", appeals)):
        result = commit(engine, OPERATOR, data, kind, UNIT, "2025", f"{kind}.xlsx")
        assert result.status == "committed", [i.message for i in result.issues]
    with db.read_session(engine) as s:
        report = reports.build(s, 2025, UNIT, "old")
    rows = {r["指标名称"]: r["本年度"] for r in report["rows"]}  # type: ignore[typeddict-item]
    assert (rows["接受行政申诉、举报数"], rows["行政复议数"], rows["行政诉讼数"]) == (7, 4, 4)


def test_command_line_imports_complaints_and_prints_them_by_source(
    empty_sqlite: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_unit(empty_sqlite)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    path = tmp_path / "申诉举报.xlsx"
    path.write_bytes(
        xlsx([COMPLAINT_HEAD, ["2025-05-01", "12345", "噪音", None], ["2025-05-02", "来信", "路灯", None]])
    )

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(["--database-url", url, *argv])
        return code, capsys.readouterr().out

    code, out = run("import", "--kind", "complaints", "--period", "2025", "--json", str(path))
    assert code == 0 and json.loads(out)["added"] == 2, out
    code, out = run("kpis", "--year", "2025", "--unit", UNIT, "--json")
    assert code == 0
    figures = json.loads(out)["requests"]
    assert figures["complaints"] == 2
    assert figures["complaints_by_source"] == {"热线": 1, "信访": 0, "网络": 0, "来信": 1, "其他": 0}


def test_a_complaint_entered_on_the_form_keeps_its_source(engine: Engine) -> None:
    with db.write_session(engine) as s:
        for source in ("12345", None):
            records.add_appeal(
                s,
                OPERATOR,
                UNIT,
                dict(kind="申诉举报", filed_date="2025-06-01", source=source),
                dt.date(2025, 7, 1),
            )
    by_source = _figures(engine)["requests"]["complaints_by_source"]
    assert by_source is not None and (by_source["热线"], by_source["未注明"]) == (1, 1)
    with pytest.raises(records.RecordError, match="只有申诉举报才填写来源"), db.write_session(engine) as s:
        records.add_appeal(
            s,
            OPERATOR,
            UNIT,
            dict(kind="行政复议", filed_date="2025-06-01", source="信访"),
            dt.date(2025, 7, 1),
        )
