"""The night: crawl every portal in the registry, land what changed in the warehouse, and
extract article text and dossier facts from it.

Thin on purpose: each task is one call into ``cchc.nightly`` with ids and paths, returning
small counts. Nothing is read, opened or imported heavily at parse time.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import dag, task

WAREHOUSE_POOL = "cchc_warehouse"  # one slot: DuckDB takes one writer at a time


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

    @task(trigger_rule="all_done")
    def summary(run_id: str | None = None) -> dict:
        """Print the night: portals, pages new / unchanged / failed, and portals that look broken."""
        from cchc import nightly

        return nightly.finish_night(run_id)

    # run_id is Airflow's context variable, passed to each task by name.
    fetched = fetch.expand(entry_key=registry_entries())
    snapshot_state() >> fetched >> load() >> extract() >> summary()


cchc_nightly()
