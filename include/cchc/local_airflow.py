"""A real Airflow 3 on this machine, without Docker: API server, scheduler and DAG processor
with LocalExecutor on a PostgreSQL metadata database. Used by the scheduler test; the same
shape as docker-compose.yaml, one process per service."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from cchc import airflow_env

PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def ensure_postgres(host: str = "127.0.0.1", port: int = 5432, wait: float = 30.0) -> None:
    """Start the machine's PostgreSQL cluster if nothing answers on its port."""
    if _port_open(host, port):
        return
    subprocess.run(PG_START, shell=True, check=False, capture_output=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if _port_open(host, port):
            return
        time.sleep(0.5)
    raise RuntimeError(f"PostgreSQL is not answering on {host}:{port} and `{PG_START}` did not start it")


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql],
                   check=True, capture_output=True, text=True)


@dataclass
class LocalAirflow:
    home: Path
    database: str
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def __post_init__(self):
        self.api_port = free_port()
        self.env = airflow_env.airflow_env({
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{self.database}",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.api_port}/execution/",
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
            **self.extra_env,
        })
        self.log_dir = self.home / "service-logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> "LocalAirflow":
        ensure_postgres()
        psql(f'drop database if exists "{self.database}"')
        psql(f'create database "{self.database}"')
        airflow_env.prepare(self.env, self.log_dir / "prepare.log")
        # No task of the night defers, so no triggerer.
        for service in (["api-server", "--host", "127.0.0.1", "--port", str(self.api_port)], ["scheduler"], ["dag-processor"]):
            log = open(self.log_dir / f"{service[0]}.log", "w")
            exe = airflow_env.airflow_executable()
            self.processes.append(subprocess.Popen([exe, *service], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                                   start_new_session=True))
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        try:
            psql(f'drop database if exists "{self.database}" with (force)')
        except subprocess.CalledProcessError:
            pass

    def cli(self, *args: str, timeout: float = 120) -> str:
        proc = subprocess.run([airflow_env.airflow_executable(), *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed: {proc.stdout[-1500:]}{proc.stderr[-1500:]}")
        return proc.stdout

    def wait_for_dag(self, dag_id: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                if dag_id in self.cli("dags", "list", "-o", "plain"):
                    return
            except RuntimeError:
                pass
            time.sleep(2)
        raise TimeoutError(f"DAG {dag_id} was not parsed within {timeout}s; see {self.log_dir}")

    def runs(self, dag_id: str) -> list[dict]:
        out = self.cli("dags", "list-runs", dag_id, "-o", "json")
        # Log lines may precede the JSON (and start with "[" too): take the line that parses.
        for line in reversed(out.splitlines()):
            if line.startswith("[{") or line.strip() == "[]":
                return json.loads(line)
        return []

    def wait_for_run(self, dag_id: str, run_id: str | None = None, timeout: float = 300) -> dict:
        """Wait until the run (or, without run_id, the first run) is no longer queued or running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            for run in self.runs(dag_id):
                if (run_id is None or run["run_id"] == run_id) and run["state"] in ("success", "failed"):
                    return run
            time.sleep(3)
        raise TimeoutError(f"{dag_id} run {run_id or '(first)'} did not finish within {timeout}s; see {self.log_dir}")

    def _check_alive(self) -> None:
        for proc in self.processes:
            if proc.poll() is not None:
                raise RuntimeError(f"an Airflow service exited ({proc.args[1]}, code {proc.returncode}); see {self.log_dir}")
