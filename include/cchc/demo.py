"""`cchc demo`: the whole night on the bundled sample portals, with a real Airflow run.

Starts the sample server on loopback, runs ``airflow dags test cchc_nightly`` against it,
stops the server, and prints what the night did.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone

from cchc import airflow_env, nightly, warehouse
from cchc.settings import SAMPLE_REGISTRY, get_settings


def run_demo(keep_server: bool = False) -> int:
    os.environ.setdefault("CCHC_REGISTRY", str(SAMPLE_REGISTRY))
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.data_dir / "airflow" / f"demo-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started, started_at = time.monotonic(), time.time()
    with _sample_server(settings.data_dir / "sample-port") as server:
        env = airflow_env.airflow_env({"CCHC_SAMPLE_PORT": str(server.port)})
        print(f"sample portals on 127.0.0.11-15:{server.port}; Airflow home {env['AIRFLOW_HOME']}; log {log_path}")
        airflow_env.prepare(env, log_path)
        proc = airflow_env.airflow(["dags", "test", "cchc_nightly"], env, log_path)
        elapsed = time.monotonic() - started
        if keep_server:
            code = _report(proc.returncode, log_path, elapsed, started_at)
            print(f"sample portals still serving on port {server.port}; Ctrl-C stops them")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return code
    return _report(proc.returncode, log_path, elapsed, started_at)


def _sample_server(port_file):
    """The sample portals on the port this data folder used before: the port is part of every
    URL, so a new port would make every page of the next night a new page."""
    from cchc.samples.server import SampleServer

    try:
        server = SampleServer(port=int(port_file.read_text().strip())).start()
    except (OSError, ValueError):  # first night here, or the old port is taken now
        server = SampleServer(port=0).start()
        port_file.write_text(f"{server.port}\n")
    return server


def _report(returncode: int, log_path, elapsed: float, started_at: float) -> int:
    """Print this night (not the last one loaded, which may be an earlier one) and what failed."""
    from cchc import night_failures

    settings = get_settings()
    run_id = night_failures.latest_run(started_at)
    if run_id is None:
        print(f"the night ran no task; see {log_path}")
        return returncode or 1
    try:
        summary = nightly.run_summary(run_id)
    except (FileNotFoundError, warehouse.WarehouseLockedError) as exc:
        summary = None
        print(f"night {run_id}: the warehouse cannot be read: {exc}")
    if summary and summary["portals"]:
        print(nightly.format_summary(summary))
    else:
        print(f"night {run_id}: nothing loaded")
    for failure in night_failures.read(run_id):
        print(f"FAILED {failure['task']}: {failure['error']}")
    print(f"warehouse {settings.warehouse_path}; total {elapsed:.1f} s (Airflow start-up included)")
    for label, path in (("analysts' snapshot", settings.analysts_path), ("report", settings.data_dir / "report" / "index.html")):
        if path.exists():
            print(f"{label}: {path}")
    if returncode != 0:
        print(f"airflow dags test exited {returncode}: see {log_path}")
        return returncode
    return 0
