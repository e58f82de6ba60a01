"""The night: crawl every portal in the registry, land what changed in the warehouse, extract
article text and dossier facts, build the marts with dbt, check the dossier arithmetic with
Great Expectations and mark tonight's violations on the marts' rows, publish the analysts' snapshot and the report, and alert on what broke.

Thin on purpose: each task is one call into ``cchc.nightly`` with ids and paths, returning
small counts; nothing is read, opened or run at parse time. Every task ends within its
``execution_timeout``, nothing waits on a task that never ran, and the last task runs on every
outcome: it alerts with the first failure's own message and fails the run when the night did.

dbt runs as one ``dbt build`` task, not a task per model: measured on the demo with a real
scheduler, one task took 53-61 s against 91-100 s for a Cosmos task group (whose model sensors
waited forever when the build never ran) and 790-821 s for one dbt process per model. A failed
node fails the task, and the alert quotes dbt on it. After the checks, a second, selected build
(``source:dq+``) puts the night's violations on the marts' rows.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import dag, task

from cchc.settings import WAREHOUSE_POOL  # one slot: DuckDB takes one writer at a time

RETRY = {"retries": 2}  # waiting [core] default_task_retry_delay between tries


@dag(
    dag_id="cchc_nightly",
    schedule="0 1 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=8),
    tags=["cchc", "crawl", "warehouse"],
    default_args={"retries": 0, "execution_timeout": timedelta(hours=1)},
    doc_md=__doc__,
)
def cchc_nightly():
    @task(execution_timeout=timedelta(minutes=5))
    def registry_entries(run_id: str | None = None) -> list[str]:
        """Every registry entry; a malformed one still gets a task, which fails naming the field."""
        from cchc import nightly

        return nightly.list_entries(run_id)

    @task(pool=WAREHOUSE_POOL, **RETRY)
    def url_state(run_id: str | None = None) -> str | None:
        """What the warehouse knows of each URL, for conditional GET, written beside the landing files."""
        from cchc import nightly

        return nightly.url_state(run_id)

    @task(max_active_tis_per_dag=8, execution_timeout=timedelta(hours=3))
    def fetch(entry_key: str, run_id: str | None = None) -> dict:
        """Crawl one portal politely into landing Parquet; never opens the warehouse."""
        from cchc import nightly

        return nightly.fetch_portal(entry_key, run_id)

    @task(pool=WAREHOUSE_POOL, trigger_rule="all_done", **RETRY)
    def load(run_id: str | None = None) -> dict:
        """Append the night's landing files to raw.pages and raw.fetch_log in one transaction."""
        from cchc import nightly

        return nightly.load_run(run_id)

    @task(pool=WAREHOUSE_POOL, **RETRY)
    def extract(run_id: str | None = None) -> dict:
        """Article text (trafilatura) and dossier facts of every article version not yet extracted."""
        from cchc import nightly

        return nightly.extract(run_id)

    @task(pool=WAREHOUSE_POOL)
    def dbt_build(run_id: str | None = None) -> dict:
        """The marts: one ``dbt build`` (models, tests, unit tests); any failed node fails it."""
        from cchc import nightly

        return nightly.build_marts(run_id)

    @task(pool=WAREHOUSE_POOL)
    def quality_checks(run_id: str | None = None) -> dict:
        """The dossier arithmetic as Great Expectations suites; violations kept in dq.violations.
        Broken rules never fail this task; a check that cannot run does."""
        from cchc import nightly

        return nightly.quality_checks(run_id)

    @task(pool=WAREHOUSE_POOL, execution_timeout=timedelta(minutes=30))
    def dbt_build_quality_marks(run_id: str | None = None) -> dict:
        """The models that read tonight's violations (marks on facts, reports, series and kpis;
        the dq marts), rebuilt after the checks; any failed node fails it."""
        from cchc import nightly

        return nightly.mark_quality(run_id)

    @task(pool=WAREHOUSE_POOL, **RETRY)
    def publish(run_id: str | None = None) -> dict:
        """The marts and violations, as a new analysts' file renamed over the last good one."""
        from cchc import nightly

        return nightly.publish(run_id)

    @task(trigger_rule="all_done", execution_timeout=timedelta(minutes=15))
    def report(run_id: str | None = None) -> str:
        """The static HTML report of the night."""
        from cchc import nightly

        return nightly.report(run_id)

    @task(trigger_rule="all_done", execution_timeout=timedelta(minutes=10))
    def alerts_and_summary(run_id: str | None = None, ti=None) -> dict:
        """Alert on new violations and on the night's failures, print the summary, and fail
        the run when a stage of the night failed (one portal failing alone does not)."""
        from cchc import nightly

        states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[run_id]).get(run_id, {})
        return nightly.finish_night(run_id, task_states=states)

    # run_id is Airflow's context variable, passed to each task by name.
    fetched = fetch.expand(entry_key=registry_entries())
    url_state() >> fetched >> load() >> extract() >> dbt_build() >> quality_checks() >> dbt_build_quality_marks() >> publish() >> report() >> alerts_and_summary()


cchc_nightly()
