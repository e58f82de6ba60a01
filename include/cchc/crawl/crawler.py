"""Crawl one portal: robots.txt, discovery, the topic filter, then the articles.

Returns rows for ``raw.pages`` (every fetched page version not seen before) and ``raw.fetch_log``
(every URL considered, fetched or not), and never touches the warehouse: the caller lands them.
"""
from __future__ import annotations

import hashlib
import logging
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cchc.crawl import discover, revisit, robots as robots_mod
from cchc.crawl.fetch import Fetcher, FetchError, Response
from cchc.registry.registry import Portal
from cchc.settings import Settings

log = logging.getLogger(__name__)

MAX_NESTED_SITEMAPS = 20


def page_version_id(url: str, content_hash: str) -> str:
    return hashlib.sha256(f"{url}\n{content_hash}".encode()).hexdigest()[:32]


def fetch_id(run_id: str, portal_id: str, url: str, kind: str) -> str:
    return hashlib.sha256(f"{run_id}\n{portal_id}\n{kind}\n{url}".encode()).hexdigest()[:32]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class Known:
    """What the warehouse knew of a URL before tonight: validators for conditional GET, and
    when it was first fetched and last asked for, for the revisit schedule. A URL only ever
    logged (off topic, disallowed) has no content hash."""

    etag: str | None
    last_modified: str | None
    content_hash: str | None
    first_seen: datetime | None = None
    last_checked: datetime | None = None


