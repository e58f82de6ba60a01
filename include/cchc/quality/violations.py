"""``dq.violations`` and ``dq.validation_runs``: what the nightly checks found, kept across nights.

One row per broken rule per report (the rows Great Expectations' rule queries return), with the
article, the locality, tier and period, the numbers involved and the expected value, the repair
``cchc.quality.repair`` suggests, the sentences of the facts involved, and the mart keys
(``report_id``, ``article_id``) to join the marts on.

A violation's id is a hash of its report key, rule, check and stated numbers: the same break seen
again on a later night is the same row (``last_seen_*`` move on, ``first_seen_*`` and
``alerted_at`` stay); a corrected article states other numbers, so a remaining break is a new row.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cchc.quality.repair import Candidate, chosen_repairs
from cchc.quality.report_terms import Article, report_uid
from cchc.quality.rules import Break, ReportKey, evaluate

COLUMNS = (
    "violation_id", "report_id", "article_id", "page_version_id", "url", "title", "locality_name", "locality_type",
    "locality_province", "tier", "period_start", "period_end", "rule", "check_name", "severity", "terms", "expected",
    "detail", "repair", "evidence", "report_uid", "first_seen_run_id", "first_seen_at", "last_seen_run_id",
    "last_seen_at", "alerted_at", "fact_ids", "repair_fact_id",
)
# refreshed when a violation is seen again (the article may have a new page version or title)
REFRESHED = ("report_id", "page_version_id", "title", "detail", "repair", "evidence", "report_uid", "last_seen_run_id", "last_seen_at",
             "fact_ids", "repair_fact_id")


def violation_id(article_id: str, key: ReportKey, rule: str, check: str, terms: str) -> str:
    raw = "|".join([article_id, key.name, key.type, key.tier, key.period_start.isoformat(), key.period_end.isoformat(), rule, check, terms])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@dataclass
class PythonView:
    """What ``cchc check`` says about one article: its breaks and their repairs."""

    breaks: dict[tuple, Break]
    repairs: dict[tuple, Candidate]


def python_view(article: Article) -> PythonView:
    breaks = evaluate(article.reports)
    return PythonView({b.ident: b for b in breaks}, chosen_repairs(article.reports, breaks))


def _fact_ids(article: Article, refs: list[tuple[ReportKey, str]]) -> list[str]:
    """The mart fact ids of the terms a violation names, in article order, each once."""
    row_of = {id(f): r for f, r in zip(article.facts, article.fact_rows)}
    out: list[str] = []
    for key, term_key in refs:
        report = article.reports.get(key)
        term = report.terms.get(term_key) if report else None
        for f in term.facts if term else ():
            fid = row_of[id(f)]["fact_id"]
            if fid not in out:
                out.append(fid)
    return out


def _evidence(article: Article, refs: list[tuple[ReportKey, str]]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for key, term_key in refs:
        report = article.reports.get(key)
        term = report.terms.get(term_key) if report else None
        for f in term.facts if term else ():
            mark = (f.metric, key.tier, f.evidence.start, f.value_text)
            if mark in seen:
                continue
            seen.add(mark)
            out.append({"metric": f.metric, "tier": key.tier, "value": f.value_text, "qualifier": f.qualifier,
                        "sentence": f.evidence.text, "start": f.evidence.start, "end": f.evidence.end})
    return out


def _refs_from_terms(key: ReportKey, check: str, terms: dict[str, Any]) -> list[tuple[ReportKey, str]]:
    """The terms a row names, when rules.py has no break to take them from."""
    refs = []
    for name in terms:
        if name.endswith("]") and "[" in name:
            metric, tier = name[:-1].split("[", 1)
            refs.append((ReportKey(key.name, key.type, tier, key.period_start, key.period_end), metric))
        elif check.startswith(name + "#"):
            refs.append((key, check))
        else:
            refs.append((key, name))
    return refs


def python_only(rows: list[dict[str, Any]], articles: list[Article]) -> list[tuple]:
    """Breaks ``rules.py`` finds that no checkpoint row names (should be none)."""
    by_uid = {report_uid(a.article_id, key): (a.article_id, key) for a in articles for key in a.reports}
    found = {(*by_uid[r["report_uid"]], r["rule"], r["check_name"]) for r in rows if r["report_uid"] in by_uid}
    return [(a.url, *b.ident) for a in articles for b in evaluate(a.reports) if (a.article_id, b.report, b.rule, b.name) not in found]


def build_records(rows: list[dict[str, Any]], articles: list[Article], run_id: str, now: datetime) -> tuple[list[dict[str, Any]], int]:
    """Violation rows from the checkpoint's rows; returns them and how many rules.py did not find."""
    by_uid: dict[str, tuple[Article, ReportKey]] = {}
    for a in articles:
        for key in a.reports:
            by_uid[report_uid(a.article_id, key)] = (a, key)
    views: dict[str, PythonView] = {}
    records, unmatched = [], 0
    for row in rows:
        if row["report_uid"] not in by_uid:
            raise KeyError(f"checkpoint row names report {row['report_uid']}, which dq.report_terms does not hold")
        article, key = by_uid[row["report_uid"]]
        view = views.get(article.article_id) or views.setdefault(article.article_id, python_view(article))
        ident = (row["rule"], key, row["check_name"])
        brk = view.breaks.get(ident)
        terms = json.loads(row["terms"])
        if brk is None:
            unmatched += 1
        detail = brk.detail if brk else f"{row['check_name']}: " + ", ".join(f"{k} {v}" for k, v in terms.items())
        refs = list(brk.refs) if brk else _refs_from_terms(key, row["check_name"], terms)
        candidate = view.repairs.get(ident)
        repair = candidate.as_dict(article.reports) if candidate else None
        repair_facts = _fact_ids(article, [candidate.ref]) if candidate else []
        report = article.reports[key]
        first_fact = min((f for t in report.terms.values() for f in t.facts), key=lambda f: f.evidence.start)
        report_id = next(r["report_id"] for f, r in zip(article.facts, article.fact_rows) if f is first_fact)
        records.append({
            "violation_id": violation_id(article.article_id, key, row["rule"], row["check_name"], row["terms"]),
            "report_id": report_id, "article_id": article.article_id, "page_version_id": article.page_version_id,
            "url": article.url, "title": article.title, "locality_name": key.name, "locality_type": key.type,
            "locality_province": report.locality.province, "tier": key.tier, "period_start": key.period_start,
            "period_end": key.period_end, "rule": row["rule"], "check_name": row["check_name"], "severity": row["severity"],
            "terms": row["terms"], "expected": None if row["expected"] is None else float(row["expected"]), "detail": detail,
            "repair": json.dumps(repair, ensure_ascii=False) if repair else None,
            "evidence": json.dumps(_evidence(article, refs), ensure_ascii=False), "report_uid": row["report_uid"],
            "first_seen_run_id": run_id, "first_seen_at": now, "last_seen_run_id": run_id, "last_seen_at": now,
            "alerted_at": None, "fact_ids": _fact_ids(article, refs), "repair_fact_id": repair_facts[0] if repair_facts else None,
        })
    return records, unmatched


