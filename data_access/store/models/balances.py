"""What the office stated rather than recorded row by row: each unit's opening balance (历年累计
before its first recorded year) and its 零报告 (zero reports: "nothing of this kind this year").

Both decide what the figures print (data_access.rules.entered): an opening balance is added to
the 历年累计 of the unit and the units under it from `before_year` on; a zero report makes a kind
with no records an explicit 0 instead of 未录入.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.rules.entered import ENTRY_KINDS
from data_access.store.models.base import Base, in_sql


class OpeningBalance(Base):
    """A unit's 历年累计 before `before_year`, by the old-format 附表's rows (NULL: not given)."""

    __tablename__ = "opening_balance"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), unique=True)
    before_year: Mapped[int] = mapped_column(Integer)
    publications: Mapped[int] = mapped_column(Integer)
    publications_website: Mapped[int | None] = mapped_column(Integer)
    publications_gazette: Mapped[int | None] = mapped_column(Integer)
    requests: Mapped[int | None] = mapped_column(Integer)
    requests_in_person: Mapped[int | None] = mapped_column(Integer)
    requests_online: Mapped[int | None] = mapped_column(Integer)
    requests_letter: Mapped[int | None] = mapped_column(Integer)
    replied: Mapped[int | None] = mapped_column(Integer)
    replies_disclosed: Mapped[int | None] = mapped_column(Integer)
    replies_partial: Mapped[int | None] = mapped_column(Integer)
    replies_withheld: Mapped[int | None] = mapped_column(Integer)
    replies_other: Mapped[int | None] = mapped_column(Integer)
    complaints: Mapped[int | None] = mapped_column(Integer)
    reconsiderations: Mapped[int | None] = mapped_column(Integer)
    litigations: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ZeroReport(Base):
    """A 零报告: the unit had nothing of `kind` (data_access.rules.entered.ENTRY_KINDS) in `year`."""

    __tablename__ = "zero_report"
    __table_args__ = (
        UniqueConstraint("unit_id", "kind", "year"),
        CheckConstraint(in_sql("kind", tuple(ENTRY_KINDS)), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime)
