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
from datetime import datetime
from typing import Any

from cchc.quality.arithmetic import breaks_from_rows
from cchc.quality.repair import chosen_repairs_of_many
from cchc.quality.report_terms import Article, report_uid
from cchc.quality.reports import ReportKey

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


def build_records(rows: list[dict[str, Any]], articles: list[Article], run_id: str, now: datetime) -> list[dict[str, Any]]:
    """Violation rows from the checkpoint's rows: the breaks Great Expectations found, read back
    into the reports they name, with the repair one changed number gives (tried through the
    same SQL), the facts involved and their sentences."""
    by_uid: dict[str, tuple[Article, ReportKey]] = {}
    for a in articles:
        for key in a.reports:
            by_uid[report_uid(a.article_id, key)] = (a, key)
    rows_of: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["report_uid"] not in by_uid:
            raise KeyError(f"checkpoint row names report {row['report_uid']}, which dq.report_terms does not hold")
        rows_of.setdefault(by_uid[row["report_uid"]][0].article_id, []).append(row)
    checked = []  # (article, its report keys by uid, its breaks): all repairs are tried in one pass
    for article in articles:
        if article.article_id in rows_of:
            keys = {report_uid(article.article_id, key): key for key in article.reports}
            checked.append((article, keys, breaks_from_rows(rows_of[article.article_id], keys, article.reports)))
    all_repairs = chosen_repairs_of_many([(article.reports, breaks) for article, _, breaks in checked])
    records = []
    for (article, keys, breaks), repairs in zip(checked, all_repairs):
        terms_of = {(r["rule"], keys[r["report_uid"]], r["check_name"]): r["terms"] for r in rows_of[article.article_id]}
        for b in breaks:
            key, refs = b.report, list(b.refs)
            candidate = repairs.get(b.ident)
            repair = candidate.as_dict(article.reports) if candidate else None
            repair_facts = _fact_ids(article, [candidate.ref]) if candidate else []
            report = article.reports[key]
            first_fact = min((f for t in report.terms.values() for f in t.facts), key=lambda f: f.evidence.start)
            report_id = next(r["report_id"] for f, r in zip(article.facts, article.fact_rows) if f is first_fact)
            terms = terms_of[b.ident]
            records.append({
                "violation_id": violation_id(article.article_id, key, b.rule, b.name, terms),
                "report_id": report_id, "article_id": article.article_id, "page_version_id": article.page_version_id,
                "url": article.url, "title": article.title, "locality_name": key.name, "locality_type": key.type,
                "locality_province": report.locality.province, "tier": key.tier, "period_start": key.period_start,
                "period_end": key.period_end, "rule": b.rule, "check_name": b.name, "severity": b.severity,
                "terms": terms, "expected": None if b.expected is None else float(b.expected), "detail": b.detail,
                "repair": json.dumps(repair, ensure_ascii=False) if repair else None,
                "evidence": json.dumps(_evidence(article, refs), ensure_ascii=False), "report_uid": report_uid(article.article_id, key),
                "first_seen_run_id": run_id, "first_seen_at": now, "last_seen_run_id": run_id, "last_seen_at": now,
                "alerted_at": None, "fact_ids": _fact_ids(article, refs), "repair_fact_id": repair_facts[0] if repair_facts else None,
            })
    return records


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
