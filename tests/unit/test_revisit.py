"""The revisit schedule: a known article is asked for again at checkpoints after its first fetch."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cchc.crawl.crawler import Known
from cchc.crawl.revisit import is_due

FIRST = datetime(2026, 11, 1, 1, 0)
SCHEDULE = (1, 3, 7, 30)


def known(last_checked, content_hash="h"):
    return Known(None, None, content_hash, FIRST, last_checked)


@pytest.mark.parametrize("last_checked, now, due", [
    (FIRST, FIRST + timedelta(hours=20), False),                       # the same day
    (FIRST, FIRST + timedelta(days=1), True),                          # day 1 reached
    (FIRST + timedelta(days=1), FIRST + timedelta(days=2), False),     # asked on day 1, day 3 not yet
    (FIRST + timedelta(days=1), FIRST + timedelta(days=3, hours=1), True),
    (FIRST + timedelta(days=8), FIRST + timedelta(days=29), False),
    (FIRST + timedelta(days=8), FIRST + timedelta(days=31), True),     # the last checkpoint
    (FIRST + timedelta(days=31), FIRST + timedelta(days=400), False),  # then never
    (FIRST + timedelta(minutes=40), FIRST + timedelta(days=1), True),  # fetched late in the crawl: still due the next night
])
def test_an_article_is_due_when_a_checkpoint_passed_since_it_was_last_asked_for(last_checked, now, due):
    assert is_due(known(last_checked), now, SCHEDULE) is due


def test_an_article_without_history_is_always_due():
    now = FIRST + timedelta(hours=1)
    assert is_due(None, now, SCHEDULE)
    assert is_due(known(FIRST, content_hash=None), now, SCHEDULE)  # only ever logged, never stored
    assert is_due(Known("etag", None, "h"), now, SCHEDULE)


def test_a_sitemap_or_feed_saying_it_changed_makes_it_due_even_past_the_schedule():
    asked = FIRST + timedelta(days=31)
    now = FIRST + timedelta(days=400)
    assert not is_due(known(asked), now, SCHEDULE, changed_at=asked - timedelta(days=1))
    assert is_due(known(asked), now, SCHEDULE, changed_at=asked + timedelta(days=2))


def test_discovery_reads_when_a_page_changed():
    from cchc.crawl.discover import feed_items, sitemap_links

    sitemap = """<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>/tin-tuc/bai-1.html</loc><lastmod>2026-11-20T09:00:00+07:00</lastmod></url>
      <url><loc>/tin-tuc/bai-2.html</loc></url></urlset>"""
    pages, nested = sitemap_links(sitemap, "http://xa.example.vn/")
    assert [(p.url, p.changed_at) for p in pages] == [("http://xa.example.vn/tin-tuc/bai-1.html", datetime(2026, 11, 20, 2, 0)),
                                                      ("http://xa.example.vn/tin-tuc/bai-2.html", None)] and nested == []
    rss = """<rss><channel><item><title>Bài 1</title><link>http://xa.example.vn/tin-tuc/bai-1.html</link>
      <pubDate>Fri, 20 Nov 2026 09:00:00 +0700</pubDate></item></channel></rss>"""
    (item,) = feed_items(rss, "http://xa.example.vn/")
    assert item.changed_at == datetime(2026, 11, 20, 2, 0)
