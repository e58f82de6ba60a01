"""The rule queries (quality.rules_sql) that Great Expectations runs at night and ``cchc check``
runs in memory, on hand-made edge cases: qualified numbers, parts to add, restated rates, tiers
by level and across the 2025 reform. One rendering of the arithmetic, so no parity to keep."""
from __future__ import annotations

from datetime import date

from cchc.contracts import Evidence, Fact, Locality
from cchc.quality.command import check_facts
from cchc.quality.rules_sql import OUTPUT_COLUMNS, render, rule_queries
from cchc.vocabulary import METRIC_BY_NAME, RULES


def _fact(metric, value, *, tier="district", qualifier="exact", name="Mai Sơn", type_="huyen", period=(date(2023, 11, 1), date(2023, 11, 30)),
          text=None, sentence=0, occurrence=0) -> Fact:
    """One fact; its number is the ``occurrence``-th time its written form appears in its sentence."""
    written = str(value).replace(".", ",")
    text = text or f"câu {sentence}: {metric} {written}."
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(written, at + 1)
    start = 1000 * sentence
    return Fact(metric, value, METRIC_BY_NAME[metric].unit, qualifier, Locality(name, type_, "Sơn La"), tier, period[0], period[1],
                Evidence(text, start, start + len(text)), value_text=written, value_start=start + at)


def test_every_rule_has_an_expectation_query():
    assert {q.rule for q in rule_queries()} == set(RULES)
    assert {(q.rule, q.severity) for q in rule_queries() if q.rule == "balance"} == {("balance", "error"), ("balance", "warning")}


EDGE_CASES = {
    # "gần 2.100" received (an upper bound) cannot hold 1.500 + 700: an error despite the hedge
    "approx_bounds_an_equality": [_fact("dossiers_received", 2100, qualifier="approx"), _fact("dossiers_received_new", 1500), _fact("dossiers_carried_over", 700)],
    # "hơn 460" online (a lower bound) above 400 received breaks parts; "hơn 300" would not
    "more_than_breaks_a_part": [_fact("dossiers_received_online", 460, qualifier="more_than"), _fact("dossiers_received", 400)],
    "more_than_within_a_part": [_fact("dossiers_received_online", 300, qualifier="more_than"), _fact("dossiers_received", 400)],
    # "khoảng" bounds nothing
    "khoang_bounds_nothing": [_fact("dossiers_received", 2100, qualifier="approx", text="tiếp nhận khoảng 2100 hồ sơ."), _fact("dossiers_received_new", 1500), _fact("dossiers_carried_over", 700)],
    # parts of one metric listed together are added (rule 4): 5 + 5 offline
    "parts_are_added": [_fact("dossiers_received_new", 20), _fact("dossiers_received_online", 10), _fact("dossiers_received_offline", 5, text="trực tiếp 5, bưu chính 5.", sentence=1),
                        _fact("dossiers_received_offline", 5, text="trực tiếp 5, bưu chính 5.", sentence=1, occurrence=1)],
    # channels without received_new uses received = online + offline + carried_over
    "channels_without_new": [_fact("dossiers_received", 100), _fact("dossiers_received_online", 60), _fact("dossiers_received_offline", 30), _fact("dossiers_carried_over", 5)],
    # two different stated on-time rates: each is checked
    "rate_stated_twice": [_fact("dossiers_resolved", 200), _fact("dossiers_resolved_early_or_on_time", 190), _fact("rate_resolved_early_or_on_time", 95, sentence=1),
                          _fact("rate_resolved_early_or_on_time", 97.5, sentence=2)],
    # a truncated rate is within one unit of its last decimal; one more unit is not
    "rate_truncated_holds": [_fact("dossiers_received", 2168, tier="all"), _fact("dossiers_digitized", 1957, tier="all"), _fact("rate_digitized", 90.26, tier="all")],
    "rate_two_units_off": [_fact("dossiers_received", 2168, tier="all"), _fact("dossiers_digitized", 1957, tier="all"), _fact("rate_digitized", 90.25, tier="all")],
    # the early + on_time part of an on-time rate, and a qualified whole
    "rate_with_two_part_terms": [_fact("dossiers_resolved", 100), _fact("dossiers_resolved_early", 50), _fact("dossiers_resolved_on_time", 30), _fact("rate_resolved_early_or_on_time", 90)],
    "rate_with_hedged_whole": [_fact("dossiers_resolved", 100, qualifier="more_than"), _fact("dossiers_resolved_early_or_on_time", 90), _fact("rate_resolved_early_or_on_time", 95)],
    # balance: a shortfall with a returned count stated is an error, an excess is an error
    "balance_shortfall_with_returned": [_fact("dossiers_received", 100), _fact("dossiers_resolved", 80), _fact("dossiers_returned", 5)],
    "balance_excess": [_fact("dossiers_received", 100), _fact("dossiers_resolved", 80), _fact("dossiers_in_progress", 30)],
    "outcome_and_services_and_tasks": [_fact("dossiers_resolved", 100), _fact("dossiers_resolved_early_or_on_time", 90), _fact("dossiers_resolved_overdue", 5),
                                       _fact("online_services", 300), _fact("online_services_full", 100), _fact("online_services_partial", 100), _fact("online_services_info", 50),
                                       _fact("reform_tasks_planned", 20), _fact("reform_tasks_completed", 22), _fact("rate_reform_tasks_completed", 100)],
    # tiers of a province before and after 1 July 2025, and a central city
    "province_three_levels": [
        _fact("dossiers_received", v, tier=t, name="Sơn La", type_="tinh", period=(date(2024, 1, 1), date(2024, 12, 31)), sentence=i)
        for i, (t, v) in enumerate((("all", 100), ("province", 10), ("district", 30), ("commune", 50)))],
    "province_two_levels": [
        _fact("dossiers_received", v, tier=t, name="Sơn La", type_="tinh", period=(date(2025, 7, 1), date(2025, 9, 30)), sentence=i)
        for i, (t, v) in enumerate((("all", 100), ("province", 10), ("commune", 80)))],
    "central_city_across_reform": [
        _fact("dossiers_resolved", v, tier=t, name="Hà Nội", type_="thanh_pho", period=(date(2025, 1, 1), date(2025, 9, 30)), sentence=i)
        for i, (t, v) in enumerate((("all", 100), ("province", 10), ("district", 20), ("commune", 60)))],
    # a commune or ward whose centre splits its total by authority (rule 17): province + commune
    # from 1 July 2025; before the reform, or across it, no tiers check (invented ward)
    "ward_split_after_reform": [
        _fact("dossiers_received", v, tier=t, name="Bến Nguyệt", type_="phuong", period=(date(2025, 7, 1), date(2025, 9, 30)), sentence=i)
        for i, (t, v) in enumerate((("all", 100), ("province", 30), ("commune", 60)))],
    "ward_split_holds": [
        _fact("dossiers_received", v, tier=t, name="Bến Nguyệt", type_="phuong", period=(date(2025, 7, 1), date(2025, 9, 30)), sentence=i)
        for i, (t, v) in enumerate((("all", 90), ("province", 30), ("commune", 60)))],
    "commune_split_before_reform": [
        _fact("dossiers_received", v, tier=t, name="Bến Nguyệt", type_="xa", period=(date(2025, 4, 1), date(2025, 6, 30)), sentence=i)
        for i, (t, v) in enumerate((("all", 100), ("province", 30), ("commune", 60)))],
    "ward_split_across_reform": [
        _fact("dossiers_resolved", v, tier=t, name="Bến Nguyệt", type_="phuong", period=(date(2025, 1, 1), date(2025, 9, 30)), sentence=i)
        for i, (t, v) in enumerate((("all", 100), ("province", 30), ("commune", 60)))],
    # "hơn 95" in all (a lower bound) still cannot be 30 + 60; a stray district figure changes nothing
    "special_zone_split_hedged": [
        _fact("dossiers_received", 95, tier="all", qualifier="more_than", name="Bến Nguyệt", type_="dac_khu", period=(date(2025, 7, 1), date(2025, 12, 31))),
        *[_fact("dossiers_received", v, tier=t, name="Bến Nguyệt", type_="dac_khu", period=(date(2025, 7, 1), date(2025, 12, 31)), sentence=i)
          for i, (t, v) in enumerate((("province", 30), ("commune", 60), ("district", 5)), start=1)]],
    "district_tiers_hedged": [
        _fact("dossiers_received", 2100, tier="all", qualifier="approx"), _fact("dossiers_received", 1200, tier="district", sentence=1),
        _fact("dossiers_received", 1000, tier="commune", sentence=2)],
}


