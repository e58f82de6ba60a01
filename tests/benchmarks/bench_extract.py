"""Extraction benchmark on the sample snapshot's article pages, three ways side by side:

  (a) bare trafilatura: ``trafilatura.bare_extraction(html, url=..., with_metadata=True)``,
      trafilatura's defaults otherwise;
  (b) plain ``trafilatura.extract(html)``;
  (c) the whole extract stage as the night runs it: ``cchc.extract.pipeline.extract_page``
      (text and metadata, the date line or htmldate, the facts, the rows), with the night's
      URL, fetch time, locality hint and extractor version;

and the ratio of (c)'s throughput to (a)'s and to (b)'s. Rounds are interleaved (a, b, c,
a, b, c, ...) after a warm-up pass, and every figure is built from each page's median time
over the rounds, so a noisy machine does not favour whichever side ran in a quiet moment.

``--texts DIR`` adds the fact extractor alone on a folder of plain-text articles
(``URL:``/``PUBLISHED:``/``LOCALITY:`` header, a ``---`` line, the body): ms per article and
characters per second, so its cost on real article lengths is visible. The folder is read at
run time only. ``--scaling`` times hostile invented input up to the size cap, to show time
grows with the size and not its square.

Prints figures; asserts nothing. Run:
  .venv/bin/python tests/benchmarks/bench_extract.py [--rounds N] [--texts DIR] [--scaling]
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Callable

FETCHED = datetime(2025, 11, 20, 3, 0)  # UTC, naive, as raw.pages stores it


@dataclass(frozen=True)
class Page:
    page_version_id: str
    url: str
    html: str
    locality_hint: str | None


def article_pages() -> list[Page]:
    """The sample snapshot's article pages, with the URL and locality hint the night would
    pass (from the sample registry)."""
    from cchc.registry.registry import load_registry
    from cchc.settings import SAMPLE_REGISTRY

    portals = load_registry(SAMPLE_REGISTRY).portals
    root = resources.files("cchc.samples")
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    pages = []
    for i, page in enumerate(manifest["pages"]):
        if page["kind"] != "article":
            continue
        portal = portals.get(page["portal_id"])
        html = root.joinpath("site", page["file"]).read_text(encoding="utf-8")
        url = portal.absolute(page["path"]) if portal else f"http://{page['portal_id']}.invalid{page['path']}"
        pages.append(Page(f"bench-{i:04d}", url, html, portal.locality_hint if portal else None))
    return pages


def timed_rounds(items: list, runs: dict[str, Callable], rounds: int) -> dict[str, list[float]]:
    """Per item and per run, the median seconds over ``rounds`` interleaved rounds (each
    round runs every run over every item, runs in the given order)."""
    samples = {name: [[] for _ in items] for name in runs}
    clock = time.perf_counter
    for _ in range(rounds):
        for name, run in runs.items():
            gc.collect()
            per_item = samples[name]
            for i, item in enumerate(items):
                started = clock()
                run(item)
                per_item[i].append(clock() - started)
    return {name: [statistics.median(s) for s in per_item] for name, per_item in samples.items()}


def bench_pages(rounds: int) -> None:
    import trafilatura

    from cchc.extract.pipeline import extract_page, extractor_version

    pages = article_pages()
    version = extractor_version()
    facts_seen: list[int] = []

    def bare(p: Page):
        return trafilatura.bare_extraction(p.html, url=p.url, with_metadata=True)

    def plain(p: Page):
        return trafilatura.extract(p.html)

    def stage(p: Page):
        _, fact_rows = extract_page(p.page_version_id, p.url, p.html, FETCHED, p.locality_hint, version)
        facts_seen.append(len(fact_rows))

    runs = {"bare_extraction(metadata)": bare, "extract()": plain, "stage (extract_page)": stage}
    for run in runs.values():  # warm-up: imports, trafilatura's and the fact extractor's caches
        for p in pages:
            run(p)
    facts_per_pass = sum(facts_seen)
    facts_seen.clear()
    medians = timed_rounds(pages, runs, rounds)
    facts_per_round = {sum(facts_seen[i:i + len(pages)]) for i in range(0, len(facts_seen), len(pages))}

    kib = sum(len(p.html.encode("utf-8")) for p in pages) / len(pages) / 1024
    print(f"sample snapshot: {len(pages)} article pages, {kib:.0f} KiB of HTML each on average; "
          f"{rounds} interleaved rounds, median per page")
    width = max(map(len, runs))
    totals = {name: sum(m) for name, m in medians.items()}
    for name, total in totals.items():
        print(f"  {name:{width}}  {len(pages) / total:7.1f} pages/s  {1000 * total / len(pages):7.2f} ms/page")
    stage_total = totals["stage (extract_page)"]
    for name in ("bare_extraction(metadata)", "extract()"):
        print(f"  stage / {name} = {totals[name] / stage_total:.2f}x")
    same = "same every round" if facts_per_round == {facts_per_pass} else f"rounds gave {sorted(facts_per_round)}"
    print(f"  facts: {facts_per_pass} on the {len(pages)} pages ({same})")


def read_texts(folder: Path) -> list[tuple[str, str, date | None, str | None, str]]:
    """(name, url, published, locality, body) of every ``*.txt`` in ``folder``, read as
    ``cchc score --texts`` reads them."""
    from cchc.extract.score import read_text

    out = []
    for path in sorted(folder.glob("*.txt")):
        try:
            fields, body = read_text(path)
        except ValueError as exc:
            print(f"  skipped {exc}", file=sys.stderr)
            continue
        published = fields.get("PUBLISHED") or None
        try:
            published = date.fromisoformat(published) if published else None
        except ValueError:
            published = None
        out.append((path.name, fields.get("URL") or None, published, fields.get("LOCALITY") or None, body))
    return out


def bench_texts(folder: Path, rounds: int) -> None:
    from cchc.extract.facts import extract_facts

    articles = read_texts(folder)
    if not articles:
        print(f"\n--texts {folder}: no articles")
        return
    counts = {}

    def facts(a):
        name, url, published, locality, body = a
        counts[name] = len(extract_facts(body, published=published, url=url, locality_hint=locality))

    for a in articles:  # warm-up
        facts(a)
    medians = timed_rounds(articles, {"facts": facts}, rounds)["facts"]
    chars = [len(a[4]) for a in articles]
    total = sum(medians)
    print(f"\nextract_facts alone on {folder}: {len(articles)} articles, {rounds} rounds, median per article")
    print(f"  {'article':12} {'chars':>7} {'ms':>8} {'chars/s':>10} {'facts':>5}")
    for (name, *_), n, m in zip(articles, chars, medians):
        print(f"  {name:12} {n:7d} {1000 * m:8.2f} {n / m:10.0f} {counts[name]:5d}")
    print(f"  {'all':12} {sum(chars):7d} {1000 * total:8.2f} {sum(chars) / total:10.0f} {sum(counts.values()):5d}")
    print(f"  {1000 * total / len(articles):.2f} ms/article on average ({sum(chars) / len(articles):.0f} chars), "
          f"median {1000 * statistics.median(medians):.2f} ms, slowest {1000 * max(medians):.2f} ms; "
          f"{sum(chars) / total:.0f} chars/s")


def bench_scaling() -> None:
    """Seconds per size of hostile input: one line without a sentence end holding ever more
    figures, and many short sentences without a period. Time should grow with the size, not
    its square (a page is capped at MAX_CHARS, so the last size is the worst a night can see)."""
    from cchc.extract.facts import MAX_CHARS, extract_facts

    print("\nscaling (invented hostile input):")
    for label, unit in (("one line of figures", "Huyện tiếp nhận 5 hồ sơ, "), ("short sentences", "Tỷ lệ 5% hồ sơ. ")):
        for size in (MAX_CHARS // 8, MAX_CHARS // 2, MAX_CHARS):
            text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            extract_facts(text, published=date(2024, 5, 1))
            print(f"  {label:22} {size:8d} chars  {time.perf_counter() - started:6.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--texts", type=Path, help="also time extract_facts alone on the plain-text articles here")
    parser.add_argument("--scaling", action="store_true", help="also time hostile inputs up to the size cap")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.texts is not None and not args.texts.is_dir():
        parser.error(f"--texts {args.texts}: not a folder")
    bench_pages(args.rounds)
    if args.texts is not None:
        bench_texts(args.texts, args.rounds)
    if args.scaling:
        bench_scaling()
    return 0


if __name__ == "__main__":
    sys.exit(main())
