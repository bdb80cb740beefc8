"""The health URL for a reverse proxy and a monitor, served beside the app by serve.py.

Streamlit's own /_stcore/health says only that the Python process answers. HEALTH_PATH also asks
the database: 200 with {"status": "ok", "database": "ok", "schema": "head", "version": …} when it
answers and its schema is at this program's newest migration; 503 with the reason otherwise (the
database cannot be reached, or `init` has not been run after an upgrade), so a proxy stops sending
users to a replica that would only show an error. It reads one row and writes nothing; no login.
"""

from __future__ import annotations

import functools
import json
import logging

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data_access import settings, version
from data_access.store import db

HEALTH_PATH = "/healthz"
CONNECT_TIMEOUT = 5  # seconds

log = logging.getLogger(__name__)
_ENGINES: dict[str, Engine] = {}


def _engine() -> Engine:
    url = settings.database_url()
    if url not in _ENGINES:
        parsed = make_url(url)
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            # A server that drops packets must not hold the monitor's request for minutes (PyMySQL
            # gives up after 10 s by itself).
            parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT)})
        _ENGINES[url] = db.make_engine(parsed.render_as_string(hide_password=False))
    return _ENGINES[url]


@functools.cache
def _heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_heads())


def check() -> tuple[int, dict[str, str]]:
    """(HTTP status, what the health URL answers)."""
    body = {"version": version.VERSION}
    try:
        with _engine().connect() as conn:
            conn.execute(text("SELECT 1"))
            current: set[str] = set()
            if inspect(conn).has_table("alembic_version"):
                current = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:
        log.warning("health check: the database cannot be reached", exc_info=True)
        return 503, {"status": "error", "database": "unreachable", "detail": "无法连接数据库", **body}
    if current == _heads():
        return 200, {"status": "ok", "database": "ok", "schema": "head", **body}
    schema = "missing" if not current else "behind"
    detail = "数据库尚未初始化或结构不是最新：请运行 python -m data_access init"
    return 503, {"status": "error", "database": "ok", "schema": schema, "detail": detail, **body}


def health(_request: Request) -> Response:
    """Answer the health URL."""
    status, body = check()
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


ROUTES = [Route(HEALTH_PATH, health, methods=["GET", "HEAD"])]
