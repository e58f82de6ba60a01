"""Which targets the crawler refuses: anything not globally routable, checked on every
resolved address of every redirect hop, before any connection is made."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from cchc.crawl.crawler import crawl_portal
from cchc.crawl.urlsafety import UnsafeURLError, check_url
from cchc.settings import get_settings

from loopback_site import Page

METADATA = "http://100.100.100.200/latest/meta-data/"


@pytest.fixture
def connections(monkeypatch):
    """Every address this process tries to connect to. Tests talk to loopback only, so any
    other address is refused on the spot instead of being tried."""
    attempted: list[str] = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        attempted.append(address[0])
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise OSError(f"test: no network beyond loopback ({address[0]})")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempted


@pytest.mark.parametrize("host", [
    "100.64.0.1",                # carrier-grade NAT
    "100.100.100.200",           # a cloud metadata service inside 100.64.0.0/10
    "[::ffff:100.100.100.200]",  # the same, IPv4-mapped
    "169.254.169.254",           # link-local metadata service
    "10.0.0.1",                  # private
    "192.0.2.1",                 # documentation range
])
def test_an_address_that_is_not_globally_routable_is_refused(host):
    with pytest.raises(UnsafeURLError, match="not globally routable"):
        check_url(f"http://{host}/latest/meta-data/", allow_private=False)


def test_a_globally_routable_address_is_allowed():
    check_url("http://8.8.8.8/", allow_private=False)


@pytest.mark.parametrize("host", ["127.0.0.11", "10.0.0.1", "[::1]"])
def test_allow_private_allows_loopback_and_private_addresses(host):
    check_url(f"http://{host}:8765/", allow_private=True)


@pytest.mark.parametrize("host", ["100.100.100.200", "[::ffff:100.100.100.200]", "169.254.169.254"])
def test_allow_private_still_refuses_metadata_addresses(host):
    with pytest.raises(UnsafeURLError, match="not globally routable"):
        check_url(f"http://{host}/latest/meta-data/", allow_private=True)


def test_a_redirect_to_a_metadata_address_is_refused_before_connecting(loopback_site, connections):
    site = loopback_site
    site.pages["/tin-tuc"] = Page('<a href="/bai-viet/1">Tin mẫu</a>'.encode())
    site.pages["/bai-viet/1"] = Page(status=301, headers={"Location": "{BASE}/chuyen/1"})
    site.pages["/chuyen/1"] = Page(status=302, headers={"Location": METADATA})
    result = crawl_portal(site.portal(), get_settings(), "r1")
    row = next(r for r in result.log if r["url"] == site.base_url + "/bai-viet/1")
    assert row["outcome"] == "skipped_unsafe"
    assert row["error"].startswith(
        f"301 {site.base_url}/bai-viet/1 -> 302 {site.base_url}/chuyen/1 -> refused {METADATA}: "
    )
    assert "not globally routable" in row["error"]
    assert connections and all(ipaddress.ip_address(a).is_loopback for a in connections)


def test_a_followed_redirect_chain_is_logged_hop_by_hop(loopback_site):
    site = loopback_site
    site.pages["/tin-tuc"] = Page('<a href="/bai-viet/2">Tin mẫu</a>'.encode())
    site.pages["/bai-viet/2"] = Page(status=301, headers={"Location": "/bai-viet/2-moi"})
    site.pages["/bai-viet/2-moi"] = Page("<p>Nội dung mẫu.</p>".encode())
    result = crawl_portal(site.portal(), get_settings(), "r1")
    row = next(r for r in result.log if r["url"] == site.base_url + "/bai-viet/2")
    assert row["outcome"] == "new" and row["final_url"] == site.base_url + "/bai-viet/2-moi"
    assert f"301 {site.base_url}/bai-viet/2 -> 200 {site.base_url}/bai-viet/2-moi" in row["note"]
