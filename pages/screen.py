"""The lobby LED screen: a full-screen loop of public figures, no keyboard, no login.

The slide showing is a pure function of the wall clock and the playlist, so the loop
rebuilds itself from the URL and the database alone (after a reload or a restart).
URL: /?mode=screen[&preset=1080p|720p|wide|strip][&unit=CODE][&slide=KEY to hold one slide]
"""

from __future__ import annotations

import datetime as dt
import re
import time

import streamlit as st

from dashboard import resources
from dashboard.screen import presets
from dashboard.screen.slides import SLIDES, esc, header, pick, ticker
from data_access import settings

preset = presets.preset(st.query_params.get("preset"))
unit = st.query_params.get("unit") or settings.get("DEFAULT_UNIT")
st.html(presets.css(preset))

reload_at = settings.get("SCREEN_RELOAD_AT")
reload_js = ""
if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", reload_at):
    hour, minute = reload_at.split(":")
    reload_js = f"""
  const next = new Date(); next.setHours({int(hour)}, {int(minute)}, 0, 0);
  if (next <= new Date()) next.setDate(next.getDate() + 1);
  setTimeout(() => location.reload(), next - new Date());"""
# A watchdog that reloads the page once the server answers again after being unreachable,
# so a restart never leaves a dialog or a stale page on the screen; and the nightly reload.
st.html(
    f"""<script>
(() => {{
  if (window.__screenWatchdog) return; window.__screenWatchdog = true;
  let down = false;
  setInterval(async () => {{
    try {{
      const r = await fetch(location.origin + "/_stcore/health", {{cache: "no-store"}});
      if (r.ok && down) location.reload();
      down = !r.ok;
    }} catch (e) {{ down = true; }}
  }}, 3000);{reload_js}
}})();
</script>""",
    unsafe_allow_javascript=True,
)


@st.fragment(run_every=1)
def loop() -> None:
    """One tick: draw the header, the slide (or slides) due now and the ticker."""
    data, stale = resources.screen_snapshot(unit)
    now = dt.datetime.now()
    # A heartbeat apart from the slide, so a browser (or a test) can tell the loop is alive
    # without the slide's HTML changing every second (which would restart the ticker).
    st.html(f'<span class="beat" data-beat="{int(time.time())}"></span>')
    if data is None:
        st.html(
            header(None, "", None, now)
            + '<div class="scr-body"><div class="empty">暂无可显示的公开数据</div></div>'
        )
        return
    stamp = f'<span class="stamp">数据更新于 {data.read_at:%H:%M}</span>' if stale else ""
    if preset.strip:
        st.html(
            f'<div class="strip"><div class="one"><span class="l">{data.year}年主动公开</span>'
            f'<span class="v">{data.published_year}</span>'
            f'<span class="clock">{now:%m月%d日 %H:%M}</span></div>'
            f'<div class="scr-foot">{ticker(data)}{stamp}</div></div>'
        )
        return
    entries = [(e.key, e.seconds) for e in resources.screen_playlist(unit, tuple(SLIDES))] or [
        ("headline", 15)
    ]
    pinned = [i for i, (key, _s) in enumerate(entries) if key == st.query_params.get("slide")]
    index = pinned[0] if pinned else pick(entries, time.time())
    shown = [entries[(index + i) % len(entries)][0] for i in range(min(preset.columns, len(entries)))]
    slides = "".join(
        f'<div class="scr-slide" data-slide="{esc(k)}">{SLIDES[k].render(data)}</div>' for k in shown
    )
    st.html(
        '<div class="scr">'
        + header(data, data.unit_name, data.hotline, now)
        + f'<div class="scr-body">{slides}</div>'
        + f'<div class="scr-foot">{ticker(data)}{stamp}</div></div>'
    )


loop()
