"""Shared fixtures: every test gets its own data folder (warehouse, landing, Airflow home)
through the CCHC_* variables, and the sample portals on a free loopback port."""
from __future__ import annotations

import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    for name in ("CCHC_WAREHOUSE", "CCHC_LANDING_DIR", "CCHC_REGISTRY", "AIRFLOW_HOME"):
        monkeypatch.delenv(name, raising=False)
    return data


@pytest.fixture
def sample_server(monkeypatch):
    from cchc.samples.server import SampleServer

    with SampleServer(port=0) as server:
        monkeypatch.setenv("CCHC_SAMPLE_PORT", str(server.port))
        yield server


@pytest.fixture
def receiver(monkeypatch):
    """A JSON webhook on a free loopback port; CCHC_ALERT_URL points Apprise at it."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("CCHC_ALERT_URL", f"json://127.0.0.1:{server.server_port}/")
    yield received
    server.shutdown()
    server.server_close()


def _chromium() -> str | None:
    for candidate in (os.environ.get("CCHC_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium for the browser tests (report, Data Docs): skipped where it is not
    installed, required where CI says so (CCHC_REQUIRE_CHROMIUM=1 or CI set)."""
    exe = _chromium()
    if exe is None:
        reason = "chromium is not installed (Debian: apt-get install -y chromium): browser tests skipped"
        if os.environ.get("CCHC_REQUIRE_CHROMIUM") == "1" or os.environ.get("CI"):
            pytest.fail(reason.replace("skipped", "required here"))
        pytest.skip(reason)
    return exe
