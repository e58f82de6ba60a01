"""One article from a file, for the command line: its text, publication date and title.

Files come as saved by people: UTF-8 mostly, sometimes a legacy code page (Windows-1258 on
older Vietnamese portals), plain text or a whole HTML page. HTML goes through the crawler's
text extractor (``cchc.extract.text``); plain text is read as is, its publication date taken
from the date line under the title.
"""
from __future__ import annotations

import html as html_lib
import re
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

from cchc.extract.dates import find_publication_date

_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|div|p|article|meta|title)\b", re.IGNORECASE)
_BINARY_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.05


class ArticleReadError(Exception):
    """The file cannot be read as an article; ``str()`` names the path and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"cannot read '{path}': {reason}")
        self.path = path
        self.reason = reason


def load_article(path: str, fetched_at: datetime | None = None, url: str | None = None) -> tuple[str, date | None, str | None]:
    """(text, publication date or None, title or None) of the article in ``path`` ('-' is
    standard input). Raises ``ArticleReadError`` for a missing, unreadable or binary file."""
    data = _read_bytes(path)
    text = _decode(path, data)
    if _HTML.search(text[:5000]):
        return _from_html(text, url, fetched_at)
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    return text, find_publication_date(text, fetched_at), title


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise ArticleReadError(path, "no such file")
    if p.is_dir():
        raise ArticleReadError(path, "is a directory")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ArticleReadError(path, exc.strerror or str(exc)) from exc


def _decode(path: str, data: bytes) -> str:
    """UTF-8 first; else what charset_normalizer detects; else Windows-1258. A file with NUL
    bytes or mostly control characters is binary, not an article."""
    if b"\x00" in data[:_BINARY_SAMPLE]:
        raise ArticleReadError(path, "binary file, not text")
    text = _decode_text(path, data)
    sample = text[:_BINARY_SAMPLE]
    controls = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Co", "Cs") and c not in "\n\r\t\f")
    if sample and controls > _MAX_CONTROL_SHARE * len(sample):
        raise ArticleReadError(path, "binary file, not text")
    return text


def _decode_text(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except ImportError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise ArticleReadError(path, "not text in any known encoding") from exc


def _from_html(page: str, url: str | None, fetched_at: datetime | None) -> tuple[str, date | None, str | None]:
    try:
        from cchc.extract.text import extract_article
    except ImportError:
        return _strip_tags(page, fetched_at)
    article = extract_article(page, url=url, fetched_at=fetched_at)
    published = article.published_at.date() if article.published_at else None
    return article.text, published, article.title


def _strip_tags(page: str, fetched_at: datetime | None) -> tuple[str, date | None, str | None]:
    """A crude reading of HTML for when the text extractor is not installed."""
    m = re.search(r"<title[^>]*>(.*?)</title>", page, re.IGNORECASE | re.DOTALL)
    title = html_lib.unescape(m.group(1)).strip() if m else None
    body = re.sub(r"<(script|style|noscript)\b.*?</\1\s*>", " ", page, flags=re.IGNORECASE | re.DOTALL)
    body = re.sub(r"<\s*(?:br|/p|/div|/h\d|/li|/tr)\b[^>]*>", "\n", body, flags=re.IGNORECASE)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    text = "\n".join(" ".join(ln.split()) for ln in text.splitlines() if ln.strip())
    return text, find_publication_date(text, fetched_at), title
