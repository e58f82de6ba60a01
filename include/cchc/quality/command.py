"""`cchc check FILE`: extract an article's facts and print every broken rule of the dossier
arithmetic, one JSON object (or, with ``--format text``, one line) per break.

The rules run as the nightly checks run them: their SQL (``cchc.quality.rules_sql``) over this
article's check tables, in an in-memory DuckDB (``cchc.quality.arithmetic``).
Nothing printed and exit 0 means every rule holds; a file that cannot be read as an article
or a malformed option is answered by ``cchc.cli``: one line on standard error, exit 2.
"""
from __future__ import annotations

import argparse
from datetime import date

from cchc.contracts import Fact, Violation
from cchc.quality.arithmetic import Break, evaluate
from cchc.quality.repair import suggest_repairs
from cchc.quality.reports import Report, ReportKey, build_reports
from cchc.vocabulary import LOCALITY_TYPE_WORDS


def check_facts(facts: list[Fact], published: date | None = None) -> list[Violation]:
    """Every broken identity among one article's facts, with a repair where one number explains it.

    ``published`` is accepted so that callers can pass what they know about the article; the
    rules read each fact's own period (the 1 July 2025 reform included), so it does not change
    the result today.
    """
    reports = build_reports(facts)
    breaks = evaluate(reports)
    repairs = suggest_repairs(reports, breaks)
    return [_violation(b, reports, repairs.get(b.ident)) for b in breaks]


def _violation(b: Break, reports: dict[ReportKey, Report], repair: dict | None) -> Violation:
    key = b.report
    return Violation(
        rule=b.rule,
        severity=b.severity,
        locality=reports[key].locality,
        tier=key.tier,
        period_start=key.period_start,
        period_end=key.period_end,
        terms=dict(b.terms),
        expected=b.expected,
        detail=b.detail,
        repair=repair,
    )


def format_text(v: Violation) -> str:
    """One line per break for people:
    ``error  intake  huyện Mai Sơn [district] 2023-11-01..2023-11-30: <numbers>; repair: ...``"""
    place = f"{LOCALITY_TYPE_WORDS.get(v.locality.type, v.locality.type)} {v.locality.name}"
    line = f"{v.severity}  {v.rule}  {place} [{v.tier}] {v.period_start}..{v.period_end}: {v.detail}"
    if v.repair:
        r = v.repair
        line += f"; repair: {r['metric']} {r['stated']} -> {r['suggested']}"
        if r["tier"] != v.tier or r["locality"]["name"] != v.locality.name:
            line += f" [{r['tier']}]"
        line += f" (for: {', '.join(r['rules_for'])}; against: {', '.join(r['rules_against']) or 'none'})"
    return line


def run_check(args: argparse.Namespace) -> int:
    from cchc.extract.article import load_article
    from cchc.extract.facts import extract_facts

    text, article_date, _title = load_article(args.file)
    published = args.published or article_date
    facts = extract_facts(text, published=published, url=args.url, locality_hint=args.locality)
    for v in check_facts(facts, published):
        print(format_text(v) if args.format == "text" else v.to_json())
    return 0
