"""Discovery: article links from sitemaps, RSS/Atom feeds and paginated listing pages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str | None
    source: str  # sitemap | feed | listing
    changed_at: datetime | None = None  # a sitemap's lastmod or a feed's updated date (UTC, naive)


def sitemap_links(xml_text: str, base_url: str) -> tuple[list[Candidate], list[str]]:
    """(pages with their lastmod, nested sitemap URLs) of a sitemap or sitemap index."""
    root = _xml_root(xml_text)
    if root is None:
        return [], []
    pages, nested = [], []
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        if not fields.get("loc"):
            continue
        url = urljoin(base_url, fields["loc"])
        if _local(root.tag) == "sitemapindex":
            nested.append(url)
        else:
            pages.append(Candidate(url, None, "sitemap", _utc(fields.get("lastmod"))))
    return pages, nested


def feed_items(xml_text: str, base_url: str) -> list[Candidate]:
    """Items of an RSS 2.0 or Atom feed, with their titles."""
    root = _xml_root(xml_text)
    if root is None:
        return []
    items = []
    for el in root.iter():
        if _local(el.tag) not in ("item", "entry"):
            continue
        title, link, changed = None, None, None
        for child in el:
            name = _local(child.tag)
            if name == "title":
                title = (child.text or "").strip() or None
            elif name == "link":
                link = (child.text or "").strip() or child.get("href")
            elif name in ("updated", "pubdate", "published"):
                changed = max(filter(None, (changed, _utc(child.text))), default=None)
        if link:
            items.append(Candidate(urljoin(base_url, link.strip()), title, "feed", changed))
    return items


def _utc(text: str | None) -> datetime | None:
    """A W3C (sitemaps, Atom) or RFC 822 (RSS) date as naive UTC; None when it is neither."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def listing_links(html: str, page_url: str, article_pattern: str) -> list[Candidate]:
    """Links on a listing page whose path (and query) match the family's article pattern."""
    parser = _Links()
    parser.feed(html)
    pattern = re.compile(article_pattern)
    seen, found = set(), []
    for href, text in parser.links:
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.scheme in ("http", "https") and pattern.search(target) and url not in seen:
            seen.add(url)
            found.append(Candidate(url.split("#", 1)[0], text or None, "listing"))
    return found


def _xml_root(xml_text: str):
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        return etree.fromstring(xml_text.encode("utf-8"), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
