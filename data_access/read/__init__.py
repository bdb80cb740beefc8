"""Reads: what the pages, reports and the lobby screen show. Page queries (queries/), the KPIs,
the public read path of the screen (public.py), the annual reports (reports/), letters, and what
was entered and the opening balances that apply (entries.py, for data_access.rules.entered).

Functions take a session and return tidy frames or frozen dataclasses; nothing here writes.
May import: data_access.rules, data_access.store, data_access.settings and other reads.
Never: data_access.write/cli, streamlit.
"""
