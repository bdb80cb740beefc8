"""LED screen sizes. Type is sized in viewport units so each preset fills its screen without scrolling."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """One LED layout: its name, nominal size, and whether it shows full slides or the strip."""

    key: str
    label: str
    width: int
    height: int
    strip: bool = False
    columns: int = 1  # slides shown side by side (a wide wall shows several)


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset("1080p", "1920×1080", 1920, 1080),
        Preset("720p", "1280×720", 1280, 720),
        Preset("wide", "3840×1080 宽幅", 3840, 1080, columns=2),
        Preset("strip", "1024×256 条屏", 1024, 256, strip=True),
    )
}
DEFAULT_PRESET = "1080p"


def preset(key: str | None) -> Preset:
    """The preset for a URL value (unknown or missing: 1920×1080)."""
    return PRESETS.get(key or DEFAULT_PRESET, PRESETS[DEFAULT_PRESET])


def css(p: Preset) -> str:
    """The page CSS for the screen: no chrome, no scrollbars, type sized to the viewport."""
    return """
<style>
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  overflow: hidden !important; background: #06162b !important; color: #f5f7fa;
}
::-webkit-scrollbar { display: none; }
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"], [data-testid="stStatusWidget"],
[data-testid="stMainMenu"], [data-testid="stConnectionStatus"], [data-testid="stDialog"],
[data-testid="stException"], div[data-baseweb="modal"], [role="dialog"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
/* Streamlit fades what a running script has not redrawn yet; a screen stuck waiting for the
   database keeps its last frame at full brightness (with its stamp) instead. */
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; filter: none !important; }
/* The slides fill the screen above the ticker. The ticker is a separate element fixed along the
   bottom, so a new slide or a new minute never restarts its scrolling. */
.scr, .scr-foot, .strip { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
.scr { position: fixed; inset: 0 0 10vh 0; display: flex; flex-direction: column; z-index: 2; }
.scr-top { height: 13vh; display: flex; align-items: center; justify-content: space-between;
  padding: 0 3vw; background: #a31515; color: #fff; font-size: 5.2vh; font-weight: 700; white-space: nowrap; }
.scr-top .clock { font-size: 4.4vh; font-weight: 500; }
.scr-top .hot { font-size: 4.4vh; font-weight: 500; }
.scr-body { flex: 1; display: flex; gap: 2vw; padding: 2.5vh 3vw 1vh 3vw; min-height: 0; }
.scr-slide { flex: 1; display: flex; flex-direction: column; min-width: 0; min-height: 0; overflow: hidden; }
.scr-slide h2 { font-size: 6vh; margin: 0 0 2vh 0; color: #ffd54f; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; font-weight: 700; padding: 0; line-height: 1.2; }
.figs { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2vh 2vw; }
.fig { background: #0f2a4a; border-radius: 1.2vh; padding: 2vh 1.5vw; min-width: 0; container-type: inline-size; }
/* As large as the box allows: --n is the value's width in em, set per figure. */
.fig .v { font-size: min(13vh, calc(100cqw / var(--n, 3))); font-weight: 700; line-height: 1.1; color: #fff;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* Labels are up to about 12.5 em long ("2018年主动公开信息（条）"): smaller in the narrow boxes of a wide wall. */
.fig .l { font-size: min(3.6vh, calc(100cqw / 12.5)); color: #b8c7dc; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.bars { display: flex; flex-direction: column; gap: 0.9vh; }
.bar { display: grid; grid-template-columns: 34% 1fr 10%; align-items: center; gap: 1vw; font-size: 3.5vh; }
.bar .n { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; text-align: right; color: #dfe7f1; }
.bar .t { background: #12365f; height: 3.6vh; border-radius: 0.6vh; overflow: hidden; }
.bar .f { height: 100%; background: #4fc3f7; }
.bar .c { font-weight: 700; white-space: nowrap; }
.bar.warn .f { background: #ff8a65; }
.items { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 1.3vh; }
.items li { font-size: 3.9vh; display: flex; gap: 1.5vw; white-space: nowrap; overflow: hidden; }
.items li .d { color: #ffd54f; flex: none; }
.items li .x { overflow: hidden; text-overflow: ellipsis; }
.scr-foot { position: fixed; left: 0; right: 0; bottom: 0; height: 10vh; background: #0b2340; display: flex;
  align-items: center; overflow: hidden; border-top: 0.4vh solid #a31515; z-index: 1; color: #f5f7fa; }
/* Shown only while the database cannot be read: a block closing the ticker's right end. */
.stamp { position: fixed; right: 0; bottom: 0; height: 9.6vh; z-index: 3; display: flex; align-items: center;
  background: #0b2340; color: #b8c7dc; border-left: 0.3vh solid #8ea3bd; font-size: 2.6vh; padding: 0 1.2vw;
  white-space: nowrap; }
.tick { display: flex; flex: none; white-space: nowrap; font-size: 4.6vh;
  animation: tick var(--tick-seconds, 60s) linear infinite; }
.tick span { flex: none; }
@keyframes tick { from { transform: translateX(0); } to { transform: translateX(-50%); } }
.strip { position: fixed; inset: 0 0 38vh 0; z-index: 2; }
.strip .one { height: 100%; display: flex; align-items: center; justify-content: space-between; padding: 0 3vw; }
.strip .one .l { font-size: 13vh; color: #b8c7dc; white-space: nowrap; }
.strip .one .v { font-size: 30vh; font-weight: 700; color: #ffd54f; }
.strip .one .clock { font-size: 12vh; color: #fff; white-space: nowrap; }
.scr-foot.strip-foot { height: 38vh; }
.strip-foot .tick { font-size: 17vh; }
.strip .stamp, .stamp.strip-stamp { height: 37.6vh; font-size: 8vh; }
.empty { font-size: 5vh; color: #b8c7dc; }
</style>
"""
