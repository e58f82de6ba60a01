"""The crawler against the real sample server on loopback: politeness, every fault, and
conditional re-crawl. Politeness is off (CCHC_POLITE=0) except where it is the behaviour."""
from __future__ import annotations

import dataclasses

import pytest

from cchc import nightly, warehouse
from cchc.crawl.crawler import Known, crawl_portal
from cchc.registry.registry import load_registry
from cchc.settings import SAMPLE_REGISTRY, get_settings

SEED_PATH = {}


@pytest.fixture
def impolite(monkeypatch):
    monkeypatch.setenv("CCHC_POLITE", "0")
    monkeypatch.setenv("CCHC_MAX_RETRIES", "2")


def portal(pid, **changes):
    p = load_registry(SAMPLE_REGISTRY).portals[pid]
    return dataclasses.replace(p, **changes)


def crawl(pid, run_id="r1", known=None, **changes):
    return crawl_portal(portal(pid, **changes), get_settings(), run_id, known)


def outcomes(result, kind=None):
    return {row["url"]: row for row in result.log if kind is None or row["page_kind"] == kind}


def article_path(server, pid):
    """One kept article of a portal (the seed's), as the server serves it."""
    result = crawl(pid, run_id="probe")
    urls = [r["url"] for r in result.log if r["page_kind"] == "article" and r["outcome"] == "new"]
    server.clear_requests()
    return urls[0].split(server.base_url(pid), 1)[1]


def test_requests_to_one_host_keep_the_robots_crawl_delay(sample_server):
    result = crawl("baodongthap")  # robots.txt: Crawl-delay 0.2, registry min delay lower or equal
    assert not result.fatal_error
    times = [r.at for r in sample_server.requests if r.portal == "baodongthap"]
    assert len(times) >= 5
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.2 - 0.01


def test_registry_min_delay_wins_when_longer_than_crawl_delay(sample_server):
    crawl("baoapbac", min_delay_seconds=0.4)
    times = [r.at for r in sample_server.requests if r.portal == "baoapbac"]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.4 - 0.01


def test_robots_disallowed_pages_are_logged_and_never_requested(sample_server, impolite):
    result = crawl("thoxuan")
    skipped = [r["url"] for r in result.log if r["outcome"] == "skipped_robots"]
    assert skipped and all("/noi-bo/" in u for u in skipped)
    assert not any(r.path.startswith("/noi-bo/") for r in sample_server.requests)


def test_off_topic_articles_are_filtered_not_fetched(sample_server, impolite):
    result = crawl("sonla")
    filtered = [r["url"] for r in result.log if r["outcome"] == "skipped_filter"]
    assert filtered
    requested = {r.path for r in sample_server.requests}
    assert not any(u.split(sample_server.base_url("sonla"), 1)[1] in requested for u in filtered)


def test_user_agent_names_the_project_and_a_contact(sample_server, impolite):
    crawl("baoapbac")
    agent = sample_server.requests[0].headers.get("User-Agent", "")
    assert "cchc-warehouse" in agent and "contact" in agent


def test_503_is_retried_until_it_succeeds(sample_server, impolite):
    path = article_path(sample_server, "baoapbac")
    sample_server.faults.add("http_503", path="^" + path + "$", portal="baoapbac", times=2)
    row = outcomes(crawl("baoapbac"))[sample_server.base_url("baoapbac") + path]
    assert row["outcome"] == "new" and row["attempts"] == 3


def test_persistent_500_fails_that_page_only(sample_server, impolite):
    path = article_path(sample_server, "baoapbac")
    sample_server.faults.add("http_500", path="^" + path + "$", portal="baoapbac")
    result = crawl("baoapbac")
    row = outcomes(result)[sample_server.base_url("baoapbac") + path]
    assert row["outcome"] == "failed" and row["http_status"] == 500 and "HTTP 500" in row["error"]
    assert row["attempts"] == 3
    assert result.counts()["articles_new"] >= 2 and not result.fatal_error


def test_connection_reset_is_retried(sample_server, impolite):
    path = article_path(sample_server, "baoapbac")
    sample_server.faults.add("reset", path="^" + path + "$", portal="baoapbac", times=1)
    row = outcomes(crawl("baoapbac"))[sample_server.base_url("baoapbac") + path]
    assert row["outcome"] == "new" and row["attempts"] == 2


def test_connection_reset_for_good_fails_with_a_clear_error(sample_server, impolite):
    path = article_path(sample_server, "baoapbac")
    sample_server.faults.add("reset", path="^" + path + "$", portal="baoapbac")
    row = outcomes(crawl("baoapbac"))[sample_server.base_url("baoapbac") + path]
    assert row["outcome"] == "failed" and "ConnectionError" in row["error"]


