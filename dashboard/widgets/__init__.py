"""Pure drawing: formatting, charts, tables, the annual report's tables, the attention list.

A widget draws what it is given and does no I/O: it never reads the database, the session or the
caches. May import: streamlit, altair, pandas, dashboard.i18n, dashboard.widgets itself,
data_access.rules and data_access.settings; from the rest of data_access only types (under
`if TYPE_CHECKING:`) and the few pure helpers that tests/test_architecture.py names
(PURE_HELPERS). Never dashboard.reads, dashboard.writes, dashboard.panels or dashboard.session.
"""
