"""robots.txt rules with RFC 9309 wildcards: ``*`` matches any run of characters, ``$``
ends the pattern."""
from __future__ import annotations

import pytest

from cchc.crawl import robots
from cchc.crawl.crawler import crawl_portal
from cchc.settings import get_settings

from loopback_site import Page

WILDCARDS = "User-agent: *\nDisallow: /*?print=\nDisallow: /*.pdf$\n"


@pytest.mark.parametrize("path, allowed", [
    ("/bai-viet/cai-cach.html?print=1", False),
    ("/tin-tuc/2025/bai-viet.html?print=", False),
    ("/bai-viet/cai-cach.html", True),
    ("/bai-viet/cai-cach.html?page=2", True),
    ("/van-ban/ke-hoach.pdf", False),
    ("/van-ban/ke-hoach.pdf?tai-ve=1", True),
    ("/van-ban/ke-hoach.pdfx", True),
])
def test_wildcard_and_end_anchor_rules_apply(path, allowed):
    assert robots.parse(WILDCARDS).allowed("http://h" + path) is allowed


def test_crawl_delay_of_star_applies_when_our_group_sets_none():
    parsed = robots.parse("User-agent: *\nCrawl-delay: 1.5\n\nUser-agent: cchc-warehouse\nDisallow: /noi-bo/\n")
    assert parsed.crawl_delay == 1.5
    assert not parsed.allowed("http://h/noi-bo/x.html")


def test_a_print_page_disallowed_by_a_wildcard_is_never_requested(loopback_site):
    site = loopback_site
    site.pages["/robots.txt"] = Page(WILDCARDS.encode(), headers={"Content-Type": "text/plain"})
    site.pages["/tin-tuc"] = Page(b'<a href="/bai-viet/1">Tin</a> <a href="/bai-viet/1?print=1">In</a>')
    site.pages["/bai-viet/1"] = Page("<p>Nội dung mẫu.</p>".encode())
    site.pages["/bai-viet/1?print=1"] = Page("<p>Bản in mẫu.</p>".encode())
    result = crawl_portal(site.portal(), get_settings(), "r1")
    assert "/bai-viet/1" in site.requested
    assert "/bai-viet/1?print=1" not in site.requested
    row = next(r for r in result.log if r["url"] == site.base_url + "/bai-viet/1?print=1")
    assert row["outcome"] == "skipped_robots"
    assert not any(p["url"].endswith("?print=1") for p in result.pages)
