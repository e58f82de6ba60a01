"""Report assembly: an article's facts grouped into reports, and each report's stated terms.

- a *report* is what one article says about one (locality name, locality type, tier,
  period_start, period_end); facts of one metric in one report are added (labelling rule 4),
  except that the same number stated again in another sentence is one figure (rule 1);
- a *term* is one metric of one report, the sum of its facts as an interval
  (``cchc.quality.intervals``); a rate is never added: each distinct stated rate is its own
  term ("rate_x", "rate_x#2", ...).

These are the judgement calls of the labelling rules, made once in Python; the arithmetic on
the terms is the rules' SQL (``cchc.quality.rules_sql``), which both ``cchc check`` and the
nightly Great Expectations suites run.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Iterable, Mapping

from cchc.contracts import Fact, Locality
from cchc.quality.intervals import Interval, exact_interval, fact_interval, rate_decimals, total
from cchc.vocabulary import METRIC_BY_NAME


@dataclass(frozen=True, order=True)
class ReportKey:
    """What one report is about. Province is left out on purpose: extraction may know it for
    one fact and not another, and the name and type already separate localities in one article."""

    name: str
    type: str
    tier: str
    period_start: date
    period_end: date

    @property
    def place(self) -> tuple[str, str, date, date]:
        """Reports of one place and period across tiers (what the tiers rule matches)."""
        return (self.name, self.type, self.period_start, self.period_end)


TermRef = tuple[ReportKey, str]  # (report, term key); a term key is a metric, "#n" for a rate stated again


@dataclass(frozen=True)
class Term:
    """One metric of one report: the sum of its facts, as an interval and as stated."""

    metric: str
    interval: Interval
    stated: Fraction  # the number(s) as written, added
    qualifier: str  # "exact" when every fact is; else the single fact's qualifier, or "mixed"
    decimals: int = 0  # a rate's stated decimals (its tolerance is one unit of the last)
    facts: tuple[Fact, ...] = ()

    @property
    def exact(self) -> bool:
        return self.qualifier == "exact"

    @property
    def is_rate(self) -> bool:
        return self.metric.startswith("rate_")

    def with_value(self, value: Fraction) -> "Term":
        """The same term had the article stated ``value`` exactly (what a repair tries)."""
        return replace(self, stated=value, qualifier="exact", interval=exact_interval(value, self.is_rate, self.decimals))


@dataclass(frozen=True)
class Report:
    key: ReportKey
    locality: Locality
    terms: Mapping[str, Term]
    order: int = 0  # position of its first fact: violations are listed in article order


def _key(fact: Fact) -> ReportKey:
    loc = fact.locality
    return ReportKey(loc.name, loc.type, fact.tier, fact.period_start, fact.period_end)


def _restates(a: Fact, b: Fact) -> bool:
    """True when b is the number of a stated again rather than a second part to add.
    Parts to add (rule 4) are listed together, in one sentence; the same figure of the same
    metric in another sentence ("1.931/2.168" after "tiếp nhận 2.168") is one figure (rule 1)."""
    if Fraction(str(a.value)) != Fraction(str(b.value)) or a.qualifier != b.qualifier:
        return False
    if a.value_start is not None and a.value_start == b.value_start:
        return True
    same_sentence = (a.evidence.start, a.evidence.end) == (b.evidence.start, b.evidence.end)
    if same_sentence:
        return a.value_start is None or b.value_start is None
    return True


def _distinct(facts: list[Fact]) -> list[Fact]:
    kept: list[Fact] = []
    for f in facts:
        if not any(_restates(k, f) for k in kept):
            kept.append(f)
    return kept


def _term(metric: str, facts: list[Fact]) -> Term:
    quals = {f.qualifier for f in facts}
    qualifier = quals.pop() if len(quals) == 1 else "mixed"
    decimals = rate_decimals(facts[0]) if metric.startswith("rate_") else 0
    return Term(
        metric=metric,
        interval=total(fact_interval(f) for f in facts),
        stated=sum((Fraction(str(f.value)) for f in facts), Fraction(0)),
        qualifier=qualifier,
        decimals=decimals,
        facts=tuple(facts),
    )


def _terms(facts: list[Fact]) -> dict[str, Term]:
    """Counts of one metric are added; rates never are: each distinct stated rate is its own
    term ("rate_x", "rate_x#2", ...), checked on its own."""
    by_metric: dict[str, list[Fact]] = {}
    for f in facts:
        by_metric.setdefault(f.metric, []).append(f)
    terms: dict[str, Term] = {}
    for metric, group in by_metric.items():
        group = _distinct(group)
        if metric.startswith("rate_"):
            for i, f in enumerate(group):
                terms[metric if i == 0 else f"{metric}#{i + 1}"] = _term(metric, [f])
        else:
            terms[metric] = _term(metric, group)
    return terms


def build_reports(facts: Iterable[Fact]) -> dict[ReportKey, Report]:
    """Group an article's facts into reports, in the order the article first mentions them."""
    grouped: dict[ReportKey, list[Fact]] = {}
    for f in facts:
        if f.metric in METRIC_BY_NAME:
            grouped.setdefault(_key(f), []).append(f)
    reports = {}
    for order, (key, group) in enumerate(grouped.items()):
        province = next((f.locality.province for f in group if f.locality.province), None)
        locality = Locality(key.name, key.type, province)
        reports[key] = Report(key, locality, _terms(group), order)
    return reports


def metric_of(term_key: str) -> str:
    return term_key.split("#", 1)[0]


def as_number(x: Fraction, decimals: int = 2) -> float | int:
    """A Fraction as JSON wants it: an int when whole, else rounded to ``decimals``."""
    if x.denominator == 1:
        return int(x)
    return round(float(x), decimals)


def show(term: Term) -> str:
    """A stated number for people: 1130, 90.26, ~2100 (gần/khoảng), >460 (hơn/trên), <5 (dưới)."""
    text = str(as_number(term.stated, max(term.decimals, 2)))
    if term.is_rate and term.decimals:
        text = f"{float(term.stated):.{term.decimals}f}"
    prefix = {"exact": "", "more_than": ">", "less_than": "<", "approx": "~"}.get(term.qualifier, "~")
    return prefix + text


def with_term(reports: Mapping[ReportKey, Report], ref: TermRef, value: Fraction) -> dict[ReportKey, Report]:
    """The reports had the article stated ``value`` for one number (what a repair tries)."""
    key, term_key = ref
    out = dict(reports)
    report = reports[key]
    terms = dict(report.terms)
    terms[term_key] = terms[term_key].with_value(value)
    out[key] = replace(report, terms=terms)
    return out
