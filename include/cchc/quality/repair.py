"""Repair suggestions: the one stated number which, changed, makes a broken report hold.

Seed 001 shows why this is worth doing: its district states 1.130 dossiers received where the
intake parts, the balance and the tier sum all give 1.103, so the likely typo is one number,
and naming it (with the rules for and against) turns four alarms into one finding.

How a repair is chosen (a deliberate, documented choice):

1. Candidates: every *exact* stated number (one fact, no hedge word) that is a term of a broken
   identity, with the value that identity implies for it when only that number changes
   (``Break.implied``; a count implied by a rate must be a whole number within the rate's
   tolerance).
2. Each candidate is applied and every rule re-run, through the same SQL as the checks (all
   candidates of an article in one pass, each as its own version of the article). ``rules_for``: rules of the breaks it
   repairs. ``rules_against``: rules that held before and break after; this includes rules
   consistent only with the old value (seed 001: the district's 90,08% was computed on 1.130).
3. A candidate is acceptable only when it repairs *every* break that number takes part in
   (not a majority: a number that leaves one of its own identities broken is not the whole
   story) and repairs more breaks than it causes.
4. Each break gets the acceptable candidate with the best net score (repaired minus caused)
   among those that repair it. When different numbers tie (seed 004: 1.619 received against
   1.564 + 10 + 36 + 8, where any one of five numbers could be off by one), the article does
   not say which number is wrong, and no repair is suggested.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Mapping

from cchc.quality.arithmetic import Break, evaluate_variants
from cchc.quality.reports import Report, ReportKey, TermRef, as_number, metric_of, with_term
from cchc.vocabulary import RULES


@dataclass(frozen=True)
class Candidate:
    """One number changed to one value, and what that does to the article's rules."""

    ref: TermRef
    stated: Fraction
    suggested: Fraction
    decimals: int
    repaired: tuple[Break, ...]
    caused: tuple[Break, ...]

    @property
    def score(self) -> int:
        return len(self.repaired) - len(self.caused)

    def repairs(self, b: Break) -> bool:
        return any(x.ident == b.ident for x in self.repaired)

    def as_dict(self, reports: Mapping[ReportKey, Report]) -> dict[str, Any]:
        key, term_key = self.ref
        return {
            "metric": metric_of(term_key),
            "tier": key.tier,
            "locality": asdict(reports[key].locality),
            "stated": as_number(self.stated, self.decimals),
            "suggested": as_number(self.suggested, self.decimals),
            "rules_for": _rule_names(self.repaired),
            "rules_against": _rule_names(self.caused),
        }


def _rule_names(breaks: tuple[Break, ...]) -> list[str]:
    return [r for r in RULES if any(b.rule == r for b in breaks)]


def changes(reports: Mapping[ReportKey, Report], breaks: list[Break]) -> list[tuple[TermRef, Fraction]]:
    """Every single-number change some broken identity implies for an exact, single-fact number."""
    tried: list[tuple[TermRef, Fraction]] = []
    for b in breaks:
        for ref, value in b.implied:
            term = reports[ref[0]].terms[ref[1]]
            if (ref, value) in tried or not term.exact or len(term.facts) != 1 or value == term.stated:
                continue
            tried.append((ref, value))
    return tried


def candidates_of_many(articles: list[tuple[Mapping[ReportKey, Report], list[Break]]]) -> list[list[Candidate]]:
    """For each article (its reports and breaks), every change with its effect. Each change is
    a version of its article, and every version of every article runs through the rules' SQL in
    one pass."""
    tried = [changes(reports, breaks) for reports, breaks in articles]
    variants = {f"{a}-{c}": with_term(articles[a][0], ref, value)
                for a, changed in enumerate(tried) for c, (ref, value) in enumerate(changed)}
    results = evaluate_variants(variants) if variants else {}
    out = []
    for a, (reports, breaks) in enumerate(articles):
        before = {b.ident: b for b in breaks}
        found = []
        for c, (ref, value) in enumerate(tried[a]):
            after = {x.ident: x for x in results[f"{a}-{c}"]}
            term = reports[ref[0]].terms[ref[1]]
            found.append(Candidate(
                ref=ref, stated=term.stated, suggested=value, decimals=max(term.decimals, 2),
                repaired=tuple(x for i, x in before.items() if i not in after),
                caused=tuple(x for i, x in after.items() if i not in before),
            ))
        out.append(found)
    return out


def acceptable(c: Candidate, breaks: list[Break]) -> bool:
    """Repairs every break its number takes part in, and more than it causes (rule 3 above)."""
    own = [b for b in breaks if c.ref in b.refs]
    return all(c.repairs(b) for b in own) and c.score > 0


def chosen_repairs_of_many(articles: list[tuple[Mapping[ReportKey, Report], list[Break]]]) -> list[dict[tuple, Candidate]]:
    """For each article, break ident -> the candidate that best repairs it, for the breaks one
    changed number explains (rules 3 and 4 above)."""
    out = []
    for (reports, breaks), found in zip(articles, candidates_of_many(articles)):
        usable = [c for c in found if acceptable(c, breaks)]
        chosen = {}
        for b in breaks:
            fixing = [c for c in usable if c.repairs(b)]
            if not fixing:
                continue
            best = max(c.score for c in fixing)
            top = [c for c in fixing if c.score == best]
            if len({c.ref for c in top}) == 1:
                chosen[b.ident] = top[0]
        out.append(chosen)
    return out


def chosen_repairs(reports: Mapping[ReportKey, Report], breaks: list[Break]) -> dict[tuple, Candidate]:
    """Break ident -> the candidate that best repairs it, for one article."""
    return chosen_repairs_of_many([(reports, breaks)])[0]


def suggest_repairs(reports: Mapping[ReportKey, Report], breaks: list[Break]) -> dict[tuple, dict[str, Any]]:
    """Break ident -> repair dict, for the breaks a single changed number best repairs."""
    return {ident: c.as_dict(reports) for ident, c in chosen_repairs(reports, breaks).items()}
