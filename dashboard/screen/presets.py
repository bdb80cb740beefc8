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
div[data-baseweb="modal"], [role="dialog"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
.scr { position: fixed; inset: 0; display: flex; flex-direction: column;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
.scr-top { height: 13vh; display: flex; align-items: center; justify-content: space-between;
  padding: 0 3vw; background: #a31515; color: #fff; font-size: 5.2vh; font-weight: 700; white-space: nowrap; }
.scr-top .clock { font-size: 4.4vh; font-weight: 500; }
.scr-top .hot { font-size: 4.4vh; font-weight: 500; }
.scr-body { flex: 1; display: flex; gap: 2vw; padding: 2.5vh 3vw 1vh 3vw; min-height: 0; }
.scr-slide { flex: 1; display: flex; flex-direction: column; min-width: 0; min-height: 0; overflow: hidden; }
.scr-slide h2 { font-size: 6vh; margin: 0 0 2vh 0; color: #ffd54f; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; font-weight: 700; padding: 0; line-height: 1.2; }
.figs { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2vh 2vw; }
.fig { background: #0f2a4a; border-radius: 1.2vh; padding: 2vh 1.5vw; }
.fig .v { font-size: 10vh; font-weight: 700; line-height: 1.1; color: #fff; }
.fig .l { font-size: 3.6vh; color: #b8c7dc; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
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
.scr-foot { height: 10vh; background: #0b2340; display: flex; align-items: center; overflow: hidden;
  border-top: 0.4vh solid #a31515; position: relative; }
.scr-foot .stamp { position: absolute; right: 1vw; bottom: 0.3vh; font-size: 1.8vh; color: #8ea3bd; }
.tick { display: inline-block; white-space: nowrap; font-size: 4.6vh; padding-left: 100%;
  animation: tick var(--tick-seconds, 60s) linear infinite; }
@keyframes tick { from { transform: translateX(0); } to { transform: translateX(-100%); } }
.strip { position: fixed; inset: 0; display: grid; grid-template-rows: 62% 38%; }
.strip .one { display: flex; align-items: center; justify-content: space-between; padding: 0 3vw; }
.strip .one .l { font-size: 13vh; color: #b8c7dc; white-space: nowrap; }
.strip .one .v { font-size: 30vh; font-weight: 700; color: #ffd54f; }
.strip .one .clock { font-size: 12vh; color: #fff; white-space: nowrap; }
.strip .scr-foot { height: auto; }
.strip .tick { font-size: 17vh; }
.empty { font-size: 5vh; color: #b8c7dc; }
</style>
"""
