"""An item's life after it was published: 更正 (corrections) and 撤回 (withdrawals).

Both are keyed by the item's identity — its unit and 索引号 — not by the register row, so an
upload that rewrites or re-adds the row never loses them (an upload can never un-withdraw an
item). Neither moves the item: it stays counted in the period it was published (statistics,
reports and the running counts do not read these tables); only the public read path (the lobby
screen) and the register's marker do.

- `publication_withdrawal`: the items withdrawn now (one row per unit and 索引号; 恢复 deletes it);
- `publication_correction`: every 更正, 撤回 and 恢复 ever recorded, append-only: the history.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.store.models.base import Base, in_sql

CORRECTION_ACTIONS: tuple[str, ...] = ("correct", "withdraw", "restore")


class PublicationWithdrawal(Base):
    """An item withdrawn (撤回) from its `withdrawn_date` on: never on the screen or the public read path."""

    __tablename__ = "publication_withdrawal"
    __table_args__ = (UniqueConstraint("unit_id", "index_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    index_no: Mapped[str] = mapped_column(String(60))
    withdrawn_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PublicationCorrection(Base):
    """One 更正 (with each changed field's old and new value), 撤回 or 恢复 of an item."""

    __tablename__ = "publication_correction"
    __table_args__ = (
        CheckConstraint(in_sql("action", CORRECTION_ACTIONS), name="action"),
        Index("ix_publication_correction_item", "unit_id", "index_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    index_no: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    # The correction's, withdrawal's or restoration's own date (as the clerk gives it).
    action_date: Mapped[dt.date] = mapped_column(Date)
    # A correction's changes as JSON: {"title": ["old", "new"], …}; NULL for 撤回 and 恢复.
    changes: Mapped[str | None] = mapped_column(Text)
    # A correction's optional note, a withdrawal's (required) reason, a restoration's reason.
    note: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
