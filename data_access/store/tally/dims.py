"""What the running counts count: each source row's contribution to each dim, as SQL expressions.

One row per (unit, dim, attribute, month YYYYMM, item) holds how many live rows fall in it:

  dim  source               attribute              month of         item
  pc   publication          disclosure attribute   published_ym     category_root_id
  pt   publication          disclosure attribute   published_ym     topic_id ('' = none)
  ph   publication          disclosure attribute   published_ym     channel
  pf   publication          disclosure attribute   published_ym     full text '1' / '0'
  pl   publication          disclosure attribute   published_ym     category|on time '1' / late '0' /
                                                                     not judged 'x' / no due date '?'
  rr   disclosure_request   ''                     received_date    channel
  ra   disclosure_request   ''                     reply_date       outcome group ('予以公开', '无法提供', …)
  rt   disclosure_request   ''                     reply_date       answered on time '1' / late '0' / no
                                                                     deadline (unknown channel) 'x' / days
                                                                     outside workday_count '?' — judged
                                                                     without its pauses (readers correct
                                                                     the few requests that have some)
  pp   project_progress     ''                     ym               ''
  pr   publication_listing  its item's attribute   its item's month  register (see `listings`)

and whole-year counts (month column YYYY00) for the figures "all years so far": yh (= ph),
yf (pf without the full-text split), yr (= rr), ya (= ra), yp (= pp). A city's cumulative
figure then reads ten rows a year instead of 120 a year per item. Publications without a publication
date and unanswered requests count only where their month exists.

`contributions(dialect)` gives, per source table, the expressions over a row alias `{r}`;
the triggers, the rebuild and the bulk recounts (sibling modules) all write from them, and
`request_limit` / `answered_flag` let readers correct the counts with exactly what was counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from data_access.rules.deadlines import CHANNEL_RECEIPT, RULE_2008, RULE_2019, RULE_2019_START

TABLE = "stat_tally"
# PostgreSQL's row triggers append here; one deferred trigger folds it into TABLE at commit (triggers).
DELTA = "stat_tally_delta"
KEY = ("unit_id", "dim", "attribute", "ym", "item")
SOURCES = ("publication", "disclosure_request", "project_progress")


@dataclass(frozen=True)
class Contribution:
    """How one source row adds to one dim: expressions over the row alias `{r}`."""

    dim: str
    attribute: str
    ym: str
    item: str
    condition: str
    columns: tuple[str, ...]


def as_text(expr: str, dialect: str) -> str:
    kind = {"sqlite": "TEXT", "postgresql": "VARCHAR"}.get(dialect, "CHAR")
    return f"CAST({expr} AS {kind})"


def _ym(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(strftime('%Y%m', {{r}}.{column}) AS INTEGER)"
    if dialect == "postgresql":
        return (
            f"CAST(EXTRACT(YEAR FROM {{r}}.{column}) * 100 + EXTRACT(MONTH FROM {{r}}.{column}) AS INTEGER)"
        )
    return f"(YEAR({{r}}.{column}) * 100 + MONTH({{r}}.{column}))"


def _year(column: str, dialect: str) -> str:
    """YYYY00 of a date column: the 'month' of a whole-year count."""
    if dialect == "sqlite":
        return f"CAST(strftime('%Y', {{r}}.{column}) AS INTEGER) * 100"
    if dialect == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {{r}}.{column}) * 100 AS INTEGER)"
    return f"(YEAR({{r}}.{column}) * 100)"


def concat(parts: list[str], dialect: str) -> str:
    if dialect in ("mysql", "mariadb"):
        return f"CONCAT({', '.join(parts)})"
    return " || ".join(parts)


def _timely(dialect: str) -> str:
    """'category|flag' of a published item: on time '1', late '0', published before formed 'x'
    (not judged), formed outside the publication_due table '?' (its readers judge it in Python)."""
    judged = (
        "CASE WHEN {r}.published_date < {r}.formed_date THEN 'x' ELSE COALESCE("
        "(SELECT CASE WHEN {r}.published_date <= d.due THEN '1' ELSE '0' END "
        "FROM publication_due d WHERE d.day = {r}.formed_date), '?') END"
    )
    return concat([as_text("{r}.category_root_id", dialect), "'|'", judged], dialect)


def request_limit(alias: str | None = None) -> str:
    """The working days a request has (over the row alias `alias`, or '{r}'): the rule's limit by the day received, plus an approved
    extension (its days when between 1 and the rule's maximum, else the maximum) — as
    data_access.rules.deadlines.effective_due."""
    old = f"{{r}}.received_date < '{RULE_2019_START.isoformat()}'"
    most = f"CASE WHEN {old} THEN {RULE_2008.max_extension_days} ELSE {RULE_2019.max_extension_days} END"
    expr = (
        f"(CASE WHEN {old} THEN {RULE_2008.limit_days} ELSE {RULE_2019.limit_days} END + "
        f"CASE WHEN {{r}}.extension_approved THEN CASE WHEN {{r}}.extension_days > 0 AND "
        f"{{r}}.extension_days <= {most} THEN {{r}}.extension_days ELSE {most} END ELSE 0 END)"
    )
    return expr if alias is None else expr.replace("{r}", alias)


def _answered_in_time() -> str:
    """An answered request's flag: on time '1', late '0', unknown channel 'x' (no deadline can be
    worked out), received or replied outside the workday_count table '?'."""
    channels = ", ".join(f"'{c}'" for c in CHANNEL_RECEIPT)
    return (
        f"CASE WHEN {{r}}.channel IS NOT NULL AND {{r}}.channel NOT IN ({channels}) THEN 'x' ELSE COALESCE("
        f"(SELECT CASE WHEN b.before_n - a.through_n < {request_limit()} THEN '1' ELSE '0' END "
        "FROM workday_count a, workday_count b WHERE a.day = {r}.received_date AND b.day = {r}.reply_date), "
        "'?') END"
    )


def answered_flag(alias: str) -> str:
    """The 'rt' flag the running counts give an answered request (see _answered_in_time), as SQL over
    the row alias `alias`: readers correcting the counts subtract exactly what was counted."""
    return _answered_in_time().replace("{r}", alias)


def _group(column: str, dialect: str) -> str:
    """The 2021 outcome group: the text before the first '-' ('' when none)."""
    expr = f"COALESCE({{r}}.{column}, '')"
    if dialect == "sqlite":
        return (
            f"CASE WHEN instr({expr}, '-') > 0 THEN substr({expr}, 1, instr({expr}, '-') - 1) ELSE {expr} END"
        )
    if dialect == "postgresql":
        return f"split_part({expr}, '-', 1)"
    return f"SUBSTRING_INDEX({expr}, '-', 1)"


def contributions(dialect: str) -> dict[str, list[Contribution]]:
    """Per source table, what each row adds (see the module docstring)."""
    published = "{r}.published_ym IS NOT NULL"
    pub_cols = ("unit_id", "attribute", "published_ym")
    year_of_pub = "{r}.published_year * 100"
    return {
        "publication": [
            Contribution("pc", "{r}.attribute", "{r}.published_ym", as_text("{r}.category_root_id", dialect),
                         published, (*pub_cols, "category_root_id")),
            Contribution("pt", "{r}.attribute", "{r}.published_ym",
                         f"COALESCE({as_text('{r}.topic_id', dialect)}, '')", published, (*pub_cols, "topic_id")),
            Contribution("ph", "{r}.attribute", "{r}.published_ym", "{r}.channel", published,
                         (*pub_cols, "channel")),
            Contribution("pf", "{r}.attribute", "{r}.published_ym",
                         "CASE WHEN {r}.full_text THEN '1' ELSE '0' END", published, (*pub_cols, "full_text")),
            Contribution("yh", "{r}.attribute", year_of_pub, "{r}.channel", published,
                         (*pub_cols, "published_year", "channel")),
            Contribution("yf", "{r}.attribute", year_of_pub, "''", published, (*pub_cols, "published_year")),
            Contribution("pl", "{r}.attribute", "{r}.published_ym", _timely(dialect), published,
                         (*pub_cols, "category_root_id", "formed_date", "published_date")),
        ],
        "disclosure_request": [
            Contribution("rr", "''", _ym("received_date", dialect), "{r}.channel",
                         "{r}.received_date IS NOT NULL", ("unit_id", "received_date", "channel")),
            Contribution("ra", "''", _ym("reply_date", dialect), _group("outcome", dialect),
                         "{r}.reply_date IS NOT NULL", ("unit_id", "reply_date", "outcome")),
            Contribution("yr", "''", _year("received_date", dialect), "{r}.channel",
                         "{r}.received_date IS NOT NULL", ("unit_id", "received_date", "channel")),
            Contribution("ya", "''", _year("reply_date", dialect), _group("outcome", dialect),
                         "{r}.reply_date IS NOT NULL", ("unit_id", "reply_date", "outcome")),
            Contribution("rt", "''", _ym("reply_date", dialect), _answered_in_time(), "{r}.reply_date IS NOT NULL",
                         ("unit_id", "reply_date", "received_date", "channel", "extension_approved",
                          "extension_days")),
        ],
        "project_progress": [
            Contribution("pp", "''", "{r}.ym", "''", "{r}.ym IS NOT NULL", ("unit_id", "ym")),
            Contribution("yp", "''", "{r}.year * 100", "''", "{r}.ym IS NOT NULL", ("unit_id", "ym", "year")),
        ],
    }  # fmt: skip


def changed(dialect: str, columns: Sequence[str]) -> str:
    """An update trigger's condition: any of the columns differs between OLD and NEW (NULLs compared)."""
    if dialect == "sqlite":
        return " OR ".join(f"OLD.{col} IS NOT NEW.{col}" for col in columns)
    if dialect == "postgresql":
        return " OR ".join(f"OLD.{col} IS DISTINCT FROM NEW.{col}" for col in columns)
    return " OR ".join(f"NOT (OLD.{col} <=> NEW.{col})" for col in columns)


def drop_trigger(conn: Connection, name: str, table: str) -> None:
    """Drop one row trigger (and PostgreSQL's function of the same name), if it is there."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def item_expr(item: str, alias: str, dialect: str) -> str:
    """A contribution's item expression over the row alias `alias`."""
    expr = item.replace("{r}", alias)
    if dialect in ("mysql", "mariadb"):  # one collation for column values and casts alike
        return f"CONVERT({expr} USING utf8mb4) COLLATE utf8mb4_bin"
    return expr


def row_select(c: Contribution, alias: str, count: str, dialect: str) -> str:
    def x(expr: str) -> str:
        return expr.replace("{r}", alias)

    return (
        f"SELECT {alias}.unit_id AS unit_id, '{c.dim}' AS dim, {x(c.attribute)} AS attribute, "
        f"{x(c.ym)} AS ym, {item_expr(c.item, alias, dialect)} AS item, {count} AS n"
    )


def row_where(c: Contribution, alias: str) -> str:
    return c.condition.replace("{r}", alias)
