"""Alerts: a night's new data-quality violations, and a night whose tasks failed, sent through
Apprise (one URL scheme per service: ``slack://...``, ``mailto://...``, ``json://host:port/``,
``tgram://...``; see the Apprise docs), named by the ``CCHC_ALERT_URL`` environment variable.
Several URLs may be given, separated by spaces or commas. No URL: the alert is logged and not sent.

Deduplication: a violation alerts once. ``notify_violations(run_id)`` sends the violations seen
that night whose ``alerted_at`` is empty, then stamps ``alerted_at``; a break seen again on a later
night keeps its stamp and stays quiet. An alert that could not be delivered stamps nothing (and
is logged as an error), so the next night sends those violations again. Neither function raises
on a delivery problem: they run in the night's last task, whose summary must still print.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

from cchc import warehouse
from cchc.vocabulary import LOCALITY_TYPE_WORDS

log = logging.getLogger(__name__)

ALERT_URL_VARIABLE = "CCHC_ALERT_URL"
MAX_LISTED = 40  # violations listed in one message; the rest are counted


def alert_url() -> str | None:
    from cchc.settings import get_settings

    return get_settings().alert_url


def _send(title: str, body: str, notify_type: str) -> tuple[bool, str | None]:
    """Send through every configured URL; (delivered, error)."""
    import apprise

    url = alert_url()
    if not url:
        return False, f"{ALERT_URL_VARIABLE} is not set"
    ap = apprise.Apprise()
    for one in url.replace(",", " ").split():
        if not ap.add(one):
            return False, f"{ALERT_URL_VARIABLE}: not a URL Apprise can send to: {one.split('://')[0]}://..."
    ok = ap.notify(title=title, body=body, notify_type=notify_type, body_format=apprise.NotifyFormat.TEXT)
    return bool(ok), None if ok else "the notification service did not accept the alert"


def _place(row: dict[str, Any]) -> str:
    return f"{LOCALITY_TYPE_WORDS.get(row['locality_type'], row['locality_type'])} {row['locality_name']}"


def _repair_text(repair: str | None) -> str:
    if not repair:
        return ""
    r = json.loads(repair)
    against = ", ".join(r.get("rules_against") or []) or "none"
    return (f"\n    repair: {r['metric']} [{r['tier']}] {r['stated']} -> {r['suggested']}"
            f" (for: {', '.join(r.get('rules_for') or [])}; against: {against})")


def format_violations(run_id: str, rows: list[dict[str, Any]], data_docs: str | None) -> tuple[str, str]:
    errors = sum(r["severity"] == "error" for r in rows)
    warnings = len(rows) - errors
    title = f"CCHC night {run_id}: {len(rows)} data-quality violation(s) to review ({errors} error(s), {warnings} warning(s))"
    lines = []
    for r in rows[:MAX_LISTED]:
        lines.append(
            f"[{r['severity']}] {r['rule']}: {_place(r)} [{r['tier']}] {r['period_start']}..{r['period_end']}: {r['detail']}"
            f"{_repair_text(r['repair'])}\n    article: {r['url']}"
        )
    if len(rows) > MAX_LISTED:
        lines.append(f"... and {len(rows) - MAX_LISTED} more: select * from dq.violations where last_seen_run_id = '{run_id}'")
    if data_docs:
        lines.append(f"Data Docs: file://{data_docs}")
    lines.append("Evidence sentences and repairs: dq.violations in the warehouse.")
    return title, "\n".join(lines)


def notify_violations(run_id: str | None = None) -> dict[str, Any]:
    """Alert on the night's violations that were never alerted; stamp them when delivered.
    ``run_id`` None: the last night the checks recorded. Returns ``{"sent", "violations",
    "errors", "warnings"}``, with ``error`` when an alert was due and not delivered."""
    with warehouse.connect(read_only=True) as con:
        if con.execute("select count(*) from duckdb_tables() where schema_name = 'dq' and table_name = 'violations'").fetchone()[0] == 0:
            return {"sent": False, "violations": 0, "errors": 0, "warnings": 0, "reason": "no night checked yet"}
        if run_id is None:
            last = con.execute("select run_id from dq.validation_runs order by started_at desc limit 1").fetchone()
            if last is None:
                return {"sent": False, "violations": 0, "errors": 0, "warnings": 0, "reason": "no night checked yet"}
            run_id = last[0]
        cur = con.execute(
            "select violation_id, severity, rule, locality_name, locality_type, tier, period_start, period_end, detail,"
            " repair, url from dq.violations where last_seen_run_id = ? and alerted_at is null"
            " order by case severity when 'error' then 0 else 1 end, url, rule, check_name",
            [run_id],
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
        docs = con.execute("select data_docs_path from dq.validation_runs where run_id = ?", [run_id]).fetchone()
    counts = {"violations": len(rows), "errors": sum(r["severity"] == "error" for r in rows)}
    counts["warnings"] = counts["violations"] - counts["errors"]
    if not rows:
        return {"sent": False, **counts, "reason": "no violation to alert"}
    title, body = format_violations(run_id, rows, docs[0] if docs else None)
    try:
        sent, error = _send(title, body, "failure" if counts["errors"] else "warning")
    except Exception as exc:
        sent, error = False, repr(exc)
    if not sent:
        level = logging.WARNING if not alert_url() else logging.ERROR
        log.log(level, "night %s: alert on %d violation(s) not sent (%s); they stay un-alerted:\n%s\n%s",
                 run_id, len(rows), error, title, body)
        return {"sent": False, **counts, "error": error}
    with warehouse.connect() as con:
        con.execute(
            "update dq.violations set alerted_at = ? where list_contains(?, violation_id)",
            [datetime.now(timezone.utc).replace(tzinfo=None), [r["violation_id"] for r in rows]],
        )
    log.info("alert sent: %s", title)
    return {"sent": True, **counts}


def format_failures(run_id: str, failures: list[dict[str, Any]], not_run: list[str], night_failed: bool) -> tuple[str, str]:
    """The title names the first failure in its own words; the body lists every one."""
    first = failures[0]
    headline = (first["error"].strip().splitlines() or [""])[0][:200]
    if night_failed:
        title = f"CCHC night {run_id} failed: {first['task']}: {headline}"
    else:
        title = f"CCHC night {run_id}: {len(failures)} portal(s) could not be crawled: {first['task']}: {headline}"
    lines = []
    for f in failures:
        lines.append(f"{f['task']} failed: {f['error']}")
    if not_run:
        lines.append(f"Did not run (an upstream task failed): {', '.join(not_run)}")
    lines.append("Nothing was published from a failed night: analysts keep the last good snapshot."
                 if night_failed else "Every other portal was crawled, loaded and checked.")
    return title, "\n".join(lines)


def notify_failures(run_id: str, failures: list[dict[str, Any]], not_run: list[str] = (),
                    night_failed: bool = True) -> dict[str, Any]:
    """One alert for the night's failed tasks (each a dict with ``task`` and ``error``, first
    first). Never raises: returns ``{"sent": bool, "failed": [tasks], ...}``."""
    title, body = format_failures(run_id, failures, list(not_run), night_failed)
    try:
        sent, error = _send(title, body, "failure")
    except Exception as exc:  # the night's last task must still print its summary
        sent, error = False, repr(exc)
    failed = [f["task"] for f in failures]
    if not sent:
        log.error("failure alert not sent (%s): %s\n%s", error, title, body)
        return {"sent": False, "failed": failed, "error": error}
    log.info("alert sent: %s", title)
    return {"sent": True, "failed": failed}
