"""The only reader of the environment.

Every setting is a ``CCHC_*`` variable with a default relative to the project; ``get_settings()``
reads them when called (never at import), so tests set them with ``monkeypatch.setenv``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# include/cchc -> project root; an installed (non-editable) package falls back to the cwd.
_ROOT_GUESS = PACKAGE_DIR.parent.parent
PROJECT_ROOT = _ROOT_GUESS if (_ROOT_GUESS / "pyproject.toml").exists() else Path.cwd()

SAMPLE_REGISTRY = PACKAGE_DIR / "samples" / "portals.yaml"
REAL_REGISTRY = PACKAGE_DIR / "registry" / "portals.yaml"
WAREHOUSE_POOL = "cchc_warehouse"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    warehouse_path: Path
    analysts_path: Path
    landing_dir: Path
    registry_path: Path
    user_agent: str
    sample_port: int
    polite: bool
    http_timeout: float
    max_retries: int
    max_bytes: int
    max_redirects: int
    broken_after_nights: int
    lock_retries: int
    dbt_project_dir: Path
    alert_url: str | None
    revisit_days: tuple[int, ...]
    pacing_dir: Path


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def get_settings() -> Settings:
    data_dir = Path(_env("CCHC_DATA_DIR", str(PROJECT_ROOT / "data")))
    return Settings(
        data_dir=data_dir,
        warehouse_path=Path(_env("CCHC_WAREHOUSE", str(data_dir / "warehouse.duckdb"))),
        analysts_path=Path(_env("CCHC_ANALYSTS_WAREHOUSE", str(data_dir / "analysts.duckdb"))),
        landing_dir=Path(_env("CCHC_LANDING_DIR", str(data_dir / "landing"))),
        registry_path=Path(_env("CCHC_REGISTRY", str(SAMPLE_REGISTRY))),
        user_agent=_env(
            "CCHC_USER_AGENT",
            "cchc-warehouse/0.1 (+https://github.com/cchc-warehouse; research crawler; contact: cchc-data@example.org)",
        ),
        sample_port=int(_env("CCHC_SAMPLE_PORT", "8765")),
        # Politeness off is for benchmarks against our own sample server only.
        polite=_env("CCHC_POLITE", "1") not in {"0", "false", "no", "off"},
        http_timeout=float(_env("CCHC_HTTP_TIMEOUT", "20")),
        max_retries=int(_env("CCHC_MAX_RETRIES", "3")),
        max_bytes=int(_env("CCHC_MAX_BYTES", str(5 * 1024 * 1024))),
        max_redirects=int(_env("CCHC_MAX_REDIRECTS", "5")),
        broken_after_nights=int(_env("CCHC_BROKEN_AFTER_NIGHTS", "7")),
        # A writer waits 1 + 2 + 4 + ... seconds for a warehouse another process holds.
        lock_retries=int(_env("CCHC_LOCK_RETRIES", "5")),
        dbt_project_dir=Path(_env("CCHC_DBT_PROJECT", str(PROJECT_ROOT / "dbt_project"))),
        # Apprise URLs, separated by spaces or commas; none: alerts are only logged.
        alert_url=_env("CCHC_ALERT_URL", "").strip() or None,
        # A known article is asked for again this many days after it was first fetched, then never.
        # per-host pacing shared by every crawling process of this machine (crawl.fetch.Pacer)
        pacing_dir=data_dir / "pacing",
        revisit_days=tuple(sorted(int(d) for d in _env("CCHC_REVISIT_DAYS", "1,3,7,30").split(",") if d.strip())),
    )
