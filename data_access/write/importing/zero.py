"""An upload with the header and no data rows: the office's 零报告 for the period, never a refusal.

Never a guessed zero (data_access.rules.entered): a figure of ENTRY_KINDS is 未录入 until records or
a 零报告 enter it. A template sent back with its header and no data rows is the office saying
"nothing of this kind this period", so for the import kinds that feed an ENTRY_KINDS figure
(`ZERO_KINDS`) the upload is accepted, its preview says so (`preview_issue`), and its commit
(`file`) files the 零报告 through data_access.write.balances.record_zero_report — the write the
逐条登记 page uses, with its permission ("edit_records") and audit entry — logged in the batch's
change log, so undoing the upload removes the 零报告 it filed. Like any upload it also replaces the
rows the unit had for the same period (an empty publications month leaves the month with 0 items).

A 零报告 is per year: a monthly kind's empty month files its year's 零报告 unless the year already
has records of the kind (they are then the figure). The yearly 依申请公开 sheet needs none: an active
sheet for the year is itself what enters 行政复议、行政诉讼 and 申诉举报
(rules.entered.REQUEST_SHEET_KINDS). The other kinds (公开栏) have no 零报告 and are refused,
naming the file and sheet.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.read.entries import entered_kinds
from data_access.rules import entered as rule
from data_access.rules.permissions import Principal
from data_access.store.models import ZeroReport
from data_access.write import balances
from data_access.write.importing.changelog import ChangeLog
from data_access.write.importing.issues import ERROR, INFO, WARNING, Issue
from data_access.write.importing.kinds import SPECS
from data_access.write.importing.tables import Table

# Import kind → the ENTRY_KINDS an empty upload of it reports as 0.
ZERO_KINDS: Mapping[str, tuple[str, ...]] = {
    "publications": ("topics",),
    "projects": ("projects",),
    "deliveries": ("deliveries",),
    "requests": tuple(k for k in rule.ENTRY_KINDS if k in rule.REQUEST_SHEET_KINDS),
    "appeals": ("appeals",),
    "complaints": ("complaints",),
}
# Import kinds whose active yearly sheet itself enters its ENTRY_KINDS (nothing to file).
SHEET_ENTERS = frozenset({"requests"})
# What the period has 0 of, as the preview says it.
_WHAT = {
    "publications": "主动公开信息（含重点领域信息）",
    "projects": "重点项目",
    "deliveries": "送交两馆",
    "requests": "依申请公开申请及行政复议、行政诉讼、申诉举报",
    "appeals": "行政复议、行政诉讼",
    "complaints": "申诉举报",
}


def labels(kind: str) -> str:
    """The ENTRY_KINDS an empty upload of `kind` reports as 0, in Chinese (重点领域信息、…)."""
    return "、".join(rule.ENTRY_KINDS[k] for k in ZERO_KINDS[kind])


def _when(kind: str, period: str) -> str:
    if SPECS[kind].period == "month":
        return f"本月（{period[:4]} 年 {int(period[5:])} 月）"
    return f"本年（{period} 年）"


def refusal(table: Table, kind: str, file_name: str, period: str) -> Issue | None:
    """The error for a table with no data rows, or None when it is a 零报告 to accept."""
    where = (f"文件「{file_name}」的" if file_name else "") + f"工作表「{table.sheet.name}」没有数据行"
    if kind not in ZERO_KINDS:
        return table.issue(ERROR, f"{where}：{SPECS[kind].title}没有零报告，请至少填写一行数据后再上传")
    if not period:
        return table.issue(ERROR, f"{where}：登记零报告须指定所属年份（YYYY，如 2020），本次未导入")
    return None


def preview_issue(table: Table, kind: str, period: str) -> Issue:
    """What the preview says about an accepted empty upload: committing it files a 零报告."""
    year = period[:4]
    text = f"本表没有数据行：确认导入即登记为{_when(kind, period)}零报告——{_WHAT[kind]}本期为 0，而不是未录入"
    if SPECS[kind].period == "month":
        text += f"（零报告按年登记在 {year} 年；该年已有{labels(kind)}记录的，以记录为准）"
    return table.issue(WARNING, text)


def file(
    session: Session,
    principal: Principal,
    kind: str,
    unit_code: str,
    unit_id: int,
    period: str,
    log: ChangeLog,
) -> list[Issue]:
    """File the 零报告 of an empty upload (after its rows are stored), each logged for undo.

    Returns what was done, one INFO issue per ENTRY_KINDS figure."""
    year = int(period[:4])
    source = f"上传（第 {log.batch_id} 批）"
    if kind in SHEET_ENTERS:
        text = (
            f"已按零报告导入 {year} 年{SPECS[kind].title}（无数据行）：{labels(kind)}本年为 0，而不是未录入"
        )
        return [Issue(INFO, text)]
    done = []
    for entry in ZERO_KINDS[kind]:
        label = rule.ENTRY_KINDS[entry]
        if entry in entered_kinds(session, [unit_id], year, year) and not _filed(
            session, unit_id, entry, year
        ):
            done.append(Issue(INFO, f"{year} 年已有{label}记录，以记录为准，未另登记零报告"))
        elif balances.record_zero_report(session, unit_code, entry, year, actor=principal, source=source):
            row_id = _filed(session, unit_id, entry, year)
            assert row_id is not None  # just filed in this transaction
            log.add("zero_report", row_id, "insert")
            done.append(Issue(INFO, f"已登记 {year} 年零报告：{label}本年为 0"))
        else:
            done.append(Issue(INFO, f"{year} 年{label}的零报告此前已登记"))
    return done


def _filed(session: Session, unit_id: int, kind: str, year: int) -> int | None:
    return session.scalar(
        select(ZeroReport.id).where(
            ZeroReport.unit_id == unit_id, ZeroReport.kind == kind, ZeroReport.year == year
        )
    )