def test_redirect_loop_is_cut_off(sample_server, impolite):
    path = article_path(sample_server, "baoapbac")
    sample_server.faults.add("redirect_loop", path="^" + path, portal="baoapbac")
    row = outcomes(crawl("baoapbac"))[sample_server.base_url("baoapbac") + path]
    assert row["outcome"] == "failed" and "redirects" in row["error"]


def test_slow_responses_time_out_and_fail(sample_server, impolite, monkeypatch):
    monkeypatch.setenv("CCHC_HTTP_TIMEOUT", "0.3")
    monkeypatch.setenv("CCHC_MAX_RETRIES", "1")
    path = article_path(sample_server, "baoapbac")
    sample_server.faults.add("slow", path="^" + path + "$", portal="baoapbac", arg=1.0)
    row = outcomes(crawl("baoapbac"))[sample_server.base_url("baoapbac") + path]
    assert row["outcome"] == "failed" and "Timeout" in row["error"] and row["attempts"] == 2


def test_oversized_body_is_refused(sample_server, impolite, monkeypatch):
    monkeypatch.setenv("CCHC_MAX_BYTES", str(1024 * 1024))
    path = article_path(sample_server, "baoapbac")
    for framing in ("length", "no_length"):
        sample_server.faults.clear()
        sample_server.faults.add("oversized", path="^" + path + "$", portal="baoapbac", arg=3, arg2=framing)
        result = crawl("baoapbac")
        row = outcomes(result)[sample_server.base_url("baoapbac") + path]
        assert row["outcome"] == "too_large", framing
        assert not any(p["url"].endswith(path) for p in result.pages)


@pytest.mark.parametrize("fault", ["no_charset", "wrong_charset"])
def test_vietnamese_decodes_whatever_the_charset_header_says(sample_server, impolite, fault):
    sample_server.faults.add(fault, portal="baoapbac")
    result = crawl("baoapbac")
    articles = [p for p in result.pages if p["page_kind"] == "article"]
    assert articles
    for page in articles:
        assert page["charset"] == "utf-8"
        assert "hành chính" in page["html"] or "Tân Phước" in page["html"] or "xã" in page["html"]


def test_unreachable_robots_txt_fails_the_portal(sample_server, impolite):
    sample_server.faults.add("http_503", path="^/robots.txt$", portal="baoapbac")
    result = crawl("baoapbac")
    assert result.fatal_error and "robots.txt unreachable" in result.fatal_error
    assert not result.pages


def test_loopback_targets_are_refused_unless_the_entry_allows_them(sample_server, impolite):
    result = crawl("baoapbac", allow_private=False)
    robots = [r for r in result.log if r["page_kind"] == "robots"][0]
    assert robots["outcome"] == "skipped_unsafe" and "non-public address" in robots["error"]
    assert result.fatal_error
    assert not sample_server.requests


def test_recrawl_sends_validators_and_gets_304(sample_server, impolite):
    first = crawl("thanhliem")
    known = {p["url"]: Known(p["etag"], p["last_modified"], p["content_hash"]) for p in first.pages}
    sample_server.clear_requests()
    second = crawl("thanhliem", run_id="r2", known=known)
    articles = [r for r in second.log if r["page_kind"] == "article" and r["outcome"] not in ("skipped_filter", "skipped_robots")]
    assert articles and all(r["outcome"] == "not_modified" for r in articles)
    conditional = [r for r in sample_server.requests if "If-None-Match" in r.headers]
    assert len(conditional) == len(articles)
    assert not second.pages


def test_listing_that_stops_matching_flags_the_portal(sample_server, impolite):
    p = portal("thoxuan")
    listing = dataclasses.replace(p.listings[0], article_links=r"^/bai-viet/\d+$")
    result = crawl_portal(dataclasses.replace(p, listings=(listing,)), get_settings(), "r1")
    assert result.health_notes and "matched no article links" in result.health_notes[0]
    assert any(r["outcome"] == "listing_no_match" for r in result.log)


def test_load_twice_adds_nothing(sample_server, impolite):
    settings = get_settings()
    for entry in ("baoapbac", "baodongthap"):
        nightly.fetch_portal(entry, "night1")
    first = nightly.load_run("night1")
    second = nightly.load_run("night1")
    assert first["pages_inserted"] > 0 and second["pages_inserted"] == 0
    with warehouse.connect(read_only=True) as con:
        counts = con.execute(
            "select (select count(*) from raw.pages), (select count(*) from raw.fetch_log), (select count(*) from raw.portal_runs)"
        ).fetchone()
    assert counts[1] == first["log_rows"] and counts[2] == 2
    assert counts[0] == first["pages_inserted"]
    assert (settings.landing_dir / "night1" / "baoapbac" / "pages.parquet").exists()


