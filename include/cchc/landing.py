"""Landing files: what parallel fetch tasks write instead of the warehouse.

One folder per run and portal holds ``pages.parquet``, ``fetch_log.parquet`` and
``portal_run.json``, written to a temporary folder and renamed into place, so a load never
reads half a portal. ``load_run`` appends a whole run to the warehouse in one transaction,
keyed so that loading twice adds nothing.
"""
from __future__ import annotations

import json
import re
import shutil
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from cchc import warehouse
from cchc.crawl.crawler import CrawlResult, Known
from cchc.settings import get_settings

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


BACKFILL_PREFIX = "backfill__"  # the run ids of a backfill's pages (cchc.backfill), which are no nights


def safe_name(value: str) -> str:
    return _UNSAFE.sub("_", value).strip("._") or "_"


def run_dir(landing_dir: Path, run_id: str) -> Path:
    return landing_dir / safe_name(run_id)


def _columns(con, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _write_parquet(con, table: str, rows: list[dict[str, Any]], path: Path) -> None:
    cols = _columns(con, table)
    if rows:
        placeholders = ", ".join("?" for _ in cols)
        con.executemany(
            f"insert or ignore into raw.{table} ({', '.join(cols)}) values ({placeholders})",
            [[row.get(c) for c in cols] for row in rows],
        )
    con.execute(f"copy raw.{table} to '{path}' (format parquet, compression zstd)")


def write_portal(landing_dir: Path, entry_key: str, result: CrawlResult | None, *, run_id: str,
                 error: str | None = None, broken_after_nights: int | None = None) -> Path:
    """Land one portal's night: its pages, its fetch log and its verdict."""
    target = run_dir(landing_dir, run_id) / safe_name(entry_key)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    tmp.mkdir(parents=True)
    try:
        with warehouse.scratch() as con:
            con.execute(warehouse.schema_sql())
            _write_parquet(con, "pages", result.pages if result else [], tmp / "pages.parquet")
            _write_parquet(con, "fetch_log", result.log if result else [], tmp / "fetch_log.parquet")
        meta = {
            "entry": entry_key,
            "portal_id": result.portal_id if result else entry_key,
            "run_id": run_id,
            "started_at": _iso(result.started_at) if result else None,
            "finished_at": _iso(result.finished_at) if result else None,
            "error": error or (result.fatal_error if result else None),
            "health_notes": result.health_notes if result else [],
            "broken_after_nights": broken_after_nights,
        }
        (tmp / "portal_run.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- what is known of each URL: conditional GET, the revisit schedule, listing paging --------

def write_state(landing_dir: Path, run_id: str) -> Path | None:
    """Snapshot what the warehouse knows of every URL for tonight's fetchers, which must not
    open the warehouse themselves: the latest version's validators, when it was first fetched
    and last asked for, and every URL only logged (off topic, disallowed) as seen."""
    path = run_dir(landing_dir, run_id) / "_state.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not get_settings().warehouse_path.exists():  # the first night: nothing known yet
        return None
    with warehouse.connect(read_only=True) as con:
        con.execute(
            f"""copy (
                with latest as (
                    select portal_id, url, etag, last_modified, content_hash,
                           min(fetched_at) over (partition by portal_id, url) as first_seen
                    from raw.pages
                    qualify row_number() over (partition by portal_id, url order by fetched_at desc) = 1
                ),
                logged as (
                    select portal_id, url,
                           max(requested_at) filter (where outcome in ('new', 'unchanged', 'not_modified')) as last_checked
                    from raw.fetch_log
                    group by portal_id, url
                )
                select portal_id, url, latest.etag, latest.last_modified, latest.content_hash,
                       latest.first_seen, logged.last_checked
                from latest full outer join logged using (portal_id, url)
            ) to '{path}' (format parquet)"""
        )
    return path


def read_state(landing_dir: Path, run_id: str, portal_id: str) -> dict[str, Known]:
    path = run_dir(landing_dir, run_id) / "_state.parquet"
    if not path.exists():
        return {}
    with warehouse.scratch() as con:
        rows = con.execute(
            f"select url, etag, last_modified, content_hash, first_seen, last_checked from read_parquet('{path}')"
            " where portal_id = ?",
            [portal_id],
        ).fetchall()
    return {url: Known(*rest) for url, *rest in rows}


# --- the load -----------------------------------------------------------------------------

def load_run(con, landing_dir: Path, run_id: str, default_broken_after: int) -> dict[str, Any]:
    """Append one run's landing files to the warehouse in one transaction. Idempotent: page
    versions already stored are skipped, and the run's own log rows are replaced."""
    folder = run_dir(landing_dir, run_id)
    portals = sorted(p for p in folder.iterdir() if p.is_dir() and (p / "portal_run.json").exists()) if folder.exists() else []
    metas = [json.loads((p / "portal_run.json").read_text(encoding="utf-8")) for p in portals]
    loaded = {"run_id": run_id, "portals": len(portals), "pages_inserted": 0, "log_rows": 0}
    if not portals:
        return loaded
    with warehouse.transaction(con):
        for path, meta in zip(portals, metas):
            pid = meta["portal_id"]
            pages, logs = str(path / "pages.parquet"), str(path / "fetch_log.parquet")
            con.execute("delete from raw.fetch_log where run_id = ? and portal_id = ?", [run_id, pid])
            # A page another run already stored is unchanged, whatever the fetcher believed.
            con.execute(
                f"""insert into raw.fetch_log
                    select * replace (
                        case when l.outcome = 'new' and exists (
                            select 1 from raw.pages p where p.page_version_id = l.page_version_id and p.run_id <> l.run_id
                        ) then 'unchanged' else l.outcome end as outcome)
                    from read_parquet('{logs}') l"""
            )
            before = con.execute("select count(*) from raw.pages").fetchone()[0]
            con.execute(
                f"""insert into raw.pages
                    select * from read_parquet('{pages}') n
                    where not exists (select 1 from raw.pages p where p.page_version_id = n.page_version_id)
                    qualify row_number() over (partition by n.page_version_id order by n.fetched_at) = 1"""
            )
            loaded["pages_inserted"] += con.execute("select count(*) from raw.pages").fetchone()[0] - before
            loaded["log_rows"] += con.execute(
                "select count(*) from raw.fetch_log where run_id = ? and portal_id = ?", [run_id, pid]
            ).fetchone()[0]
            _record_portal_run(con, run_id, meta, default_broken_after)
    return loaded


def _record_portal_run(con, run_id: str, meta: dict[str, Any], default_broken_after: int) -> None:
    pid = meta["portal_id"]
    counts = con.execute(
        """select
            count(*) filter (where outcome = 'new' and page_kind <> 'robots'),
            count(*) filter (where outcome in ('unchanged', 'not_modified') and page_kind <> 'robots'),
            count(*) filter (where outcome in ('failed', 'too_large')),
            count(*) filter (where outcome = 'new' and page_kind = 'article')
           from raw.fetch_log where run_id = ? and portal_id = ?""",
        [run_id, pid],
    ).fetchone()
    notes = list(meta.get("health_notes") or [])
    con.execute("delete from raw.portal_runs where run_id = ? and portal_id = ?", [run_id, pid])
    con.execute(
        "insert into raw.portal_runs values (?, ?, ?, ?, 'ok', ?, ?, ?, ?, null, ?)",
        [run_id, pid, meta.get("started_at"), meta.get("finished_at"), *counts, meta.get("error")],
    )
    nights = meta.get("broken_after_nights") or default_broken_after
    recent = con.execute(
        """select count(*), coalesce(sum(articles_new), 0) from (
               select articles_new from raw.portal_runs
               where portal_id = ? and status <> 'failed' and not starts_with(run_id, ?)
               order by started_at desc nulls last limit ?)""",
        [pid, BACKFILL_PREFIX, nights],
    ).fetchone()
    if not meta.get("error") and recent[0] >= nights and recent[1] == 0:
        notes.append(f"no new article in the last {nights} nights: the site may have changed")
    status = "failed" if meta.get("error") else ("possibly_broken" if notes else "ok")
    con.execute(
        "update raw.portal_runs set status = ?, health_note = ? where run_id = ? and portal_id = ?",
        [status, "; ".join(notes) or None, run_id, pid],
    )
    if notes:
        con.execute(
            """insert or replace into raw.fetch_log
               (fetch_id, run_id, portal_id, url, page_kind, requested_at, attempts, outcome, note)
               values (?, ?, ?, ?, 'portal', coalesce(?::timestamp, now()::timestamp), 0, 'possibly_broken', ?)""",
            [f"health-{safe_name(run_id)}-{pid}"[:64], run_id, pid, f"portal:{pid}", meta.get("finished_at"), "; ".join(notes)],
        )
