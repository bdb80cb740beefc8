"""The app's websocket protocol as a browser tab speaks it, without HTML, scripts or rendering.

A page load is a new Streamlit session (`connect`), one script run (`Tab.run` with a
`rerun_script` BackMsg) and every ForwardMsg the server sends until that run finishes. A rerun
(a widget change) is another `rerun_script` on the same session carrying the widget states.
`bench.load_leaders` (the load test's leaders) and `bench.floor` (a page beside its floor) use it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

TIMEOUT_S = 30.0


class RunFailed(RuntimeError):
    """The script run ended otherwise than successfully (an error, a missing page)."""


def page_request(base: str, path: str, query: str) -> BackMsg:
    """The BackMsg a browser sends when it opens `base/path?query` in a new tab."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    request = BackMsg()
    request.rerun_script.query_string = query
    request.rerun_script.page_name = path.strip("/")
    request.rerun_script.context_info.timezone = "Asia/Shanghai"
    request.rerun_script.context_info.locale = "zh-CN"
    request.rerun_script.context_info.url = f"{base}{path}" + (f"?{query}" if query else "")
    return request


class Tab:
    """One open websocket: one Streamlit session."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    async def run(self, request: BackMsg) -> list[ForwardMsg]:
        """Send one rerun_script and return every message until the run finishes successfully (a
        run cut short by the app's own st.rerun goes on to the next run's messages)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        await self.ws.send(request.SerializeToString())
        out: list[ForwardMsg] = []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            out.append(msg)
            kind = msg.WhichOneof("type")
            if kind == "page_not_found":
                raise RunFailed("page not found")
            if kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RunFailed(f"script run ended with status {msg.script_finished}")
                return out


@contextlib.asynccontextmanager
async def connect(base: str, cookies: dict[str, str] | None = None) -> AsyncIterator[Tab]:
    """A new session on the app at `base` (http://host:port), with the given cookies."""
    import websockets

    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    async with websockets.connect(
        "ws" + base.removeprefix("http") + "/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        additional_headers=headers,
        max_size=None,
    ) as ws:
        yield Tab(ws)


async def load(
    base: str, path: str, query: str, cookies: dict[str, str] | None = None, timeout: float = TIMEOUT_S
) -> list[ForwardMsg]:
    """One page load: a new session, one script run, every message until the run finishes."""
    async with asyncio.timeout(timeout), connect(base, cookies) as tab:
        return await tab.run(page_request(base, path, query))


def elements(messages: list[ForwardMsg]) -> list[Any]:
    """The Element of every new_element delta of the last script run, in the order sent."""
    out: list[Any] = []
    for msg in messages:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            out.clear()  # a run cut short by st.rerun: only the last run's elements count
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            out.append(msg.delta.new_element)
    return out
