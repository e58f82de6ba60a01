"""docker-compose.yaml validates with Debian's docker-compose and the shipped .env.example.

No Docker engine runs here, so `docker-compose config` is the check; .ci/run installs the
docker-compose package. A machine without it skips, saying why.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = shutil.which("docker-compose")
needs_compose = pytest.mark.skipif(COMPOSE is None, reason="docker-compose is not installed (apt-get install docker-compose)")


def compose(*args, env_file=".env.example"):
    return subprocess.run([COMPOSE, "--env-file", env_file, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


@needs_compose
def test_compose_file_validates_with_the_example_env():
    proc = compose("config", "-q")
    assert proc.returncode == 0, proc.stderr


@needs_compose
def test_celery_profile_holds_redis_and_workers_and_the_rest_runs_by_default():
    resolved = yaml.safe_load(compose("config").stdout)["services"]
    optional = {name for name, svc in resolved.items() if "celery" in (svc.get("profiles") or [])}
    default = set(resolved) - optional
    assert optional == {"redis", "airflow-worker", "flower"}
    assert {"postgres", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer", "airflow-init"} <= default


@needs_compose
def test_a_missing_password_stops_compose_by_name(tmp_path):
    env = tmp_path / ".env"
    env.write_text((ROOT / ".env.example").read_text().replace("POSTGRES_PASSWORD=change-me\n", ""))
    proc = compose("config", "-q", env_file=str(env))
    assert proc.returncode != 0 and "POSTGRES_PASSWORD" in proc.stderr


def test_no_password_is_baked_into_the_compose_file():
    doc = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    common = doc["x-airflow-common"]["environment"]
    assert ":?" in common["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert ":?" in doc["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert ":?" in doc["services"]["airflow-init"]["environment"]["_AIRFLOW_WWW_USER_PASSWORD"]
    assert "change-me" in doc["services"]["airflow-init"]["command"][1], "init refuses placeholder secrets"
    for name, service in doc["services"].items():
        if name.startswith("airflow-") or name in ("postgres", "redis", "flower"):
            assert "healthcheck" in service or name == "airflow-init", name
    assert {"cchc-data", "postgres-db-volume"} <= set(doc["volumes"])
