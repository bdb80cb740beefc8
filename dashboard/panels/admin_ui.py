"""Small pieces the administration pages share: a message shown once after a change, running an
action with its refusal shown as a Chinese error, and unit labels for pickers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.i18n import t
from dashboard.reads import cache as resources

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


def attempt(
    action: Callable[..., Any],
    *args: Any,
    done: str | Callable[[Any], str],
    rerun: bool = True,
    **kwargs: Any,
) -> bool:
    """Run a write; show its refusal as an error, else `done`: after a rerun (so every table shows
    the change) or, with rerun=False, right here (an editor that already shows its edits).
    Returns whether it succeeded (when it does not rerun)."""
    try:
        result = action(*args, **kwargs)
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
    return {code: f"{'　' * depth}{name}（{code}）" for code, name, depth in resources.units()}
