"""A portal's history: walk its archive once (``cchc backfill``), then extract what landed.

Triggered by hand with parameters: ``portal`` (a registry id), and ``pages`` (walk the listing
up to that page) or ``since`` (stop after the first page older than that date). Resumable: a
run that fails or is killed leaves a checkpoint, and the next run starts where it stopped. The
marts take the new articles in on the next night.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import Param, dag, task

from cchc.settings import WAREHOUSE_POOL


@dag(
    dag_id="cchc_backfill",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    tags=["cchc", "crawl", "backfill"],
    default_args={"retries": 0},
    params={
        "portal": Param("", type="string", minLength=1, description="the registry id of the portal"),
        "pages": Param(None, type=["null", "integer"], minimum=1, description="walk the listing up to this page"),
        "since": Param(None, type=["null", "string"], format="date", description="stop after the first page older than this (YYYY-MM-DD)"),
    },
    doc_md=__doc__,
)
def cchc_backfill():
    # Outside the pool: a walk takes hours, and holding the one slot would starve the night. Its
    # short page loads take the warehouse like any writer (waiting on its lock, then failing,
    # resumably, should the night hold it too long).
    @task(execution_timeout=timedelta(hours=12))
    def backfill(params=None) -> dict:
        """Walk the archive from its checkpoint, landing and loading each listing page."""
        from datetime import date

        from cchc.backfill import backfill as walk

        since = date.fromisoformat(params["since"]) if params.get("since") else None
        return walk(params["portal"], pages=params.get("pages"), since=since)

    @task(pool=WAREHOUSE_POOL, execution_timeout=timedelta(hours=2))
    def extract(run_id: str | None = None) -> dict:
        """Article text and dossier facts of what the backfill landed."""
        from cchc import nightly

        return nightly.extract(run_id)

    backfill() >> extract()


cchc_backfill()
