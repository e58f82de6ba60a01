"""A real ``dbt build`` of dbt_project/ on the demo warehouse (cchc.demo_data), then
``dbt docs generate``; each test reads one thing the demo data implies back from the marts.

One build for the module (about 40 s here, plus 8 s for the docs).
"""
from __future__ import annotations

from datetime import date

import pytest

from cchc.demo_data import DISAGREE_RESOLVED, quarter_counts

Q1_2024 = "2024-01-01..2024-03-31"
Q2_2024 = "2024-04-01..2024-06-30"
Q2_2023 = "2023-04-01..2023-06-30"
THO_XUAN_DISTRICT = "huyen|thanhhoa|thoxuan|pre2025"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from cchc.dbt_runner import dbt_build, dbt_docs_generate
    from cchc.demo_data import seed_demo_warehouse

    root = tmp_path_factory.mktemp("dbt")
    warehouse = root / "warehouse.duckdb"
    seed_demo_warehouse(warehouse)
    result = dbt_build(root / "target", warehouse_path=warehouse)
    docs = dbt_docs_generate(root / "target", no_compile=True, warehouse_path=warehouse)
    return {"warehouse": warehouse, "result": result, "docs": docs}


@pytest.fixture(scope="module")
def query(built):
    import duckdb

    con = duckdb.connect(str(built["warehouse"]), read_only=True)

    def run(sql: str, params: list | None = None) -> list[tuple]:
        return con.execute(sql, params or []).fetchall()

    yield run
    con.close()


def one(rows: list[tuple]):
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def test_build_passes_without_warnings_though_the_demo_articles_break_the_arithmetic(built):
    # the breaks (Mai Sơn, tháng 11/2023: 1.130 received against 736 + 367) are the checks' to find
    result = built["result"]
    assert result["ok"] and result["failures"] == [] and result["warnings"] == []
    assert result["by_type"]["model"] >= 20 and result["by_type"]["unit_test"] >= 1


def test_every_mart_exists_and_has_rows(query):
    for table in ("fct_dossier_facts", "fct_dossier_reports", "dim_locality", "dim_period", "dim_date", "dim_metric",
                  "dim_article", "dim_portal", "ts_dossier_metrics", "ts_dossier_kpis"):
        assert one(query(f"select count(*) from marts.{table}")) > 0, table


def test_only_the_latest_extraction_of_the_latest_page_version_reaches_the_marts(query):
    assert one(query("select count(*) from marts.fct_dossier_facts where value = 999999")) == 0
    assert one(query("select dossiers_received from marts.fct_dossier_reports where locality_id = ? and tier = 'district' "
                     "and period_id = ?", [THO_XUAN_DISTRICT, Q1_2024])) == 1200


def test_on_time_rate_is_computed_from_counts_beside_the_stated_one(query):
    counts = quarter_counts(1000, 4)  # Thọ Xuân, district tier, quý I/2024
    computed, stated = query("select on_time_rate_computed, rate_resolved_early_or_on_time from marts.ts_dossier_kpis "
                             "where locality_id = ? and tier = 'district' and period_id = ?", [THO_XUAN_DISTRICT, Q1_2024])[0]
    assert computed == pytest.approx(100 * 1163 / 1166)
    assert counts["dossiers_resolved_early_or_on_time"] == 1163 and counts["dossiers_resolved"] == 1166
    assert stated == 99.74


def test_digitisation_rate_is_computed_on_the_stated_total(query):
    computed = one(query("select digitized_rate_computed from marts.ts_dossier_kpis "
                         "where locality_id = 'huyen|sonla|maison|pre2025' and period_id = '2023-11-01..2023-11-30'"))
    assert computed == pytest.approx(100 * 1018 / 1130)


