"""What the nightly checks validate: every report's stated terms, as ``reports.build_reports``
assembles them, written to the warehouse for Great Expectations (and, for one article, to an
in-memory DuckDB for ``cchc check``).

Why the terms are built here, in Python, and not in SQL: grouping an article's facts into reports
and terms holds the judgement calls of the labelling rules (a figure stated again is one figure,
rule 1; parts of one metric listed together are added, rule 4; "khoảng" bounds nothing while "gần"
bounds from above; a rate's tolerance is one unit of its last *written* decimal). ``cchc check``
makes those calls in ``reports.build_reports``; the nightly checks call the same function on the
same facts (read from the marts), so both sides check the same terms. The arithmetic on the terms
is the rules' SQL (``rules_sql``), which Great Expectations runs at night and ``cchc check`` runs
in memory.

Tables (rebuilt whole each night, in schema ``dq``):

- ``dq.report_terms``: one row per stated term of a report (article x locality x tier x period),
  with its interval ``[lo, hi]`` (``hi`` NULL: unbounded), its facts and the mart keys;
- ``dq.reports``: one row per report, one ``<metric>``, ``<metric>__lo``, ``<metric>__hi``
  triple per metric (the first stated term; rates stated twice stay in ``report_terms``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cchc.contracts import Evidence, Fact, Locality
from cchc.quality.reports import Report, ReportKey, build_reports
from cchc.vocabulary import METRIC_NAMES

FACTS_QUERY = """
select f.fact_id, f.report_id, f.article_id, f.page_version_id, f.ordinal, f.metric, f.value, f.unit,
       f.qualifier, f.value_text, f.locality_name_stated, f.locality_type_stated, f.locality_province_stated,
       f.tier, f.period_start, f.period_end, f.evidence_text, f.evidence_start, f.evidence_end,
       a.url, a.title, a.published_date
from marts.fct_dossier_facts f
join marts.dim_article a on a.article_id = f.article_id
order by f.article_id, f.ordinal, f.fact_id
"""

REQUIRED_TABLES = ("marts.fct_dossier_facts", "marts.dim_article")


class CheckInputError(RuntimeError):
    """The checks cannot run: a table they read is missing or unreadable."""


@dataclass
class Article:
    """One article's current facts, and the reports ``reports.build_reports`` makes of them."""

    article_id: str
    url: str
    title: str | None
    published: date | None
    page_version_id: str
    facts: list[Fact] = field(default_factory=list)
    fact_rows: list[dict[str, Any]] = field(default_factory=list)  # parallel to facts: ids from the marts
    reports: dict[ReportKey, Report] = field(default_factory=dict)


def report_uid(article_id: str, key: ReportKey) -> str:
    """The key of one report of the rules (article x locality name x type x tier x period)."""
    raw = "|".join([article_id, key.name, key.type, key.tier, key.period_start.isoformat(), key.period_end.isoformat()])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _value(value: float, unit: str) -> float | int:
    return int(value) if unit == "count" and float(value).is_integer() else float(value)


def _value_starts(rows: list[dict[str, Any]]) -> list[int | None]:
    """Where each fact's number sits in the article. raw.facts keeps the sentence and the number as
    written, not its offset; the n-th fact (in article order) writing the same number in the same
    sentence is its n-th occurrence there. ``rules`` reads the offset to tell a figure stated
    again from a second part, and the hedge word before it."""
    seen: dict[tuple, int] = {}
    out: list[int | None] = []
    for r in rows:
        text, written = r["evidence_text"] or "", r["value_text"]
        if not written:
            out.append(None)
            continue
        k = (r["evidence_start"], r["evidence_end"], written)
        n = seen.get(k, 0)
        seen[k] = n + 1
        pos = -1
        for _ in range(n + 1):
            pos = text.find(written, pos + 1)
            if pos < 0:
                break
        out.append(None if pos < 0 else r["evidence_start"] + pos)
    return out


def _fact(r: dict[str, Any], value_start: int | None) -> Fact:
    return Fact(
        metric=r["metric"],
        value=_value(r["value"], r["unit"]),
        unit=r["unit"],
        qualifier=r["qualifier"],
        locality=Locality(r["locality_name_stated"], r["locality_type_stated"], r["locality_province_stated"]),
        tier=r["tier"],
        period_start=r["period_start"],
        period_end=r["period_end"],
        evidence=Evidence(r["evidence_text"], r["evidence_start"], r["evidence_end"]),
        value_text=r["value_text"],
        value_start=value_start,
    )


def require_tables(con, tables: tuple[str, ...] = REQUIRED_TABLES) -> None:
    for table in tables:
        schema, name = table.split(".")
        found = con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
        ).fetchone()[0]
        if not found:
            raise CheckInputError(f"the quality checks read {table}, which does not exist in the warehouse: run dbt build first")


def load_articles(con) -> list[Article]:
    """Every article's current facts from the marts, grouped into the reports of ``rules``."""
    require_tables(con)
    cur = con.execute(FACTS_QUERY)
    names = [d[0] for d in cur.description]
    articles: dict[str, Article] = {}
    for row in cur.fetchall():
        r = dict(zip(names, row))
        a = articles.get(r["article_id"])
        if a is None:
            a = articles[r["article_id"]] = Article(r["article_id"], r["url"], r["title"], r["published_date"], r["page_version_id"])
        a.fact_rows.append(r)
    for a in articles.values():
        a.facts = [_fact(r, vs) for r, vs in zip(a.fact_rows, _value_starts(a.fact_rows))]
        a.reports = build_reports(a.facts)
    return list(articles.values())


