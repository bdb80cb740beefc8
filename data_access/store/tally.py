"""Running counts (`stat_tally`) that the statistics read instead of scanning millions of rows.

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

and whole-year counts (month column YYYY00) for the figures "all years so far": yh (= ph),
yf (pf without the full-text split), yr (= rr), ya (= ra), yp (= pp). A city's cumulative
figure then reads ten rows a year instead of 120 a year per item.

(publications without a publication date and unanswered requests count only where their
month exists). Database triggers keep it exact inside the writer's own transaction — uploads,
undo, the record forms, the seeds and anything else — so no writer has to remember it:
per-row triggers: one multi-row upsert per row on SQLite and MariaDB; on PostgreSQL (whose
updates leave row versions behind until commit) an append to a delta table, folded into
stat_tally by one deferred trigger at commit. Bulk loaders drop them and write the counts.
A count can drop to 0 and the row stays: readers sum `n`, or ask for `n > 0`.
`install` creates the triggers, `rebuild` recounts everything (used by migration 0003 and
by bulk loaders that drop the triggers for speed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from data_access.rules.deadlines import CHANNEL_RECEIPT, RULE_2008, RULE_2019, RULE_2019_START
from data_access.store.models import StatTally

TABLE = "stat_tally"
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


def _text(expr: str, dialect: str) -> str:
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


def _concat(parts: list[str], dialect: str) -> str:
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
    return _concat([_text("{r}.category_root_id", dialect), "'|'", judged], dialect)


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
            Contribution("pc", "{r}.attribute", "{r}.published_ym", _text("{r}.category_root_id", dialect),
                         published, (*pub_cols, "category_root_id")),
            Contribution("pt", "{r}.attribute", "{r}.published_ym",
                         f"COALESCE({_text('{r}.topic_id', dialect)}, '')", published, (*pub_cols, "topic_id")),
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


def _item(item: str, alias: str, dialect: str) -> str:
    """A contribution's item expression over the row alias `alias`."""
    expr = item.replace("{r}", alias)
    if dialect in ("mysql", "mariadb"):  # one collation for column values and casts alike
        return f"CONVERT({expr} USING utf8mb4) COLLATE utf8mb4_bin"
    return expr


def _select(c: Contribution, alias: str, count: str, dialect: str) -> str:
    def x(expr: str) -> str:
        return expr.replace("{r}", alias)

    return (
        f"SELECT {alias}.unit_id AS unit_id, '{c.dim}' AS dim, {x(c.attribute)} AS attribute, "
        f"{x(c.ym)} AS ym, {_item(c.item, alias, dialect)} AS item, {count} AS n"
    )


def _where(c: Contribution, alias: str) -> str:
    return c.condition.replace("{r}", alias)


# The order of the statistics index on publication (data_access.store.models): a recount that groups
# by a prefix of it reads the index in order and needs no sort (the outer sum merges the extra
# columns of the prefix).
_PUBLICATION_ORDER = ("unit_id", "published_year", "published_ym", "attribute", "category_root_id", "topic_id",
                      "channel", "full_text", "formed_date", "published_date")  # fmt: skip


def _recount_statement(source: str, c: Contribution, dialect: str) -> str:
    """INSERT of one contribution's counts over the whole source table, grouped by the raw columns
    the contribution reads (then summed per key: several column values can give one key)."""
    columns = list(c.columns)
    if source == "publication":  # the index's prefix up to the last column needed: read in order
        columns = list(_PUBLICATION_ORDER[: max(_PUBLICATION_ORDER.index(col) for col in columns) + 1])
    group = ", ".join(f"r.{col}" for col in columns)
    inner = f"{_select(c, 'r', 'count(*)', dialect)} FROM {source} r WHERE {_where(c, 'r')} GROUP BY {group}"
    return (
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT unit_id, dim, attribute, ym, item, sum(n) FROM ({inner}) x GROUP BY unit_id, dim, attribute, ym, item"
    )


