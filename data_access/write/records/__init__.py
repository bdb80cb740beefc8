"""逐条登记: register one record at a time through a form, with the importer's rules and trail.

Public API (what dashboard/writes/records.py and dashboard/reads/records.py call):
- validators (pure): `validate_new_request`, `validate_progress`, `validate_appeal`,
  `validate_interpretation`, `validate_hotline`, `validate_board_update`, `validate_delivery`
  — each raises `RecordError` whose `.problems` name their field in Chinese;
- saves (take the caller's write session and the logged-in Principal): `register_request`,
  `update_request`, `add_appeal`, `add_interpretation`, `add_hotline`, `add_board_update`,
  `save_delivery`, `save_annual_figures` (年报表二, module `annual`) → `Saved` (undone, like uploads, by `data_access.write.undo.undo`);
  the two that change an existing row take the `Stamp` the form loaded and raise
  `StaleRecord` (a RecordError: "该记录已被他人修改，请刷新后重试") when it is no longer current;
- 更正 / 撤回 / 恢复 of a published item (module `publications`): `correct_publication`,
  `withdraw_publication`, `restore_publication` (admins) take the item's loaded `Stamp` → `Changed`
  (not undone by undo: a correction is corrected again, a withdrawal restored); reads
  `find_publications`, `find_publication`, `publication_history`;
- reads: `units_in_scope`, `list_requests` (each RequestRow with its stamp), `find_delivery`,
  `delivery_key`, `deadline_preview`, `board_names`, `next_request_no`, `entered_items` (年报表二).
"""

from data_access.write.records.annual import AnnualFormItem, entered_items, save_annual_figures
from data_access.write.records.batches import Saved, Stamp, stamp_of
from data_access.write.records.publications import (
    CORRECTABLE,
    Changed,
    HistoryEntry,
    PublicationItem,
    Withdrawal,
    correct_publication,
    field_of,
    find_publication,
    find_publications,
    publication_history,
    restore_publication,
    withdraw_publication,
)
from data_access.write.records.reads import (
    RequestRow,
    board_names,
    deadline_preview,
    list_requests,
    next_request_no,
    units_in_scope,
)
from data_access.write.records.store import (
    APPEAL_NAMES,
    SIMPLE_KINDS,
    DeliveryRow,
    add_appeal,
    add_board_update,
    add_hotline,
    add_interpretation,
    find_delivery,
    latest_pauses,
    register_request,
    save_delivery,
    unit_in_scope,
    update_request,
)
from data_access.write.records.validate import (
    PAUSE_KINDS,
    STALE_MESSAGE,
    Problem,
    RecordError,
    StaleRecord,
    delivery_key,
    plan_pause,
    validate_appeal,
    validate_board_update,
    validate_delivery,
    validate_hotline,
    validate_interpretation,
    validate_new_request,
    validate_progress,
)

__all__ = [
    "CORRECTABLE",
    "Changed",
    "HistoryEntry",
    "PublicationItem",
    "Withdrawal",
    "correct_publication",
    "field_of",
    "find_publication",
    "find_publications",
    "publication_history",
    "restore_publication",
    "withdraw_publication",
    "AnnualFormItem",
    "APPEAL_NAMES",
    "PAUSE_KINDS",
    "SIMPLE_KINDS",
    "STALE_MESSAGE",
    "DeliveryRow",
    "Problem",
    "RecordError",
    "RequestRow",
    "Saved",
    "StaleRecord",
    "Stamp",
    "add_appeal",
    "add_board_update",
    "add_hotline",
    "add_interpretation",
    "board_names",
    "deadline_preview",
    "delivery_key",
    "entered_items",
    "find_delivery",
    "latest_pauses",
    "list_requests",
    "next_request_no",
    "plan_pause",
    "register_request",
    "save_annual_figures",
    "save_delivery",
    "stamp_of",
    "unit_in_scope",
    "units_in_scope",
    "update_request",
    "validate_appeal",
    "validate_board_update",
    "validate_delivery",
    "validate_hotline",
    "validate_interpretation",
    "validate_new_request",
    "validate_progress",
]
