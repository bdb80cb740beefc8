"""大屏设置: which slides the lobby screen loops through, in what order, for how long."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import filters
from dashboard.reads import lobby
from dashboard.screen import playlist
from dashboard.screen.presets import PRESETS
from dashboard.screen.slides import SLIDES
from dashboard.writes import screen as screen_writes


def render() -> None:
    """Draw the page."""
    st.title(t("screen_settings.title"))
    unit = filters.unit_picker()
    if unit is None:
        st.info(t("overview.empty"))
        return
    st.caption(t("screen_settings.help"))
    rows = lobby.screen_playlist_for_editing(unit, tuple(SLIDES))
    frame = pd.DataFrame(
        {
            t("screen_settings.order"): range(1, len(rows) + 1),
            t("screen_settings.slide"): [SLIDES[key].title for key, _s, _e in rows],
            t("screen_settings.enabled"): [enabled for _k, _s, enabled in rows],
            t("screen_settings.seconds"): [seconds for _k, seconds, _e in rows],
        }
    )
    edited = st.data_editor(
        frame,
        hide_index=True,
        disabled=[t("screen_settings.slide")],
        column_config={
            t("screen_settings.order"): st.column_config.NumberColumn(
                min_value=1, max_value=len(rows), step=1
            ),
            t("screen_settings.seconds"): st.column_config.NumberColumn(min_value=3, max_value=600, step=1),
        },
        key=f"playlist-{unit}",
    )
    if st.button(t("screen_settings.save"), type="primary"):
        keys = [key for key, _s, _e in rows]
        try:
            entries = playlist.entries_from_table(
                keys,
                [SLIDES[key].title for key in keys],
                edited.iloc[:, 0].tolist(),
                edited.iloc[:, 2].tolist(),
                edited.iloc[:, 3].tolist(),
            )
            if not any(enabled for _k, _s, enabled in entries):
                st.error(t("screen_settings.none_enabled"))
                return
            screen_writes.save_screen_playlist(session.current(), unit, entries)
        except ValueError as exc:  # a Chinese message naming the row and the slide
            st.error(str(exc))
            return
        st.success(t("screen_settings.saved"))
    st.subheader(t("screen_settings.open"))
    for preset in PRESETS.values():
        st.markdown(f"- [{preset.label}](/?mode=screen&unit={unit}&preset={preset.key})")


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
