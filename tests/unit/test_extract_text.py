"""extract_article reads only the title from trafilatura's metadata, with trafilatura's own title
steps, instead of asking bare_extraction for all of it: the title and text must stay exactly
what ``bare_extraction(..., with_metadata=True)`` gives (this catches a trafilatura upgrade
that changes its title steps)."""
from __future__ import annotations

import json
from importlib import resources

import pytest
import trafilatura

from cchc.extract.text import extract_article

BODY = "<p>" + "Trong quý I/2025, UBND huyện Thọ Xuân tiếp nhận 500 hồ sơ, giải quyết 480 hồ sơ đúng hạn. " * 4 + "</p>"
SYNTHETIC = {
    "title element": f"<html><head><title>Tin huyện</title></head><body><article>{BODY}</article></body></html>",
    "og title": ('<html><head><meta property="og:title" content="Tiêu đề OG &amp; phụ"><title>Khác</title></head>'
                 f"<body><article><h1>Tiêu đề H1</h1>{BODY}</article></body></html>"),
    "json-ld headline": ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                         '"Tiêu đề JSON", "author": {"@type": "Person", "name": "Nguyễn Văn A"}}</script>'
                         f"<title>Khác</title></head><body><article>{BODY}</article></body></html>"),
    "broken json-ld": ('<html><head><script type="application/ld+json">{"headline": "Hỏng", </script></head>'
                       f"<body><h1>Chỉ có H1</h1><div>{BODY}</div></body></html>"),
    "no title": f"<html><body><div>{BODY}</div></body></html>",
    "too short": "<html><head><title>Ngắn</title></head><body><p>x</p></body></html>",
}


def sample_articles() -> list[tuple[str, str]]:
    root = resources.files("cchc.samples")
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    return [(p["path"], root.joinpath("site", p["file"]).read_text(encoding="utf-8"))
            for p in manifest["pages"] if p["kind"] == "article"]


def trafilatura_with_metadata(html: str, url: str | None) -> tuple[str, str | None]:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True, deduplicate=False, favor_precision=True)
    if doc is None:
        return "", None
    return (doc.text or "").strip(), doc.title or None


@pytest.mark.parametrize("url", ["http://127.0.0.11/tin-tuc/a.html", None])
def test_title_and_text_are_bare_extraction_with_metadata_on_the_sample_articles(url):
    for path, html in sample_articles():
        art = extract_article(html, url=url)
        assert (art.text, art.title) == trafilatura_with_metadata(html, url), path


@pytest.mark.parametrize("name", list(SYNTHETIC))
def test_title_and_text_are_bare_extraction_with_metadata_on_title_sources(name):
    html = SYNTHETIC[name]
    art = extract_article(html, url="http://x.vn/a.html")
    assert (art.text, art.title) == trafilatura_with_metadata(html, "http://x.vn/a.html")


def test_unparseable_input_gives_empty_text_and_no_title():
    for html in ("", "   ", "plain words"):
        art = extract_article(html)
        assert (art.text, art.title) == ("", None)