# A publication row's 'pl' flag (as _timely), over the row `r` and its formed day's due date `d`
# (publication_due LEFT JOINed on d.day = r.formed_date, so the day is looked up once per row),
# counted side by side: n (all), n_early ('x'), n_unknown ('?'), n_on_time ('1'); late ('0') is
# the rest. Plain sums of cheap comparisons: no flag string is built per row.
_EARLY = "r.published_date < r.formed_date"
_TIMELY_SUMS = (
    f"count(*) AS n, sum(CASE WHEN {_EARLY} THEN 1 ELSE 0 END) AS n_early, "
    f"sum(CASE WHEN {_EARLY} THEN 0 WHEN d.day IS NULL THEN 1 ELSE 0 END) AS n_unknown, "
    f"sum(CASE WHEN {_EARLY} OR d.day IS NULL THEN 0 WHEN r.published_date <= d.due THEN 1 ELSE 0 END) AS n_on_time"
)
_TIMELY_COUNTS = ("n", "n_early", "n_unknown", "n_on_time")
_TIMELY_FLAGS = {"1": "a.n_on_time", "0": "a.n - a.n_on_time - a.n_early - a.n_unknown", "x": "a.n_early",
                 "?": "a.n_unknown"}  # fmt: skip
_PUBLICATION_WITH_DUE = "publication r LEFT JOIN publication_due d ON d.day = r.formed_date"


def _timely_insert(counted: str, dialect: str) -> str:
    """INSERT of 'pl' rows from `counted`: a query giving unit_id, attribute, ym, category_root_id
    and the _TIMELY_COUNTS side by side; each flag counted > 0 becomes one row (item 'category|flag')."""
    flags = " UNION ALL ".join(
        f"SELECT '{f}' AS flag" if i == 0 else f"SELECT '{f}'" for i, f in enumerate(_TIMELY_FLAGS)
    )
    n = "CASE f.flag " + " ".join(f"WHEN '{f}' THEN {count}" for f, count in _TIMELY_FLAGS.items()) + " END"
    item = _concat([_text("{r}.category_root_id", dialect), "'|'", "f.flag"], dialect)
    return (
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT unit_id, dim, attribute, ym, item, sum(n) FROM ("
        f"SELECT a.unit_id AS unit_id, 'pl' AS dim, a.attribute AS attribute, a.ym AS ym, "
        f"{_item(item, 'a', dialect)} AS item, {n} AS n FROM ({counted}) a CROSS JOIN ({flags}) f"
        f") x WHERE n > 0 GROUP BY unit_id, dim, attribute, ym, item"
    )


def _timely_recount_statement(dialect: str) -> str:
    """INSERT of the 'pl' counts over the whole publication table in one ordered pass over the
    statistics index: the four flags counted side by side per unit, month, attribute and category
    (no sort of millions of per-day groups), then spread to one row per flag."""
    group = ", ".join(
        f"r.{col}" for col in _PUBLICATION_ORDER[: _PUBLICATION_ORDER.index("category_root_id") + 1]
    )
    counted = (
        f"SELECT r.unit_id AS unit_id, r.attribute AS attribute, r.published_ym AS ym, "
        f"r.category_root_id AS category_root_id, {_TIMELY_SUMS} "
        f"FROM {_PUBLICATION_WITH_DUE} WHERE r.published_ym IS NOT NULL GROUP BY {group}"
    )
    return _timely_insert(counted, dialect)


def _recount(conn: Connection, source: str, c: Contribution) -> None:
    dialect = conn.dialect.name
    if c.dim == "pl":
        conn.exec_driver_sql(_timely_recount_statement(dialect))
    else:
        conn.exec_driver_sql(_recount_statement(source, c, dialect))


_GROUPS = "tally_rebuild_groups"


def _drop_groups(conn: Connection) -> None:
    # MariaDB: a plain DROP TABLE commits the transaction; a temporary one outlives a rollback.
    temporary = "TEMPORARY " if conn.dialect.name in ("mysql", "mariadb") else ""
    conn.exec_driver_sql(f"DROP {temporary}TABLE IF EXISTS {_GROUPS}")


def _rebuild_publication(conn: Connection) -> None:
    """Every publication dim from one ordered pass over the statistics index: the rows are grouped
    once by every column any dim reads (≈ 6 publications a group at city scale), with the 'pl'
    flags counted alongside, into a temporary table; each dim is then summed from those groups."""
    dialect = conn.dialect.name
    wanted = contributions(dialect)["publication"]
    assert len({c.condition for c in wanted}) == 1, "every publication dim counts the same rows"
    keys = [col for col in _PUBLICATION_ORDER if any(col in c.columns for c in wanted if c.dim != "pl")]
    assert keys == list(_PUBLICATION_ORDER[: len(keys)]), keys  # a prefix of the index: read in order
    columns = ", ".join(f"r.{col} AS {col}" for col in keys)
    _drop_groups(conn)
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {_GROUPS} AS SELECT {columns}, {_TIMELY_SUMS} "
        f"FROM {_PUBLICATION_WITH_DUE} WHERE {_where(wanted[0], 'r')} GROUP BY {', '.join(f'r.{k}' for k in keys)}"
    )  # fmt: skip
    for c in wanted:
        if c.dim == "pl":
            sums = ", ".join(f"sum(g.{name}) AS {name}" for name in _TIMELY_COUNTS)
            conn.exec_driver_sql(_timely_insert(
                f"SELECT g.unit_id AS unit_id, g.attribute AS attribute, g.published_ym AS ym, "
                f"g.category_root_id AS category_root_id, {sums} FROM {_GROUPS} g "
                "GROUP BY g.unit_id, g.attribute, g.published_ym, g.category_root_id", dialect))  # fmt: skip
            continue
        inner = f"{_select(c, 'g', 'sum(g.n)', dialect)} FROM {_GROUPS} g GROUP BY {', '.join(f'g.{col}' for col in c.columns)}"
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) SELECT unit_id, dim, attribute, ym, "
            f"item, sum(n) FROM ({inner}) x GROUP BY unit_id, dim, attribute, ym, item"
        )  # fmt: skip
    _drop_groups(conn)