def upsert(con, records: list[dict[str, Any]]) -> int:
    """Insert new violations, move ``last_seen`` of known ones; returns how many were new."""
    import pandas as pd

    from cchc import warehouse

    if not records:
        return 0
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    frame["alerted_at"] = pd.Series([None] * len(frame), dtype="object")
    ids = [r["violation_id"] for r in records]
    with warehouse.transaction(con):
        known = {r[0] for r in con.execute("select violation_id from dq.violations where list_contains(?, violation_id)", [ids]).fetchall()}
        con.register("_cchc_violations", frame)
        try:
            cols = ", ".join(COLUMNS)
            types = {"alerted_at": "timestamp", "fact_ids": "varchar[]"}
            sel = ", ".join(f"cast({c} as {types[c]}) as {c}" if c in types else c for c in COLUMNS)
            updates = ", ".join(f"{c} = excluded.{c}" for c in REFRESHED)
            con.execute(
                f"insert into dq.violations ({cols}) select {sel} from _cchc_violations "
                f"on conflict (violation_id) do update set {updates}"
            )
        finally:
            con.unregister("_cchc_violations")
    return len(set(ids) - known)


def record_run(con, row: dict[str, Any]) -> None:
    cols = list(row)
    con.execute(
        f"insert or replace into dq.validation_runs ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
        [row[c] for c in cols],
    )
