"""Shared fixtures: every test gets its own data folder (warehouse, landing, Airflow home)
through the CCHC_* variables, and the sample portals on a free loopback port."""
from __future__ import annotations

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
