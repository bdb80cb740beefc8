"""The working-day calendar and the counts kept from it: the days an admin entered, each day's
publication due date and working-day count (kept by data_access.store.publication_due), the running
counts (data_access.store.tally) and the database's own small facts (app_meta)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data_access.store.models.base import Base


class WorkdayOverride(Base):
    """A day whose working status the office entered itself; wins over the library calendar."""

    __tablename__ = "workday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str | None] = mapped_column(String(60))


class PublicationDue(Base):
    """Each day's publication due date (the 20th working day after it) under the current calendar,
    kept by data_access.store.publication_due so the running counts can judge timeliness in SQL."""

    __tablename__ = "publication_due"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    due: Mapped[dt.date] = mapped_column(Date)


class WorkdayCount(Base):
    """For each day, how many working days lie between 1990-01-01 and it (before it / through it)
    under the current calendar, kept by data_access.store.publication_due: the n-th working day after a
    day, and so a request's on-time judgement, becomes arithmetic the database can do."""

    __tablename__ = "workday_count"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    before_n: Mapped[int] = mapped_column(Integer)
    through_n: Mapped[int] = mapped_column(Integer)


class _Counts:
    """The columns of a table of counts: a key (unit, dim, attribute, month YYYYMM, item) and n."""

    __table_args__ = {"sqlite_with_rowid": False}

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    dim: Mapped[str] = mapped_column(String(2), primary_key=True)
    attribute: Mapped[str] = mapped_column(String(20), primary_key=True)
    ym: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item: Mapped[str] = mapped_column(String(60), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class StatTally(_Counts, Base):
    """Running counts per unit, dim and month, kept exact by database triggers (data_access.store.tally)."""

    __tablename__ = "stat_tally"


class UnitAncestor(Base):
    """Each unit's ancestors (not itself), kept from org_unit by data_access.store.tally.rollup."""

    __tablename__ = "unit_ancestor"
    __table_args__ = {"sqlite_with_rowid": False}

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ancestor_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)


class StatRollup(_Counts, Base):
    """The running counts of every unit under a unit, summed ahead (data_access.store.tally.rollup)."""

    __tablename__ = "stat_rollup"


class AppMeta(Base):
    """Small key/value facts about the database, e.g. the data version caches key on."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
