"""Running counts (`stat_tally`) that the statistics read instead of scanning millions of rows.

One row per (unit, dim, attribute, month YYYYMM, item) holds how many live rows fall in it;
the dims and what each counts are listed in `dims`, with whole-year counts (month YYYY00)
beside the monthly ones, so a city's cumulative figure reads ten rows a year instead of 120.

Database triggers keep it exact inside the writer's own transaction — uploads,
undo, the record forms, the seeds and anything else — so no writer has to remember it:
per-row triggers: one multi-row upsert per row on SQLite and MariaDB; on PostgreSQL (whose
updates leave row versions behind until commit) an append to a delta table, folded into
stat_tally by one deferred trigger at commit. Bulk loaders drop them and write the counts.
A count can drop to 0 and the row stays: readers sum `n`, or ask for `n > 0`.

- `dims`: what each source row contributes to each dim (SQL expressions, per dialect);
- `triggers`: the triggers that keep the counts (`install`, `uninstall`, `ddl`);
- `recounts`: recounting everything (`rebuild`: migration 0003, bulk loaders that drop the
  triggers for speed) or some dims (`recount`);
- `large_writes`: large writes that switch the triggers off and recount what they change;
- `reads`: the sums the statistics read;
- `listings`: dim 'pr', the listings per register, whose month is their item's;
- `pauses`: disclosure_request.paused, whether a request has pauses, kept by triggers on request_pause;
- `rollup`: the counts of all the units under a unit, summed ahead for a city's reads.

Callers use this package's names (`tally.install`, `tally.sums`, …), listed in `__all__`.
"""

from data_access.store.tally import listings, pauses, rollup
from data_access.store.tally.dims import (
    KEY,
    SOURCES,
    TABLE,
    Contribution,
    answered_flag,
    contributions,
    request_limit,
)
from data_access.store.tally.large_writes import BULK_ROWS, Counting, bulk
from data_access.store.tally.reads import ANY_ATTRIBUTE, detail, monthly, of_dim, rows_of, sums
from data_access.store.tally.recounts import rebuild, recount
from data_access.store.tally.triggers import DELTA, ddl, install, uninstall

__all__ = [
    "ANY_ATTRIBUTE",
    "BULK_ROWS",
    "Contribution",
    "Counting",
    "DELTA",
    "KEY",
    "SOURCES",
    "TABLE",
    "answered_flag",
    "bulk",
    "contributions",
    "ddl",
    "detail",
    "install",
    "listings",
    "monthly",
    "of_dim",
    "pauses",
    "rebuild",
    "recount",
    "request_limit",
    "rollup",
    "rows_of",
    "sums",
    "uninstall",
]
