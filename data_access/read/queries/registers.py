"""Proactive publications per register (政府网站, 政务新媒体, …) and the de-duplicated total.

An item listed in two registers is one item published in two places: it counts once in the total
(one `publication` row) and once in each register that lists it (`publication_listing`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.rules.vocab import PUBLICATION_REGISTERS
from data_access.store import tally
from data_access.store.models import Publication, PublicationListing, PublicationRegister


@dataclass(frozen=True)
class RegisterCounts:
    """Items per register (every register the office keeps, in order) and the items counted once."""

    by_register: tuple[tuple[str, int], ...]
    total: int

    @property
    def listed(self) -> int:
        """The sum over the registers (an item in two registers counted twice)."""
        return sum(n for _name, n in self.by_register)

    def get(self, register: str) -> int:
        """One register's count (0 when it lists nothing)."""
        return dict(self.by_register).get(register, 0)


def counts(session: Session, unit_ids: Sequence[int], first_ym: int, last_ym: int) -> RegisterCounts:
    """Proactively published items of the units published in the months first_ym..last_ym (YYYYMM)."""
    where = (
        Publication.unit_id.in_(list(unit_ids)),
        Publication.attribute == "proactive",
        Publication.published_ym.between(first_ym, last_ym),
    )
    # Counted once: the running counts of proactive items by publication month (data_access.store.tally).
    total = sum(tally.sums(session, list(unit_ids), ("pc",), ("proactive",), first_ym, last_ym).values())
    per = dict(
        session.execute(
            select(PublicationListing.register, func.count())
            .join(Publication, Publication.id == PublicationListing.publication_id)
            .where(*where)
            .group_by(PublicationListing.register)
        ).all()
    )
    order = list(
        session.scalars(
            select(PublicationRegister.name).order_by(PublicationRegister.sort_order, PublicationRegister.id)
        )
    ) or list(PUBLICATION_REGISTERS)
    order += sorted(set(per) - set(order))
    return RegisterCounts(tuple((name, int(per.get(name, 0))) for name in order), int(total))


def year_counts(session: Session, unit_ids: Sequence[int], year: int) -> RegisterCounts:
    """The year's items per register and counted once."""
    return counts(session, unit_ids, year * 100 + 1, year * 100 + 12)
