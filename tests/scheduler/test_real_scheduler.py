"""The night on a real Airflow: API server, scheduler and DAG processor with LocalExecutor on
PostgreSQL (started if it is down), the DAG unpaused and triggered, twice.

Marked `scheduler`: part of the default suite; skip it with `-m "not scheduler"`.
"""
from __future__ import annotations

import uuid

import pytest

from cchc import nightly, warehouse
from cchc.local_airflow import LocalAirflow

pytestmark = pytest.mark.scheduler


def test_scheduled_night_succeeds_and_a_second_night_adds_nothing(tmp_path, sample_server):
    with LocalAirflow(home=tmp_path / "airflow", database=f"cchc_airflow_{uuid.uuid4().hex[:8]}") as af:
        af.wait_for_dag("cchc_nightly")
        af.cli("dags", "unpause", "cchc_nightly")
        # Unpausing schedules the latest interval (catchup is off): that is the first night.
        first = af.wait_for_run("cchc_nightly", timeout=900)
        assert first["state"] == "success", f"see {af.log_dir}"
        with warehouse.connect(read_only=True) as con:
            pages_after_first = con.execute("select count(*) from raw.pages").fetchone()[0]
            facts_after_first = con.execute("select count(*) from raw.facts").fetchone()[0]
        assert pages_after_first > 30 and facts_after_first > 0

        af.cli("dags", "trigger", "cchc_nightly", "--run-id", "second_night")
        second = af.wait_for_run("cchc_nightly", run_id="second_night", timeout=900)
        assert second["state"] == "success", f"see {af.log_dir}"

    summary = nightly.run_summary("second_night")
    assert summary["pages_new"] == 0 and summary["pages_unchanged"] > 0
    with warehouse.connect(read_only=True) as con:
        asked = con.execute("select count(*) from raw.fetch_log where run_id = 'second_night' and page_kind = 'article'"
                            " and outcome in ('new', 'unchanged', 'not_modified')").fetchone()[0]
        assert asked == 0, "no known article is due again the same day"
        assert con.execute("select count(*) from raw.pages").fetchone()[0] == pages_after_first
        assert con.execute("select count(*) from raw.facts").fetchone()[0] == facts_after_first
        runs = con.execute("select count(distinct run_id) from raw.portal_runs").fetchone()[0]
    assert runs == 2
