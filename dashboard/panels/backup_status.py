"""The last database backup's age, for the admins: a line on the audit page, a warning on 总览."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.reads import admin as admin_reads
from data_access.rules import backups, permissions


def backup_status(*, only_when_overdue: bool) -> None:
    """Draw the last backup's time and age (as a warning when overdue); only for admins."""
    principal = session.current()
    if principal is None or principal.role != permissions.ADMIN:
        return
    last, now = admin_reads.last_backup_at(), admin_reads.local_now()
    overdue = backups.backup_overdue(last, now)
    if only_when_overdue and not overdue:
        return
    if last is None:
        st.warning(t("backup.never"), icon=":material/backup:")
        return
    text = t("backup.last", at=f"{last:%Y-%m-%d %H:%M}", days=backups.age_days(last, now))
    if overdue:
        st.warning(text + t("backup.overdue"), icon=":material/backup:")
    else:
        st.info(text, icon=":material/backup:")
