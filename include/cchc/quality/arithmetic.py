"""The dossier arithmetic of one article, run exactly as the nightly checks run it: the rules'
SQL (``cchc.quality.rules_sql``) over the article's check tables, in an in-memory DuckDB.

``evaluate`` is what ``cchc check`` runs; ``evaluate_variants`` runs several versions of one
article's reports in one pass (the repairs try one changed number per version);
``breaks_from_rows`` reads the rows of the rule queries, from here or from Great Expectations,
back into ``Break``s of the reports they name.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Mapping

from cchc.quality.reports import Report, ReportKey, TermRef, as_number, show
from cchc.quality.rules import IDENTITIES, RATE_RULES, WARNING
from cchc.vocabulary import RULES

IDENTITY_ORDER = {(i.rule, i.name): n for n, i in enumerate(IDENTITIES)}
RATE_ORDER = {r.rate: n for n, r in enumerate(RATE_RULES)}
RATE_RULE_OF = {r.rate: r for r in RATE_RULES}


@dataclass(frozen=True)
class Break:
    """One broken identity of one report. ``refs`` are the stated numbers involved, the
    identity's left-hand side first; ``implied`` gives, for each exact one, the value that would
    make this identity hold if only that number changed (what the repairs try)."""

    rule: str
    severity: str
    report: ReportKey
    name: str  # which identity of the rule, within the report
    refs: tuple[TermRef, ...]
    terms: dict[str, float]
    expected: float | int | None
    detail: str
    implied: tuple[tuple[TermRef, Fraction], ...] = ()

    @property
    def ident(self) -> tuple[str, ReportKey, str]:
        return (self.rule, self.report, self.name)


def evaluate(reports: Mapping[ReportKey, Report]) -> list[Break]:
    """Every broken identity of one article's reports, in article order, then rule order."""
    return evaluate_variants({"article": reports})["article"]


def evaluate_variants(variants: Mapping[str, Mapping[ReportKey, Report]]) -> dict[str, list[Break]]:
    """The breaks of each version of an article's reports, from one run of the rule queries
    over all of them (each version is its own article in the check tables)."""
    from cchc import warehouse
    from cchc.quality.report_terms import article_of_reports, report_uid, write_check_tables
    from cchc.quality.rules_sql import run_rule_queries

    articles = [article_of_reports(name, reports) for name, reports in variants.items()]
    with warehouse.scratch() as con:
        con.execute("set threads = 1")  # a few hundred rows: planning, not scanning, is the cost
        write_check_tables(con, articles)
        rows = run_rule_queries(con)
    where = {report_uid(name, key): (name, key) for name, reports in variants.items() for key in reports}
    by_variant: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    for row in rows:
        by_variant[where[row["report_uid"]][0]].append(row)
    return {name: breaks_from_rows(by_variant[name], {uid: key for uid, (n, key) in where.items() if n == name}, variants[name])
            for name in variants}


def breaks_from_rows(rows: list[dict[str, Any]], keys: Mapping[str, ReportKey], reports: Mapping[ReportKey, Report]) -> list[Break]:
    """The rule queries' rows as ``Break``s (``keys``: report_uid -> the report it names), in
    article order, then rule order, then the order the rules are written in."""
    breaks = [_break(row, keys, reports) for row in rows]
    return sorted(breaks, key=lambda b: _order(b, reports))


def _break(row: dict[str, Any], keys: Mapping[str, ReportKey], reports: Mapping[ReportKey, Report]) -> Break:
    key = keys[row["report_uid"]]
    refs = tuple((keys[uid], term_key) for uid, term_key in json.loads(row["refs"]))
    implied = tuple(((keys[uid], term_key), Fraction(value)) for uid, term_key, value in json.loads(row["implied"]))
    expected = row["expected"]
    if expected is not None:
        expected = as_number(Fraction(str(expected)))
    b = Break(rule=row["rule"], severity=row["severity"], report=key, name=row["check_name"], refs=refs,
              terms=json.loads(row["terms"]), expected=expected, detail="", implied=implied)
    return replace(b, detail=_detail(b, row, reports))


def _order(b: Break, reports: Mapping[ReportKey, Report]) -> tuple:
    report = reports[b.report]
    if b.rule == "tiers":
        within: tuple = (2, list(report.terms).index(b.name))
    elif (b.rule, b.name) in IDENTITY_ORDER:
        within = (0, IDENTITY_ORDER[(b.rule, b.name)])
    else:
        within = (1, RATE_ORDER[b.name.split("#", 1)[0]], list(report.terms).index(b.name))
    return (report.order, RULES.index(b.rule), within)


def _number(x: float | None) -> str:
    return "" if x is None else str(as_number(Fraction(str(x))))


def _computed(row: dict[str, Any]) -> str:
    lo, hi = row["computed_lo"], row["computed_hi"]
    if hi is None:
        return f">={_number(lo)}"
    return _number(lo) if lo == hi else f"{_number(lo)}..{_number(hi)}"


def _detail(b: Break, row: dict[str, Any], reports: Mapping[ReportKey, Report]) -> str:
    """The break in words and numbers, for people: which numbers, what they should add up to."""
    def stated(ref: TermRef) -> str:
        return show(reports[ref[0]].terms[ref[1]])

    lhs, rest = b.refs[0], b.refs[1:]
    if b.rule == "tiers":
        label = lambda ref: f"{ref[1]}[{ref[0].tier}]"  # noqa: E731 (one metric across tiers: name the tier)
        parts = " + ".join(f"{label(r)} {stated(r)}" for r in rest)
        return f"{label(lhs)} {stated(lhs)} != {parts} = {_computed(row)}"
    if (b.rule, b.name) in IDENTITY_ORDER:
        ident = IDENTITIES[IDENTITY_ORDER[(b.rule, b.name)]]
        op = "!=" if ident.kind == "equality" else ">"
        detail = f"{lhs[1]} {stated(lhs)} {op} " + " + ".join(f"{r[1]} {stated(r)}" for r in rest)
        if len(rest) > 1 or row["computed_lo"] != row["computed_hi"]:
            detail += f" = {_computed(row)}"
        if b.severity == WARNING:
            shortfall = reports[lhs[0]].terms[lhs[1]].stated - Fraction(str(row["computed_hi"] or 0))
            detail += f" (shortfall of {as_number(shortfall)}; no suspended, returned or withdrawn count stated)"
        return detail
    rule = RATE_RULE_OF[b.name.split("#", 1)[0]]
    *part, whole = rest
    part_text = " + ".join(f"{r[1]} {stated(r)}" for r in part)
    if len(part) > 1:
        part_text = f"({part_text})"
    return f"{rule.rate} {stated(lhs)} != 100 x {part_text} / {whole[1]} {stated(whole)} = {_computed(row)}"


__all__ = ["Break", "breaks_from_rows", "evaluate", "evaluate_variants"]
