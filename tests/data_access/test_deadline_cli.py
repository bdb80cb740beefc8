"""`python -m data_access deadline`: in this process (tests/helpers/cli.py), and once as the user
runs it, a process of the `gongkai` console script."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from data_access.rules.workdays import DayOverride
from data_access.store import db
from data_access.store.holidays import set_overrides
from tests.helpers.cli import GONGKAI, Ran, run_cli, run_process

EXPECTED_SKIPPED = [
    ("2019-09-28", "周六"),
    *[(f"2019-10-0{d}", "国庆节") for d in range(1, 8)],
    ("2019-10-13", "周日"),
    ("2019-10-19", "周六"),
    ("2019-10-20", "周日"),
    ("2019-10-26", "周六"),
    ("2019-10-27", "周日"),
]


def run(*args: str, database_url: str) -> Ran:
    """The command with the database configured by DATABASE_URL (not --database-url)."""
    return run_cli("deadline", *args, env={"DATABASE_URL": database_url})


@pytest.fixture
def no_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'absent.sqlite3'}"


def test_json_for_the_2019_national_day_example(no_db: str, tmp_path: Path) -> None:
    result = run("--received", "2019-09-27", "--json", database_url=no_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("rule", "received", "channel", "due", "extended_due", "effective_due")} == {
        "rule": "2019",
        "received": "2019-09-27",
        "channel": None,
        "due": "2019-10-30",
        "extended_due": "2019-11-27",
        "effective_due": "2019-10-30",
    }
    assert [(s["date"], s["reason"]) for s in data["skipped"]] == EXPECTED_SKIPPED
    assert data["warnings"] == []
    assert not (tmp_path / "absent.sqlite3").exists()  # asking never creates a database


def test_extended_and_channel(no_db: str) -> None:
    data = json.loads(
        run(
            "--received", "2019-05-14", "--channel", "信函", "--extended", "--json", database_url=no_db
        ).stdout
    )
    assert (data["rule"], data["channel"], data["due"], data["extended_due"], data["effective_due"]) == (
        "2008",
        "信函",
        "2019-06-04",
        "2019-06-26",
        "2019-06-26",
    )
    assert {"date": "2019-06-07", "reason": "端午节"} in data["skipped"]  # inside the extension


def test_text_output_explains_in_chinese(no_db: str) -> None:
    result = run("--received", "2019-09-27", "--channel", "网络", database_url=no_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("收到 2019-09-27 的申请，答复期限：2019-10-30")
    for fragment in (
        "以系统收到申请之日为收到申请之日",
        "跳过 2019-10-01（周二）：国庆节",
        "计入 2019-09-29（周日）：调休上班",
    ):
        assert fragment in result.stdout


def test_year_end_into_2027_warns(no_db: str) -> None:
    result = run("--received", "2026-12-20", "--json", database_url=no_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["due"] == "2027-01-18"
    assert data["warnings"] == ["2027 年的法定节假日安排尚未录入，已按周末及固定日期节日推算"]


@pytest.mark.parametrize("bad", ["2019-13-01", "20190927", "昨天"])
def test_bad_date_is_a_usage_error(bad: str, no_db: str) -> None:
    result = run("--received", bad, database_url=no_db)
    assert result.returncode == 2
    assert "日期无效" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert result.stdout == ""


def test_overrides_of_the_configured_database_are_used(empty_sqlite) -> None:
    with db.write_session(empty_sqlite) as session:
        set_overrides(session, [DayOverride(dt.date(2019, 10, 8), False, "台风停工")])
    url = empty_sqlite.url.render_as_string(hide_password=False)
    data = json.loads(run("--received", "2019-09-27", "--json", database_url=url).stdout)
    assert data["due"] == "2019-10-31"
    assert {"date": "2019-10-08", "reason": "台风停工"} in data["skipped"]
    assert data["warnings"] == []


def test_uninitialised_database_uses_the_package(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite3"
    path.touch()
    data = json.loads(run("--received", "2019-09-27", "--json", database_url=f"sqlite:///{path}").stdout)
    assert (data["due"], data["warnings"]) == ("2019-10-30", [])


def test_unreachable_database_falls_back_with_a_warning() -> None:
    result = run(
        "--received", "2019-09-27", "--json", database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["due"] == "2019-10-30"
    assert len(data["warnings"]) == 1 and data["warnings"][0].startswith("无法连接数据库，未使用自定节假日")


def test_the_console_script_prints_json_and_exits_2_on_a_bad_date(no_db: str) -> None:
    """The process boundary: `gongkai deadline` as a process, its output and exit codes."""
    env = {"DATABASE_URL": no_db}
    done = run_process("deadline", "--received", "2019-09-27", "--json", env=env, command=(str(GONGKAI),))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["due"] == "2019-10-30"
    bad = run_process("deadline", "--received", "昨天", env=env, command=(str(GONGKAI),))
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "日期无效" in bad.stderr


def test_a_correction_restarts_the_clock(no_db: str) -> None:
    # Received 2025-09-26, told to correct on 09-28, the corrected request came on 10-11 (a
    # make-up working Saturday): 20 working days from then end on 11-07, so a reply that day is on time.
    data = json.loads(
        run(
            "--received", "2025-09-26", "--correction", "2025-09-28:2025-10-11", "--json", database_url=no_db
        ).stdout
    )
    assert (data["clock_start"], data["first_day"], data["due"]) == (
        "2025-10-11",
        "2025-10-13",
        "2025-11-07",
    )
    # Several corrections: the last one counts.
    again = run(
        "--received", "2025-09-26", "--correction", "2025-09-28:2025-10-09", "--correction", "2025-10-10:2025-10-11",
        "--json", database_url=no_db,
    )  # fmt: skip
    assert json.loads(again.stdout)["due"] == "2025-11-07"


def test_an_open_correction_or_consultation_pauses(no_db: str) -> None:
    waiting = run("--received", "2025-09-26", "--correction", "2025-09-28:", database_url=no_db)
    assert waiting.returncode == 0 and "答复期限：暂停计算" in waiting.stdout
    assert "尚未收到补正后的申请，期限暂停计算" in waiting.stdout
    paused = json.loads(
        run(
            "--received", "2019-09-27", "--third-party", "2019-10-08:2019-10-10", "--json", database_url=no_db
        ).stdout
    )
    assert paused["due"] == "2019-11-04"  # three working days of consultation not counted (10-30 without)
    assert any(
        "征求第三方意见：2019-10-08 至 2019-10-10，其间 3 个工作日不计入期限" in n for n in paused["notes"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--correction", "2025-09-28"), "时段无效"),
        (("--correction", "2025-10-11:2025-09-28"), "结束日期早于开始日期"),
        (("--third-party", "2025-13-01:"), "日期无效"),
        (("--correction", "2025-09-20:2025-10-11"), "暂停开始日期 2025-09-20 早于收到申请日期 2025-09-26"),
    ],
)
def test_bad_spans_say_what_is_wrong(args: tuple[str, ...], message: str, no_db: str) -> None:
    result = run("--received", "2025-09-26", *args, database_url=no_db)
    assert result.returncode == 2 and message in result.stderr
