"""Nights that fail say so, within minutes, and the next night recovers.

Four nights of `cchc demo` (a real `airflow dags test`) on one data folder, each with its own
fault, the last with none:

1. one staging model of the dbt project is broken;
2. a reader holds the warehouse file for the whole night;
3. the registry holds one byte that is not UTF-8, in one entry;
4. nothing is wrong.

Each faulty night must end ``failed`` within a bound, `cchc demo` must exit non-zero and print
what failed, and the alert receiver must get one failure alert naming the cause in its own
words. The fourth night succeeds and lands nothing twice.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from cchc import warehouse
from cchc.settings import PROJECT_ROOT, SAMPLE_REGISTRY

pytestmark = pytest.mark.e2e

NIGHT_BOUND_S = 300  # a faulty night must be over well within this
BROKEN_MODEL = "stg_raw__pages"
READER = "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); print('holding', flush=True); sys.stdin.readline()"


class Receiver:
    """A JSON webhook on loopback: where CCHC_ALERT_URL sends the night's alerts."""

    def __init__(self):
        self.messages: list[dict] = []
        messages = self.messages

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                messages.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/"

    def take(self) -> list[dict]:
        taken = list(self.messages)
        self.messages.clear()
        return taken


def _demo(env: dict[str, str]) -> tuple[int, str, float]:
    started = time.monotonic()
    proc = subprocess.run([str(Path(sys.executable).with_name("cchc")), "demo"], env=env, capture_output=True,
                          text=True, timeout=NIGHT_BOUND_S + 120)
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started


def _failure_alerts(messages: list[dict]) -> list[dict]:
    return [m for m in messages if " failed: " in m["title"]]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    data = work / "data"
    broken_dbt = work / "dbt_project"
    shutil.copytree(PROJECT_ROOT / "dbt_project", broken_dbt, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    model = next(broken_dbt.glob(f"models/**/{BROKEN_MODEL}.sql"))
    model.write_text("select no_such_column from {{ source('raw', 'pages') }}\n", encoding="utf-8")
    bad_registry = work / "portals.yaml"
    text = SAMPLE_REGISTRY.read_bytes()
    at = text.index(b"id: sonla")
    at = text.index(b"name:", at) + len(b"name: ") + 1
    bad_registry.write_bytes(text[:at] + b"\xfe" + text[at:])
    bad_line = text[:at].count(b"\n") + 1

    receiver = Receiver()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "AIRFLOW"))}
    base.update({"CCHC_DATA_DIR": str(data), "CCHC_ALERT_URL": receiver.url, "CCHC_POLITE": "0",
                 "CCHC_LOCK_RETRIES": "1", "AIRFLOW__CORE__DEFAULT_TASK_RETRY_DELAY": "1"})
    results = {}

    results["dbt"] = (*_demo({**base, "CCHC_DBT_PROJECT": str(broken_dbt)}), receiver.take())

    reader = subprocess.Popen([sys.executable, "-c", READER, str(data / "warehouse.duckdb")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "holding"
        results["lock"] = (*_demo(base), receiver.take(), reader.pid)
    finally:
        reader.kill()
        reader.wait()

    results["registry"] = (*_demo({**base, "CCHC_REGISTRY": str(bad_registry)}), receiver.take(), bad_line)
    results["healthy"] = (*_demo(base), receiver.take())
    yield results, data
    receiver.server.shutdown()
    receiver.server.server_close()


def test_a_broken_dbt_model_fails_the_night_and_the_alert_quotes_dbt(nights):
    code, out, seconds, alerts = nights[0]["dbt"]
    assert code != 0 and seconds < NIGHT_BOUND_S, out[-3000:]
    assert "FAILED dbt_build: dbt build failed" in out and BROKEN_MODEL in out
    assert "analysts' snapshot:" not in out, "a night whose marts failed publishes nothing"
    (alert,) = _failure_alerts(alerts)
    assert alert["title"].startswith("CCHC night ") and f" failed: dbt_build: dbt build failed at model.cchc.{BROKEN_MODEL} " in alert["title"]
    assert BROKEN_MODEL in alert["message"] and "no_such_column" in alert["message"]
    assert "Did not run (an upstream task failed): dbt_build_quality_marks, publish, quality_checks" in alert["message"]


def test_a_night_with_the_warehouse_held_fails_in_minutes_naming_the_holder(nights):
    code, out, seconds, alerts, pid = nights[0]["lock"]
    assert code != 0 and seconds < NIGHT_BOUND_S, out[-3000:]
    (alert,) = _failure_alerts(alerts)
    assert f"PID {pid}" in alert["title"] and alert["title"].split(" failed: ")[1].startswith("load: ")
    assert f"PID {pid}" in out


def test_an_undecodable_registry_byte_fails_its_portal_and_the_night_by_line(nights):
    code, out, seconds, alerts, line = nights[0]["registry"]
    assert code != 0 and seconds < NIGHT_BOUND_S, out[-3000:]
    (alert,) = _failure_alerts(alerts)
    assert "fetch[sonla]: " in alert["title"] and f"line {line}, column " in alert["title"] and "0xfe is not valid UTF-8" in alert["title"]
    for portal in ("thoxuan", "baodongthap", "thanhliem", "baoapbac"):  # the others crawled
        assert f"  {portal:<14} ok" in out, out[-3000:]


def test_the_next_night_without_faults_succeeds_and_lands_nothing_twice(nights):
    results, data = nights
    code, out, seconds, alerts = results["healthy"]
    assert code == 0, out[-3000:]
    assert not _failure_alerts(alerts) and "FAILED" not in out
    assert "pages new 0 / unchanged " in out, "every page was landed once, by the first night"
    with warehouse.connect(read_only=True, path=data / "warehouse.duckdb") as con:
        pages, versions = con.execute("select count(*), count(distinct page_version_id) from raw.pages").fetchone()
        assert pages == versions > 30
        assert con.execute("select count(*) from marts.fct_dossier_facts").fetchone()[0] > 100
        last = con.execute("select run_id from raw.portal_runs order by started_at desc limit 1").fetchone()[0]
    with warehouse.connect(read_only=True, path=data / "analysts.duckdb") as con:
        assert con.execute("select run_id from meta.snapshot").fetchone()[0] == last