def article_of_reports(article_id: str, reports: dict[ReportKey, Report]) -> Article:
    """An ``Article`` of reports in hand (``cchc check``'s view of one article, or a version of
    it a repair tries), with made-up fact ids and no mart keys."""
    seen: dict[int, Fact] = {}
    for r in reports.values():
        for t in r.terms.values():
            for f in t.facts:
                seen.setdefault(id(f), f)
    facts = list(seen.values())
    rows = [{"fact_id": f"{article_id}-{i}", "report_id": None, "ordinal": i} for i in range(len(facts))]
    return Article(article_id, f"file:{article_id}", None, None, f"{article_id}-page", facts, rows, dict(reports))


def _dec(x: Fraction | None) -> str | None:
    """A Fraction as DECIMAL(38, 6) text. Stated numbers and their bounds are decimal by
    construction (numbers as written, plus or minus one unit of a last decimal)."""
    if x is None:
        return None
    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.000001")))


def term_rows(articles: list[Article]) -> list[dict[str, Any]]:
    rows = []
    for a in articles:
        fact_index = {id(f): r for f, r in zip(a.facts, a.fact_rows)}
        for key, report in a.reports.items():
            uid = report_uid(a.article_id, key)
            first = min((fact_index[id(f)] for t in report.terms.values() for f in t.facts), key=lambda r: r["ordinal"])
            for term_key, term in report.terms.items():
                frows = [fact_index[id(f)] for f in term.facts]
                rows.append({
                    "report_uid": uid, "report_id": first["report_id"], "term_report_id": frows[0]["report_id"],
                    "article_id": a.article_id, "page_version_id": a.page_version_id, "url": a.url, "title": a.title,
                    "locality_name": key.name, "locality_type": key.type, "locality_province": report.locality.province,
                    "tier": key.tier, "period_start": key.period_start, "period_end": key.period_end,
                    "term_key": term_key, "metric": term.metric, "qualifier": term.qualifier, "decimals": term.decimals,
                    "stated": _dec(term.stated), "lo": _dec(term.interval.lo), "hi": _dec(term.interval.hi),
                    "n_facts": len(frows), "fact_ids": [r["fact_id"] for r in frows], "report_order": report.order,
                })
    return rows


_TERMS_COLUMNS = [
    ("report_uid", "varchar"), ("report_id", "varchar"), ("term_report_id", "varchar"), ("article_id", "varchar"),
    ("page_version_id", "varchar"), ("url", "varchar"), ("title", "varchar"), ("locality_name", "varchar"),
    ("locality_type", "varchar"), ("locality_province", "varchar"), ("tier", "varchar"), ("period_start", "date"),
    ("period_end", "date"), ("term_key", "varchar"), ("metric", "varchar"), ("qualifier", "varchar"),
    ("decimals", "integer"), ("stated", "decimal(38, 6)"), ("lo", "decimal(38, 6)"), ("hi", "decimal(38, 6)"),
    ("n_facts", "integer"), ("fact_ids", "varchar[]"), ("report_order", "integer"),
]


def _wide_sql() -> str:
    cols = []
    for m in METRIC_NAMES:
        cols += [
            f"max(stated) filter (where term_key = '{m}') as {m}",
            f"max(lo) filter (where term_key = '{m}') as {m}__lo",
            f"max(hi) filter (where term_key = '{m}') as {m}__hi",
        ]
    head = ("report_uid, any_value(report_id) as report_id, any_value(article_id) as article_id, "
            "any_value(page_version_id) as page_version_id, any_value(url) as url, any_value(title) as title, "
            "any_value(locality_name) as locality_name, any_value(locality_type) as locality_type, "
            "any_value(locality_province) as locality_province, any_value(tier) as tier, "
            "any_value(period_start) as period_start, any_value(period_end) as period_end, count(*) as n_terms")
    return f"create or replace table dq.reports as\nselect {head},\n  " + ",\n  ".join(cols) + "\nfrom dq.report_terms group by report_uid"


def write_check_tables(con, articles: list[Article]) -> dict[str, int]:
    """Replace dq.report_terms and dq.reports with tonight's terms (in one transaction)."""
    import pandas as pd

    from cchc import warehouse

    rows = term_rows(articles)
    frame = pd.DataFrame(rows, columns=[c for c, _ in _TERMS_COLUMNS])
    casts = ", ".join(f"cast({c} as {t}) as {c}" for c, t in _TERMS_COLUMNS)
    with warehouse.transaction(con):
        con.execute("create schema if not exists dq")
        con.register("_cchc_report_terms", frame)
        try:
            if rows:
                con.execute(f"create or replace table dq.report_terms as select {casts} from _cchc_report_terms")
            else:
                con.execute("create or replace table dq.report_terms (" + ", ".join(f"{c} {t}" for c, t in _TERMS_COLUMNS) + ")")
        finally:
            con.unregister("_cchc_report_terms")
        con.execute(_wide_sql())
    n_reports = con.execute("select count(*) from dq.reports").fetchone()[0]
    return {"articles": len(articles), "reports": n_reports, "terms": len(rows)}
