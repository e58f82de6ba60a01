"""The night: crawl every portal in the registry, land what changed in the warehouse, extract
article text and dossier facts, build the marts with dbt, check the dossier arithmetic with
Great Expectations, publish the analysts' snapshot and the report, and alert on what broke.

Thin on purpose: each task is one call into ``cchc`` with ids and paths, returning small
counts. Nothing is read, opened or run at parse time; the dbt task group is rendered from the
manifest that ``dbt parse`` leaves in ``dbt_project/target`` (``make`` writes it).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.sdk import dag, task

WAREHOUSE_POOL = "cchc_warehouse"  # one slot: DuckDB takes one writer at a time
# Relative to this file, not absolute: Airflow 3's versioned DAG bundles move the files.
DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
DBT_MANIFEST = DBT_PROJECT / "target" / "manifest.json"


@dag(
    dag_id="cchc_nightly",
    schedule="0 1 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    tags=["cchc", "crawl", "warehouse"],
    default_args={"retries": 0},
    doc_md=__doc__,
)
def cchc_nightly():
    @task
    def registry_entries() -> list[str]:
        """Every registry entry; a malformed one still gets a task, which fails naming the field."""
        from cchc import nightly

        return nightly.list_entries()

    @task(pool=WAREHOUSE_POOL, retries=2, retry_delay=timedelta(seconds=30))
    def snapshot_state(run_id: str | None = None) -> str | None:
        """What the warehouse knows of each URL, for conditional GET, written beside the landing files."""
        from cchc import nightly

        return nightly.snapshot_state(run_id)

    @task(max_active_tis_per_dag=8)
    def fetch(entry_key: str, run_id: str | None = None) -> dict:
        """Crawl one portal politely into landing Parquet; never opens the warehouse."""
        from cchc import nightly

        return nightly.fetch_portal(entry_key, run_id)

    @task(pool=WAREHOUSE_POOL, trigger_rule="all_done", retries=2, retry_delay=timedelta(seconds=30))
    def load(run_id: str | None = None) -> dict:
        """Append the night's landing files to raw.pages and raw.fetch_log in one transaction."""
        from cchc import nightly

        return nightly.load_run(run_id)

    @task(pool=WAREHOUSE_POOL, retries=2, retry_delay=timedelta(seconds=30))
    def extract(run_id: str | None = None) -> dict:
        """Article text (trafilatura) and dossier facts of every article version not yet extracted."""
        from cchc import nightly

        return nightly.extract(run_id)

    @task(pool=WAREHOUSE_POOL)
    def quality_checks(run_id: str | None = None) -> dict:
        """The dossier arithmetic as Great Expectations suites; violations kept in dq.violations.
        Broken rules never fail this task; a check that cannot run does."""
        from cchc.quality.nightly_checks import run_quality_checks

        return run_quality_checks(run_id)

    @task(pool=WAREHOUSE_POOL, retries=2, retry_delay=timedelta(seconds=30))
    def publish(run_id: str | None = None) -> dict:
        """The marts and violations, as a new analysts' file renamed over the last good one."""
        from cchc import nightly

        return nightly.publish(run_id)

    @task(trigger_rule="all_done")
    def report(run_id: str | None = None) -> str:
        """The static HTML report of the night."""
        from cchc.report import build_report

        return str(build_report(run_id=run_id))

    @task(trigger_rule="all_done")
    def alerts_and_summary(run_id: str | None = None, ti=None) -> dict:
        """Alert on new violations and on failed tasks, then print the night's summary."""
        from cchc import nightly

        states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[run_id]).get(run_id, {})
        return nightly.finish_night(run_id, task_states=states)

    # run_id is Airflow's context variable, passed to each task by name.
    fetched = fetch.expand(entry_key=registry_entries())
    extracted = snapshot_state() >> fetched >> load() >> extract()
    checked = quality_checks()
    extracted >> _dbt_group() >> checked
    checked >> publish() >> report() >> alerts_and_summary()


def _dbt_group():
    """The marts, one task per model (Cosmos, WATCHER mode: one ``dbt build`` in the pool)."""
    from cchc.cosmos_order import order_watchers_after_producer
    from cchc.dbt_runner import cosmos_task_group

    group = cosmos_task_group(
        group_id="dbt",
        pool=WAREHOUSE_POOL,
        project_dir=DBT_PROJECT,
        manifest_path=DBT_MANIFEST if DBT_MANIFEST.exists() else None,
    )
    return order_watchers_after_producer(group)


cchc_nightly()
