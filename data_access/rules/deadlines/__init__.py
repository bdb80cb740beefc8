"""Reply deadlines of disclosure requests (依申请公开), as pure functions that explain themselves.

- Received before 2019-05-15: the 2008 条例, 15 working days, extendable by at most 15.
  Received from 2019-05-15: the 2019 修订条例, 20 working days, extendable by at most 20.
- The day of receipt (当面: handed in; 信函: signed for; 网络: the system receives it;
  传真: both sides confirm — the caller passes that date) is not counted: day 1 is the
  next working day.
- A correction request (补正, pause kind 'correction') restarts the clock from the day
  the corrected application arrives (the pause's end date; the latest correction
  counts). Without an end date the clock is stopped: status 等待补正.
- Third-party consultation (kind 'third_party', start..end inclusive) is not counted;
  an open consultation stops the clock.
- An approved extension adds its days (at most 15 / 20; an approval without a
  number of days means the maximum). `extended_due` is always worked out (with the
  approved days, else the maximum) so the page can show how far the date could go.

Nothing here stores a due date: every date comes from the calendar passed in, so a
change of the calendar changes every open request's due date at once.

- `statute`: the rules, the channels, the clock and its pauses, extensions;
- `explained`: `compute_deadline`, the day-by-day working-out behind a `Deadline`;
- `status`: `request_status`, where a request stands on a day;
- `fast`: the same answers without the explanation, for statistics and long lists.

Callers import from this package; its names are listed in `__all__`.
"""

from data_access.rules.deadlines.explained import (
    THIRD_PARTY_REASON,
    Deadline,
    SkippedDay,
    compute_deadline,
    deadline_for_request,
)
from data_access.rules.deadlines.fast import effective_due, paused_effective_due, paused_status, plain_status
from data_access.rules.deadlines.status import DUE_SOON_WORKDAYS, STATUS_LABELS, RequestStatus, request_status
from data_access.rules.deadlines.statute import (
    CHANNEL_RECEIPT,
    RULE_2008,
    RULE_2019,
    RULE_2019_START,
    DeadlineError,
    Pause,
    RuleSet,
    rule_for,
)

__all__ = [
    "CHANNEL_RECEIPT",
    "DUE_SOON_WORKDAYS",
    "RULE_2008",
    "RULE_2019",
    "RULE_2019_START",
    "STATUS_LABELS",
    "THIRD_PARTY_REASON",
    "Deadline",
    "DeadlineError",
    "Pause",
    "RequestStatus",
    "RuleSet",
    "SkippedDay",
    "compute_deadline",
    "deadline_for_request",
    "effective_due",
    "paused_effective_due",
    "paused_status",
    "plain_status",
    "request_status",
    "rule_for",
]
