"""The DAG files import cleanly with an empty environment and keep the night's shape."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory):
    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow_home")))
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_dag_files_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "cchc_nightly" in dagbag.dags


def test_dag_files_do_no_work_at_import():
    """Importing a DAG file must not open the warehouse, read CCHC_* settings or import duckdb."""
    code = (
        "import sys, runpy; runpy.run_path(sys.argv[1]);"
        "heavy = [m for m in ('duckdb', 'trafilatura', 'requests', 'cchc.warehouse') if m in sys.modules];"
        "print('HEAVY:' + ','.join(heavy))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    for path in DAGS.glob("*.py"):
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        heavy = [line for line in proc.stdout.splitlines() if line.startswith("HEAVY:")][-1]
        assert heavy == "HEAVY:", f"{path.name} imports {heavy[6:]}"


def test_night_wires_fetch_as_a_mapped_task_between_state_and_load(dagbag):
    dag = dagbag.dags["cchc_nightly"]
    assert dag.catchup is False and dag.max_active_runs == 1
    fetch, load = dag.get_task("fetch"), dag.get_task("load")
    assert "snapshot_state" in fetch.upstream_task_ids
    assert "fetch" in load.upstream_task_ids
    assert load.trigger_rule == "all_done"


def test_every_task_that_writes_the_warehouse_takes_the_one_slot_pool(dagbag):
    from cchc.settings import WAREHOUSE_POOL

    dag = dagbag.dags["cchc_nightly"]
    writers = ["snapshot_state", "load", "extract", "quality_checks", "publish"]
    writers += [t for t in dag.task_ids if t.startswith("dbt.") and t.endswith("dbt_producer_watcher")]
    assert len(writers) == 6, dag.task_ids
    for task_id in writers:
        assert dag.get_task(task_id).pool == WAREHOUSE_POOL, task_id
    assert dag.get_task("fetch").pool != WAREHOUSE_POOL


def test_each_dbt_model_shows_as_a_task_between_extraction_and_the_checks(dagbag):
    import json
    from pathlib import Path

    dag = dagbag.dags["cchc_nightly"]
    manifest = json.loads((Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "manifest.json").read_text())
    models = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    dbt_tasks = {t.split(".")[1] for t in dag.task_ids if t.startswith("dbt.")}
    assert models <= dbt_tasks
    assert "extract" in dag.get_task("dbt.dbt_producer_watcher").upstream_task_ids
    assert any(t.startswith("dbt.") for t in dag.get_task("quality_checks").upstream_task_ids)
