"""The monthly spreadsheet import: read → preview → commit → history → undo.

Public API (what the upload page and the command line call):
- `preview(engine, data, kind, unit_code=None, period=None, file_name="") -> Preview`
- `commit(engine, principal, data, kind, unit_code=None, period=None, file_name="") -> ImportResult`
  (PermissionDenied unless the principal may upload to that unit); publications also take
  `register` and `cross_period` (importing.registers; `register_names(session)` lists the registers)
- `history(engine, unit_code=None, kind=None, limit=200) -> list[BatchInfo]`
- undo: `data_access.write.undo.undo(engine, principal, batch_id)` (raises UndoRefused), for
  uploads and forms alike
- `issues_workbook(data, issues) -> bytes` (the report with bad cells highlighted)
- `template(kind) -> bytes` (a blank template with its 填表说明 sheet);
  `unit_template(session, kind, unit_code, year)` with the unit's catalogue of the year
Kinds: publications, projects, requests, boards, deliveries (`KINDS`).
"""

from data_access.write.importing.batches import BatchInfo, UndoRefused, history
from data_access.write.importing.issues import ERROR, INFO, WARNING, Issue
from data_access.write.importing.issues import LEVEL_NAMES as LEVEL_NAMES_CN
from data_access.write.importing.kinds import KINDS, SPECS
from data_access.write.importing.pipeline import ImportResult, Preview, UsageError, commit, preview
from data_access.write.importing.registers import CHOICES as CROSS_PERIOD_CHOICES
from data_access.write.importing.registers import CrossPeriod
from data_access.write.importing.registers import names as register_names
from data_access.write.importing.report import issues_workbook
from data_access.write.importing.templates import template, unit_template

__all__ = [
    "ERROR",
    "INFO",
    "KINDS",
    "LEVEL_NAMES_CN",
    "SPECS",
    "WARNING",
    "CROSS_PERIOD_CHOICES",
    "BatchInfo",
    "CrossPeriod",
    "ImportResult",
    "Issue",
    "Preview",
    "UndoRefused",
    "UsageError",
    "commit",
    "history",
    "issues_workbook",
    "preview",
    "register_names",
    "template",
    "unit_template",
]