def rebuild(conn: Connection) -> None:
    """Recount every tally from the source tables (in the caller's transaction)."""
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    for source in SOURCES:
        if source == "publication":
            _rebuild_publication(conn)
            continue
        for c in contributions(conn.dialect.name)[source]:
            _recount(conn, source, c)


def recount(conn: Connection, dims: tuple[str, ...]) -> None:
    """Recount some dims from the source tables (in the caller's transaction), e.g. 'pl' after the
    publication due dates moved (data_access.store.publication_due)."""
    wanted = ", ".join(f"'{d}'" for d in dims)
    conn.exec_driver_sql(f"DELETE FROM {TABLE} WHERE dim IN ({wanted})")
    for source in SOURCES:
        for c in contributions(conn.dialect.name)[source]:
            if c.dim in dims:
                _recount(conn, source, c)


def _names(source: str) -> dict[str, str]:
    return {op: f"tally_{source}_{op}" for op in ("ins", "del", "upd")}


def _row_statements(source: str, dialect: str, alias: str, sign: int) -> list[str]:
    """Row-trigger statements adding (+1) or removing (-1) one row's counts."""
    if dialect == "postgresql" or (sign > 0 and dialect == "sqlite"):
        # One multi-row statement per condition instead of one per dim: PostgreSQL appends ±1 rows
        # to the delta table, folded into stat_tally once at commit (see _PG_FOLD); SQLite upserts.
        groups: dict[str, list[Contribution]] = {}
        for c in contributions(dialect)[source]:
            groups.setdefault(c.condition, []).append(c)
        out = []
        for condition, members in groups.items():
            rows = ", ".join(
                f"({alias}.unit_id, '{c.dim}', {c.attribute.replace('{r}', alias)}, {c.ym.replace('{r}', alias)}, "
                f"{_item(c.item, alias, dialect)}, {sign})"
                for c in members
            )
            where = condition.replace("{r}", alias)
            if dialect == "postgresql":
                out.append(
                    f"INSERT INTO {DELTA} (unit_id, dim, attribute, ym, item, n) SELECT * FROM (VALUES {rows}) "
                    f"AS v (unit_id, dim, attribute, ym, item, n) WHERE {where};"
                )
            else:
                out.append(
                    f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) SELECT * FROM (VALUES {rows}) "
                    f"WHERE {where} ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + 1;"
                )
        return out
    out = []
    for c in contributions(dialect)[source]:
        if sign > 0:  # MariaDB
            out.append(
                f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) {_select(c, alias, '1', dialect)} "
                f"FROM DUAL WHERE {_where(c, alias)} ON DUPLICATE KEY UPDATE n = {TABLE}.n + 1;"
            )
        else:
            match = " AND ".join(
                [f"unit_id = {alias}.unit_id", f"dim = '{c.dim}'"]
                + [f"{col} = {expr.replace('{r}', alias)}" for col, expr in
                   (("attribute", c.attribute), ("ym", c.ym))]
                + [f"item = {_item(c.item, alias, dialect)}"]
            )  # fmt: skip
            out.append(f"UPDATE {TABLE} SET n = n - 1 WHERE {match} AND {_where(c, alias)};")
    return out


