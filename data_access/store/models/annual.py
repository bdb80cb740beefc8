"""Table 二 of the 2021 annual report as the office entered it: one row per (unit, year, item).

An item's row holds its figures (NULL: that figure not entered, printed 未录入) or, with
`not_applicable`, the office's explicit 不适用. No row at all: the item was not entered (未录入).
Rows come from the `annual-figures` import or the yearly form on the 逐条登记 page; both file
an UploadBatch (kind 'annual-figures', period 'YYYY') that undo takes back.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.rules.annual_figures import ITEM_KEYS
from data_access.store.models.base import Base, Money, in_sql


class AnnualFigure(Base):
    """One item of table 二 for a unit and year (data_access.rules.annual_figures.ITEMS)."""

    __tablename__ = "annual_figure"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "item"),
        CheckConstraint(in_sql("item", ITEM_KEYS), name="item"),
        CheckConstraint(
            "issued >= 0 AND abolished >= 0 AND in_force >= 0 AND decisions >= 0 AND fees >= 0",
            name="figures",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(20))
    issued: Mapped[int | None] = mapped_column(Integer)
    abolished: Mapped[int | None] = mapped_column(Integer)
    in_force: Mapped[int | None] = mapped_column(Integer)
    decisions: Mapped[int | None] = mapped_column(Integer)
    fees: Mapped[Decimal | None] = mapped_column(Money)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
