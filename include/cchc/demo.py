"""`cchc demo`: the whole night on the bundled sample portals, with a real Airflow run.

Starts the sample server on loopback, runs ``airflow dags test cchc_nightly`` against it,
stops the server, and prints what the night did.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone

from cchc import airflow_env, nightly
from cchc.settings import SAMPLE_REGISTRY, get_settings


def run_demo(keep_server: bool = False) -> int:
    from cchc.samples.server import SampleServer

    os.environ.setdefault("CCHC_REGISTRY", str(SAMPLE_REGISTRY))
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.data_dir / "airflow" / f"demo-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with SampleServer(port=0) as server:
        env = airflow_env.airflow_env({"CCHC_SAMPLE_PORT": str(server.port)})
        print(f"sample portals on 127.0.0.11-15:{server.port}; Airflow home {env['AIRFLOW_HOME']}; log {log_path}")
        airflow_env.prepare(env, log_path)
        proc = airflow_env.airflow(["dags", "test", "cchc_nightly"], env, log_path)
        elapsed = time.monotonic() - started
        if keep_server:
            code = _report(proc.returncode, log_path, elapsed)
            print(f"sample portals still serving on port {server.port}; Ctrl-C stops them")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return code
    return _report(proc.returncode, log_path, elapsed)


def _report(returncode: int, log_path, elapsed: float) -> int:
    settings = get_settings()
    try:
        summary = nightly.run_summary()
    except FileNotFoundError as exc:
        print(f"the night loaded nothing: {exc}; see {log_path}")
        return 1
    print(nightly.format_summary(summary))
    print(f"warehouse {settings.warehouse_path}; total {elapsed:.1f} s (Airflow start-up included)")
    for label, path in (("analysts' snapshot", settings.analysts_path), ("report", settings.data_dir / "report" / "index.html")):
        if path.exists():
            print(f"{label}: {path}")
    if returncode != 0:
        print(f"airflow dags test exited {returncode}: see {log_path}")
        return returncode
    return 0
