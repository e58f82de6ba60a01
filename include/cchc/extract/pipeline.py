"""The nightly extract task: article text, metadata and dossier facts of every landed article
version not yet extracted by the current extractor version, written in one transaction.

The extractor version combines the text and fact extractors' versions, so bumping either
re-extracts every page on the next night; older versions' rows stay for comparison.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from typing import Any

log = logging.getLogger(__name__)


def extractor_version() -> str:
    from cchc.extract.facts import EXTRACTOR_VERSION
    from cchc.extract.text import TEXT_EXTRACTOR_VERSION

    return f"{TEXT_EXTRACTOR_VERSION}+{EXTRACTOR_VERSION}"


def fact_id(page_version_id: str, version: str, ordinal: int) -> str:
    return hashlib.sha256(f"{page_version_id}\n{version}\n{ordinal}".encode()).hexdigest()[:32]


def pending_pages(con, version: str) -> list[tuple]:
    return con.execute(
        """select p.page_version_id, p.portal_id, p.url, p.fetched_at, p.html
           from raw.pages p
           where p.page_kind = 'article'
             and not exists (select 1 from raw.articles a
                             where a.page_version_id = p.page_version_id and a.extractor_version = ?)
           order by p.fetched_at, p.page_version_id""",
        [version],
    ).fetchall()


def extract_page(page_version_id: str, url: str, html: str, fetched_at: datetime, locality_hint: str | None,
                 version: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One page version -> (its raw.articles row, its raw.facts rows)."""
    from cchc.extract import identity
    from cchc.extract.facts import extract_facts
    from cchc.extract.text import extract_article

    article = extract_article(html, url=url, fetched_at=fetched_at)
    published = article.published_at.date() if article.published_at else None
    facts = extract_facts(article.text, published=published, url=url, locality_hint=locality_hint, fetched_at=fetched_at)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    row = {
        "page_version_id": page_version_id, "extractor_version": version, "url": url,
        "title": article.title, "published_at": article.published_at, "published_source": article.published_source,
        "text": article.text, "has_dossier_stats": bool(facts), "extracted_at": now,
        "canonical_url": identity.canonical_url(url, html), "text_hash": identity.text_hash(article.text),
        "simhash": identity.simhash(article.text), "figures_hash": identity.figures_hash(article.text),
    }
    fact_rows = [
        {
            "fact_id": fact_id(page_version_id, version, i), "page_version_id": page_version_id,
            "extractor_version": version, "ordinal": i, "metric": f.metric, "value": float(f.value),
            "unit": f.unit, "qualifier": f.qualifier, "locality_name": f.locality.name,
            "locality_type": f.locality.type, "locality_province": f.locality.province, "tier": f.tier,
            "period_start": f.period_start, "period_end": f.period_end, "evidence_text": f.evidence.text,
            "evidence_start": f.evidence.start, "evidence_end": f.evidence.end, "value_text": f.value_text,
        }
        for i, f in enumerate(facts)
    ]
    return row, fact_rows


def extract_pending(con, locality_hints: dict[str, str]) -> dict[str, Any]:
    """Extract every pending page and write articles and facts in one transaction."""
    from cchc import warehouse

    version = extractor_version()
    pages = pending_pages(con, version)
    articles, facts, failures = [], [], []
    for page_version_id, portal_id, url, fetched_at, html in pages:
        try:
            row, fact_rows = extract_page(page_version_id, url, html, fetched_at, locality_hints.get(portal_id), version)
        except Exception as exc:  # one broken page must not stop the night: record and go on
            log.exception("extraction failed for %s (%s)", url, page_version_id)
            failures.append({"page_version_id": page_version_id, "url": url, "error": repr(exc)[:500]})
            continue
        row["portal_id"] = portal_id
        articles.append(row)
        facts += fact_rows
    with warehouse.transaction(con):
        _insert(con, "articles", articles)
        _insert(con, "facts", facts)
    return {"extractor_version": version, "pages": len(pages), "articles": len(articles),
            "facts": len(facts), "failed": len(failures), "failures": failures[:20]}


def _insert(con, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    con.executemany(
        f"insert or ignore into raw.{table} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
        [[r[c] for c in cols] for r in rows],
    )
