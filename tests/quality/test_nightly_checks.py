"""The nightly checks on a real warehouse (the five seeds' facts beside the demo articles, a real
dbt build) with a real GX checkpoint: the breaks tests/gold/README.md lists, nothing else on the seeds,
agreement with ``cchc check``, the violations table across nights, Data Docs, and loud failures
when a check cannot run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc import warehouse
from cchc.quality.command import check_facts
from cchc.quality.gx_context import QualityCheckError

from fixtures_seed_facts import seed_facts
from quality_fixtures import SEED_ARTICLES, seed_url, violations

# The seeds' breaks (tests/gold/README.md; rules in docs/arithmetic.md): (rule, severity, locality, tier, terms, expected)
SEED_BREAKS = {
    "000": [],
    "001": [
        ("intake", "error", "Mai Sơn", "district", {"dossiers_received": 1130, "dossiers_received_new": 736, "dossiers_carried_over": 367}, 1103),
        ("balance", "warning", "Mai Sơn", "district", {"dossiers_received": 1130, "dossiers_resolved": 718, "dossiers_in_progress": 385}, 1103),
        ("tiers", "error", "Mai Sơn", "all", {"dossiers_received[all]": 2168, "dossiers_received[district]": 1130, "dossiers_received[commune]": 1065}, 2195),
        ("tiers", "error", "Mai Sơn", "all", {"dossiers_digitized[all]": 1931, "dossiers_digitized[district]": 1018, "dossiers_digitized[commune]": 939}, 1957),
        ("rates", "error", "Mai Sơn", "all", {"rate_digitized": 90.26, "dossiers_digitized": 1931, "dossiers_received": 2168}, 89.07),
    ],
    "002": [
        ("tasks", "error", "Tân Hồng", "all", {"rate_reform_tasks_completed": 91.16, "reform_tasks_completed": 22, "reform_tasks_planned": 24}, 91.67),
    ],
    "003": [],
    "004": [
        ("balance", "warning", "Tân Phước 1", "commune", {"dossiers_received": 1962, "dossiers_resolved": 1931, "dossiers_in_progress": 26}, 1957),
        ("balance", "error", "Tân Phước 2", "commune",
         {"dossiers_received": 1619, "dossiers_resolved": 1564, "dossiers_in_progress": 10, "dossiers_suspended": 36, "dossiers_returned": 8}, 1618),
    ],
}


def _key(rule, severity, locality, tier, terms, expected):
    return (rule, severity, locality, tier, json.dumps(terms, sort_keys=True), float(expected))


@pytest.mark.parametrize("seed", sorted(SEED_BREAKS))
def test_seed_breaks_exactly_the_rules_its_gold_labels_list(night, seed):
    found = [_key(v["rule"], v["severity"], v["locality_name"], v["tier"], json.loads(v["terms"]), v["expected"])
             for v in violations("url = ?", [seed_url(seed)])]
    assert sorted(found) == sorted(_key(*b) for b in SEED_BREAKS[seed])


def test_a_failing_expectation_is_a_result_not_an_error(night):
    assert night["success"] is False
    assert night["violations_total"] == night["new_violations"] == night["errors"] + night["warnings"]


def _as_set(rows):
    return {(r["url"], r["locality_name"], r["tier"], str(r["period_start"]), str(r["period_end"]), r["rule"], r["severity"]) for r in rows}


def test_checkpoint_and_cchc_check_agree_on_every_article(night):
    """One arithmetic, two callers: the violations the checkpoint keeps == what `cchc check` says, article by article,
    on the facts the marts hold."""
    from cchc.quality.report_terms import load_articles

    with warehouse.connect(read_only=True) as con:
        articles = load_articles(con)
    python = set()
    for a in articles:
        python |= _as_set([{"url": a.url, "locality_name": v.locality.name, "tier": v.tier, "period_start": v.period_start,
                            "period_end": v.period_end, "rule": v.rule, "severity": v.severity} for v in check_facts(a.facts)])
    assert len(articles) > 40 and len(python) > 10
    assert _as_set(violations("last_seen_run_id = 'night-1'")) == python


def test_checkpoint_and_cchc_check_agree_on_the_seeds_as_labelled(night):
    """The same, against `cchc check`'s rules on the seeds' facts as labelled (not read back)."""
    for seed in SEED_ARTICLES:
        python = {(seed_url(seed), v.locality.name, v.tier, str(v.period_start), str(v.period_end), v.rule, v.severity)
                  for v in check_facts(seed_facts(seed))}
        assert _as_set(violations("url = ?", [seed_url(seed)])) == python


def test_seed_001_repairs_name_one_number_with_the_rules_for_and_against(night):
    rows = {(v["rule"], v["check_name"]): v for v in violations("url = ?", [seed_url("001")])}
    received = json.loads(rows[("intake", "dossiers_received=dossiers_received_new+dossiers_carried_over")]["repair"])
    assert (received["metric"], received["tier"], received["stated"], received["suggested"]) == ("dossiers_received", "district", 1130, 1103)
    assert (received["rules_for"], received["rules_against"]) == (["intake", "balance", "tiers"], ["rates"])
    digitized = json.loads(rows[("tiers", "dossiers_digitized")]["repair"])
    assert (digitized["metric"], digitized["tier"], digitized["stated"], digitized["suggested"]) == ("dossiers_digitized", "all", 1931, 1957)
    assert json.loads(rows[("rates", "rate_digitized")]["repair"]) == digitized
    assert all(v["repair"] is None for v in violations("url = ?", [seed_url("004")]))


def test_violations_join_the_marts_and_carry_their_evidence(night):
    with warehouse.connect(read_only=True) as con:
        unjoined = con.execute(
            """select count(*) from dq.violations v
               left join marts.fct_dossier_reports r on r.report_id = v.report_id
               left join marts.dim_article a on a.article_id = v.article_id
               where r.report_id is null or a.url is distinct from v.url"""
        ).fetchone()[0]
        columns = {r[0] for r in con.execute("select column_name from information_schema.columns where table_schema = 'dq' and table_name = 'violations'").fetchall()}
    assert unjoined == 0
    assert {"violation_id", "report_id", "article_id", "page_version_id", "url", "title", "locality_name", "locality_type",
            "locality_province", "tier", "period_start", "period_end", "rule", "severity", "terms", "expected", "detail", "repair",
            "evidence", "first_seen_run_id", "first_seen_at", "last_seen_run_id", "alerted_at"} <= columns
    (intake,) = [v for v in violations("url = ? and rule = 'intake'", [seed_url("001")])]
    evidence = json.loads(intake["evidence"])
    assert [(e["metric"], e["value"]) for e in evidence] == [("dossiers_received", "1.130"), ("dossiers_received_new", "736"), ("dossiers_carried_over", "367")]
    assert "Cấp huyện đã tiếp nhận 1.130" in evidence[0]["sentence"]
    assert (intake["locality_type"], intake["locality_province"], intake["title"]) == ("huyen", "Sơn La", SEED_ARTICLES["001"][2])


def test_the_night_is_recorded_with_its_data_docs_and_gx_project(night, first_night):
    data, _ = first_night
    with warehouse.connect(read_only=True) as con:
        run = con.execute("select success, n_expectations, n_failed, n_violations, data_docs_path from dq.validation_runs where run_id = 'night-1'").fetchone()
    success, n_expectations, n_failed, n_violations, docs = run
    assert (success, n_violations) == (False, night["violations_total"])
    assert n_expectations > 30 and n_failed >= 6
    assert docs == night["data_docs"] and Path(docs) == data / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert Path(docs).exists() and list((Path(docs).parent / "validations").rglob("*.html"))
    gx = data / "gx"
    assert {p.stem for p in (gx / "expectations").glob("*.json")} == {"cchc_dossier_arithmetic_reports", "cchc_dossier_arithmetic_terms", "cchc_marts_facts"}
    assert (gx / "checkpoints" / "cchc_nightly.json").exists()
    assert len(list((gx / "validation_definitions").glob("*.json"))) == 3


def test_a_second_night_moves_last_seen_and_adds_no_row(night_copy):
    from cchc.quality.nightly_checks import run_quality_checks

    before = violations()
    summary = run_quality_checks("night-2")
    after = violations()
    assert summary["new_violations"] == 0 and summary["violations_total"] == len(before) == len(after)
    assert {(v["violation_id"], v["first_seen_run_id"], v["last_seen_run_id"]) for v in after} == {(v["violation_id"], "night-1", "night-2") for v in before}


def test_missing_marts_fail_the_task_loudly(data_dir):
    from cchc.quality.nightly_checks import run_quality_checks

    with warehouse.connect():  # raw tables only: dbt never ran
        pass
    with pytest.raises(QualityCheckError, match="marts.fct_dossier_facts.*run dbt build"):
        run_quality_checks("night-without-marts")


def test_an_expectation_gx_cannot_compute_fails_the_task_loudly(night_copy, monkeypatch):
    import great_expectations as gx

    from cchc.quality import gx_context
    from cchc.quality.nightly_checks import run_quality_checks

    real = gx_context.suites

    def broken_suites():
        s = real()
        s[gx_context.SUITE_FACTS].append(gx.expectations.ExpectColumnValuesToNotBeNull(column="no_such_column"))
        return s

    monkeypatch.setattr(gx_context, "suites", broken_suites)
    with pytest.raises(QualityCheckError, match="(?s)could not compute 1 expectation.*no_such_column"):
        run_quality_checks("night-gx-error")


def test_rows_past_gx_row_cap_come_from_the_same_query(night):
    """GX keeps 200 rows of a query; past that the same SQL is run again and must match GX's count."""
    from cchc.quality.gx_context import SUITE_REPORTS, CheckpointOutcome, ExpectationOutcome
    from cchc.quality.nightly_checks import _rule_rows
    from cchc.quality.rules_sql import rule_queries

    q = next(q for q in rule_queries() if q.rule == "balance" and q.severity == "warning")
    n = len(violations("rule = 'balance' and severity = 'warning'"))

    def outcome(observed):
        e = ExpectationOutcome(SUITE_REPORTS, "unexpected_rows_expectation", False, "balance", "warning", q.name, q.sql, observed, rows=[])
        return CheckpointOutcome(False, [e], Path("index.html"), [])

    assert len(_rule_rows(outcome(n))) == n
    with pytest.raises(QualityCheckError, match=f"GX counted {n + 1} broken rows, the same query returned {n}"):
        _rule_rows(outcome(n + 1))
