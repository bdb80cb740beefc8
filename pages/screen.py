"""The lobby LED screen: a full-screen loop of public figures, no keyboard, no login.

The slide showing is a pure function of the wall clock and the playlist, so the loop
rebuilds itself from the URL and the database alone (after a reload or a restart).
URL: /?mode=screen[&preset=1080p|720p|wide|strip][&unit=CODE][&slide=KEY to hold one slide]
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time

import streamlit as st

from dashboard.reads import lobby
from dashboard.screen import presets
from dashboard.screen.slides import SLIDES, esc, header, pick, ticker
from data_access import settings

log = logging.getLogger(__name__)

preset = presets.preset(st.query_params.get("preset"))
unit = st.query_params.get("unit") or settings.get("DEFAULT_UNIT")
st.html(presets.css(preset))

# The nightly reload, as the next time of day SCREEN_RELOAD_AT (local to the screen's browser).
reload_at = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", settings.get("SCREEN_RELOAD_AT").strip())
next_reload = (
    f"(() => {{ const t = new Date(); t.setHours({int(reload_at[1])}, {int(reload_at[2])}, 0, 0);"
    " if (t <= new Date()) t.setDate(t.getDate() + 1); return t.getTime(); })()"
    if reload_at
    else "Infinity"
)
# A watchdog in the browser, every 3 s:
# - the loop's heartbeat: when it has not moved for STALL_SECONDS (the server is down, or stuck on
#   a database that stopped answering), the page stamps the last frame "数据更新于 HH:MM" itself;
# - the server's health endpoint: once the server answers again after being unreachable (a
#   restart, a network drop) the page reloads, so no dialog or stale page is left on the screen;
# - the nightly reload, which also waits for a healthy server so it never leaves the browser on an
#   error page. Wall-clock checks rather than a long timer, so a sleeping machine or a clock change
#   cannot lose it.
STALL_SECONDS = 10
st.html(
    f"""<script>
(() => {{
  if (window.__screenWatchdog) return; window.__screenWatchdog = true;
  const nightly = {next_reload};
  let down = false, beat = null, beatAt = Date.now(), stamp = null;
  const hhmm = (t) => String(t.getHours()).padStart(2, "0") + ":" + String(t.getMinutes()).padStart(2, "0");
  setInterval(async () => {{
    const now = document.querySelector(".beat")?.dataset.beat;
    if (now && now !== beat) {{
      beat = now; beatAt = Date.now();
      if (stamp) {{ stamp.remove(); stamp = null; }}
    }} else if (beat && !stamp && Date.now() - beatAt > {STALL_SECONDS * 1000}
               && !document.querySelector(".stamp")) {{
      stamp = document.createElement("span");
      stamp.className = "stamp stalled" + (document.querySelector(".strip") ? " strip-stamp" : "");
      stamp.textContent = "数据更新于 " + hhmm(new Date(beatAt));
      document.body.appendChild(stamp);
    }}
    let ok = false;
    try {{
      ok = (await fetch(location.origin + "/_stcore/health", {{cache: "no-store"}})).ok;
    }} catch (e) {{}}
    if (!ok) {{ down = true; return; }}
    if (down || Date.now() >= nightly) location.reload();
  }}, 3000);
}})();
</script>""",
    unsafe_allow_javascript=True,
)


def _slide(key: str, data: object) -> str:
    """One slide's HTML; a slide that fails shows its title and 暂无数据 (and is logged), never an error."""
    try:
        return SLIDES[key].render(data)  # type: ignore[arg-type]
    except Exception:  # an unattended screen must go on looping whatever one slide meets
        log.exception("screen slide %s failed", key)
        return f'<h2>{esc(SLIDES[key].title)}</h2><div class="empty">暂无数据</div>'


def _stamp(read_at: dt.datetime, now: dt.datetime) -> str:
    """When the data shown was last read from the database (with the date if not today)."""
    when = f"{read_at:%H:%M}" if read_at.date() == now.date() else f"{read_at:%m月%d日 %H:%M}"
    return f'<span class="stamp">数据更新于 {when}</span>'


@st.fragment(run_every=1)
def loop() -> None:
    """One tick: the header and the slide (or slides) due now, then the ticker in its own element."""
    data, stale = lobby.screen_snapshot(unit)
    now = dt.datetime.now()
    # A heartbeat apart from the slide, so a browser (or a test) can tell the loop is alive
    # without the slide's HTML changing every second.
    st.html(f'<span class="beat" data-beat="{int(time.time())}"></span>')
    if data is None:
        st.html(
            '<div class="scr">'
            + header(None, "", None, now)
            + '<div class="scr-body"><div class="empty">暂无可显示的公开数据</div></div></div>'
        )
        return
    if not stale:
        st.session_state["screen_read_ok"] = now
    # Stale: the database could not be read just now; say when it last could.
    stamp = (
        _stamp(max(data.read_at, st.session_state.get("screen_read_ok", data.read_at)), now) if stale else ""
    )
    if preset.strip:
        st.html(
            f'<div class="strip"><div class="one"><span class="l">{data.year}年主动公开</span>'
            f'<span class="v">{data.published_year}</span>'
            f'<span class="clock">{now:%m月%d日 %H:%M}</span></div>{stamp}</div>'
        )
        lead = f"{data.unit_name}政务公开" + (f"　政务热线 {data.hotline}" if data.hotline else "")
        st.html(f'<div class="scr-foot strip-foot">{ticker(data, lead)}</div>')
        return
    entries = [(e.key, e.seconds) for e in lobby.screen_playlist(unit, tuple(SLIDES))] or [("headline", 15)]
    pinned = [i for i, (key, _s) in enumerate(entries) if key == st.query_params.get("slide")]
    index = pinned[0] if pinned else pick(entries, time.time())
    shown = [entries[(index + i) % len(entries)][0] for i in range(min(preset.columns, len(entries)))]
    slides = "".join(f'<div class="scr-slide" data-slide="{esc(k)}">{_slide(k, data)}</div>' for k in shown)
    st.html(
        '<div class="scr">'
        + header(data, data.unit_name, data.hotline, now)
        + f'<div class="scr-body">{slides}</div>{stamp}</div>'
    )
    # Its own element, unchanged until the data changes: the browser keeps it, and its scrolling.
    st.html(f'<div class="scr-foot">{ticker(data)}</div>')


loop()
