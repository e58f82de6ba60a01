"""The ``loopback_site`` fixture: a LoopbackSite (loopback_site.py) served for one test,
with politeness and retries off."""
from __future__ import annotations

import threading

import pytest

from loopback_site import LoopbackSite


@pytest.fixture
def loopback_site(monkeypatch):
    monkeypatch.setenv("CCHC_POLITE", "0")
    monkeypatch.setenv("CCHC_MAX_RETRIES", "0")
    site = LoopbackSite()
    thread = threading.Thread(target=site.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
