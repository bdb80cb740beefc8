"""Proactive publications per register (政府网站, 政务新媒体, …) and the de-duplicated total.

An item listed in two registers is one item published in two places: it counts once in the total
(one `publication` row) and once in each register that lists it (`publication_listing`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.vocab import PUBLICATION_REGISTERS
from data_access.store import tally
from data_access.store.id_lists import among
from data_access.store.models import PublicationRegister, UploadBatch


@dataclass(frozen=True)
class RegisterCounts:
    """Items per register (every register the office keeps, in order) and the items counted once."""

    by_register: tuple[tuple[str, int], ...]
    total: int
    # The registers entered for the months: an upload in force lists items in them (an upload of a
    # month with nothing to list included) or they count items. Any other register is 未登记 — its
    # 0 is not known to be a zero (data_access.rules.entered's rule, for registers).
    entered: frozenset[str] = frozenset()

    @property
    def listed(self) -> int:
        """The sum over the registers (an item in two registers counted twice)."""
        return sum(n for _name, n in self.by_register)

    def get(self, register: str) -> int:
        """One register's count (0 when it lists nothing)."""
        return dict(self.by_register).get(register, 0)

    def shown(self) -> tuple[tuple[str, int | None], ...]:
        """Each register's count, None (未登记) for a register not entered for the months."""
        return tuple((name, n if n or name in self.entered else None) for name, n in self.by_register)


def counts(session: Session, unit_ids: Sequence[int], first_ym: int, last_ym: int) -> RegisterCounts:
    """Proactively published items of the units published in the months first_ym..last_ym (YYYYMM)."""
    # Both from the running counts (data_access.store.tally): items once by publication month ('pc')
    # and listings per register ('pr').
    found = tally.sums(session, list(unit_ids), ("pc", "pr"), ("proactive",), first_ym, last_ym)
    total = sum(tally.of_dim(found, "pc").values())
    per = tally.of_dim(found, "pr")
    order = list(
        session.scalars(
            select(PublicationRegister.name).order_by(PublicationRegister.sort_order, PublicationRegister.id)
        )
    ) or list(PUBLICATION_REGISTERS)
    order += sorted(set(per) - set(order))
    months = (f"{first_ym // 100:04d}-{first_ym % 100:02d}", f"{last_ym // 100:04d}-{last_ym % 100:02d}")
    uploaded = session.scalars(
        select(UploadBatch.register)
        .distinct()
        .where(
            among(UploadBatch.unit_id, list(unit_ids)),
            UploadBatch.kind == "publications",
            UploadBatch.status == "active",
            UploadBatch.period_key.between(*months),
        )
    )
    entered = frozenset(uploaded) | {name for name, n in per.items() if n}
    return RegisterCounts(tuple((name, int(per.get(name, 0))) for name in order), int(total), entered)


def year_counts(session: Session, unit_ids: Sequence[int], year: int) -> RegisterCounts:
    """The year's items per register and counted once."""
    return counts(session, unit_ids, year * 100 + 1, year * 100 + 12)
