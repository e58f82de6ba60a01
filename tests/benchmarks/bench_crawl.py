"""Crawl benchmark: pages per second on the sample portals with politeness off and on, and
the time of a second night with nothing changed against the first. Then the archive-sized
sample portal (240 articles over 12 listing pages, politeness on): the cold night, a backfill
of the rest of its archive, a night with nothing new and a night with five new articles,
each in requests and seconds.

Prints figures; asserts nothing. Run: .venv/bin/python tests/benchmarks/bench_crawl.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time


def night(run_id: str) -> tuple[float, dict]:
    from cchc import nightly

    started = time.monotonic()
    nightly.url_state(run_id)
    for entry in nightly.list_entries():
        nightly.fetch_portal(entry, run_id)
    nightly.load_run(run_id)
    elapsed = time.monotonic() - started
    return elapsed, nightly.run_summary(run_id)


def main() -> int:
    from cchc.samples.server import SampleServer

    rows = []
    with SampleServer(port=0) as server:
        os.environ["CCHC_SAMPLE_PORT"] = str(server.port)
        for polite in ("0", "1"):
            with tempfile.TemporaryDirectory() as data:
                os.environ["CCHC_DATA_DIR"] = data
                os.environ["CCHC_POLITE"] = polite
                first, s1 = night("bench-1")
                requests_first = len(server.requests)
                server.clear_requests()
                second, s2 = night("bench-2")
                fetched = s1["pages_new"] + s1["pages_unchanged"] + s1["pages_failed"]
                rows.append((polite, fetched, first, fetched / first, requests_first, second, s2["pages_new"], s2["pages_unchanged"]))
                server.clear_requests()
    print("politeness  pages  night1_s  pages_per_s  requests  night2_s  night2_new  night2_unchanged")
    for polite, fetched, first, rate, reqs, second, new2, unchanged2 in rows:
        label = "on " if polite == "1" else "off"
        print(f"{label:<10}  {fetched:>5}  {first:>8.2f}  {rate:>11.1f}  {reqs:>8}  {second:>8.2f}  {new2:>10}  {unchanged2:>16}")
    print("(one process, portals one after another as `airflow dags test` runs them; load included)")
    archive()
    return 0


def archive() -> None:
    import yaml

    from cchc.backfill import backfill
    from cchc.samples.archive import ArchiveServer

    rows = []
    with ArchiveServer(articles=240) as site, tempfile.TemporaryDirectory() as data:
        registry = os.path.join(data, "portals.yaml")
        with open(registry, "w", encoding="utf-8") as f:
            yaml.safe_dump({"portals": [site.registry_entry(max_pages=3, delay=0.2)]}, f, allow_unicode=True)
        os.environ.update(CCHC_DATA_DIR=data, CCHC_POLITE="1", CCHC_REGISTRY=registry)

        def measure(label, run):
            asked, started = len(site.requests), time.monotonic()
            run()
            rows.append((label, len(site.requests) - asked, time.monotonic() - started))

        measure("cold night", lambda: night("archive-1"))
        measure("backfill", lambda: backfill("maudon"))
        measure("nothing new", lambda: night("archive-2"))
        site.publish(5)
        measure("5 new articles", lambda: night("archive-3"))
    cold_requests, cold_seconds = rows[0][1], rows[0][2]
    print("\narchive sample (240 articles, 12 listing pages of 20; nightly listing depth 3; 0.2 s per host)")
    print("night            requests  seconds  of_cold_requests  of_cold_seconds")
    for label, requests, seconds in rows:
        print(f"{label:<15}  {requests:>8}  {seconds:>7.2f}  {requests / cold_requests:>16.1%}  {seconds / cold_seconds:>15.1%}")


if __name__ == "__main__":
    sys.exit(main())
