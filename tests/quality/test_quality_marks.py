"""Tonight's violations on the rows analysts read: the demo warehouse (cchc.demo_data) built by a
real ``dbt build``, checked by the real Great Expectations checkpoint, then the second, selected
build the night runs after the checks (``nightly.QUALITY_MARKS_SELECTOR``), and ``dbt docs
generate``. The demo data holds a broken report (Mai Sơn, November 2023: 1.130 received against
736 new + 367 carried over), a hedged figure ("hơn 700"), a partial province (Thanh Hóa: three of
its districts) and new communes made of former ones."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

MAI_SON_NOV = ("2023-11-01", "2023-11-30")


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    from cchc.dbt_runner import dbt_build, dbt_docs_generate
    from cchc.demo_data import seed_demo_warehouse
    from cchc.nightly import QUALITY_MARKS_SELECTOR
    from cchc.quality.nightly_checks import run_quality_checks

    data = tmp_path_factory.mktemp("marks") / "data"
    data.mkdir()
    warehouse = data / "warehouse.duckdb"
    seed_demo_warehouse(warehouse)
    target = data / "target"
    dbt_build(target, warehouse_path=warehouse)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(data))
        mp.setenv("CCHC_WAREHOUSE", str(warehouse))
        checks = run_quality_checks("night-1")
    marks = dbt_build(target, select=QUALITY_MARKS_SELECTOR, warehouse_path=warehouse)
    docs = dbt_docs_generate(target, no_compile=True, warehouse_path=warehouse)
    return {"warehouse": warehouse, "checks": checks, "marks": marks, "docs": docs}


@pytest.fixture(scope="module")
def query(marked):
    import duckdb

    con = duckdb.connect(str(marked["warehouse"]), read_only=True)
    yield lambda sql, params=None: con.execute(sql, params or []).fetchall()
    con.close()


def test_the_second_build_rebuilds_only_what_reads_the_checks(marked):
    assert marked["checks"]["violations_total"] >= 2
    assert marked["marks"]["ok"] and marked["marks"]["warnings"] == []
    # the quality marks and the dq marts, not the whole project
    assert 5 <= marked["marks"]["by_type"]["model"] < 20, marked["marks"]["by_type"]


def test_every_number_of_a_broken_identity_is_flagged_on_its_fact(query):
    rows = query(
        """select f.metric, f.value, f.is_flagged, f.violation_rules, f.worst_severity, f.repaired_value
           from marts.fct_dossier_facts f join marts.dim_locality l using (locality_id)
           where l.locality_name = 'Mai Sơn' and f.period_start = ? and f.period_end = ? and f.tier = 'district'
           order by f.metric""", list(MAI_SON_NOV))
    by_metric = {r[0]: r for r in rows}
    for metric in ("dossiers_received", "dossiers_received_new", "dossiers_carried_over"):
        assert by_metric[metric][2] is True and "intake" in by_metric[metric][3], by_metric[metric]
        assert by_metric[metric][4] == "error"
    # three numbers could each explain it alone: no repair is suggested
    assert all(r[5] is None for r in rows)


def test_a_repair_sits_on_the_one_number_it_changes(query):
    rows = query(
        """select f.metric, f.is_flagged, f.violation_rules, f.repaired_value from marts.fct_dossier_facts f
           join marts.dim_locality l using (locality_id)
           where l.locality_name = 'Mai Sơn' and f.period_start = '2023-10-01' and f.metric like '%tasks%' order by f.metric""")
    assert rows == [
        ("rate_reform_tasks_completed", True, ["tasks"], 90.0),
        ("reform_tasks_completed", True, ["tasks"], None),
        ("reform_tasks_planned", True, ["tasks"], None),
    ]


def test_an_unbroken_number_carries_no_flag(query):
    flagged, total = query("select count(*) filter (where is_flagged), count(*) from marts.fct_dossier_facts")[0]
    assert 0 < flagged < total
    assert query("select count(*) from marts.fct_dossier_facts where not is_flagged and (violation_rules != [] or worst_severity is not null)")[0][0] == 0


def test_the_report_series_and_kpi_rows_carry_the_same_marks(query):
    report = query(
        """select r.is_flagged, r.violation_rules, r.worst_severity, r.flagged_metrics from marts.fct_dossier_reports r
           join marts.dim_locality l using (locality_id)
           where l.locality_name = 'Mai Sơn' and r.period_start = ? and r.period_end = ? and r.tier = 'district'""",
        list(MAI_SON_NOV))
    assert len(report) == 1 and report[0][0] and "intake" in report[0][1] and report[0][2] == "error"
    assert "dossiers_received" in report[0][3]
    series = query(
        """select m.metric, m.violation_rules, m.worst_severity, m.repaired_value from marts.ts_dossier_metrics m join marts.dim_locality l using (locality_id)
           where l.locality_name = 'Mai Sơn' and m.tier = 'district' and m.metric in ('dossiers_received', 'rate_reform_tasks_completed')
             and m.period_start in ('2023-10-01', '2023-11-01') order by m.period_start, m.metric""")
    assert series == [
        ("dossiers_received", ["balance"], "warning", None),  # 1.050 received, 690 resolved, nothing else stated
        ("rate_reform_tasks_completed", ["tasks"], "error", 90.0),
        ("dossiers_received", ["balance", "intake"], "error", None),
    ]
    kpi = query(
        """select k.has_flagged_value, k.worst_severity, k.flagged_metrics, k.digitized_rate_computed_is_flagged
           from marts.ts_dossier_kpis k where k.locality_name = 'Mai Sơn' and k.period_start = ? and k.tier = 'district'""",
        [MAI_SON_NOV[0]])
    assert len(kpi) == 1 and kpi[0][0] and kpi[0][1] == "error" and "dossiers_received" in kpi[0][2]
    assert kpi[0][3] is True  # the digitisation rate is computed on the flagged total
    # a row with no flagged value says so
    assert query("select count(*) from marts.ts_dossier_kpis where not has_flagged_value")[0][0] > 0


def test_a_hedged_figure_is_marked_on_its_fact(query):
    rows = query("select is_hedged, qualifier from marts.fct_dossier_facts where value_text like 'hơn%' or qualifier = 'more_than'")
    assert rows and all(h for h, _ in rows)
    assert query("select bool_and(not is_hedged) from marts.fct_dossier_facts where qualifier = 'exact'")[0][0] is True


def test_violations_are_a_documented_mart_keyed_to_report_locality_and_period(query):
    rows = query(
        """select v.rule, v.severity, v.report_id, v.locality_id, v.period_id, v.repair_metric, v.repair_stated_value,
                  v.repair_suggested_value, v.repair_rules_for, len(v.fact_ids), v.is_current
           from marts.fct_dq_violations v where v.rule = 'tasks'""")
    assert len(rows) == 1
    rule, severity, report_id, locality_id, period_id, metric, stated, suggested, rules_for, n_facts, current = rows[0]
    assert (rule, severity, metric, stated, suggested) == ("tasks", "error", "rate_reform_tasks_completed", 91.0, 90.0)
    assert report_id and locality_id and period_id and current and n_facts == 3
    assert rules_for == ["tasks"]
    assert query("select count(*) from marts.fct_dq_violations v join marts.dim_period p using (period_id) join marts.dim_locality l using (locality_id)")[0][0] == \
        query("select count(*) from marts.fct_dq_violations")[0][0]


def test_the_rule_vocabulary_and_the_runs_are_marts(query):
    from cchc.vocabulary import RULES

    rules = query("select rule, identity, severity_logic from marts.dim_dq_rule order by rule_order")
    assert [r[0] for r in rules] == list(RULES)
    assert all(r[1] and r[2] for r in rules)
    assert "warning" in dict((r[0], r[2]) for r in rules)["balance"]
    assert query("select run_id, success, is_latest from marts.fct_dq_validation_runs") == [("night-1", False, True)]


def test_ranks_say_how_many_units_the_province_has(query):
    rows = query(
        """select dossiers_received_rank_in_province, n_localities_in_province, n_known_in_province
           from marts.ts_dossier_kpis where province_name = 'Thanh Hóa' and locality_type = 'huyen' and tier = 'district'
             and period_type = 'quarter' and dossiers_received is not null""")
    assert rows
    for rank, n_reporting, n_known in rows:
        assert 1 <= rank <= n_reporting < n_known, (rank, n_reporting, n_known)


def test_every_column_of_every_mart_is_documented(marked):
    target = Path(marked["docs"]["index_html"]).parent
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    missing = []
    for uid, node in catalog["nodes"].items():
        model = manifest["nodes"].get(uid)
        if not model or model["resource_type"] != "model" or model["config"]["schema"] != "marts":
            continue
        documented = {c for c, d in model["columns"].items() if d.get("description")}
        missing += [f"{model['name']}.{c.lower()}" for c in node["columns"] if c.lower() not in documented]
    assert missing == []


def test_values_keep_the_decimals_they_were_written_with(query):
    rows = dict(query(
        """select f.metric, f.value_decimals from marts.fct_dossier_facts f join marts.dim_locality l using (locality_id)
           where l.locality_name = 'Mai Sơn' and f.period_start = '2023-10-01'"""))
    assert rows["rate_reform_tasks_completed"] == 2  # written "91,00%"
    assert rows["dossiers_received"] == 0  # "1.050": the dot groups thousands
    counts = query("select typeof(dossiers_received), typeof(rate_digitized) from marts.ts_dossier_kpis limit 1")[0]
    assert counts == ("BIGINT", "DOUBLE")


def test_the_nightly_report_shows_the_same_marks(marked, tmp_path):
    import duckdb

    from cchc.report.data import collect
    from cchc.report.render import build_report

    con = duckdb.connect(str(marked["warehouse"]), read_only=True)
    try:
        model = collect(con)
    finally:
        con.close()
    rows = [r for p in model["series"]["comparison"] for b in p["blocks"] for r in b["rows"]]
    mai_son = [r for r in rows if "Mai Sơn" in r["name"] and r["flag"]]
    assert mai_son and mai_son[0]["flag"]["severity"] == "error" and "dossiers_received" in mai_son[0]["flag"]["metrics"]
    assert mai_son[0]["intake"]["flagged"] is True
    assert any(not r["flag"] for r in rows)
    html = build_report(tmp_path / "report", warehouse_path=marked["warehouse"]).read_text(encoding="utf-8")
    assert 'class="flag error" title="error: ' in html
