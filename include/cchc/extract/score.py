"""Scores extracted facts against hand-labelled gold facts: precision, recall and F1, overall
and per metric, under strict matching.

Strict: metric, value (counts exactly, percentages to 0.01), unit, qualifier, tier, period
start and end, locality name and type must all be equal. Matching is by multiset: an article
stating the same fact twice must yield it twice.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Sequence


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    per_metric: dict[str, Counts] = field(default_factory=dict)
    per_article: dict[str, Counts] = field(default_factory=dict)
    misses: list[tuple[str, dict]] = field(default_factory=list)  # (article, gold fact)
    spurious: list[tuple[str, dict]] = field(default_factory=list)  # (article, extracted fact)


def fact_key(fact: dict[str, Any]) -> tuple:
    """What strict matching compares."""
    loc = fact.get("locality") or {}
    value = float(fact["value"])
    value = round(value, 2) if fact.get("unit") == "percent" else value
    return (fact["metric"], value, fact.get("unit"), fact.get("qualifier"), fact.get("tier"),
            str(fact.get("period_start"))[:10], str(fact.get("period_end"))[:10], loc.get("name"), loc.get("type"))


def score(pairs: Iterable[Sequence]) -> Report:
    """``pairs``: (extracted, gold) or (name, extracted, gold), each a list of fact dicts (as
    ``Fact.to_dict()`` or the gold JSON lines give them)."""
    report = Report()
    for i, pair in enumerate(pairs):
        name, extracted, gold = pair if len(pair) == 3 else (str(i), *pair)
        counts = Counts()
        ext, gld = Counter(map(fact_key, extracted)), Counter(map(fact_key, gold))
        for key in ext.keys() | gld.keys():
            c = Counts(min(ext[key], gld[key]), max(0, ext[key] - gld[key]), max(0, gld[key] - ext[key]))
            counts.add(c)
            report.per_metric.setdefault(key[0], Counts()).add(c)
        report.misses += [(name, f) for f in _unmatched(gold, ext)]
        report.spurious += [(name, f) for f in _unmatched(extracted, gld)]
        report.per_article[name] = counts
        report.overall.add(counts)
    return report


def _unmatched(facts: list[dict], other: Counter) -> list[dict]:
    left = Counter(other)
    out = []
    for f in facts:
        k = fact_key(f)
        if left[k]:
            left[k] -= 1
        else:
            out.append(f)
    return out


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_seeds(gold_dir: Path | None = None, articles_dir: Path | None = None) -> Report:
    """Extract every article that has a gold file and score it; per-article options (the
    assumed publication date, the locality hint) come from ``seeds.json`` beside the gold."""
    from cchc.extract.article import load_article
    from cchc.extract.facts import extract_facts
    from cchc.settings import PROJECT_ROOT

    gold_dir = Path(gold_dir or PROJECT_ROOT / "tests" / "gold")
    articles_dir = Path(articles_dir or PROJECT_ROOT.parent / "shared" / "seeds")
    options_file = gold_dir / "seeds.json"
    options = json.loads(options_file.read_text(encoding="utf-8")) if options_file.exists() else {}
    pairs = []
    for gold_file in sorted(gold_dir.glob("*.facts.jsonl")):
        stem = gold_file.name[: -len(".facts.jsonl")]
        article = next(iter(sorted(articles_dir.glob(stem + ".*"))), None)
        if article is None:
            raise FileNotFoundError(f"no article for {gold_file.name} in {articles_dir}")
        opts = options.get(stem, {})
        text, published, _ = load_article(str(article))
        if opts.get("published"):
            published = date.fromisoformat(opts["published"])
        facts = extract_facts(text, published=published, url=opts.get("url"), locality_hint=opts.get("locality"))
        pairs.append((stem, [f.to_dict() for f in facts], load_gold(gold_file)))
    return score(pairs)


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [f"{'metric':40} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    row = lambda name, c: f"{name:40} {c.tp:4d} {c.fp:4d} {c.fn:4d} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
    lines += [row(m, c) for m, c in sorted(report.per_metric.items())]
    lines.append("-" * 72)
    lines += [row("article " + a, c) for a, c in report.per_article.items()]
    lines.append(row("OVERALL (strict)", report.overall))
    if verbose:
        lines += ["", "missed (in gold, not extracted):"] + [f"  {a}: {_brief(f)}" for a, f in report.misses]
        lines += ["spurious (extracted, not in gold):"] + [f"  {a}: {_brief(f)}" for a, f in report.spurious]
    return "\n".join(lines)


def _brief(f: dict) -> str:
    loc = f.get("locality") or {}
    return (f"{f['metric']}={f['value']} {f.get('qualifier')} {loc.get('name')}/{loc.get('type')} {f.get('tier')} "
            f"{f.get('period_start')}..{f.get('period_end')}")


def run_score(args) -> int:
    try:
        report = score_seeds(getattr(args, "gold_dir", None), getattr(args, "articles_dir", None))
    except (OSError, ValueError) as exc:
        print(f"cchc score: {exc}", file=sys.stderr)
        return 2
    print(format_report(report, verbose=getattr(args, "verbose", False)))
    return 0
