"""Decode a page's bytes into text, getting Vietnamese right when the server lies.

Vietnamese portals often send no charset, or ``iso-8859-1`` for UTF-8 bodies. Valid UTF-8
with multi-byte sequences is almost never anything else, so UTF-8 is tried first; then the
``<meta>`` declaration, then the header, then charset-normalizer's guess.
"""
from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)


def declared_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER.search(content_type)
    return m.group(1).lower() if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META.search(body[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, charset used)."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for candidate in (_known(meta_charset(body)), _known(declared_charset(content_type))):
        if candidate and candidate != "utf-8":
            try:
                return body.decode(candidate), candidate
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding
    # Last resort keeps every byte visible rather than dropping the page.
    return body.decode("utf-8", errors="replace"), "utf-8-replace"