def _changed(source: str, dialect: str) -> str:
    cols = sorted({col for c in contributions(dialect)[source] for col in c.columns})
    op = "IS NOT" if dialect == "sqlite" else "<=>"
    if dialect == "sqlite":
        return " OR ".join(f"OLD.{col} {op} NEW.{col}" for col in cols)
    if dialect == "postgresql":
        return " OR ".join(f"OLD.{col} IS DISTINCT FROM NEW.{col}" for col in cols)
    return " OR ".join(f"NOT (OLD.{col} <=> NEW.{col})" for col in cols)


def ddl(dialect: str) -> list[str]:
    """The statements that create the triggers (and PostgreSQL's trigger functions)."""
    out: list[str] = []
    for source in SOURCES:
        names = _names(source)
        plus_new = _row_statements(source, dialect, "NEW", +1)
        minus_old = _row_statements(source, dialect, "OLD", -1)
        when = _changed(source, dialect)
        if dialect == "postgresql":
            bodies = {
                "ins": " ".join(plus_new),
                "del": " ".join(minus_old),
                "upd": f"IF {when} THEN {' '.join(minus_old + plus_new)} END IF;",
            }
            events = {"ins": "INSERT", "del": "DELETE", "upd": "UPDATE"}
            for op, name in names.items():
                out.append(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN {bodies[op]} RETURN NULL; END $$"
                )
                out.append(
                    f"CREATE TRIGGER {name} AFTER {events[op]} ON {source} FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
            continue
        if dialect == "sqlite":
            out.append(
                f"CREATE TRIGGER {names['ins']} AFTER INSERT ON {source} BEGIN {' '.join(plus_new)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['del']} AFTER DELETE ON {source} BEGIN {' '.join(minus_old)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['upd']} AFTER UPDATE ON {source} WHEN {when} "
                f"BEGIN {' '.join(minus_old + plus_new)} END"
            )
        else:
            out.append(
                f"CREATE TRIGGER {names['ins']} AFTER INSERT ON {source} FOR EACH ROW "
                f"BEGIN {' '.join(plus_new)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['del']} AFTER DELETE ON {source} FOR EACH ROW "
                f"BEGIN {' '.join(minus_old)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['upd']} AFTER UPDATE ON {source} FOR EACH ROW "
                f"BEGIN IF {when} THEN {' '.join(minus_old + plus_new)} END IF; END"
            )
    return out


# PostgreSQL keeps every version of an updated row until the transaction ends, so updating the
# same counter once per row of a 50,000-row upload walks ever longer version chains. Its row
# triggers append to an unindexed delta table instead, and one deferred trigger folds the whole
# delta into stat_tally at commit (the first firing does it; the rest see the flag and return).
DELTA = "stat_tally_delta"
_PG_FOLD = (
    f"CREATE TABLE IF NOT EXISTS {DELTA} (unit_id INTEGER NOT NULL, dim VARCHAR(2) NOT NULL, "
    "attribute VARCHAR(20) NOT NULL, ym INTEGER NOT NULL, item VARCHAR(60) NOT NULL, n INTEGER NOT NULL)",
    "CREATE OR REPLACE FUNCTION tally_fold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF current_setting('gkb.tally_folded', true) = txid_current()::text THEN RETURN NULL; END IF; "
    "PERFORM set_config('gkb.tally_folded', txid_current()::text, true); "
    f"WITH moved AS (DELETE FROM {DELTA} RETURNING unit_id, dim, attribute, ym, item, n) "
    f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
    "SELECT unit_id, dim, attribute, ym, item, sum(n) FROM moved GROUP BY unit_id, dim, attribute, ym, item "
    f"ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n; "
    "RETURN NULL; END $$",
    f"CREATE CONSTRAINT TRIGGER tally_fold AFTER INSERT ON {DELTA} DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION tally_fold()",
)


def install(conn: Connection) -> None:
    """Create the triggers (in the caller's transaction)."""
    if conn.dialect.name == "postgresql":
        for statement in _PG_FOLD:
            conn.exec_driver_sql(statement)
    for statement in ddl(conn.dialect.name):
        conn.exec_driver_sql(statement)


def uninstall(conn: Connection) -> None:
    """Drop the triggers (and PostgreSQL's functions)."""
    dialect = conn.dialect.name
    for source in SOURCES:
        for name in _names(source).values():
            if dialect == "postgresql":
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {source}")
                conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {DELTA}")  # drops its fold trigger too
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS tally_fold()")


# ------------------------------------------------------------------ large writes
# A write of thousands of rows (an upload, its undo) fires a trigger per row. On SQLite and
# PostgreSQL, whose DDL is part of the transaction, `bulk` instead switches the source table's
# row triggers off inside the writer's transaction, lets the writer subtract the counts of the
# rows it is about to replace and add those of the rows it leaves (one grouped statement per
# few thousand rows), and switches them on again before the commit. Nobody else sees the table
# without its triggers: SQLite's writer holds the database's write lock (BEGIN IMMEDIATE) and
# readers see the schema as of their snapshot; PostgreSQL's ALTER TABLE … DISABLE TRIGGER takes
# a SHARE ROW EXCLUSIVE lock on the table, which waits for and blocks other writers of that
# table, not its readers, until the commit. MariaDB's DDL commits implicitly: it keeps the triggers.
BULK_ROWS = 1000
_IDS_PER_STATEMENT = 5000


class Counting:
    """What a large writer tells `bulk` (does nothing while the row triggers count)."""

    def __init__(self, conn: Connection, source: str, active: bool) -> None:
        self.conn, self.source, self.active = conn, source, active

    def subtract(self, *, ids: Iterable[int] = (), batch_id: int | None = None) -> None:
        """Take away the counts of these rows as they are now (before changing or deleting them)."""
        self._apply(-1, ids, batch_id)

    def add(self, *, ids: Iterable[int] = (), batch_id: int | None = None) -> None:
        """Add the counts of these rows as they are now (after inserting or changing them)."""
        self._apply(+1, ids, batch_id)

    def _apply(self, sign: int, ids: Iterable[int], batch_id: int | None) -> None:
        if not self.active:
            return
        if batch_id is not None:
            _add_counts(self.conn, self.source, sign, f"batch_id = {int(batch_id)}")
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), _IDS_PER_STATEMENT):
            part = ",".join(str(i) for i in wanted[start : start + _IDS_PER_STATEMENT])
            _add_counts(self.conn, self.source, sign, f"id IN ({part})")


