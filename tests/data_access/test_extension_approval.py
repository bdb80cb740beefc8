"""The extension's approval date (延期批准日期) in the deadline rules: an extension approved within the
time limit moves the due date, one approved after it does not (条例第三十三条), one dated before the
request is impossible; the command line takes the date with --extended-on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from data_access.rules.deadlines import DeadlineError, compute_deadline
from data_access.rules.deadlines.statute import extension_counts
from tests.helpers.cli import run_cli

D = dt.date
RECEIVED = D(2025, 9, 26)  # due 2025-10-30; with 20 more working days 2025-11-27


@pytest.mark.parametrize(
    ("approved", "on", "due", "counts", "note"),
    [
        (False, None, D(2025, 10, 30), False, False),
        (True, None, D(2025, 10, 30), True, False),  # no date recorded: the extension counts
        (True, D(2025, 10, 20), D(2025, 10, 30), True, False),
        (True, D(2025, 10, 30), D(2025, 10, 30), True, False),  # on the due date itself
        (True, D(2025, 10, 31), D(2025, 10, 30), False, True),  # a day late: the original date binds
        (True, D(2025, 10, 31), None, True, False),  # the clock is stopped: no due date to be late for
        (False, D(2025, 10, 31), D(2025, 10, 30), False, False),  # a date without an approval changes nothing
    ],
)
def test_extension_counts(
    approved: bool, on: dt.date | None, due: dt.date | None, counts: bool, note: bool
) -> None:
    result, notes = extension_counts(approved, on, RECEIVED, due)
    assert result is counts
    assert bool(notes) is note
    if note:
        assert notes == [
            f"延期批准日期 {on} 晚于答复期限 {due}：延期应在答复期限内批准并告知申请人，按原答复期限计算"
        ]


def test_an_approval_before_the_request_is_refused() -> None:
    with pytest.raises(DeadlineError, match="延期批准日期 2025-09-20 早于收到申请日期 2025-09-26"):
        compute_deadline(RECEIVED, extension_approved=True, extension_approved_on=D(2025, 9, 20))


@pytest.mark.parametrize(
    ("on", "days", "effective"),
    [
        (D(2025, 10, 20), 20, D(2025, 11, 27)),
        (D(2025, 10, 20), 5, D(2025, 11, 6)),
        (D(2025, 11, 3), 20, D(2025, 10, 30)),
    ],
)
def test_the_due_date_with_an_approval_date(on: dt.date, days: int, effective: dt.date) -> None:
    deadline = compute_deadline(
        RECEIVED, extension_approved=True, extension_days=days, extension_approved_on=on
    )
    assert deadline.effective_due == effective
    assert deadline.to_dict()["extension_approved_on"] == on.isoformat()


def test_the_command_line_takes_the_approval_date(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'absent.sqlite3'}"}
    late = run_cli("deadline", "--received", "2025-09-26", "--extended-on", "2025-11-03", "--json", env=env)
    assert late.returncode == 0, late.stderr
    data = json.loads(late.stdout)
    assert (data["extension_approved"], data["effective_due"], data["extension_approved_on"]) == (
        False,
        "2025-10-30",
        "2025-11-03",
    )
    assert any("晚于答复期限 2025-10-30" in w for w in data["warnings"])
    ok = run_cli("deadline", "--received", "2025-09-26", "--extended-on", "2025-10-20", env=env)
    assert "已批准延长，延长后期限：2025-11-27" in ok.stdout
    assert "已批准延长 20 个工作日（2025-10-20 批准）" in ok.stdout
    bad = run_cli("deadline", "--received", "2025-09-26", "--extended-on", "2025-09-01", env=env)
    assert bad.returncode == 2 and "延期批准日期 2025-09-01 早于收到申请日期 2025-09-26" in bad.stderr
