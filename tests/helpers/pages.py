"""Running the app's pages in Streamlit's AppTest as a given user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from data_access.rules import permissions
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.write import auth

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def principal(role: str = "leader", unit: str = "qingyang", must_change: bool = False) -> Principal:
    """A logged-in user as the session would hold it."""
    return Principal(1, f"t_{role}", f"测试{role}", role, 2, unit, must_change)


LEADER = principal()


def run(monkeypatch, url: str, page: str | None = None, query: dict | None = None,
        who: Principal | None = LEADER) -> AppTest:  # fmt: skip
    """Run the app as `who` (None: nobody logged in), optionally switching to a page."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    if who is not None:
        at.session_state["principal"] = who
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != PAGES[0].path:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("error", "info", "title", "markdown", "caption")
                    for e in at.get(kind))  # fmt: skip


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def staff(engine: Engine) -> permissions.Principal:
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, "demo_staff")


def frame(at, column: str):  # type: ignore[no-untyped-def]
    """The first table (a grid or a static, wrapping table) that has the column."""
    return next(d.value for d in [*at.dataframe, *at.table] if column in d.value.columns)


def record_downloads(monkeypatch) -> dict[str, tuple[str | None, Callable[[], bytes]]]:  # type: ignore[no-untyped-def]
    """Record every download button built on demand (`data=` a function): its deferred file id →
    (file name, the function that builds the file), so a test can check the name and open the file."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    recorded: dict[str, tuple[str | None, Callable[[], bytes]]] = {}
    add = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        file_id = add(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        recorded[file_id] = (file_name, data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return recorded


def download(at: AppTest, recorded: dict, key: str) -> tuple[str | None, bytes]:  # type: ignore[type-arg]
    """The file name and the bytes of the download button whose key ends with `key`."""
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    name, build = recorded[button.proto.deferred_file_id]
    return name, build()
