"""The health URL (/healthz, served beside the app by serve.py): 200 with the database's and the
schema's state when the database answers at the newest migration, 503 when it cannot be reached or
was never initialised or is behind (so a proxy takes the replica out) — on every backend, and
through a running app."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

import pytest
from sqlalchemy import text
from starlette.requests import Request

from bench.app import ROOT, AppProcess, free_port
from dashboard import health
from data_access.version import VERSION
from tests.helpers.cli import run_cli
from tests.helpers.databases import create_database


def _ask(monkeypatch, url: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", url)
    response = health.health(Request({"type": "http", "method": "GET", "path": "/healthz", "headers": []}))
    assert response.headers["cache-control"] == "no-store"
    assert response.media_type == "application/json"
    return response.status_code, json.loads(response.body)


def test_a_migrated_database_is_healthy_and_one_behind_is_not(monkeypatch, empty_db):
    url = empty_db.url.render_as_string(hide_password=False)
    status, body = _ask(monkeypatch, url)
    assert (status, body) == (200, {"status": "ok", "database": "ok", "schema": "head", "version": VERSION})
    with empty_db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0017'"))
    status, body = _ask(monkeypatch, url)
    assert status == 503 and body["database"] == "ok" and body["schema"] == "behind"
    assert "init" in body["detail"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_a_database_never_initialised_is_not_healthy(monkeypatch, tmp_path, backend):
    url, drop = create_database(backend, tmp_path)
    try:
        status, body = _ask(monkeypatch, url)
    finally:
        for engine in health._ENGINES.values():
            engine.dispose()
        health._ENGINES.clear()
        drop()
    assert status == 503 and body["schema"] == "missing" and body["status"] == "error"


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _serve(database_url: str, tmp_path) -> AppProcess:  # type: ignore[no-untyped-def]
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database_url, "SEED_DEMO": "no", "PYTHONPATH": str(ROOT)}
    return AppProcess(command, env, port, tmp_path / f"app-{port}.log")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_a_running_app_answers_on_its_health_url(tmp_path, backend):
    url, drop = create_database(backend, tmp_path)
    app = None
    try:
        status, body = _ask_app(url, tmp_path)
        assert status == 503 and body["schema"] == "missing", "served before init"
        assert run_cli("--database-url", url, "init").returncode == 0
        app = _serve(url, tmp_path)
        app.wait_ready()
        status, body = _get(f"{app.url}/healthz")
        assert status == 200 and body["database"] == "ok" and body["schema"] == "head"
    finally:
        if app is not None:
            app.stop()
        drop()


def _ask_app(url: str, tmp_path) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    """Start an app on the database, ask its health URL once, stop it."""
    app = _serve(url, tmp_path)
    try:
        app.wait_ready()
        return _get(f"{app.url}/healthz")
    finally:
        app.stop()


def test_a_running_app_whose_database_is_unreachable_answers_503(tmp_path):
    closed = free_port()  # nobody listens there
    app = _serve(f"postgresql+psycopg://gongkai@127.0.0.1:{closed}/gongkai", tmp_path)
    try:
        app.wait_ready()  # Streamlit's own health URL: the process answers
        status, body = _get(f"{app.url}/healthz")
        assert status == 503 and body == {
            "status": "error",
            "database": "unreachable",
            "detail": "无法连接数据库",
            "version": VERSION,
        }
    finally:
        app.stop()