def test_change_against_the_previous_quarter(query):
    row = query("select value, previous_value, change_vs_previous from marts.ts_dossier_metrics where locality_id = ? "
                "and tier = 'district' and period_id = ? and metric = 'dossiers_received'", [THO_XUAN_DISTRICT, Q2_2024])
    assert row == [(1240.0, 1200.0, 40.0)]


def test_change_against_the_same_quarter_a_year_earlier(query):
    last_year_id, last_year, change, pct = query(
        "select last_year_period_id, last_year_value, change_vs_last_year, pct_change_vs_last_year "
        "from marts.ts_dossier_metrics where locality_id = ? and tier = 'district' and period_id = ? "
        "and metric = 'dossiers_received'", [THO_XUAN_DISTRICT, Q2_2024])[0]
    assert (last_year_id, last_year, change) == (Q2_2023, 1080.0, 160.0)
    assert pct == pytest.approx(100 * 160 / 1080)


def test_rank_among_districts_of_the_province(query):
    rows = query("select locality_name, on_time_rate_computed_rank_in_province, dossiers_received_rank_in_province, "
                 "n_localities_in_province from marts.ts_dossier_kpis where tier = 'district' and period_id = ? "
                 "and province_name = 'Thanh Hóa' order by locality_name", [Q1_2024])
    assert rows == [("Thọ Xuân", 1, 1, 3), ("Triệu Sơn", 2, 2, 3), ("Yên Định", 3, 3, 3)]


def test_disagreeing_articles_keep_the_latest_exact_value_and_show_the_spread(query):
    row = query("select value, n_sources, n_exact_sources, min_value, max_value, values_disagree from marts.ts_dossier_metrics "
                "where locality_id = ? and tier = 'district' and period_id = ? and metric = 'dossiers_resolved'",
                [THO_XUAN_DISTRICT, Q2_2024])
    first_figure = quarter_counts(1000, 5)["dossiers_resolved"]
    assert row == [(DISAGREE_RESOLVED, 2, 2, first_figure, DISAGREE_RESOLVED, True)]
    assert one(query("select disagreeing_metrics from marts.ts_dossier_kpis where locality_id = ? and tier = 'district' "
                     "and period_id = ?", [THO_XUAN_DISTRICT, Q2_2024])) == "dossiers_resolved"


def test_exact_value_beats_a_later_hedged_one(query):
    row = query("select value, qualifier, n_sources, values_disagree from marts.ts_dossier_metrics where locality_id = ? "
                "and tier = 'district' and period_id = ? and metric = 'dossiers_received_online'", [THO_XUAN_DISTRICT, Q2_2024])
    assert row == [(quarter_counts(1000, 5)["dossiers_received_online"], "exact", 2, False)]


THANH_LIEM = "huyen|hanam|thanhliem|pre2025"


def test_a_hedged_value_is_marked_and_so_is_every_rate_computed_from_it(query):
    rows = dict(query("select metric, is_hedged from marts.ts_dossier_metrics where locality_id = ? and period_id = ?",
                      [THANH_LIEM, "2024-01-01..2024-10-15"]))
    assert rows == {"dossiers_received": True, "dossiers_received_online": False}  # "gần 9 nghìn"
    hedged, marked, rate = one(query("select hedged_metrics, has_hedged_value, round(online_rate_computed, 2) from marts.ts_dossier_kpis"
                                     " where locality_id = ? and period_id = ?", [THANH_LIEM, "2024-01-01..2024-10-15"]))
    assert (hedged, marked, rate) == ("dossiers_received", True, round(100 * 7002 / 8950, 2))
    assert one(query("select count(*) from marts.ts_dossier_kpis where has_hedged_value")) == 1


def test_a_quarter_reported_before_it_ended_is_marked(query):
    assert one(query("select ends_after_publication from marts.ts_dossier_metrics where locality_id = ? and period_id = ?",
                     [THANH_LIEM, "2024-10-01..2024-12-31"])) is True
    assert one(query("select ends_after_publication from marts.ts_dossier_kpis where locality_id = ? and period_id = ?",
                     [THANH_LIEM, "2024-10-01..2024-12-31"])) is True
    assert one(query("select count(*) from marts.ts_dossier_metrics where ends_after_publication")) == 1


