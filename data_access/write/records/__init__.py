"""逐条登记: register one record at a time through a form, with the importer's rules and trail.

Public API (what dashboard/actions_records.py and dashboard/resources_records.py call):
- validators (pure): `validate_new_request`, `validate_progress`, `validate_appeal`,
  `validate_interpretation`, `validate_hotline`, `validate_board_update`, `validate_delivery`
  — each raises `RecordError` whose `.problems` name their field in Chinese;
- saves (take the caller's write session and the logged-in Principal): `register_request`,
  `update_request`, `add_appeal`, `add_interpretation`, `add_hotline`, `add_board_update`,
  `save_delivery` → `Saved`; `undo_entry` for interpretations and hotline duties;
- reads: `units_in_scope`, `list_requests`, `deadline_preview`, `board_names`.
"""

from data_access.write.records.reads import (
    RequestRow,
    board_names,
    deadline_preview,
    list_requests,
    units_in_scope,
)
from data_access.write.records.store import (
    APPEAL_NAMES,
    SIMPLE_KINDS,
    Saved,
    add_appeal,
    add_board_update,
    add_hotline,
    add_interpretation,
    latest_pauses,
    register_request,
    save_delivery,
    unit_in_scope,
    update_request,
)
from data_access.write.records.undo import batch_kind_in_scope, undo_entry
from data_access.write.records.validate import (
    PAUSE_KINDS,
    Problem,
    RecordError,
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
    "APPEAL_NAMES",
    "PAUSE_KINDS",
    "SIMPLE_KINDS",
    "Problem",
    "RecordError",
    "RequestRow",
    "Saved",
    "add_appeal",
    "add_board_update",
    "add_hotline",
    "add_interpretation",
    "batch_kind_in_scope",
    "board_names",
    "deadline_preview",
    "latest_pauses",
    "list_requests",
    "plan_pause",
    "register_request",
    "save_delivery",
    "undo_entry",
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
