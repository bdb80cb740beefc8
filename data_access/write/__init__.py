"""Writes: uploads (importing/), one-record forms and their undo (records/), accounts and
logins (auth.py), units and targets (admin.py), the catalogue, the calendar.

Each write runs in the caller's transaction and records itself in the audit log.
May import: data_access.rules, data_access.store, data_access.read, data_access.settings and
other writes. Never: data_access.cli, streamlit.
"""
