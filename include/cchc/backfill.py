"""`cchc backfill PORTAL`: walk a portal's archive once, so its series start with its history.

The nightly crawl reads the first pages of a listing; a backfill walks the listing from where
it last stopped to its end (or ``--pages N``, or the first page whose articles are all older
than ``--since``), politely, one listing page at a time. Each page is landed and loaded as its
own run (``backfill__<portal>__p<page>``) before the next is asked for, and the checkpoint
(``<data>/backfill/<portal>.json``) moves on only after the load commits. Killed anywhere, it
starts again at the page it was on: a page loaded twice adds nothing (page versions are keyed),
and articles already stored are not asked for again. Extraction and the marts follow on the
next night, or in the backfill DAG.
"""
from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

from cchc import landing, warehouse
from cchc.settings import get_settings

log = logging.getLogger(__name__)


class BackfillError(RuntimeError):
    pass


def checkpoint_path(portal_id: str) -> Path:
    return get_settings().data_dir / "backfill" / f"{landing.safe_name(portal_id)}.json"


def _read_checkpoint(portal_id: str) -> dict[str, Any]:
    path = checkpoint_path(portal_id)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"next_page": 1, "done": False, "articles": 0}


def _write_checkpoint(portal_id: str, state: dict[str, Any]) -> None:
    path = checkpoint_path(portal_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    tmp.replace(path)  # whole or not at all: a kill leaves the previous checkpoint


def backfill(portal_id: str, pages: int | None = None, since: date | None = None) -> dict[str, Any]:
    """Walk ``portal_id``'s first listing from its checkpoint. Returns what this call did."""
    from cchc.crawl.crawler import PortalCrawler
    from cchc.registry.registry import load_registry

    settings = get_settings()
    portal = load_registry().get(portal_id)
    if not portal.listings:
        raise BackfillError(f"portal {portal_id}: the registry entry has no listing to walk")
    listing = portal.listings[0]
    state = _read_checkpoint(portal_id)
    did = {"portal": portal_id, "first_page": state["next_page"], "pages": 0, "articles_new": 0, "done": state["done"]}
    if state["done"]:
        log.info("backfill %s: the archive was walked to its end already (%s)", portal_id, checkpoint_path(portal_id))
        return did
    state_run = f"{landing.BACKFILL_PREFIX}{portal_id}"
    landing.write_state(settings.landing_dir, state_run)
    known = landing.read_state(settings.landing_dir, state_run, portal.id)
    page, robots = state["next_page"], None
    while pages is None or page <= pages:
        run_id = f"{landing.BACKFILL_PREFIX}{portal_id}__p{page:05d}"
        crawler = PortalCrawler(portal, settings, run_id, known, pacing_dir=settings.pacing_dir)
        listed = crawler.crawl_archive_page(listing, page, robots)
        robots, result = crawler.robots, crawler.result
        if listed is None:
            last = result.log[-1] if result.log else {}
            raise BackfillError(result.fatal_error or f"portal {portal_id}: listing page {page} failed: "
                                f"{last.get('error') or last.get('outcome')}; run again to resume there")
        landing.write_portal(settings.landing_dir, portal_id, result, run_id=run_id)
        with warehouse.connect() as con:
            landing.load_run(con, settings.landing_dir, run_id, settings.broken_after_nights)
        failed = [r for r in result.log if r["page_kind"] == "article" and r["outcome"] == "failed"]
        if failed:  # what did land stays; the checkpoint stays on this page so a rerun asks again
            raise BackfillError(f"portal {portal_id}: listing page {page}: {len(failed)} article(s) failed, "
                                f"first {failed[0]['url']}: {failed[0]['error']}; run again to retry them")
        new = result.counts()["articles_new"]
        state.update(next_page=page + 1, articles=state["articles"] + new, done=listed == 0 or _all_older(result, since))
        _write_checkpoint(portal_id, state)
        did["pages"] += 1
        did["articles_new"] += new
        log.info("backfill %s: page %d listed %d articles, %d new", portal_id, page, listed, new)
        if state["done"]:
            break
        page += 1
    did.update(done=state["done"], next_page=state["next_page"], articles_total=state["articles"])
    return did


def _all_older(result, since: date | None) -> bool:
    """Whether every article fetched from this page was published before ``since``."""
    from cchc.extract.text import extract_article

    if since is None:
        return False
    dates = [extract_article(p["html"], url=p["url"]).published_at for p in result.pages if p["page_kind"] == "article"]
    dates = [d.date() for d in dates if d is not None]
    return bool(dates) and max(dates) < since
