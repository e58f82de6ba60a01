"""The night: crawl every portal in the registry and land what changed in the warehouse.

Thin on purpose: each task is one call into ``cchc.nightly`` with ids and paths, returning
small counts. Nothing is read, opened or imported heavily at parse time.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import dag, task

WAREHOUSE_POOL = "cchc_warehouse"  # one slot: DuckDB takes one writer at a time
RUN_ID = "{{ run_id }}"


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
    def snapshot_state(run_id: str) -> str | None:
        """What the warehouse knows of each URL, for conditional GET, written beside the landing files."""
        from cchc import nightly

        return nightly.snapshot_state(run_id)

    @task(max_active_tis_per_dag=8)
    def fetch(entry_key: str, run_id: str) -> dict:
        """Crawl one portal politely into landing Parquet; never opens the warehouse."""
        from cchc import nightly

        return nightly.fetch_portal(entry_key, run_id)

    @task(pool=WAREHOUSE_POOL, trigger_rule="all_done", retries=2, retry_delay=timedelta(seconds=30))
    def load(run_id: str) -> dict:
        """Append the night's landing files to raw.pages and raw.fetch_log in one transaction."""
        from cchc import nightly

        return nightly.load_run(run_id)

    @task(trigger_rule="all_done")
    def summary(run_id: str) -> dict:
        """Print the night: portals, pages new / unchanged / failed, and portals that look broken."""
        from cchc import nightly

        return nightly.finish_night(run_id)

    entries = registry_entries()
    state = snapshot_state(RUN_ID)
    fetched = fetch.partial(run_id=RUN_ID).expand(entry_key=entries)
    state >> fetched
    landed = load(RUN_ID)
    fetched >> landed
    landed >> summary(RUN_ID)


cchc_nightly()
