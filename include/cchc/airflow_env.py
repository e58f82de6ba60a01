"""The environment for running Airflow against this project: its home inside the data folder,
the project's DAGs, a SQLite metadata database by default, and the warehouse pool."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cchc.settings import PROJECT_ROOT, WAREHOUSE_POOL, get_settings


def airflow_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    settings = get_settings()
    home = Path(os.environ.get("AIRFLOW_HOME") or settings.data_dir / "airflow")
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        # The night's retried tasks (a warehouse held by someone else) wait this long between tries.
        "AIRFLOW__CORE__DEFAULT_TASK_RETRY_DELAY": os.environ.get("AIRFLOW__CORE__DEFAULT_TASK_RETRY_DELAY", "30"),
        # Nothing leaves this machine: usage reporting off for every library that honours these.
        "DO_NOT_TRACK": "1",
        "SCARF_NO_ANALYTICS": "true",
        "CCHC_DATA_DIR": str(settings.data_dir),
        "CCHC_WAREHOUSE": str(settings.warehouse_path),
        "CCHC_LANDING_DIR": str(settings.landing_dir),
        "CCHC_REGISTRY": str(settings.registry_path),
    })
    env.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{home / 'airflow.db'}")
    env.update(extra or {})
    home.mkdir(parents=True, exist_ok=True)
    return env


def airflow_executable() -> str:
    """The ``airflow`` command of this virtual environment."""
    exe = Path(sys.executable).with_name("airflow")
    return str(exe) if exe.exists() else "airflow"


def airflow(args: list[str], env: dict[str, str], log_path: Path | None = None, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run an ``airflow`` command, its output appended to ``log_path`` if given."""
    cmd = [airflow_executable(), *args]
    out = open(log_path, "a", encoding="utf-8") if log_path else subprocess.PIPE
    try:
        return subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
    finally:
        if log_path:
            out.close()


def prepare(env: dict[str, str], log_path: Path | None = None) -> None:
    """Migrate the metadata database and create the one-slot warehouse pool (both idempotent)."""
    for args in (["db", "migrate"], ["pools", "set", WAREHOUSE_POOL, "1", "DuckDB takes one writer: every task that writes the warehouse"]):
        proc = airflow(args, env, log_path)
        if proc.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args[:2])} failed (exit {proc.returncode}); see {log_path or proc.stdout}")
