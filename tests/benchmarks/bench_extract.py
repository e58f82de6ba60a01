"""Extraction benchmark on the sample snapshot: pages per second of text extraction alone
(trafilatura and the date line) and of text plus fact extraction.

Prints figures; asserts nothing. Run: .venv/bin/python tests/benchmarks/bench_extract.py [--rounds N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from importlib import resources


def article_pages() -> list[tuple[str, str]]:
    root = resources.files("cchc.samples")
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    pages = []
    for page in manifest["pages"]:
        if page["kind"] == "article":
            html = root.joinpath("site", page["file"]).read_text(encoding="utf-8")
            pages.append((page["path"], html))
    return pages


def main() -> int:
    from cchc.extract.facts import extract_facts
    from cchc.extract.text import extract_article

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    pages = article_pages()
    fetched = datetime(2025, 11, 20, 3, 0)
    extract_article(pages[0][1])  # warm imports
    started = time.perf_counter()
    for _ in range(rounds):
        texts = [extract_article(html, fetched_at=fetched) for _, html in pages]
    text_only = time.perf_counter() - started
    started = time.perf_counter()
    facts = 0
    for _ in range(rounds):
        for _, html in pages:
            art = extract_article(html, fetched_at=fetched)
            facts += len(extract_facts(art.text, published=art.published_at.date() if art.published_at else None))
    both = time.perf_counter() - started
    n = len(pages) * rounds
    print(f"sample snapshot: {len(pages)} article pages x {rounds} rounds ({sum(len(h) for _, h in pages) / len(pages) / 1024:.0f} KiB of HTML each on average)")
    print(f"text extraction alone:   {n / text_only:7.1f} pages/s  ({1000 * text_only / n:.1f} ms/page)")
    print(f"text + fact extraction:  {n / both:7.1f} pages/s  ({1000 * both / n:.1f} ms/page, {facts // rounds} facts per round)")
    del texts
    return 0


if __name__ == "__main__":
    sys.exit(main())
