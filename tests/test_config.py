"""The web surface settings of .streamlit/config.toml (issue 7): tested so nobody loosens them by accident."""

from __future__ import annotations

import tomllib
from pathlib import Path

from data_access import settings

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


def test_xsrf_on_and_no_error_details_in_the_browser():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_the_upload_cap_matches_the_import_limit():
    assert CONFIG["server"]["maxUploadSize"] == int(
        next(s.default for s in settings.SETTINGS if s.name == "UPLOAD_MAX_MB")
    )


def test_no_per_run_work_a_served_app_does_not_need():
    """Both cost more than the page itself on every script run (dashboard/heap.py)."""
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["runner"]["postScriptGC"] is False
