"""Article text and metadata from a landed page: trafilatura for the main text, and the
portal's own date line for the publication date.

Vietnamese portals print their date in a labelled line ("Đăng lúc: 26/03/2025 (GMT+7)",
"Cập nhật ngày: 21/05/2024 08:47:12") or relatively ("1 giờ trước"); these beat htmldate,
which is the fallback. Times are local to Vietnam (UTC+7) and stored without a zone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

TEXT_EXTRACTOR_VERSION = "text-2"  # text-2: publication identity (canonical_url, text_hash, simhash)
VIETNAM = timezone(timedelta(hours=7))

_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D{1,3}(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
_LABELLED = re.compile(
    r"(?:đăng\s+lúc|đăng\s+ngày|ngày\s+đăng|cập\s+nhật\s+ngày|ngày\s+cập\s+nhật|cập\s+nhật\s+lúc|ngày\s+xuất\s+bản|"
    r"thời\s+gian\s+đăng|ngày\s+ban\s+hành|published|posted)\s*:?\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s*,?\s*)?" + _DATE,
    re.IGNORECASE,
)
_TIME_FIRST = re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?\s*(?:,|-|ngày)?\s*(\d{1,2})/(\d{1,2})/(\d{4})\b")
_RELATIVE = re.compile(r"\b(\d{1,3})\s*(phút|giờ|tiếng|ngày|tuần|tháng)\s+trước\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\bhôm\s+qua\b", re.IGNORECASE)
_UNITS = {"phút": timedelta(minutes=1), "giờ": timedelta(hours=1), "tiếng": timedelta(hours=1),
          "ngày": timedelta(days=1), "tuần": timedelta(weeks=1), "tháng": timedelta(days=30)}


@dataclass(frozen=True)
class ArticleText:
    title: str | None
    text: str
    published_at: datetime | None  # local Vietnam time, naive
    published_source: str  # date_line | relative | htmldate | none


def extract_article(html: str, url: str | None = None, fetched_at: datetime | None = None) -> ArticleText:
    """Main text, title and publication date of one page. Never raises on bad HTML: an
    unparseable page yields empty text."""
    import trafilatura
    from trafilatura.settings import DEFAULT_CONFIG
    from trafilatura.utils import load_html

    doc, title = None, None
    try:
        # Parsed once, as bare_extraction would; the title is read from the fresh tree exactly
        # as trafilatura's metadata step reads it. Asking bare_extraction for its metadata
        # instead would also run the author search (a deep copy of the whole tree), an
        # extensive htmldate search, categories, tags, licence and site name, all unused
        # (they cost about a third of this stage).
        tree = load_html(html, DEFAULT_CONFIG.getint("DEFAULT", "MAX_FILE_SIZE"))
        if tree is not None:
            title = _trafilatura_title(tree)
            doc = trafilatura.bare_extraction(  # works on a copy of the tree
                tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
                deduplicate=False, favor_precision=True,
            )
    except Exception:  # trafilatura raises assorted lxml errors on broken markup
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    title = (title or None) if doc is not None else None
    visible = visible_text(html)
    published, source = find_published(visible, fetched_at)
    if published is None:
        published, source = _htmldate(html, url), "htmldate"
        if published is None:
            source = "none"
    return ArticleText(title=title, text=text, published_at=published, published_source=source)


def _trafilatura_title(tree) -> str | None:
    """The title ``bare_extraction(..., with_metadata=True)`` returns: the title steps of
    ``trafilatura.metadata.extract_metadata`` (meta tags, then JSON-LD, then the title and
    heading elements), trimmed as its ``clean_and_trim`` trims it. The later metadata steps
    never touch the title and only read the tree. tests/unit/test_extract_text.py holds the
    two equal, so a trafilatura upgrade that changes the steps shows there."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # as extract_metadata: bugs in trafilatura's JSON-LD reader
        pass
    if not metadata.title:
        metadata.title = extract_title(tree)
    metadata.clean_and_trim()
    return metadata.title


def visible_text(html: str) -> str:
    """The page's text with markup, scripts and styles removed (for date lines)."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return " ".join(tree.text_content().split())


def find_published(text: str, fetched_at: datetime | None = None) -> tuple[datetime | None, str]:
    """The first labelled or relative date in ``text``; relative dates count back from the
    fetch time (UTC, naive) and come out in Vietnam time."""
    m = _LABELLED.search(text)
    if m:
        parsed = _build(*m.groups())
        if parsed:
            return parsed, "date_line"
    m = _TIME_FIRST.search(text[:3000])
    if m:
        hh, mm, d, mo, y = m.groups()
        parsed = _build(d, mo, y, hh, mm, None)
        if parsed:
            return parsed, "date_line"
    rel = _RELATIVE.search(text[:5000])
    yesterday = _YESTERDAY.search(text[:5000])
    if rel or yesterday:
        base = (fetched_at or datetime.now(timezone.utc).replace(tzinfo=None)).replace(tzinfo=timezone.utc).astimezone(VIETNAM)
        delta = int(rel.group(1)) * _UNITS[rel.group(2).lower()] if rel else timedelta(days=1)
        return (base - delta).replace(tzinfo=None, microsecond=0), "relative"
    return None, "none"


def _build(d, mo, y, hh=None, mm=None, ss=None) -> datetime | None:
    try:
        return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    except (TypeError, ValueError):
        return None


def _htmldate(html: str, url: str | None) -> datetime | None:
    try:
        from htmldate import find_date

        found = find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:
        return None
    return datetime.strptime(found, "%Y-%m-%d") if found else None
