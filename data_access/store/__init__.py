"""Storage: the schema and its migrations, engines and sessions, reference data and the unit tree
(scope, levels, each unit's profile), which catalogue a unit uses in a year (catalogue.py), the
calendar tables, the running counts (stat_tally) and
their triggers, the audit log, backups.

May import: data_access.rules, data_access.settings and other store modules.
Never: data_access.read/write/cli, streamlit.
"""