def test_each_series_marks_its_latest_period_of_each_type(query):
    assert query("select locality_id, tier, metric, period_type from marts.ts_dossier_metrics where is_latest"
                 " group by all having count(*) > 1") == []
    latest = query("select period_id from marts.ts_dossier_metrics where locality_id = ? and tier = 'district'"
                   " and metric = 'dossiers_received' and period_type = 'quarter' and is_latest", [THO_XUAN_DISTRICT])
    newest = query("select max(period_id) from marts.ts_dossier_metrics where locality_id = ? and tier = 'district'"
                   " and metric = 'dossiers_received' and period_type = 'quarter'", [THO_XUAN_DISTRICT])
    assert latest == newest


def test_a_province_total_summed_from_its_districts_says_how_many_reported(query):
    thanh_hoa = one(query("select parent_locality_id from marts.dim_locality where locality_id = ?", [THO_XUAN_DISTRICT]))
    districts = one(query("select count(*) from marts.dim_locality where parent_locality_id = ? and level = 'district'", [thanh_hoa]))
    parts = query("select sum(value) from marts.ts_dossier_metrics m join marts.dim_locality l using (locality_id)"
                  " where l.parent_locality_id = ? and l.level = 'district' and m.tier = 'district' and m.period_id = ?"
                  " and m.metric = 'dossiers_received'", [thanh_hoa, Q1_2024])[0][0]
    row = query("select sum_of_parts, n_reporting, n_known, is_complete from marts.ts_dossier_rollups where locality_id = ?"
                " and part_level = 'district' and tier = 'district' and period_id = ? and metric = 'dossiers_received'",
                [thanh_hoa, Q1_2024])
    assert row == [(parts, 3, districts, False)] and districts > 20  # three of Thanh Hóa's districts: a floor, and says so


def test_a_reporting_window_names_the_calendar_period_it_stands_for(query):
    rows = dict(query("select period_id, calendar_period_id from marts.dim_period where period_id in (?, ?, ?)",
                      ["2022-12-15..2023-03-14", "2024-01-01..2024-03-31", "2024-01-01..2024-10-15"]))
    assert rows == {"2022-12-15..2023-03-14": "2023-01-01..2023-03-31",  # Quý I/2023 as a window
                    "2024-01-01..2024-03-31": "2024-01-01..2024-03-31",  # a calendar quarter stands for itself
                    "2024-01-01..2024-10-15": None}                      # from the start of the year: no calendar period


def test_the_bridge_leads_each_former_unit_to_the_commune_it_went_into(query):
    rows = query("select l.locality_name, b.went_in_whole from marts.bridge_locality_reform b"
                 " join marts.dim_locality l on b.pre2025_locality_id = l.locality_id"
                 " where b.from2025_locality_id = 'xa|thanhhoa|lamson|from2025' order by 1")
    assert rows == [("Lam Sơn", True), ("Thọ Xương", True), ("Xuân Bái", True)]


def test_a_new_communes_series_runs_across_the_reform_where_its_former_units_add_up(query):
    def series(commune):
        return query("select period_id, value, source, n_former_reporting, n_former_units, is_comparable"
                     " from marts.ts_dossier_harmonised where locality_id = ? and tier = 'commune'"
                     " and metric = 'dossiers_received' and period_type = 'quarter' order by period_id",
                     [f"xa|thanhhoa|{commune}|from2025"])
    lam_son = series("lamson")
    assert lam_son[0] == ("2025-04-01..2025-06-30", 120 + 75 + 64, "former_units", 3, 3, True)
    assert [r[2] for r in lam_son[1:]] == ["own", "own"]  # quý III and IV/2025, its own reports
    assert series("saovang")[0] == ("2025-04-01..2025-06-30", 98 + 51, "former_units", 2, 4, False)  # two of four reported


