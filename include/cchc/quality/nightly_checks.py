"""The night's data-quality task: the dossier arithmetic over every article in the marts, run by
Great Expectations, its breaks kept in ``dq.violations``.

``run_quality_checks(run_id)`` is what the DAG calls (after ``dbt build``, holding the warehouse
pool):

1. read the current facts from ``marts.fct_dossier_facts`` and group each article's facts into
   reports and terms with ``reports.build_reports`` - the code ``cchc check`` runs - into
   ``dq.report_terms`` / ``dq.reports``;
2. run the GX checkpoint ``cchc_nightly`` (``quality.gx_context``): the rules as
   ``UnexpectedRowsExpectation`` queries (``quality.rules_sql``) plus column expectations; Data
   Docs are rebuilt;
3. keep every row the rule expectations return in ``dq.violations`` (new, or ``last_seen``
   moved on), with the repair ``quality.repair`` suggests (its candidates run through the same
   SQL), the facts involved and their sentences, and the night in ``dq.validation_runs``. No
   other engine checks the arithmetic: the rows are Great Expectations' own.

A failing expectation is a result, not an error: the function returns ``success: False`` and
the night goes on (``cchc.alerts.notify_violations`` tells people). A check that cannot run - a
missing table, a GX exception in any expectation, a row GX returns that the check tables do not
hold - raises ``QualityCheckError`` with what went wrong, so the task fails loudly.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from cchc import warehouse
from cchc.quality.gx_context import ASSETS, SUITE_ASSET, QualityCheckError, run_checkpoint
from cchc.quality.report_terms import CheckInputError, load_articles, write_check_tables
from cchc.quality.rules_sql import write_rule_vocabulary
from cchc.quality.violations import build_records, record_run, upsert

log = logging.getLogger(__name__)

__all__ = ["QualityCheckError", "run_quality_checks"]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _rule_rows(outcome) -> list[dict[str, Any]]:
    """Every row of every rule expectation. GX keeps at most 200 rows of a query's result; past
    that, the same query text is run again on the same table (``{batch}`` -> the asset's query)
    and must return exactly the count GX observed."""
    rows: list[dict[str, Any]] = []
    for e in outcome.expectations:
        if not e.rule:
            continue
        got = e.rows
        if e.observed is not None and e.observed > len(got):
            asset = SUITE_ASSET[e.suite]
            sql = e.query.format(batch=f"({ASSETS[asset]})")
            with warehouse.connect(read_only=True) as con:
                cur = con.execute(sql)
                names = [d[0] for d in cur.description]
                got = [dict(zip(names, r)) for r in cur.fetchall()]
            if len(got) != e.observed:
                raise QualityCheckError(f"{e.check}: GX counted {e.observed} broken rows, the same query returned {len(got)}")
        rows += got
    return rows


def run_quality_checks(run_id: str | None = None) -> dict[str, Any]:
    """Run the nightly checks; returns small counts for XCom:
    ``{violations_total, new_violations, errors, warnings, data_docs, success, ...}``.
    ``run_id`` None (a run from the command line): ``manual__<UTC time>``."""
    import great_expectations

    started = _now()
    run_id = run_id or f"manual__{started:%Y-%m-%dT%H%M%S}"
    try:
        with warehouse.connect() as con:
            articles = load_articles(con)
            counts = write_check_tables(con, articles)
            write_rule_vocabulary(con)
    except CheckInputError as exc:
        raise QualityCheckError(str(exc)) from exc
    except Exception as exc:
        raise QualityCheckError(f"the quality checks could not prepare their tables: {exc!r}") from exc

    try:
        outcome = run_checkpoint(run_id)
    except QualityCheckError:
        raise
    except Exception as exc:
        raise QualityCheckError(f"the Great Expectations checkpoint could not run: {exc!r}") from exc
    if outcome.errors:
        lines = [f"  {e.suite}: {e.check or e.type} {e.kwargs}: {e.error}" for e in outcome.errors]
        raise QualityCheckError(f"GX could not compute {len(lines)} expectation(s):\n" + "\n".join(lines))

    rows = _rule_rows(outcome)
    now = _now()
    try:
        records = build_records(rows, articles, run_id, now)
    except KeyError as exc:
        raise QualityCheckError(str(exc)) from exc
    errors = sum(r["severity"] == "error" for r in records)
    warnings = len(records) - errors
    with warehouse.connect() as con:
        upsert(con, records)
        ids = [r["violation_id"] for r in records]
        new = con.execute(
            "select count(*) from dq.violations where first_seen_run_id = ? and list_contains(?, violation_id)", [run_id, ids]
        ).fetchone()[0] if ids else 0
        record_run(con, {
            "run_id": run_id, "started_at": started, "finished_at": _now(), "success": outcome.success,
            "n_expectations": outcome.n_expectations, "n_failed": outcome.n_failed, "n_violations": len(records),
            "n_new_violations": new, "n_errors": errors, "n_warnings": warnings, "n_reports": counts["reports"],
            "data_docs_path": str(outcome.data_docs_path), "gx_version": great_expectations.__version__,
        })
    failed = [e.check or e.type for e in outcome.expectations if not e.success and not e.rule]
    if failed:
        log.warning("expectations on the tables' shape failed: %s", failed)
    summary = {
        "run_id": run_id, "violations_total": len(records), "new_violations": new, "errors": errors, "warnings": warnings,
        "data_docs": str(outcome.data_docs_path), "success": outcome.success,
        "expectations": outcome.n_expectations, "failed_expectations": outcome.n_failed,
        "articles": counts["articles"], "reports": counts["reports"],
    }
    log.info("quality checks %s: %s", run_id, summary)
    return summary
