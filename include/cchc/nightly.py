"""One function per task of the nightly DAG: ids and paths in, small JSON-able dicts out.

The DAG file only wires these together; the CLI calls them too.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from typing import Any

from cchc import landing, warehouse
from cchc.night_failures import recorded
from cchc.settings import get_settings

log = logging.getLogger(__name__)


def new_run_id() -> str:
    return f"cli__{datetime.now(timezone.utc):%Y-%m-%dT%H%M%S}_{uuid.uuid4().hex[:6]}"


def list_entries(run_id: str | None = None) -> list[str]:
    """Every registry entry, valid or malformed: each gets its own mapped fetch task, so a
    malformed one fails alone, with a message naming the entry and the field."""
    from cchc.registry.registry import load_registry

    with recorded(run_id, "registry_entries"):
        registry = load_registry()
    for key, error in registry.errors.items():
        log.error("registry: %s", error)
    return registry.entry_keys


def url_state(run_id: str) -> str | None:
    with recorded(run_id, "url_state"):
        path = landing.write_state(get_settings().landing_dir, run_id)
    return str(path) if path else None


def fetch_portal(entry_key: str, run_id: str) -> dict[str, Any]:
    """Crawl one portal into the landing folder. Raises (failing this portal's task only)
    when the entry is malformed or the portal cannot be crawled at all, after landing the
    failure so the night's summary names it."""
    with recorded(run_id, f"fetch[{entry_key}]"):
        return _fetch_portal(entry_key, run_id)


def _fetch_portal(entry_key: str, run_id: str) -> dict[str, Any]:
    from cchc.crawl.crawler import crawl_portal
    from cchc.registry.registry import RegistryError, load_registry

    settings = get_settings()
    try:
        portal = load_registry().get(entry_key)
    except RegistryError as exc:
        landing.write_portal(settings.landing_dir, entry_key, None, run_id=run_id, error=str(exc))
        raise
    known = landing.read_state(settings.landing_dir, run_id, portal.id)
    try:
        result = crawl_portal(portal, settings, run_id, known, pacing_dir=settings.pacing_dir)
    except Exception as exc:
        landing.write_portal(settings.landing_dir, entry_key, None, run_id=run_id, error=f"portal {portal.id}: crawler crashed: {exc!r}")
        raise
    landing.write_portal(settings.landing_dir, entry_key, result, run_id=run_id, broken_after_nights=portal.broken_after_nights)
    summary = {"portal": portal.id, **result.counts(), "health": result.health_notes}
    if result.fatal_error:
        raise PortalFailed(result.fatal_error)
    return summary


class PortalFailed(RuntimeError):
    pass


def load_run(run_id: str) -> dict[str, Any]:
    settings = get_settings()
    with recorded(run_id, "load"), warehouse.connect() as con:
        return landing.load_run(con, settings.landing_dir, run_id, settings.broken_after_nights)


def extract(run_id: str | None = None) -> dict[str, Any]:
    """Text and facts of every article version the current extractor has not seen yet."""
    from cchc.extract.pipeline import extract_pending
    from cchc.registry.registry import RegistryError, load_registry

    try:
        hints = {pid: p.locality_hint for pid, p in load_registry().portals.items()}
    except RegistryError as exc:  # extraction still runs, with localities from the text alone
        log.error("registry unreadable, extracting without portal localities: %s", exc)
        hints = {}
    with recorded(run_id, "extract"), warehouse.connect() as con:
        result = extract_pending(con, hints)
    if result["failed"]:
        log.error("extraction failed for %d pages: %s", result["failed"], result["failures"])
    return result


def build_marts(run_id: str | None = None) -> dict[str, Any]:
    """One ``dbt build`` of the marts on the warehouse (threads 1: the pool holds the only writer)."""
    from cchc.dbt_runner import dbt_build

    with recorded(run_id, "dbt_build"):
        result = dbt_build()
    return {k: v for k, v in result.items() if isinstance(v, (int, float, str, bool))}


def quality_checks(run_id: str | None = None) -> dict[str, Any]:
    """The dossier arithmetic as Great Expectations suites; broken rules never raise."""
    from cchc.quality.nightly_checks import run_quality_checks

    with recorded(run_id, "quality_checks"):
        return run_quality_checks(run_id)


# The models that read the checks' tables (dbt source `dq`) and everything downstream of them:
# the quality marks on facts, reports, series and kpis, and the dq marts.
QUALITY_MARKS_SELECTOR = "source:dq+"


def mark_quality(run_id: str | None = None) -> dict[str, Any]:
    """A second, selected ``dbt build`` after the checks: tonight's violations onto the rows."""
    from cchc.dbt_runner import dbt_build

    with recorded(run_id, "dbt_build_quality_marks"):
        result = dbt_build(select=QUALITY_MARKS_SELECTOR)
    return {k: v for k, v in result.items() if isinstance(v, (int, float, str, bool))}


def publish(run_id: str) -> dict[str, Any]:
    """Publish the marts and data-quality tables to the analysts' file (a new file renamed over
    the last one), so analysts never hold the file the night writes."""
    with recorded(run_id, "publish"):
        return warehouse.publish_analyst_copy(run_id)


def report(run_id: str | None = None) -> str:
    from cchc.report import build_report

    with recorded(run_id, "report"):
        return str(build_report(run_id=run_id))


def _lock_holder() -> str | None:
    """The lock error naming the process that holds the warehouse, if one does."""
    try:
        with warehouse.connect(read_only=True, lock_retries=1, lock_backoff=0.5):
            return None
    except warehouse.WarehouseLockedError as exc:
        return str(exc)
    except FileNotFoundError:
        return None


def run_summary(run_id: str | None = None) -> dict[str, Any]:
    with warehouse.connect(read_only=True) as con:
        if run_id is None:
            row = con.execute("select run_id from raw.portal_runs where not starts_with(run_id, ?)"
                              " order by started_at desc nulls last limit 1", [landing.BACKFILL_PREFIX]).fetchone()
            if row is None:
                return {"run_id": None, "portals": []}
            run_id = row[0]
        rows = con.execute(
            """select portal_id, status, pages_new, pages_unchanged, pages_failed, articles_new,
                      coalesce(health_note, ''), coalesce(error, ''),
                      epoch(finished_at - started_at)
               from raw.portal_runs where run_id = ? order by portal_id""",
            [run_id],
        ).fetchall()
        span = con.execute(
            "select epoch(max(finished_at) - min(started_at)) from raw.portal_runs where run_id = ?", [run_id]
        ).fetchone()[0]
    keys = ("portal", "status", "pages_new", "pages_unchanged", "pages_failed", "articles_new", "health", "error", "seconds")
    portals = [dict(zip(keys, r)) for r in rows]
    return {
        "run_id": run_id,
        "portals": portals,
        "pages_new": sum(p["pages_new"] for p in portals),
        "pages_unchanged": sum(p["pages_unchanged"] for p in portals),
        "pages_failed": sum(p["pages_failed"] for p in portals),
        "crawl_seconds": round(span or 0.0, 1),
    }


def format_summary(summary: dict[str, Any]) -> str:
    if not summary.get("run_id"):
        return "no night has been loaded yet"
    lines = [f"night {summary['run_id']}: {len(summary['portals'])} portals, "
             f"pages new {summary['pages_new']} / unchanged {summary['pages_unchanged']} / failed {summary['pages_failed']}, "
             f"crawl {summary['crawl_seconds']} s"]
    for p in summary["portals"]:
        line = (f"  {p['portal']:<14} {p['status']:<16} new {p['pages_new']:>3}  unchanged {p['pages_unchanged']:>3}  "
                f"failed {p['pages_failed']:>3}  articles new {p['articles_new']:>3}")
        for extra in (p["health"], p["error"]):
            if extra:
                line += f"\n      {extra}"
        lines.append(line)
    return "\n".join(lines)


class NightFailed(RuntimeError):
    """A stage of the night failed; the message is the first failure's own."""


# A portal that does not answer is the portal's fault: its task fails, the alert names it, and
# the night, which did its work for every other portal, succeeds. Anything else failing (a
# malformed registry entry, a crawler crash, any later stage) is ours to fix: the night fails.
PORTAL_FAULTS = {"PortalFailed"}


def night_failures(run_id: str, task_states: dict[str, str]) -> tuple[list[dict], list[str]]:
    """(failures, first first, each with task, error and exception; tasks that did not run).

    A task Airflow marks failed without a recorded message (killed before its body caught
    anything) is still listed, with a pointer to its log. Airflow names mapped fetch tasks by
    index (``fetch_3``), the records by entry (``fetch[sonla]``): those are matched by count."""
    from cchc import night_failures as recorded_failures

    failures = recorded_failures.read(run_id)
    named = {f["task"] for f in failures}
    unrecorded = "failed without a recorded message (killed, or timed out); see its Airflow log"
    failed_fetches = sum(1 for t, s in task_states.items() if s == "failed" and _is_fetch(t))
    missing_fetches = failed_fetches - sum(1 for n in named if n.startswith("fetch["))
    if missing_fetches > 0:
        failures.append({"task": "fetch", "exception": "", "error": f"{missing_fetches} fetch task(s) {unrecorded}"})
    for task, state in sorted(task_states.items()):
        if state == "failed" and task not in named and not _is_fetch(task):
            failures.append({"task": task, "exception": "", "error": unrecorded})
    not_run = sorted(t for t, state in task_states.items() if state == "upstream_failed")
    return failures, not_run


def _is_fetch(task_id: str) -> bool:
    return task_id == "fetch" or task_id.startswith(("fetch_", "fetch["))


def finish_night(run_id: str, task_states: dict[str, str] | None = None) -> dict[str, Any]:
    """The last task, run on every outcome: alert on new violations and on the night's failures
    (the first named with its own message), print the summary, and raise :class:`NightFailed`
    when a stage failed or every portal did, so the run ends ``failed``."""
    from cchc import alerts

    failures, not_run = night_failures(run_id, task_states or {})
    lock = _lock_holder()
    if lock and failures and not any(f["exception"] == "WarehouseLockedError" for f in failures):
        # held still, at the night's end: the likeliest cause of whatever failed
        failures.insert(0, {"task": "(warehouse)", "exception": "WarehouseLockedError", "error": lock})
    summary = None
    if not lock:
        try:
            summary = run_summary(run_id)
        except Exception as exc:  # no warehouse yet, or a writer took it since: the alert still goes
            log.error("night %s: no summary: %s", run_id, exc)
    print(format_summary(summary) if summary else f"night {run_id}: nothing loaded")
    portals = (summary or {}).get("portals") or []
    stage_failures = [f for f in failures if f["exception"] not in PORTAL_FAULTS]
    if portals and all(p["status"] == "failed" for p in portals) and not stage_failures:
        stage_failures = [{"task": "fetch", "exception": "", "error": f"every portal failed ({len(portals)})"}]
    failed = bool(stage_failures)
    sent: dict[str, Any] = {}
    if failures or stage_failures:  # first: nothing below may keep this one from going out
        sent["failures"] = alerts.notify_failures(run_id, stage_failures + [f for f in failures if f not in stage_failures],
                                                  not_run, night_failed=failed)
    if summary is not None:
        try:
            sent["violations"] = alerts.notify_violations(run_id)
        except Exception as exc:  # e.g. the checks never ran, so dq.* is missing
            log.error("night %s: violations not alerted: %s", run_id, exc)
            sent["violations"] = {"sent": False, "error": str(exc)}
    for f in failures:
        print(f"FAILED {f['task']}: {f['error']}")
    if failed:
        first = stage_failures[0]
        raise NightFailed(f"night {run_id} failed: {first['task']}: {first['error']}")
    return {**{k: v for k, v in (summary or {}).items() if k != "portals"},
            "failed_tasks": [f["task"] for f in failures], "alerts": sent}
