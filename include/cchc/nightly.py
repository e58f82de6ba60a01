"""One function per task of the nightly DAG: ids and paths in, small JSON-able dicts out.

The DAG file only wires these together; the CLI calls them too.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from typing import Any

from cchc import landing, warehouse
from cchc.settings import get_settings

log = logging.getLogger(__name__)


def new_run_id() -> str:
    return f"cli__{datetime.now(timezone.utc):%Y-%m-%dT%H%M%S}_{uuid.uuid4().hex[:6]}"


def list_entries() -> list[str]:
    """Every registry entry, valid or malformed: each gets its own mapped fetch task, so a
    malformed one fails alone, with a message naming the entry and the field."""
    from cchc.registry.registry import load_registry

    registry = load_registry()
    for key, error in registry.errors.items():
        log.error("registry: %s", error)
    return registry.entry_keys


def snapshot_state(run_id: str) -> str | None:
    path = landing.write_state(get_settings().landing_dir, run_id)
    return str(path) if path else None


def fetch_portal(entry_key: str, run_id: str) -> dict[str, Any]:
    """Crawl one portal into the landing folder. Raises (failing this portal's task only)
    when the entry is malformed or the portal cannot be crawled at all, after landing the
    failure so the night's summary names it."""
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
        result = crawl_portal(portal, settings, run_id, known)
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
    with warehouse.connect() as con:
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
    with warehouse.connect() as con:
        result = extract_pending(con, hints)
    if result["failed"]:
        log.error("extraction failed for %d pages: %s", result["failed"], result["failures"])
    return result


def build_marts(run_id: str | None = None) -> dict[str, Any]:
    """One ``dbt build`` of the marts on the warehouse (threads 1: the pool holds the only writer)."""
    from cchc.dbt_runner import dbt_build

    result = dbt_build()
    return {k: v for k, v in result.items() if isinstance(v, (int, float, str, bool))}


def publish(run_id: str) -> dict[str, Any]:
    """Publish the marts and data-quality tables to the analysts' file (a new file renamed over
    the last one), so analysts never hold the file the night writes."""
    return warehouse.publish_analyst_copy(run_id)


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
            row = con.execute("select run_id from raw.portal_runs order by started_at desc nulls last limit 1").fetchone()
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


def finish_night(run_id: str, task_states: dict[str, str] | None = None) -> dict[str, Any]:
    """The last task: alert on new violations and on failed tasks, print the night's summary,
    and fail the run only when every portal failed."""
    from cchc import alerts

    failed = sorted(task for task, state in (task_states or {}).items() if state in ("failed", "upstream_failed"))
    lock = _lock_holder()
    if lock:  # a stray process holds the warehouse: say who, since nothing below can read it
        alerts.notify_failed_tasks(run_id, failed or ["(warehouse)"], lock)
        raise warehouse.WarehouseLockedError(lock)
    summary = run_summary(run_id)
    print(format_summary(summary))
    failed_portals = [p["portal"] for p in summary["portals"] if p["status"] == "failed"]
    sent = {"violations": alerts.notify_violations(run_id)}
    if failed:
        reasons = [f"{p['portal']}: {p['error']}" for p in summary["portals"] if p["status"] == "failed"]
        sent["failed_tasks"] = alerts.notify_failed_tasks(run_id, failed, "; ".join(reasons) or "see the task logs")
    if summary["portals"] and len(failed_portals) == len(summary["portals"]):
        raise RuntimeError(f"night {run_id}: every portal failed")
    return {**{k: v for k, v in summary.items() if k != "portals"}, "failed_tasks": failed, "alerts": sent}
