"""Keep the garbage collector's full passes short in a served app.

The app's process holds some 220,000 objects that live as long as it does: the modules, classes
and schemas of pandas, SQLAlchemy, Altair/Vega and our own code. Every full collection walks them
all; Streamlit's own pass after each script run (`runner.postScriptGC`, switched off in
.streamlit/config.toml) took about 120 ms of every page load, some 70 ms of it walking them. Python's generational
collector still makes full passes now and then. `freeze_once()`, called by serve.py before the first
browser connects, imports every module the pages use, collects once, and moves everything alive
into the collector's permanent generation (`gc.freeze`): later passes walk only what sessions
create. Objects created afterwards are collected as before.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import threading

_lock = threading.Lock()
_frozen = False
# Modules that run something when imported (entry points) or are imported only by tools.
_SKIP = ("__main__", ".migrations", ".cli")


def _import_everything(package: str) -> None:
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if not any(part in module.name for part in _SKIP):
            importlib.import_module(module.name)


def freeze_once() -> None:
    """The first call in a process imports the app's modules and freezes what is alive; later calls return."""
    global _frozen
    if _frozen:
        return
    with _lock:
        if _frozen:
            return
        for package in ("dashboard", "data_access"):
            _import_everything(package)
        gc.collect()
        gc.freeze()
        _frozen = True