def _add_counts(conn: Connection, source: str, sign: int, where: str) -> None:
    """Add sign × the counts of the rows of `source` matching `where`: the rows are first grouped
    by the columns the counts depend on, so each contribution reads a handful of groups."""
    dialect = conn.dialect.name
    found = contributions(dialect)[source]
    columns = ", ".join(sorted({col for c in found for col in c.columns}))
    parts = " UNION ALL ".join(
        f"{_select(c, 'r', 'r.n', dialect)} FROM changed_rows r WHERE {_where(c, 'r')}" for c in found
    )
    conn.exec_driver_sql(
        f"WITH changed_rows AS (SELECT {columns}, count(*) AS n FROM {source} WHERE {where} "
        f"GROUP BY {columns}) "
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT * FROM (SELECT unit_id, dim, attribute, ym, item, {sign} * sum(n) AS n FROM ({parts}) x "
        f"GROUP BY unit_id, dim, attribute, ym, item) g WHERE true "
        f"ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + excluded.n"
    )


def _suspend(conn: Connection, source: str) -> list[str] | None:
    """Switch the source's row triggers off in this transaction; the statements that restore them."""
    names = sorted(_names(source).values())
    quoted = ", ".join(f"'{n}'" for n in names)
    if conn.dialect.name == "sqlite":
        found = conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{source}' "
            f"AND name IN ({quoted}) ORDER BY name"
        ).all()
        if [name for name, _sql in found] != names:
            return None
        for name, _sql in found:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        return [sql for _name, sql in found]
    enabled = (
        conn.exec_driver_sql(
            f"SELECT tgname FROM pg_trigger WHERE tgrelid = '{source}'::regclass AND tgname IN ({quoted}) "
            "AND tgenabled = 'O' ORDER BY tgname"
        )
        .scalars()
        .all()
    )
    if list(enabled) != names:
        return None
    conn.exec_driver_sql(f"ALTER TABLE {source} " + ", ".join(f"DISABLE TRIGGER {n}" for n in names))
    return [f"ALTER TABLE {source} " + ", ".join(f"ENABLE TRIGGER {n}" for n in names)]


