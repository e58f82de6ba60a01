"""The sample portals: a real server on loopback, its faults, its control endpoint, and the
snapshot it serves (manifest, the articles modelled on the seeds, discovery through the sample
registry)."""
from __future__ import annotations

import html
import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
import requests

from cchc.registry.registry import load_registry
from cchc.samples.server import PORTAL_HOSTS, RequestRecord, SampleServer, load_manifest
from cchc.settings import PROJECT_ROOT, SAMPLE_REGISTRY


def _site_articles() -> list[dict]:
    """The article texts the maintainer tool tools/samples/build_site.py wrote the snapshot from."""
    spec = importlib.util.spec_from_file_location("site_articles", PROJECT_ROOT / "tools" / "samples" / "site_articles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ARTICLES


ARTICLES = _site_articles()
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MANIFEST = load_manifest()
PAGES = MANIFEST["pages"]
SEED_PAGES = [p for p in PAGES if p["seed"]]
THOXUAN_SEED = next(p["path"] for p in SEED_PAGES if p["portal_id"] == "thoxuan")


@pytest.fixture(scope="module")
def srv():
    with SampleServer(port=0) as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(request):
    yield
    if "srv" in request.fixturenames:
        server = request.getfixturevalue("srv")
        server.faults.clear()
        server.clear_requests()


@pytest.fixture
def http():
    with requests.Session() as s:
        yield s


def _url(srv, portal, path):
    return srv.base_url(portal) + path


# ----------------------------------------------------------------------------- basics
def test_one_port_five_hosts(srv, http):
    assert set(PORTAL_HOSTS) == set(MANIFEST["portals"]) and len(PORTAL_HOSTS) == 5
    assert srv.port > 0
    for pid, host in PORTAL_HOSTS.items():
        assert MANIFEST["portals"][pid]["host"] == host
        assert srv.base_url(pid) == f"http://{host}:{srv.port}"
        assert http.get(_url(srv, pid, "/"), timeout=5).status_code == 200


def test_article_has_strong_etag_and_answers_conditional_gets_with_304(srv, http):
    url = _url(srv, "thoxuan", THOXUAN_SEED)
    r = http.get(url, timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    etag, last_modified = r.headers["ETag"], r.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "Hôm nay" in r.text and "<h1" in r.text  # chrome around the article
    again = http.get(url, timeout=5)
    assert again.headers["ETag"] == etag and again.content == r.content

    r304 = http.get(url, headers={"If-None-Match": etag}, timeout=5)
    assert r304.status_code == 304 and r304.content == b"" and r304.headers["ETag"] == etag
    assert http.get(url, headers={"If-None-Match": '"other"'}, timeout=5).status_code == 200
    assert http.get(url, headers={"If-Modified-Since": last_modified}, timeout=5).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert http.get(url, headers={"If-Modified-Since": old}, timeout=5).status_code == 200

    head = http.head(url, timeout=5)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(r.content) and head.headers["ETag"] == etag


def test_unknown_paths_and_pages_past_the_last_are_404(srv, http):
    assert http.get(_url(srv, "thoxuan", "/khong-co.html"), timeout=5).status_code == 404
    assert http.get(_url(srv, "thoxuan", "/tin-tuc/tin-hoat-dong?page=9"), timeout=5).status_code == 404
    # a page of one portal does not exist on another host
    assert http.get(_url(srv, "sonla", THOXUAN_SEED), timeout=5).status_code == 404


def test_base_is_replaced_in_feeds_and_sitemaps(srv, http):
    for page in (p for p in PAGES if p["kind"] in ("feed", "sitemap")):
        base = srv.base_url(page["portal_id"])
        r = http.get(base + page["path"], timeout=5)
        assert r.status_code == 200
        assert "{{BASE}}" not in r.text
        expected = "application/rss+xml" if page["kind"] == "feed" else "application/xml"
        assert r.headers["Content-Type"] == expected + "; charset=utf-8"
        root = ET.fromstring(r.content)
        if page["kind"] == "feed":
            assert root.tag == "rss" and root.get("version") == "2.0"
            items = root.findall("./channel/item")
            assert items and all(i.findtext("title") and i.findtext("pubDate") for i in items)
            links = [i.findtext("link") for i in items]
        else:
            ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
            urls = root.findall("s:url", ns)
            assert urls and all(u.findtext("s:lastmod", namespaces=ns) for u in urls)
            links = [u.findtext("s:loc", namespaces=ns) for u in urls]
        assert all(link.startswith(base + "/") for link in links)
        assert http.get(links[0], timeout=5).status_code == 200


def test_sharepoint_portal_declares_its_charset_only_in_a_meta_tag(srv, http):
    seed = next(p for p in SEED_PAGES if p["portal_id"] == "thanhliem")
    r = http.get(_url(srv, "thanhliem", seed["path"]), timeout=5)
    assert r.headers["Content-Type"] == "text/html"
    assert b'charset=utf-8"' in r.content and MANIFEST["portals"]["thanhliem"]["charset_in_header"] is False
    assert "Skip Ribbon Commands" in r.content.decode("utf-8")


def test_robots_have_disallow_and_crawl_delay_and_listings_link_a_disallowed_page(srv, http):
    for pid in PORTAL_HOSTS:
        r = http.get(_url(srv, pid, "/robots.txt"), timeout=5)
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert re.search(r"^Disallow: /\S+", r.text, re.M)
        delay = float(re.search(r"^Crawl-delay: ([\d.]+)$", r.text, re.M).group(1))
        assert 0 < delay <= 1
        parser = RobotFileParser()
        parser.parse(r.text.splitlines())
        blocked = [p for p in PAGES if p["portal_id"] == pid and p.get("disallowed_by_robots")]
        assert len(blocked) == 1
        assert not parser.can_fetch("cchc-warehouse", srv.base_url(pid) + blocked[0]["path"])
        listing = next(p for p in PAGES if p["portal_id"] == pid and p["kind"] == "listing" and blocked[0]["path"] in p["links"])
        assert f'href="{blocked[0]["path"]}"' in http.get(_url(srv, pid, listing["path"]), timeout=5).text


# ----------------------------------------------------------------------------- faults
def test_http_503_then_200_with_times(srv, http):
    srv.faults.add("http_503", path=r"^/tin-tuc/", portal="thoxuan", times=1)
    url = _url(srv, "thoxuan", THOXUAN_SEED)
    first = http.get(url, timeout=5)
    assert first.status_code == 503 and first.headers["Retry-After"] == "1"
    assert http.get(url, timeout=5).status_code == 200
    assert [r.status for r in srv.requests] == [503, 200]


def test_faults_match_portal_and_path(srv, http):
    srv.faults.add("http_500", path=r"\.rss$", portal="sonla")
    assert http.get(_url(srv, "sonla", "/rss/tin-tuc-su-kien.rss"), timeout=5).status_code == 500
    assert http.get(_url(srv, "sonla", "/robots.txt"), timeout=5).status_code == 200
    assert http.get(_url(srv, "baodongthap", "/rss/tin-moi-nhat.rss"), timeout=5).status_code == 200
    # matched against path + query
    srv.faults.add("http_503", path=r"page=2$", portal=None, times=None)
    assert http.get(_url(srv, "thoxuan", "/tin-tuc/tin-hoat-dong?page=2"), timeout=5).status_code == 503
    assert http.get(_url(srv, "thoxuan", "/tin-tuc/tin-hoat-dong"), timeout=5).status_code == 200


def test_reset_aborts_the_connection(srv, http):
    srv.faults.add("reset", path=r"^/robots\.txt$", portal="baoapbac")
    with pytest.raises(requests.ConnectionError):
        http.get(_url(srv, "baoapbac", "/robots.txt"), timeout=5)
    assert srv.requests[-1].status == 0
    assert requests.get(_url(srv, "thoxuan", "/robots.txt"), timeout=5).status_code == 200


def test_redirect_loop_never_ends(srv, http):
    srv.faults.add("redirect_loop", path=r"^/chinh-tri$")
    with pytest.raises(requests.TooManyRedirects):
        http.get(_url(srv, "baodongthap", "/chinh-tri"), timeout=5)
    first = http.get(_url(srv, "baodongthap", "/chinh-tri"), allow_redirects=False, timeout=5)
    assert first.status_code == 302
    back = http.get(urljoin(first.url, first.headers["Location"]), allow_redirects=False, timeout=5)
    assert back.status_code == 302 and back.headers["Location"] == "/chinh-tri"


def test_charset_faults(srv, http):
    path = next(p["path"] for p in SEED_PAGES if p["portal_id"] == "sonla")
    srv.faults.add("wrong_charset", path=re.escape(path), times=1)
    r = http.get(_url(srv, "sonla", path), timeout=5)
    assert r.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert r.encoding.lower() == "iso-8859-1" and "hồ sơ" in r.content.decode("utf-8")

    srv.faults.add("no_charset", path=re.escape(path), times=1)
    r = http.get(_url(srv, "sonla", path), timeout=5)
    assert r.headers["Content-Type"] == "text/html"
    assert not re.search(rb"<meta[^>]*charset", r.content, re.I) and "hồ sơ" in r.content.decode("utf-8")
    assert b"<meta charset" in http.get(_url(srv, "sonla", path), timeout=5).content


@pytest.mark.parametrize("framing", [None, "no_length", "chunked"])
def test_oversized_streams_a_big_body(srv, http, framing):
    srv.faults.add("oversized", path=r"^/$", portal="thoxuan", arg=0.25, arg2=framing, times=1)
    r = http.get(_url(srv, "thoxuan", "/"), timeout=10)
    assert r.status_code == 200 and len(r.content) >= 0.25 * 1024 * 1024
    assert ("Content-Length" in r.headers) == (framing is None)
    assert r.content.startswith(b"<!DOCTYPE html>") and r.content.endswith(b"</html>\n")


def test_slow_delays_the_answer(srv, http):
    srv.faults.add("slow", path=r"^/robots\.txt$", portal="thanhliem", arg=0.3, times=1)
    started = time.monotonic()
    r = http.get(_url(srv, "thanhliem", "/robots.txt"), timeout=5)
    assert r.status_code == 200 and time.monotonic() - started >= 0.3


def test_request_log_records_what_the_client_sent(srv, http):
    http.get(_url(srv, "thoxuan", "/tin-tuc/tin-hoat-dong?page=2"), headers={"User-Agent": "probe/1"}, timeout=5)
    http.head(_url(srv, "sonla", "/robots.txt"), timeout=5)
    a, b = srv.requests
    assert isinstance(a, RequestRecord)
    assert (a.portal, a.method, a.path, a.status) == ("thoxuan", "GET", "/tin-tuc/tin-hoat-dong?page=2", 200)
    assert a.headers["User-Agent"] == "probe/1" and a.at <= b.at <= time.monotonic()
    assert (b.portal, b.method, b.status) == ("sonla", "HEAD", 200)


def test_http_control_endpoint(srv, http):
    control = _url(srv, "baoapbac", "/__faults__")
    r = http.post(control, json={"kind": "http_503", "path": "^/robots", "portal": "sonla", "times": 1}, timeout=5)
    assert r.status_code == 201 and r.json()["faults"][0]["kind"] == "http_503"
    assert http.post(control, json={"kind": "nope"}, timeout=5).status_code == 400
    assert len(http.get(control, timeout=5).json()["faults"]) == 1
    assert http.get(_url(srv, "sonla", "/robots.txt"), timeout=5).status_code == 503
    assert http.get(_url(srv, "sonla", "/robots.txt"), timeout=5).status_code == 200

    http.post(control, json={"kind": "http_500"}, timeout=5)
    assert http.get(_url(srv, "thoxuan", "/"), timeout=5).status_code == 500
    assert http.delete(_url(srv, "thanhliem", "/__faults__"), timeout=5).json() == {"cleared": 2}
    assert http.get(_url(srv, "thoxuan", "/"), timeout=5).status_code == 200

    log = http.get(_url(srv, "thoxuan", "/__requests__"), timeout=5).json()["requests"]
    assert [(x["portal"], x["path"], x["status"]) for x in log] == [
        ("sonla", "/robots.txt", 503), ("sonla", "/robots.txt", 200), ("thoxuan", "/", 500), ("thoxuan", "/", 200),
    ]
    assert not any("__" in r.path for r in srv.requests)
    only = http.get(_url(srv, "thoxuan", "/__requests__?portal=sonla"), timeout=5).json()["requests"]
    assert {x["portal"] for x in only} == {"sonla"}


# ----------------------------------------------------------------------------- the snapshot
def test_manifest_lists_every_served_page_and_nothing_else(srv, http):
    site = resources.files("cchc.samples").joinpath("site")
    files = set()
    stack = [(site, "")]
    while stack:
        node, prefix = stack.pop()
        for child in node.iterdir():
            rel = prefix + child.name
            if child.is_dir():
                stack.append((child, rel + "/"))
            else:
                files.add(rel)
                child.read_bytes().decode("utf-8")  # all UTF-8
    assert files == {p["file"] for p in PAGES}
    assert len({(p["portal_id"], p["path"]) for p in PAGES}) == len(PAGES)
    assert sum(len(site.joinpath(*f.split("/")).read_bytes()) for f in files) < 1_000_000
    for p in PAGES:
        r = http.get(_url(srv, p["portal_id"], p["path"]), timeout=5)
        assert r.status_code == 200, p["path"]
        assert p["kind"] in ("article", "listing", "feed", "sitemap", "robots", "other")
    assert {r.status for r in srv.requests} == {200}


def test_every_seed_modelled_once_and_every_page_synthetic():
    assert sorted(p["seed"] for p in SEED_PAGES) == [f"00{i}_" + s for i, s in enumerate(
        ["1cc8e4c574c50009.txt", "7e132c740c8fec5b.txt", "7d7845850110665b.txt", "0a68864877db1425.txt", "68e786483381fb0d.txt"]
    )]
    assert all(p["synthetic"] for p in PAGES)
    assert {p["portal_id"] for p in SEED_PAGES} == set(PORTAL_HOSTS)
    assert all(p["kind"] == "article" and p["about_dossiers"] for p in SEED_PAGES)


def _words(text):
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed texts not available")
def test_seed_modelled_articles_share_no_run_of_eight_words_with_any_seed():
    """The five pages keep their seed's figures, not its words: no eight consecutive words of
    title, body or byline come from a seed (dates and statistics phrases are shorter)."""
    seen = set()
    for seed in SEEDS_DIR.glob("*.txt"):
        w = _words(seed.read_text(encoding="utf-8"))
        seen |= {tuple(w[i : i + 8]) for i in range(len(w) - 7)}
    for art in (a for a in ARTICLES if a.get("seed")):
        w = _words("\n".join([art["title"], *art["paras"], art.get("author") or ""]))
        shared = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if tuple(w[i : i + 8]) in seen]
        assert shared == [], (art["seed"], shared[:3])


def test_seed_modelled_body_is_served_and_survives_boilerplate_removal(srv, http):
    try:
        import trafilatura
    except ImportError:
        trafilatura = None

    def norm(s):
        return " ".join(s.replace("\xa0", " ").split())

    by_path = {(a["portal"], a["path"]): a for a in ARTICLES}
    for page in SEED_PAGES:
        art = by_path[(page["portal_id"], page["path"])]
        body = [p.removeprefix("CAPTION: ") for p in art["paras"]]
        assert art["title"] == page["title"] and len(body) >= 2
        served = http.get(_url(srv, page["portal_id"], page["path"]), timeout=5).content.decode("utf-8")
        text = html.unescape(served)
        assert f">{page['title']}</h1>" in text
        for line in body:
            assert line in text, line[:60]
        if trafilatura is not None:
            out = norm(trafilatura.extract(served) or "")
            for line in body:
                assert norm(line) in out, line[:60]
            for chrome in ("Đọc nhiều nhất", "Mã kiểm tra", "Thống kê truy cập", "Skip Ribbon", "TIN LIÊN QUAN", "VỀ TRANG CHỦ"):
                assert chrome not in out


def test_synthetic_articles_give_time_series_with_one_documented_error():
    articles = [p for p in PAGES if p["kind"] == "article" and not p["seed"] and not p.get("disallowed_by_robots")]
    noted = [p for p in articles if p.get("note")]
    assert len(noted) == 1 and "817" in noted[0]["note"] and MANIFEST["deliberate_errors"][0]["path"] == noted[0]["path"]
    for pid, portal in load_registry(SAMPLE_REGISTRY).portals.items():
        keywords = [k.lower() for k in portal.keep_title_keywords]
        mine = [p for p in articles if p["portal_id"] == pid]
        seed = next(p for p in SEED_PAGES if p["portal_id"] == pid)
        assert len(mine) >= 8
        dossier = [p for p in mine if p["about_dossiers"]]
        assert 2 <= len(dossier) <= 3
        for p in dossier:  # other periods than the seed's
            assert p["subject"]["periods"] != seed["subject"]["periods"]
        off_topic = [p for p in mine if not p["about_dossiers"]]
        assert sum(not any(k in p["title"].lower() for k in keywords) for p in off_topic) >= 4
        assert any(any(k in p["title"].lower() for k in keywords) for p in off_topic)  # CCHC title, no numbers


def test_sample_registry_discovers_and_keeps_every_seed(srv, http, monkeypatch):
    """Walk the sample registry's discovery (each entry resolved through its family) like a
    crawler: robots, sitemap, feeds, listings (stopping at the first listing page without new
    article links), then keep."""
    monkeypatch.setenv("CCHC_SAMPLE_PORT", str(srv.port))
    registry = load_registry(SAMPLE_REGISTRY)
    assert registry.entry_keys == list(PORTAL_HOSTS) and not registry.errors
    for pid, portal in registry.portals.items():
        base = portal.base_url
        assert base == srv.base_url(pid) and portal.allow_private is True
        assert sum(bool(x) for x in (portal.sitemap, portal.feeds, portal.listings)) >= 2
        robots = RobotFileParser()
        robots.parse(http.get(base + "/robots.txt", timeout=5).text.splitlines())
        found: dict[str, str | None] = {}
        if portal.sitemap:
            root = ET.fromstring(http.get(base + portal.sitemap, timeout=5).content)
            for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
                found.setdefault(urlsplit(loc.text).path, None)
        for feed in portal.feeds:
            for item in ET.fromstring(http.get(base + feed, timeout=5).content).iter("item"):
                found[urlsplit(item.findtext("link")).path] = item.findtext("title")
        for listing in portal.listings:
            pattern, seen = re.compile(listing.article_links), set()
            for n in range(1, listing.max_pages + 1):
                url = listing.url if n == 1 else listing.next_page.replace("{page}", str(n))
                r = http.get(base + url, timeout=5)
                assert r.status_code == 200, url
                links = {h: html.unescape(t) for h, t in re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', r.text) if pattern.search(h)}
                fresh = set(links) - seen
                assert fresh, f"{pid}: listing page {n} brings no new article link"
                seen |= fresh
                for h in fresh:
                    found[h] = found.get(h) or links[h]
            assert f'href="{listing.next_page.replace("{page}", str(listing.max_pages + 1))}"' not in r.text
        allowed = {p for p in found if robots.can_fetch("cchc-warehouse", base + p)}
        assert len(allowed) == len(found) - 1  # the one disallowed page was discovered and must be skipped
        url_re = re.compile(portal.keep_url, re.I)
        words = [w.lower() for w in portal.keep_title_keywords]
        kept = {p for p in allowed if url_re.search(p) or any(w in (found[p] or "").lower() for w in words)}
        seed = next(p["path"] for p in SEED_PAGES if p["portal_id"] == pid)
        assert seed in kept, pid
        assert len(allowed - kept) >= 3, f"{pid}: off-topic articles are discovered and dropped by keep"
        served = {p["path"] for p in PAGES if p["portal_id"] == pid and p["kind"] == "article"}
        assert set(found) <= served


# ----------------------------------------------------------------------------- command line
def test_serve_command_prints_base_urls_and_stops_on_sigterm(tmp_path):
    env = dict(os.environ)
    include = str(Path(__file__).resolve().parents[2] / "include")
    env["PYTHONPATH"] = include + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc.samples.server", "--port", "0", "--fault", "http_503:^/robots.txt$"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        lines = [proc.stdout.readline().split() for _ in PORTAL_HOSTS]
        assert [pid for pid, _ in lines] == list(PORTAL_HOSTS)
        base = dict(lines)["sonla"]
        assert requests.get(base + "/robots.txt", timeout=5).status_code == 503
        assert requests.get(base + "/", timeout=5).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.stderr.read() == ""


def test_list_command(capsys):
    from cchc.samples.server import run_list

    assert run_list(port=9999) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and out[0].split()[:3] == ["thoxuan", "127.0.0.11", "thanhhoa_egov"]
    assert "http://127.0.0.15:9999" in out[4]
