"""What the pages write: one transaction each through data_access.write (or .read for the audited
exports), after which every cache sees the new data version.

One convention: a write takes the acting `Principal` first (the login writes in account.py, which
establish that principal, are the exception) and, when it is audited, the request's address as
the keyword `source`; it returns its result or raises an exception whose message is Chinese
(ValueError and its kind, PermissionError). A write draws nothing: the panel or page that called
it shows the outcome.

May import: data_access, dashboard.reads.cache (the engine and `refresh`). Never streamlit,
dashboard.panels, dashboard.widgets, dashboard.session, or the cached reads of dashboard.reads
(tests/test_architecture.py).
"""
