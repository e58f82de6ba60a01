"""A compressed body is capped by what it inflates to, before it is inflated in full."""
from __future__ import annotations

import resource
import zlib

import pytest

from cchc.crawl.fetch import Fetcher, FetchError

from loopback_site import Page

INFLATED = 1 << 30  # a 1 GiB page of zeros, about 1 MB on the wire
CAP = 5 * 1024 * 1024


def _gzip_bomb() -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    block = bytes(1 << 24)
    return b"".join([packer.compress(block) for _ in range(INFLATED // len(block))] + [packer.flush()])


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_it(loopback_site):
    body = _gzip_bomb()
    assert len(body) < CAP, "the bomb itself passes the Content-Length check"
    loopback_site.pages["/bai-viet/bom"] = Page(body, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
    fetcher = Fetcher("cchc-test", max_bytes=CAP, max_retries=0, delay=0, allow_private=True)
    peak_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with pytest.raises(FetchError) as refused:
            fetcher.get(f"{loopback_site.base_url}/bai-viet/bom")
    finally:
        fetcher.close()
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before_kib) / 1024
    assert refused.value.outcome == "too_large" and f"cap of {CAP} bytes" in str(refused.value)
    assert grown_mib < 100, f"the fetch grew the process by {grown_mib:.0f} MiB"
    assert loopback_site.requested.count("/bai-viet/bom") == 1, "a page too large is not asked for again"
