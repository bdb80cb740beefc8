"""The deployment manual's nginx config (deploy/nginx-gongkai.conf) in front of the app, for real.

nginx runs as an ordinary process with the config rendered onto test ports, a self-signed
certificate made with openssl and its pid, logs and temp files under the test's directory. A
browser opens the app through HTTPS, logs in and waits for the overview's Vega chart: the page must
draw with no Content-Security-Policy violation (reported by the `securitypolicyviolation` event in
any frame, or by chromium's console), the security headers must arrive, /healthz must answer 200
through nginx, and plain HTTP must be sent to HTTPS.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.app import AppProcess, first_start, free_port
from tests.helpers.browser import ROOT, SCREENSHOTS, log_in, require_browser

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nginx")]

CONFIG = ROOT / "deploy" / "nginx-gongkai.conf"

# Every `securitypolicyviolation` in the page or any same-origin frame (the srcdoc components),
# gathered on the top window.
WATCH_CSP = """
document.addEventListener('securitypolicyviolation', (e) => {
  let top = window;
  try { top = window.top; void top.document; } catch (_) { top = window; }
  (top.__gkCsp = top.__gkCsp || []).push(
    e.violatedDirective + ' ' + e.blockedURI + ' (' + e.sourceFile + ':' + e.lineNumber + ')');
});
"""


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        pytest.skip("nginx not installed (apt-get install nginx): the HTTPS/CSP test is skipped")
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: cannot make the test certificate")
    return found


def render(config: str, *, http_port: int, https_port: int, app_port: int, cert: Path, key: Path) -> str:
    """The deploy config on test ports and files; each replaced line must be there exactly once."""
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "server 127.0.0.1:8501 ": f"server 127.0.0.1:{app_port} ",
        # The second instance's line points at the same app: one instance is enough for the browser
        # (ip_hash sends one client address to one instance).
        "server 127.0.0.1:8502 ": f"server 127.0.0.1:{app_port} ",
        "/etc/nginx/ssl/gongkai.crt": str(cert),
        "/etc/nginx/ssl/gongkai.key": str(key),
    }
    for old, new in swaps.items():
        assert config.count(old) == 1, f"deploy/nginx-gongkai.conf should contain {old!r} once"
        config = config.replace(old, new)
    return config


def _main_config(tmp: Path, site: Path) -> Path:
    temp = {name: tmp / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir()
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    main = tmp / "nginx.conf"
    main.write_text(
        f"""worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    {mime}
    access_log {tmp}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""
    )
    return main


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 20) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nginx did not listen on {port}")


class Proxy:
    def __init__(self, https_port: int, http_port: int) -> None:
        self.https_port = https_port
        self.http_port = http_port
        self.url = f"https://127.0.0.1:{https_port}"


@pytest.fixture(scope="module")
def proxied_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """The seeded app on SQLite, started as the systemd unit starts it, behind nginx with TLS."""
    require_browser()
    nginx = _nginx()
    tmp = tmp_path_factory.mktemp("nginx")
    cert, key = tmp / "gongkai.crt", tmp / "gongkai.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = free_port(), free_port()
    # As the manual sets up the service: the Cookie secret in the environment file and the host
    # names in the service user's own Streamlit settings (~/.streamlit/config.toml).
    home = tmp / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "config.toml").write_text(
        f'[server]\nallowedHosts = ["127.0.0.1"]\ncorsAllowedOrigins = ["https://127.0.0.1:{https_port}"]\n'
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'app.sqlite3'}",
        "SEED_DEMO": "yes",
        "HOME": str(home),
        "STREAMLIT_SERVER_COOKIE_SECRET": "a-secret-both-instances-share",
    }
    first_start(env)
    app_port = free_port()
    app = AppProcess(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(app_port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        env, app_port, tmp / "app.log",
    )  # fmt: skip
    proc = None
    try:
        app.wait_ready()
        site = tmp / "gongkai.conf"
        site.write_text(
            render(
                CONFIG.read_text(encoding="utf-8"),
                http_port=http_port,
                https_port=https_port,
                app_port=app_port,
                cert=cert,
                key=key,
            )  # fmt: skip
        )
        main = _main_config(tmp, site)
        errors = tmp / "error.log"
        test = subprocess.run(
            [nginx, "-t", "-p", str(tmp), "-e", str(errors), "-c", str(main)], capture_output=True, text=True
        )
        assert test.returncode == 0, f"nginx -t refused the config:\n{test.stderr}"
        proc = subprocess.Popen(
            [nginx, "-p", str(tmp), "-e", str(errors), "-c", str(main), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        _wait_for_port(http_port, proc, errors)
        yield Proxy(https_port, http_port)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        app.stop()


def test_overview_draws_under_the_csp_through_nginx(proxied_app, browser):
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", ignore_https_errors=True
    )
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    try:
        response = page.goto(proxied_app.url, wait_until="domcontentloaded")
        assert response is not None and response.status == 200
        headers = response.headers
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
        assert headers.get("x-frame-options") == "SAMEORIGIN"
        assert headers.get("strict-transport-security", "").startswith("max-age=")

        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page)
        page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        chart.locator("canvas, svg").first.wait_for(timeout=30_000)
        # The chart's marks are drawn (a canvas with a size), not only an empty container.
        box = chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
        page.wait_for_timeout(1500)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "nginx-https-overview-1920x1080.png"))

        violations = page.evaluate("() => window.__gkCsp || []")
        refused = [line for line in console if "Content Security Policy" in line]
        assert violations == [] and refused == [], f"CSP violations: {violations} {refused}"

        health = context.request.get(f"{proxied_app.url}/healthz")
        assert health.status == 200, health.text()
        assert health.json()["database"] == "ok"
    finally:
        context.close()


def test_plain_http_is_sent_to_https(proxied_app):
    conn = http.client.HTTPConnection("127.0.0.1", proxied_app.http_port, timeout=10)
    conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
    answer = conn.getresponse()
    assert answer.status == 301
    assert answer.getheader("Location") == "https://127.0.0.1/healthz"
    conn.close()


def test_healthz_over_tls_names_the_database(proxied_app):
    """/healthz through nginx for a monitor (no browser): 200 and the database checked."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", proxied_app.https_port, timeout=10, context=context)
    conn.request("GET", "/healthz")
    answer = conn.getresponse()
    body = json.loads(answer.read().decode())
    assert answer.status == 200, body
    assert (body["database"], body["schema"]) == ("ok", "head")
    conn.close()
