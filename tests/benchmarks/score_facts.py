"""Scores the fact extractor on the hand-labelled seeds and fails below the pinned floors;
with ``--dev``, also prints the development set's figures.

Usage: python tests/benchmarks/score_facts.py [--verbose] [--gold-dir DIR] [--articles-dir DIR]
                                              [--dev TEXTS_DIR [--dev-gold DIR] [--breaks FILE]]

A script, not a test (benchmarks print, tests assert): it prints the per-metric table and
exits 1 when the seeds' strict F1 falls below ``floors.json``. Raise a floor when the
extractor improves; lowering one is a decision to write down, never a side effect.

``--dev data/dev-texts``: the real articles of ../shared/dev (their texts rebuilt as its
README says; third-party text, never in the repository) scored as the project is judged:
facts strict F1 over all of them, over the district and commune half (001-023) and the
provincial half (027-049), F1 per metric, the error table, and ``cchc check`` against the
hand-found breaks. The dev figures have no floor: CI has no texts.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FLOORS = Path(__file__).with_name("floors.json")
HALVES = (("district and commune half", "001-023"), ("provincial half", "027-049"))


def main(argv: list[str] | None = None) -> int:
    from cchc.extract.score import format_breaks, format_report, score_breaks, score_folder, score_seeds
    from cchc.settings import PROJECT_ROOT

    dev_root = PROJECT_ROOT.parent / "shared" / "dev"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold-dir")
    ap.add_argument("--articles-dir")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--dev", metavar="TEXTS_DIR", help="the rebuilt texts of the development set")
    ap.add_argument("--dev-gold", default=str(dev_root / "gold"))
    ap.add_argument("--breaks", default=str(dev_root / "breaks.jsonl"))
    args = ap.parse_args(argv)
    report = score_seeds(args.gold_dir, args.articles_dir)
    print(format_report(report, verbose=args.verbose))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    got = {"facts_f1_strict": report.overall.f1}
    failed = [f"{name}: {got[name]:.3f} < floor {floor:.3f}" for name, floor in floors.items() if got.get(name, 0.0) < floor]
    for line in failed:
        print("BELOW FLOOR " + line, file=sys.stderr)
    print(f"seeds: facts_f1_strict = {got['facts_f1_strict']:.3f} (floor {floors['facts_f1_strict']:.3f})")
    if args.dev:
        dev = score_folder(Path(args.dev_gold), Path(args.dev))
        print("\ndevelopment set, every article:")
        print(format_report(dev, verbose=args.verbose))
        for label, spec in HALVES:
            half = score_folder(Path(args.dev_gold), Path(args.dev), spec).overall
            print(f"dev {label} ({spec}): facts strict F1 {half.f1:.3f} (P {half.precision:.3f} R {half.recall:.3f})")
        print(format_breaks(score_breaks(Path(args.breaks), Path(args.dev)), verbose=args.verbose))
        print(f"dev: facts strict F1 {dev.overall.f1:.3f}, lenient {dev.lenient.f1:.3f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
