"""Scores the fact extractor on the hand-labelled seeds and fails below the pinned floors.

Usage: python tests/benchmarks/score_facts.py [--verbose] [--gold-dir DIR] [--articles-dir DIR]

A script, not a test (benchmarks print, tests assert): it prints the per-metric table and
exits 1 when the strict F1 falls below ``floors.json``. Raise a floor when the extractor
improves; lowering one is a decision to write down, never a side effect.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FLOORS = Path(__file__).with_name("floors.json")


def main(argv: list[str] | None = None) -> int:
    from cchc.extract.score import format_report, score_seeds

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold-dir")
    ap.add_argument("--articles-dir")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    report = score_seeds(args.gold_dir, args.articles_dir)
    print(format_report(report, verbose=args.verbose))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    got = {"facts_f1_strict": report.overall.f1}
    failed = [f"{name}: {got[name]:.3f} < floor {floor:.3f}" for name, floor in floors.items() if got.get(name, 0.0) < floor]
    for line in failed:
        print("BELOW FLOOR " + line, file=sys.stderr)
    print(f"facts_f1_strict = {got['facts_f1_strict']:.3f} (floor {floors['facts_f1_strict']:.3f})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