def test_commune_created_in_2025_and_the_district_it_replaced_are_both_queryable(query):
    rows = query("select full_name, level, valid_from, valid_to, former_districts from marts.dim_locality "
                 "where locality_name = 'Thọ Xuân' and province_name = 'Thanh Hóa' and level in ('district', 'commune') "
                 "order by valid_from nulls first, full_name")
    by_name = {r[0]: r for r in rows}
    assert by_name["Huyện Thọ Xuân"][2:4] == (None, date(2025, 6, 30))
    assert by_name["Xã Thọ Xuân"][2:4] == (date(2025, 7, 1), None)
    assert "Huyện Thọ Xuân" in by_name["Xã Thọ Xuân"][4]
    # the 2025 commune reports under its own version, the district under the former one
    assert one(query("select count(distinct locality_id) from marts.fct_dossier_facts f join marts.dim_locality l "
                     "using (locality_id) where l.locality_name = 'Thọ Xuân' and l.level != 'province'")) == 2


def test_new_commune_series_compare_quarters_after_the_reorganisation(query):
    row = query("select previous_value is not null, last_year_value from marts.ts_dossier_metrics "
                "where locality_id = 'xa|thanhhoa|thoxuan|from2025' and period_id = '2025-10-01..2025-12-31' "
                "and tier = 'commune' and metric = 'dossiers_received'")
    assert row == [(True, None)]


def test_period_labels(query):
    labels = dict(query("select period_id, period_label_vi from marts.dim_period"))
    assert labels["2023-11-01..2023-11-30"] == "Tháng 11/2023"
    assert labels["2025-01-01..2025-03-31"] == "Quý I/2025"
    assert labels["2025-01-01..2025-06-30"] == "6 tháng đầu năm 2025"
    assert labels["2024-01-01..2024-09-30"] == "9 tháng 2024"
    assert labels["2023-01-01..2023-12-31"] == "Năm 2023"
    assert labels["2024-01-01..2024-10-15"] == "Từ đầu năm 2024 đến 15/10/2024"
    assert labels["2025-07-01..2025-11-20"] == "Từ 01/07/2025 đến 20/11/2025"


def test_period_types_including_a_decree_09_reporting_window(query):
    types = dict(query("select period_id, period_type || case when is_reporting_window then '*' else '' end "
                       "from marts.dim_period"))
    assert types["2022-12-15..2023-03-14"] == "quarter*"
    assert types["2024-01-01..2024-06-30"] == "half_year"
    assert types["2024-01-01..2024-10-15"] == "year_to_date"
    assert types["2025-07-01..2025-11-20"] == "other_range"


def test_missing_province_comes_from_the_portal(query):
    assert one(query("select count(*) from marts.fct_dossier_facts where locality_id = 'huyen|hanam|thanhliem|pre2025'")) == 3  # two articles


def test_articles_and_portals(query):
    url, title, published, portal = query("select url, title, published_date, portal_id from marts.dim_article "
                                          "where url like '%mai-son-day-manh%'")[0]
    assert (title, published, portal) == ("Mai Sơn đẩy mạnh số hóa hồ sơ thủ tục hành chính", date(2023, 12, 4), "sonla")
    portals = dict(query("select portal_id, is_registered from marts.dim_portal"))
    assert portals["sonla"] is True and portals["trieuson"] is False


def test_every_series_value_traces_to_a_sentence(query):
    assert one(query("select count(*) from marts.ts_dossier_metrics s left join marts.fct_dossier_facts f "
                     "on s.chosen_fact_id = f.fact_id where f.evidence_text is null")) == 0


def test_docs_site_is_generated(built):
    from pathlib import Path

    index = Path(built["docs"]["index_html"])
    assert index.exists() and index.stat().st_size > 100_000
    assert (index.parent / "catalog.json").exists()