@contextmanager
def bulk(conn: Connection, source: str, rows: int) -> Iterator[Counting]:
    """Keep the counts of a write of `rows` rows to `source` by grouped recounts (see above).

    Inside: call `subtract` with the rows to be changed or deleted before writing them and
    `add` with the rows written after. Small writes, other tables, MariaDB and a database
    without the triggers get a Counting that does nothing (the triggers count). An error
    inside must roll the transaction back (it also brings the triggers back).
    """
    restore = None
    if source in SOURCES and rows >= BULK_ROWS and conn.dialect.name in ("sqlite", "postgresql"):
        restore = _suspend(conn, source)
    yield Counting(conn, source, restore is not None)
    for statement in restore or ():
        conn.exec_driver_sql(statement)


# ------------------------------------------------------------------ reading
# A publication's attribute is part of the key; naming every value (and '' for the other
# sources) lets the primary key seek instead of scanning a unit's rows.
ANY_ATTRIBUTE = ("proactive", "on_request", "withheld", "")


def sums(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> dict[tuple[str, str], int]:
    """Summed counts per (dim, item) over months first..last (YYYYMM); zero sums left out."""
    t = StatTally.__table__.c
    rows = session.connection().execute(
        select(t.dim, t.item, func.sum(t.n))
        .where(t.unit_id.in_(ids), t.dim.in_(dims), t.attribute.in_(attributes), t.ym.between(first, last))
        .group_by(t.dim, t.item)
    )
    return {(dim, item): int(n) for dim, item, n in rows if n}


def monthly(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> list[tuple[str, int, int]]:
    """(dim, month, count) for months first..last with a non-zero count, by dim and month."""
    t = StatTally.__table__.c
    rows = session.connection().execute(
        select(t.dim, t.ym, func.sum(t.n))
        .where(t.unit_id.in_(ids), t.dim.in_(dims), t.attribute.in_(attributes), t.ym.between(first, last))
        .group_by(t.dim, t.ym)
        .order_by(t.dim, t.ym)
    )
    return [(dim, ym, int(n)) for dim, ym, n in rows if n]


def of_dim(counts: dict[tuple[str, str], int], dim: str) -> dict[str, int]:
    """The items of one dim of `sums`."""
    return {item: n for (d, item), n in counts.items() if d == dim}
