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
    assert "url_state" in fetch.upstream_task_ids
    assert "fetch" in load.upstream_task_ids
    assert load.trigger_rule == "all_done"


def test_every_task_that_writes_the_warehouse_takes_the_one_slot_pool(dagbag):
    from cchc.settings import WAREHOUSE_POOL

    dag = dagbag.dags["cchc_nightly"]
    writers = {"url_state", "load", "extract", "dbt_build", "quality_checks", "dbt_build_quality_marks", "publish"}
    assert {t.task_id for t in dag.tasks if t.pool == WAREHOUSE_POOL} == writers


def test_every_task_ends_within_a_bound_and_the_last_runs_on_every_outcome(dagbag):
    dag = dagbag.dags["cchc_nightly"]
    for t in dag.tasks:
        assert t.execution_timeout is not None and t.execution_timeout.total_seconds() <= 3 * 3600, t.task_id
    assert dag.dagrun_timeout is not None
    assert dag.get_task("alerts_and_summary").trigger_rule == "all_done"
    assert dag.get_task("alerts_and_summary").downstream_task_ids == set(), "the run's state is its last task's"
    # only these run after a failure upstream; none of them waits for anything that did not run
    assert {t.task_id for t in dag.tasks if t.trigger_rule != "all_success"} == {"load", "report", "alerts_and_summary"}


def test_the_marts_are_one_dbt_build_between_extraction_and_the_checks(dagbag):
    dag = dagbag.dags["cchc_nightly"]
    assert dag.get_task("dbt_build").upstream_task_ids == {"extract"}
    assert dag.get_task("quality_checks").upstream_task_ids == {"dbt_build"}


def test_tonights_violations_reach_the_marts_before_they_are_published(dagbag):
    dag = dagbag.dags["cchc_nightly"]
    assert dag.get_task("dbt_build_quality_marks").upstream_task_ids == {"quality_checks"}
    assert dag.get_task("publish").upstream_task_ids == {"dbt_build_quality_marks"}