@dataclass
class CrawlResult:
    portal_id: str
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    pages: list[dict[str, Any]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    fatal_error: str | None = None
    health_notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        outcomes = [row["outcome"] for row in self.log if row["page_kind"] != "robots"]
        return {
            "pages_new": outcomes.count("new"),
            "pages_unchanged": outcomes.count("unchanged") + outcomes.count("not_modified"),
            "pages_failed": outcomes.count("failed") + outcomes.count("too_large"),
            "articles_new": sum(1 for r in self.log if r["page_kind"] == "article" and r["outcome"] == "new"),
        }


class PortalCrawler:
    def __init__(self, portal: Portal, settings: Settings, run_id: str, known: dict[str, Known] | None = None,
                 pacing_dir: Path | None = None):
        self.portal, self.settings, self.run_id = portal, settings, run_id
        self.known = known or {}
        self.result = CrawlResult(portal.id, run_id, started_at=_now())
        self.fetcher = Fetcher(
            settings.user_agent,
            timeout=settings.http_timeout,
            max_retries=settings.max_retries,
            max_bytes=settings.max_bytes,
            max_redirects=settings.max_redirects,
            delay=portal.min_delay_seconds if settings.polite else 0.0,
            verify_tls=portal.verify_tls,
            allow_private=portal.allow_private,
            backoff=0.5 if settings.polite else 0.05,
            pacing_dir=pacing_dir,
        )
        self.robots = robots_mod.allow_all()

    def crawl(self) -> CrawlResult:
        try:
            if self._read_robots():
                self._fetch_articles(self._discover(), self._not_due)
        finally:
            self._finish()
        return self.result

    def _finish(self) -> None:
        self.fetcher.close()
        self.result.finished_at = _now()

    def _not_due(self, candidate: discover.Candidate, known: Known | None) -> str | None:
        """Why a night leaves a known article alone (the revisit schedule), else None."""
        if revisit.is_due(known, self.result.started_at, self.settings.revisit_days, candidate.changed_at):
            return None
        return f"known since {known.first_seen:%Y-%m-%d}, asked {known.last_checked:%Y-%m-%d}; not due"

    def _fetch_articles(self, candidates: list[discover.Candidate], not_due) -> None:
        """Fetch the candidates the topic filter keeps, except those ``not_due(candidate, known)``
        gives a reason to leave alone (logged as ``not_due``, never requested)."""
        for candidate in self._keep(candidates):
            reason = not_due(candidate, self.known.get(candidate.url))
            if reason:
                self._log(candidate.url, "article", _now(), outcome="not_due", note=reason)
                continue
            self._fetch_page(candidate.url, "article", title=candidate.title)

    # robots.txt ---------------------------------------------------------------------------
    def _read_robots(self) -> bool:
        url = self.portal.absolute("/robots.txt")
        requested = _now()
        try:
            resp = self.fetcher.get(url)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                self._log(url, "robots", requested, outcome="unchanged", status=exc.status, note="no robots.txt: all allowed")
                return True
            self._log(url, "robots", requested, outcome=exc.outcome, status=exc.status, error=str(exc), attempts=exc.attempts)
            self.result.fatal_error = f"portal {self.portal.id}: robots.txt unreachable or refused, nothing fetched tonight: {exc}"
            return False
        self.use_robots(robots_mod.parse(resp.text))
        note = f"crawl-delay {self.robots.crawl_delay}s; pacing {self.fetcher.pacer.delay}s"
        self._log(url, "robots", requested, outcome="unchanged", status=resp.status, note=note, resp=resp)
        return True

    def use_robots(self, robots: robots_mod.Robots) -> None:
        self.robots = robots
        if self.settings.polite and robots.crawl_delay:
            self.fetcher.pacer.delay = max(self.fetcher.pacer.delay, robots.crawl_delay)

    # discovery ----------------------------------------------------------------------------
    def _discover(self) -> list[discover.Candidate]:
        portal = self.portal
        found: list[discover.Candidate] = []
        if portal.sitemap:
            queue, seen = [portal.absolute(portal.sitemap)], 0
            while queue and seen < MAX_NESTED_SITEMAPS:
                url = queue.pop(0)
                seen += 1
                resp = self._fetch_page(url, "sitemap")
                if resp is not None:
                    pages, nested = discover.sitemap_links(resp.text, resp.final_url)
                    found += pages
                    queue += nested
        for feed in portal.feeds:
            resp = self._fetch_page(portal.absolute(feed), "feed")
            if resp is not None:
                found += discover.feed_items(resp.text, resp.final_url)
        for listing in portal.listings:
            found += self._walk_listing(listing)
        return _merge(found)

    def crawl_archive_page(self, listing, page: int, robots: robots_mod.Robots | None = None) -> int | None:
        """Backfill: one page of a listing and those of its articles not stored yet. Returns how
        many article links the page lists (0 past the end of the archive: a 404 past the last
        page, or a page listing nothing), or None when the page could not be had (robots.txt
        unreachable, the listing page failed: its fetch log row says why). ``robots``: the rules
        an earlier page read."""
        try:
            if robots is not None:
                self.use_robots(robots)
            elif not self._read_robots():
                return None
            if page > 1 and not listing.next_page:
                return 0
            resp, links = self._listing_page(listing, page)
            if resp is None:
                return 0 if self.result.log[-1]["outcome"] == "end_of_listing" else None
            self._fetch_articles(_merge(links), _stored)
            return len(links)
        finally:
            self._finish()

    def _listing_page(self, listing, page: int) -> tuple[Response | None, list[discover.Candidate]]:
        """Page ``page`` of a listing and its article links; (None, []) when it cannot be had
        (past the last page a site answers 404: logged as the end of the listing, not a failure)."""
        resp = self._fetch_page(self.portal.absolute(_listing_path(listing, page)), "listing", end_on_404=page > 1)
        return resp, (discover.listing_links(resp.text, resp.final_url, listing.article_links) if resp else [])

    def _walk_listing(self, listing) -> list[discover.Candidate]:
        found: list[discover.Candidate] = []
        seen: set[str] = set()
        for page in range(1, listing.max_pages + 1):
            if page > 1 and not listing.next_page:
                break
            resp, links = self._listing_page(listing, page)
            if resp is None:
                break
            fresh = [c for c in links if c.url not in seen]
            if page == 1 and not links:
                note = f"listing {listing.url} matched no article links with {listing.article_links!r}: the page layout may have changed"
                self.result.health_notes.append(note)
                self._log(self.portal.absolute(listing.url), "listing", _now(), outcome="listing_no_match", status=resp.status,
                          note=note, resp=resp, id_suffix="#match")
            if not fresh:
                break
            seen.update(c.url for c in fresh)
            found += fresh
            # Listings run newest first: a page with nothing unseen means the rest was seen too.
            if self.known and all(c.url in self.known for c in fresh):
                break
        return found

    def _keep(self, candidates: list[discover.Candidate]) -> list[discover.Candidate]:
        import re

        portal = self.portal
        url_re = re.compile(portal.keep_url, re.IGNORECASE) if portal.keep_url else None
        keywords = [_fold(k) for k in portal.keep_title_keywords]
        kept = []
        for c in candidates:
            if not self.robots.allowed(c.url):
                self._log(c.url, "article", _now(), outcome="skipped_robots", note="disallowed by robots.txt")
                continue
            if url_re is None and not keywords:
                kept.append(c)
                continue
            by_url = bool(url_re and url_re.search(urlsplit(c.url).path))
            by_title = bool(c.title and any(k in _fold(c.title) for k in keywords))
            if by_url or by_title:
                kept.append(c)
            else:
                self._log(c.url, "article", _now(), outcome="skipped_filter", note=f"off topic: {c.title or '(no title)'}"[:300])
        return kept

    # fetching -----------------------------------------------------------------------------
    def _fetch_page(self, url: str, kind: str, title: str | None = None, end_on_404: bool = False) -> Response | None:
        """Fetch and record one page; return the response when it has a body to read."""
        requested = _now()
        if kind != "article" and not self.robots.allowed(url):
            self._log(url, kind, requested, outcome="skipped_robots", note="disallowed by robots.txt")
            return None
        known = self.known.get(url)
        # Discovery pages are read every night for their links, so only articles go conditional.
        conditional = known if kind == "article" else None
        try:
            resp = self.fetcher.get(url, etag=conditional and conditional.etag, last_modified=conditional and conditional.last_modified)
        except FetchError as exc:
            if end_on_404 and exc.status == 404:
                self._log(url, kind, requested, outcome="end_of_listing", status=404, note="past the last listing page")
                return None
            self._log(url, kind, requested, outcome=exc.outcome, status=exc.status, error=str(exc), attempts=exc.attempts)
            return None
        if resp.not_modified:
            self._log(url, kind, requested, outcome="not_modified", resp=resp, content_hash=known.content_hash if known else None)
            return None
        version = page_version_id(url, resp.content_hash)
        unchanged = bool(known and known.content_hash == resp.content_hash)
        self._log(url, kind, requested, outcome="unchanged" if unchanged else "new", resp=resp, version=version)
        if not unchanged:
            self.result.pages.append(self._page_row(url, kind, requested, resp, version, title))
        return resp

    def _page_row(self, url, kind, requested, resp: Response, version, title) -> dict[str, Any]:
        return {
            "page_version_id": version, "url": url, "final_url": resp.final_url, "portal_id": self.portal.id,
            "page_kind": kind, "run_id": self.run_id, "fetched_at": requested, "http_status": resp.status,
            "content_type": resp.headers.get("content-type"), "declared_charset": resp.declared_charset,
            "charset": resp.charset, "etag": resp.headers.get("etag"), "last_modified": resp.headers.get("last-modified"),
            "content_hash": resp.content_hash, "content_length": len(resp.body), "tls_verified": resp.tls_verified,
            "listing_title": title, "html": resp.text,
        }

    def _log(self, url, kind, requested, *, outcome, status=None, error=None, attempts=None, note=None,
             resp: Response | None = None, version=None, content_hash=None, id_suffix="") -> None:
        notes = ([note] if note else []) + (resp.notes if resp else [])
        if not self.portal.verify_tls and url.startswith("https"):
            notes.append("TLS certificate verification is OFF for this portal (registry verify_tls: false)")
        self.result.log.append({
            "fetch_id": fetch_id(self.run_id, self.portal.id, url + id_suffix, kind),
            "run_id": self.run_id, "portal_id": self.portal.id, "url": url,
            "final_url": resp.final_url if resp else None, "page_kind": kind, "requested_at": requested,
            "elapsed_ms": resp.elapsed_ms if resp else int((_now() - requested).total_seconds() * 1000),
            "attempts": attempts or (resp.attempts if resp else 1), "http_status": status or (resp.status if resp else None),
            "outcome": outcome, "error": error, "content_hash": (resp.content_hash if resp and resp.content_hash else content_hash),
            "page_version_id": version, "bytes": len(resp.body) if resp else None,
            "tls_verified": resp.tls_verified if resp else (self.portal.verify_tls or not url.startswith("https")),
            "note": "; ".join(notes) or None,
        })


def _stored(candidate: discover.Candidate, known: Known | None) -> str | None:
    """A backfill leaves alone what is stored already; it never revisits."""
    return "stored already: a backfill does not revisit" if known is not None and known.content_hash is not None else None


def _listing_path(listing, page: int) -> str:
    return listing.url if page == 1 else listing.next_page.replace("{page}", str(page))


def _merge(found: list[discover.Candidate]) -> list[discover.Candidate]:
    """One candidate per URL, keeping the first title any source gave it."""
    merged: dict[str, discover.Candidate] = {}
    for c in found:
        url = c.url.split("#", 1)[0]
        prev = merged.get(url)
        if prev is None:
            merged[url] = discover.Candidate(url, c.title, c.source, c.changed_at)
        else:
            changed = max(filter(None, (prev.changed_at, c.changed_at)), default=None)
            merged[url] = discover.Candidate(url, prev.title or c.title, prev.source, changed)
    return list(merged.values())


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def crawl_portal(portal: Portal, settings: Settings, run_id: str, known: dict[str, Known] | None = None,
                 pacing_dir: Path | None = None) -> CrawlResult:
    """Crawl one portal. ``pacing_dir`` shares each host's pace with the night's other fetch
    tasks (see ``fetch.Pacer``)."""
    started = time.monotonic()
    result = PortalCrawler(portal, settings, run_id, known, pacing_dir).crawl()
    log.info("portal %s: %s in %.1fs", portal.id, result.counts(), time.monotonic() - started)
    return result