def test_edge_cases_break_where_the_rules_say():
    broken = {case for case in EDGE_CASES if check_facts(EDGE_CASES[case])}
    assert {"approx_bounds_an_equality", "more_than_breaks_a_part", "rate_stated_twice", "rate_two_units_off", "balance_excess",
            "outcome_and_services_and_tasks", "province_three_levels", "province_two_levels", "central_city_across_reform",
            "district_tiers_hedged", "balance_shortfall_with_returned", "ward_split_after_reform", "special_zone_split_hedged"} <= broken
    assert not broken & {"more_than_within_a_part", "khoang_bounds_nothing", "parts_are_added", "rate_truncated_holds",
                         "ward_split_holds", "commune_split_before_reform", "ward_split_across_reform"}


def test_the_rules_queries_are_the_only_arithmetic():
    """No Python evaluator of the identities is left beside the SQL."""
    import cchc.quality.rules as rules

    assert not [name for name in dir(rules) if name.startswith(("check_", "evaluate")) or name.endswith("_sql")]
    assert all(q.sql.count("{batch}") == 1 for q in rule_queries())


def test_every_rule_query_returns_the_same_columns():
    from cchc import warehouse
    from cchc.quality.report_terms import article_of_reports, write_check_tables
    from cchc.quality.reports import build_reports

    with warehouse.scratch() as con:
        write_check_tables(con, [article_of_reports("a", build_reports(EDGE_CASES["balance_excess"]))])
        for q in rule_queries():
            cur = con.execute(render(q, "dq.reports" if q.table == "reports" else "dq.report_terms"))
            assert tuple(d[0] for d in cur.description) == OUTPUT_COLUMNS, q.name
