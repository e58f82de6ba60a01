"""Which publication a page is: its canonical address and the fingerprints of its text.

One article reaches us under several addresses (http and https, with or without ``www``,
tracking parameters, print views) and as copies (a province portal republishing a district's
article, newspapers copying each other). The marts count a publication once, so each
extracted page carries:

- ``canonical_url``: the page's own ``rel=canonical`` or ``og:url`` when it names the same
  host, "www." aside (a portal may point anywhere, and a copy may keep the original's canonical),
  else its URL; normalised by courlan (host case, default port, fragment, tracking
  parameters) and then without scheme, ``www.`` and trailing slash, so the variants of one
  address meet;
- ``text_hash``: the SHA-256 of the text with case and whitespace folded: an exact copy;
- ``simhash``: trafilatura's 64-bit Simhash of the text, for near copies (a changed
  byline or caption), compared in the marts by Hamming distance;
- ``figures_hash``: the SHA-256 of the text's figures in order, when it states at least
  three. Simhash reads words, not figures, so two monthly reports written from one template
  are near copies by Simhash alone; a near copy must also state the same figures.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

_CANONICAL = re.compile(
    r"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>|<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>""",
    re.IGNORECASE,
)
_HREF = re.compile(r"""\b(?:href|content)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def canonical_url(url: str, html: str | None = None) -> str:
    """The identity key of a page's address (see the module's docstring). A declared canonical
    naming the site's home page is a misconfigured template, not this article's address."""
    declared = _declared_canonical(html or "", url)
    usable = declared and _host_site(declared) == _host_site(url) and urlsplit(declared).path.strip("/")
    return _key(declared if usable else url)


def text_hash(text: str) -> str | None:
    folded = _SPACE.sub(" ", text or "").strip().casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest() if folded else None


def figures_hash(text: str) -> str | None:
    figures = _FIGURE.findall(text or "")
    return hashlib.sha256(" ".join(figures).encode("utf-8")).hexdigest() if len(figures) >= 3 else None


def simhash(text: str) -> int | None:
    """64-bit Simhash, as a signed integer (DuckDB BIGINT) so it stores as is."""
    from trafilatura.deduplication import Simhash

    if not (text or "").strip():
        return None
    value = Simhash(text).hash
    return value - (1 << 64) if value >= 1 << 63 else value


def _declared_canonical(html: str, url: str) -> str | None:
    from urllib.parse import urljoin

    for tag in _CANONICAL.finditer(html[:200_000]):  # the head, where these live
        href = _HREF.search(tag.group(0))
        if href and href.group(1).strip():
            return urljoin(url, href.group(1).strip())
    return None


def _host_site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _key(url: str) -> str:
    from courlan import normalize_url

    try:
        # not strict: strict keeps only a short list of query parameters, and portals name
        # their articles in the query (?newsid=7, ?ItemID=3); tracking parameters go either way
        url = normalize_url(url, strict=False)
    except (ValueError, AttributeError):  # not a URL courlan can parse: keep it as it came
        pass
    parts = urlsplit(url)
    host = _host_site(url)
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")
