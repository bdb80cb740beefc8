"""The reminders `python -m data_access remind` sent or tried to send: one row per item, day,
recipient and channel, so a second run the same day sends nothing twice and a failed delivery is
tried again on the next run (data_access.write.reminders)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.store.models.base import Base, in_sql

REMINDER_STATUSES = ("sending", "sent", "failed")


class ReminderSent(Base):
    """One item reminded to one recipient over one channel on one day.

    `item_key` names the item (e.g. request:12, delivery:3:201810:archive); `recipient` is the
    username; `channel` is 'email' or 'webhook:' and a digest of the webhook's URL. `status`:
    sending (claimed by a run that has not finished), sent, failed (tried again by the next run);
    `attempts` counts the tries and `last_error` says why the last one failed."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("item_key", "day", "recipient", "channel"),
        CheckConstraint(in_sql("status", REMINDER_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    recipient: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
