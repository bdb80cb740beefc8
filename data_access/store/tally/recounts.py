"""Recounting the running counts from the source tables: everything (`rebuild`, used by
migration 0003 and by bulk loaders that drop the triggers for speed) or some dims (`recount`,
e.g. 'pl' after the publication due dates moved). Each statement groups the source in the order
of its statistics index, so a city's millions of rows are read once, without a sort.
"""

from __future__ import annotations

from sqlalchemy import Connection

from data_access.store.tally import listings, pauses, rollup
from data_access.store.tally.dims import (
    SOURCES,
    TABLE,
    Contribution,
    as_text,
    concat,
    contributions,
    item_expr,
    row_select,
    row_where,
)

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
    inner = f"{row_select(c, 'r', 'count(*)', dialect)} FROM {source} r WHERE {row_where(c, 'r')} GROUP BY {group}"
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
    item = concat([as_text("{r}.category_root_id", dialect), "'|'", "f.flag"], dialect)
    return (
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT unit_id, dim, attribute, ym, item, sum(n) FROM ("
        f"SELECT a.unit_id AS unit_id, 'pl' AS dim, a.attribute AS attribute, a.ym AS ym, "
        f"{item_expr(item, 'a', dialect)} AS item, {n} AS n FROM ({counted}) a CROSS JOIN ({flags}) f"
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
        f"FROM {_PUBLICATION_WITH_DUE} WHERE {row_where(wanted[0], 'r')} GROUP BY {', '.join(f'r.{k}' for k in keys)}"
    )  # fmt: skip
    for c in wanted:
        if c.dim == "pl":
            sums = ", ".join(f"sum(g.{name}) AS {name}" for name in _TIMELY_COUNTS)
            conn.exec_driver_sql(_timely_insert(
                f"SELECT g.unit_id AS unit_id, g.attribute AS attribute, g.published_ym AS ym, "
                f"g.category_root_id AS category_root_id, {sums} FROM {_GROUPS} g "
                "GROUP BY g.unit_id, g.attribute, g.published_ym, g.category_root_id", dialect))  # fmt: skip
            continue
        inner = f"{row_select(c, 'g', 'sum(g.n)', dialect)} FROM {_GROUPS} g GROUP BY {', '.join(f'g.{col}' for col in c.columns)}"
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) SELECT unit_id, dim, attribute, ym, "
            f"item, sum(n) FROM ({inner}) x GROUP BY unit_id, dim, attribute, ym, item"
        )  # fmt: skip
    _drop_groups(conn)


def rebuild(conn: Connection) -> None:
    """Recount every tally from the source tables (in the caller's transaction), the roll-up and the
    requests' pause flags."""
    with rollup.suspended(conn):
        conn.exec_driver_sql(f"DELETE FROM {TABLE}")
        for source in SOURCES:
            if source == "publication":
                _rebuild_publication(conn)
                continue
            for c in contributions(conn.dialect.name)[source]:
                _recount(conn, source, c)
        if listings.present(conn):
            listings.recount(conn)
    pauses.recount(conn)


def recount(conn: Connection, dims: tuple[str, ...]) -> None:
    """Recount some dims from the source tables (in the caller's transaction), e.g. 'pl' after the
    publication due dates moved (data_access.store.publication_due)."""
    wanted = ", ".join(f"'{d}'" for d in dims)
    with rollup.suspended(conn, dims):
        conn.exec_driver_sql(f"DELETE FROM {TABLE} WHERE dim IN ({wanted})")
        for source in SOURCES:
            for c in contributions(conn.dialect.name)[source]:
                if c.dim in dims:
                    _recount(conn, source, c)
        if listings.DIM in dims:
            listings.recount(conn)
