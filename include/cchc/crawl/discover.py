"""Discovery: article links from sitemaps, RSS/Atom feeds and paginated listing pages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str | None
    source: str  # sitemap | feed | listing


def sitemap_links(xml_text: str, base_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index."""
    root = _xml_root(xml_text)
    if root is None:
        return [], []
    locs = [urljoin(base_url, (el.text or "").strip()) for el in root.iter() if _local(el.tag) == "loc" and (el.text or "").strip()]
    if _local(root.tag) == "sitemapindex":
        return [], locs
    return locs, []


def feed_items(xml_text: str, base_url: str) -> list[Candidate]:
    """Items of an RSS 2.0 or Atom feed, with their titles."""
    root = _xml_root(xml_text)
    if root is None:
        return []
    items = []
    for el in root.iter():
        if _local(el.tag) not in ("item", "entry"):
            continue
        title, link = None, None
        for child in el:
            name = _local(child.tag)
            if name == "title":
                title = (child.text or "").strip() or None
            elif name == "link":
                link = (child.text or "").strip() or child.get("href")
        if link:
            items.append(Candidate(urljoin(base_url, link.strip()), title, "feed"))
    return items


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