def test_a_portal_with_no_new_article_for_n_nights_is_flagged(sample_server, impolite, monkeypatch, tmp_path):
    registry = tmp_path / "portals.yaml"
    registry.write_text(SAMPLE_REGISTRY.read_text(encoding="utf-8").replace("broken_after_nights: 7", "broken_after_nights: 2"))
    monkeypatch.setenv("CCHC_REGISTRY", str(registry))
    statuses = []
    for night in ("n1", "n2", "n3"):
        nightly.url_state(night)
        nightly.fetch_portal("baodongthap", night)
        nightly.load_run(night)
        statuses.append(nightly.run_summary(night)["portals"][0]["status"])
    # night 1 brings articles; nights 2 and 3 bring none: flagged once two nights are empty
    assert statuses == ["ok", "ok", "possibly_broken"]
    summary = nightly.format_summary(nightly.run_summary("n3"))
    assert "no new article in the last 2 nights" in summary


def _known_from(result, first_seen, last_checked):
    """What the warehouse would know after ``result``: every URL it logged, its pages' validators."""
    pages = {p["url"]: p for p in result.pages}
    return {r["url"]: Known(pages[r["url"]]["etag"] if r["url"] in pages else None,
                            pages[r["url"]]["last_modified"] if r["url"] in pages else None,
                            pages[r["url"]]["content_hash"] if r["url"] in pages else None,
                            first_seen if r["url"] in pages else None, last_checked if r["url"] in pages else None)
            for r in result.log}


def test_a_quiet_night_asks_only_for_what_is_due_and_stops_paging_at_a_seen_page(sample_server, impolite):
    from datetime import timedelta

    first = crawl("thoxuan")
    listing_pages = [r for r in first.log if r["page_kind"] == "listing" and r["outcome"] == "new"]
    assert len(listing_pages) > 1, "the sample listing pages more than once"
    started = first.started_at
    sample_server.clear_requests()
    quiet = crawl("thoxuan", run_id="r2", known=_known_from(first, started, started))
    articles = [r for r in quiet.log if r["page_kind"] == "article" and r["outcome"] not in ("skipped_filter", "skipped_robots")]
    assert articles and all(r["outcome"] == "not_due" for r in articles)
    asked = {r.path for r in sample_server.requests}
    assert not any(r["url"].endswith(path) for r in articles for path in asked), "a known article was asked for"
    assert len([r for r in quiet.log if r["page_kind"] == "listing"]) == 1, "paging stops at the first page with nothing unseen"
    # first fetched (and last asked for) two calendar days ago: the one-day checkpoint has passed
    # since, whatever the time of day, so it is due again
    due = crawl("thoxuan", run_id="r3", known=_known_from(first, started - timedelta(days=2), started - timedelta(days=2)))
    assert any(r["page_kind"] == "article" and r["outcome"] in ("unchanged", "not_modified") for r in due.log)


def test_two_entries_on_one_host_share_its_delay_across_tasks(sample_server, monkeypatch, tmp_path):
    """Two registry entries on one host, crawled at once as two fetch tasks would be: every
    request to the host still waits the host's delay (0.2 s: its Crawl-delay and the entry's)."""
    import threading

    import yaml

    doc = yaml.safe_load(SAMPLE_REGISTRY.read_text(encoding="utf-8"))
    entry = next(p for p in doc["portals"] if p["id"] == "baodongthap")
    registry = tmp_path / "portals.yaml"
    registry.write_text(yaml.safe_dump({"defaults": doc["defaults"], "portals": [entry, {**entry, "id": "baodongthap_b"}]},
                                       allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("CCHC_REGISTRY", str(registry))
    monkeypatch.setenv("CCHC_POLITE", "1")
    tasks = [threading.Thread(target=nightly.fetch_portal, args=(pid, "night-shared")) for pid in ("baodongthap", "baodongthap_b")]
    for t in tasks:
        t.start()
    for t in tasks:
        t.join(timeout=120)
    arrivals = sorted(r.at for r in sample_server.requests if r.portal == "baodongthap")
    assert len(arrivals) >= 10, "both entries crawled the host"
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= 0.2 - 0.02, f"requests {min(gaps):.3f} s apart"
