"""Writes: uploads (importing/), one-record forms (records/), the one undo of both (undo.py),
accounts and logins (auth/), units, their levels and profiles (admin.py), the catalogues per unit and
year and the targets (catalogue/; the 标准目录 spreadsheet in catalogue/file.py), the calendar,
opening balances and 零报告 (balances.py).

Each write takes the acting Principal and, before it touches anything, refuses one whose role
may not do it (`permissions.require` → PermissionDenied in Chinese); the command line acts as
`permissions.OPERATOR`. The writes that need no permission (logging in, one's own password and
logout, server state) are listed with their reason in tests/data_access/test_write_permissions.py,
which fails on a new write that is in neither list. Each write runs in the caller's transaction
(uploads and undo open their own) and records itself in the audit log.
May import: data_access.rules, data_access.store, data_access.read, data_access.settings and
other writes. Never: data_access.cli, streamlit.
"""
