"""Small pieces the administration pages share: a message shown once after a change, running a
write as the logged-in admin with its refusal shown as a Chinese error, the audit log's download,
and unit labels for pickers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.reads import figures
from dashboard.widgets import audit_table
from dashboard.writes import admin as admin_writes

_FLASH = "admin_flash"


def flash(message: str, secret: str | None = None) -> None:
    """Remember a message (and optionally a password) to show once on the next run."""
    st.session_state[_FLASH] = (message, secret)


def show_flash() -> None:
    """Show the remembered message once; a password appears only this one time.

    The message sits in a container drawn on every run, so the elements below keep their
    places (tabs stay on the tab the user was working in).
    """
    box = st.container()
    remembered = st.session_state.pop(_FLASH, None)
    if remembered is None:
        return
    message, secret = remembered
    with box:
        st.success(message)
        if secret:
            st.code(secret, language=None)
            st.warning(t("admin.password.once"))


def as_admin(write: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a dashboard.writes.admin write as the logged-in user from the request's address: the
    one place the administration pages take who acts and from where."""
    who = session.current()
    if who is None:
        raise PermissionError(t("access.denied"))
    return write(who, *args, source=session.source(), **kwargs)


def attempt(
    write: Callable[..., Any],
    *args: Any,
    done: str | Callable[[Any], str],
    rerun: bool = True,
    **kwargs: Any,
) -> bool:
    """Run a write as_admin; show its refusal as an error, else `done`: after a rerun (so every table shows
    the change) or, with rerun=False, right here (an editor that already shows its edits).
    Returns whether it succeeded (when it does not rerun)."""
    try:
        result = as_admin(write, *args, **kwargs)
    except ValueError as exc:
        st.error(str(exc))
        return False
    message = done(result) if callable(done) else done
    if not rerun:
        st.success(message)
        return True
    flash(message)
    st.rerun()


def unit_labels() -> dict[str, str]:
    """Unit code → "name（code）", indented by depth, in hierarchy order."""
    return {code: f"{'　' * depth}{name}（{code}）" for code, name, depth in figures.units()}


def audit_workbook(
    action: str | None,
    username: str | None,
    headers: tuple[str, ...],
    labels: Mapping[str, str],
    title: str,
) -> Callable[[], bytes]:
    """The filtered audit log as .xlsx, for a download button: reading it audits the export as
    'export_personal' with who asked now, in the page's run (Streamlit builds the file on click,
    on another thread)."""
    entries = as_admin(admin_writes.audit_export, action, username)
    shown = [
        labels.get(action, action) if action else "",
        t("export.audit.user", user=username) if username else "",
    ]
    notes = (
        t(
            "export.audit.filter",
            filter=t("common.list_sep").join(p for p in shown if p) or t("export.audit.all"),
        ),
    )
    return lambda: audit_table.workbook(entries(), headers, labels, title, notes)
