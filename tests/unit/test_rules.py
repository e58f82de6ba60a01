"""The dossier arithmetic of docs/arithmetic.md on hand-built facts: one behaviour per test."""
from __future__ import annotations

import itertools
import json
from datetime import date

import pytest

from cchc.contracts import Evidence, Fact, Locality
from cchc.quality.command import check_facts, format_text
from cchc.quality.rules import IDENTITIES, RATE_RULES
from cchc.vocabulary import METRIC_BY_NAME, RULES

MAI_SON = Locality("Mai Sơn", "huyen", "Sơn La")
SON_LA = Locality("Sơn La", "tinh", "Sơn La")
NOV_2023 = (date(2023, 11, 1), date(2023, 11, 30))
_sentences = itertools.count()


def fact(metric, value, tier="district", qualifier="exact", *, loc=MAI_SON, period=NOV_2023, text=None, sentence=None, at=None):
    """A fact in a sentence of its own unless ``sentence`` says otherwise (parts stated together)."""
    n = next(_sentences) if sentence is None else sentence
    text = text or f"{metric} {value}"
    return Fact(
        metric=metric,
        value=value,
        unit=METRIC_BY_NAME[metric].unit,
        qualifier=qualifier,
        locality=loc,
        tier=tier,
        period_start=period[0],
        period_end=period[1],
        evidence=Evidence(text, n * 1000, n * 1000 + len(text)),
        value_start=None if at is None else n * 1000 + at,
    )


def rules_of(facts):
    return [(v.rule, v.severity) for v in check_facts(facts)]


# ----------------------------------------------------------------------------- intake


def test_intake_holds_when_new_and_carried_over_add_up():
    facts = [fact("dossiers_received", 1103), fact("dossiers_received_new", 736), fact("dossiers_carried_over", 367)]
    assert check_facts(facts) == []


def test_intake_break_names_the_numbers_and_the_sum():
    facts = [fact("dossiers_received", 1130), fact("dossiers_received_new", 736), fact("dossiers_carried_over", 367)]
    [v] = check_facts(facts)
    assert (v.rule, v.severity, v.tier) == ("intake", "error", "district")
    assert v.terms == {"dossiers_received": 1130, "dossiers_received_new": 736, "dossiers_carried_over": 367}
    assert v.expected == 1103


def test_identity_with_an_unstated_term_is_not_checked():
    assert check_facts([fact("dossiers_received", 1130), fact("dossiers_received_new", 736)]) == []


# ----------------------------------------------------------------------------- qualified numbers


def test_gan_total_is_an_upper_bound_that_parts_below_it_meet():
    facts = [
        fact("dossiers_received", 2100, qualifier="approx", text="tiếp nhận gần 2.100 hồ sơ"),
        fact("dossiers_received_new", 2000),
        fact("dossiers_carried_over", 99),
    ]
    assert check_facts(facts) == []


def test_gan_total_breaks_when_exact_parts_exceed_it():
    facts = [
        fact("dossiers_received", 2100, qualifier="approx", text="tiếp nhận gần 2.100 hồ sơ"),
        fact("dossiers_received_new", 2000),
        fact("dossiers_carried_over", 150),
    ]
    assert rules_of(facts) == [("intake", "error")]


def test_khoang_bounds_nothing():
    facts = [
        fact("dossiers_received", 2100, qualifier="approx", text="tiếp nhận khoảng 2.100 hồ sơ"),
        fact("dossiers_received_new", 2000),
        fact("dossiers_carried_over", 150),
    ]
    assert check_facts(facts) == []


def test_hon_is_a_lower_bound():
    received = fact("dossiers_received", 17100, qualifier="more_than", text="tiếp nhận hơn 17.100 hồ sơ")
    assert check_facts([received, fact("dossiers_resolved", 17500), fact("dossiers_in_progress", 10)]) == []
    received = fact("dossiers_received", 17100, qualifier="more_than", text="tiếp nhận hơn 17.100 hồ sơ")
    assert rules_of([received, fact("dossiers_resolved", 17000), fact("dossiers_in_progress", 10)]) == [("balance", "warning")]


def test_duoi_is_an_upper_bound():
    facts = [fact("dossiers_resolved", 400), fact("dossiers_resolved_overdue", 3, qualifier="less_than")]
    assert check_facts(facts) == []
    facts = [fact("dossiers_resolved", 2), fact("dossiers_resolved_overdue", 3, qualifier="less_than")]
    assert check_facts(facts) == []  # "dưới 3" may be 2 or fewer
    facts = [fact("dossiers_resolved", 400), fact("dossiers_resolved_early_or_on_time", 390), fact("dossiers_resolved_overdue", 3, qualifier="less_than")]
    assert rules_of(facts) == [("outcome", "error")]  # 390 + at most 3 cannot make 400


# ----------------------------------------------------------------------------- rates


def test_truncated_rate_within_one_unit_of_its_last_decimal_holds():
    # 1.957 / 2.168 = 90.267..%, stated 90,26 (truncated)
    facts = [fact("dossiers_received", 2168, "all"), fact("dossiers_digitized", 1957, "all"), fact("rate_digitized", 90.26, "all")]
    assert check_facts(facts) == []


def test_rate_off_by_more_than_one_unit_breaks():
    # 22/24 = 91.67%, stated 91,16 (seed 002)
    facts = [fact("reform_tasks_planned", 24, "all"), fact("reform_tasks_completed", 22, "all"), fact("rate_reform_tasks_completed", 91.16, "all")]
    [v] = check_facts(facts)
    assert (v.rule, v.severity, v.expected) == ("tasks", "error", 91.67)


def test_rate_stated_without_decimals_has_a_tolerance_of_one():
    facts = [fact("dossiers_resolved", 300), fact("dossiers_resolved_early_or_on_time", 296), fact("rate_resolved_early_or_on_time", 98)]
    assert check_facts(facts) == []  # 98.67%


def test_rate_whose_whole_is_not_stated_is_not_checked():
    assert check_facts([fact("dossiers_received_online", 460), fact("rate_received_online", 48)]) == []


def test_online_rate_is_taken_against_new_dossiers_where_stated():
    facts = [
        fact("dossiers_received", 1000),
        fact("dossiers_received_new", 800),
        fact("dossiers_carried_over", 200),
        fact("dossiers_received_online", 400),
        fact("rate_received_online", 50),
    ]
    assert check_facts(facts) == []  # 400/800, not 400/1000


def test_on_time_rate_uses_early_plus_on_time_when_they_are_stated_apart():
    facts = [
        fact("dossiers_resolved", 718),
        fact("dossiers_resolved_early", 603),
        fact("dossiers_resolved_on_time", 113),
        fact("rate_resolved_early_or_on_time", 99.72),
    ]
    assert check_facts(facts) == []  # 716/718 = 99.72%


def test_qualified_rate_is_a_bound():
    facts = [fact("dossiers_received", 1000), fact("dossiers_received_offline", 480), fact("rate_received_offline", 48, qualifier="more_than")]
    assert check_facts(facts) == []
    facts = [fact("dossiers_received", 1000), fact("dossiers_received_offline", 400), fact("rate_received_offline", 48, qualifier="more_than")]
    assert rules_of(facts) == [("rates", "error")]


# ----------------------------------------------------------------------------- balance


def test_balance_shortfall_without_suspended_returned_withdrawn_is_a_warning():
    facts = [fact("dossiers_received", 1962), fact("dossiers_resolved", 1931), fact("dossiers_in_progress", 26)]
    [v] = check_facts(facts)
    assert (v.rule, v.severity, v.expected) == ("balance", "warning", 1957)


def test_balance_mismatch_with_suspended_stated_is_an_error():
    facts = [
        fact("dossiers_received", 1619),
        fact("dossiers_resolved", 1564),
        fact("dossiers_in_progress", 10),
        fact("dossiers_suspended", 36),
        fact("dossiers_returned", 8),
    ]
    [v] = check_facts(facts)
    assert (v.rule, v.severity, v.expected) == ("balance", "error", 1618)


def test_balance_excess_is_an_error():
    facts = [fact("dossiers_received", 100), fact("dossiers_resolved", 90), fact("dossiers_in_progress", 20)]
    assert rules_of(facts) == [("balance", "error")]


def test_balance_needs_received_and_resolved():
    assert check_facts([fact("dossiers_received", 100), fact("dossiers_in_progress", 20)]) == []


def test_balance_breaks_once_per_tier():
    facts = [
        fact("dossiers_received", 100, "district"),
        fact("dossiers_resolved", 90, "district"),
        fact("dossiers_received", 50, "commune"),
        fact("dossiers_resolved", 60, "commune"),
    ]
    assert [(v.rule, v.tier) for v in check_facts(facts)] == [("balance", "district"), ("balance", "commune")]


# ----------------------------------------------------------------------------- other identities


def test_channels_without_new_dossiers_add_carry_over():
    facts = [
        fact("dossiers_received", 4847),
        fact("dossiers_received_online", 4126),
        fact("dossiers_received_offline", 642),
        fact("dossiers_carried_over", 80),
    ]
    [v] = check_facts(facts)
    assert (v.rule, v.expected) == ("channels", 4848)


def test_outcome_with_early_or_on_time_and_overdue():
    facts = [fact("dossiers_resolved", 536), fact("dossiers_resolved_early_or_on_time", 529), fact("dossiers_resolved_overdue", 8)]
    assert rules_of(facts) == [("outcome", "error")]


def test_part_above_its_whole_breaks():
    facts = [fact("dossiers_received", 600), fact("dossiers_received_online", 611)]
    [v] = check_facts(facts)
    assert (v.rule, v.expected) == ("parts", 600)


def test_services_add_full_partial_and_info():
    facts = [
        fact("online_services", 307),
        fact("online_services_full", 152),
        fact("online_services_partial", 141),
        fact("online_services_info", 14),
    ]
    assert check_facts(facts) == []
    facts[0] = fact("online_services", 306)
    assert rules_of(facts) == [("services", "error")]


def test_tasks_completed_above_planned_breaks():
    assert rules_of([fact("reform_tasks_planned", 24, "all"), fact("reform_tasks_completed", 25, "all")]) == [("tasks", "error")]


# ----------------------------------------------------------------------------- tiers


def test_district_tiers_sum_district_and_commune():
    facts = [fact("dossiers_received", 2168, "all"), fact("dossiers_received", 1130, "district"), fact("dossiers_received", 1065, "commune")]
    [v] = check_facts(facts)
    assert (v.rule, v.tier, v.expected) == ("tiers", "all", 2195)
    assert v.terms == {"dossiers_received[all]": 2168, "dossiers_received[district]": 1130, "dossiers_received[commune]": 1065}


def test_tiers_are_not_checked_when_a_required_tier_is_missing():
    assert check_facts([fact("dossiers_received", 2168, "all"), fact("dossiers_received", 1130, "district")]) == []


def test_province_before_the_reform_needs_three_tiers():
    facts = [fact("dossiers_received", 100, t, loc=SON_LA) for t in ("all", "province", "commune")]
    assert check_facts(facts) == []  # the district tier is missing: not checked
    facts.append(fact("dossiers_received", 10, "district", loc=SON_LA))
    assert rules_of(facts) == [("tiers", "error")]


def test_province_after_the_reform_needs_province_and_commune():
    q3 = (date(2025, 7, 1), date(2025, 9, 30))
    facts = [
        fact("dossiers_received", 300, "all", loc=SON_LA, period=q3),
        fact("dossiers_received", 100, "province", loc=SON_LA, period=q3),
        fact("dossiers_received", 200, "commune", loc=SON_LA, period=q3),
    ]
    assert check_facts(facts) == []


BEN_NGUYET = Locality("Bến Nguyệt", "phuong", "Sông Biếc")  # invented ward
Q3_2025 = (date(2025, 7, 1), date(2025, 9, 30))


def _ward_split(all_, province, commune, loc=BEN_NGUYET, period=Q3_2025, metric="dossiers_received"):
    """A ward's centre states its total and splits it by authority (labelling rule 17)."""
    return [fact(metric, v, t, loc=loc, period=period) for t, v in (("all", all_), ("province", province), ("commune", commune))]


def test_ward_after_the_reform_splits_its_total_into_province_and_commune():
    [v] = check_facts(_ward_split(100, 30, 60))
    assert (v.rule, v.severity, v.tier, v.expected) == ("tiers", "error", "all", 90)
    assert v.locality == BEN_NGUYET
    assert v.terms == {"dossiers_received[all]": 100, "dossiers_received[province]": 30, "dossiers_received[commune]": 60}


def test_ward_split_that_adds_up_holds():
    assert check_facts(_ward_split(90, 30, 60)) == []


@pytest.mark.parametrize("type_", ["xa", "phuong", "thi_tran", "dac_khu"])
def test_every_commune_level_type_splits_after_the_reform(type_):
    loc = Locality("Bến Nguyệt", type_, "Sông Biếc")
    assert rules_of(_ward_split(100, 30, 60, loc=loc)) == [("tiers", "error")]


def test_commune_before_the_reform_has_no_tiers_check():
    loc = Locality("Bến Nguyệt", "xa", "Sông Biếc")
    assert check_facts(_ward_split(100, 30, 60, loc=loc, period=(date(2025, 4, 1), date(2025, 6, 30)))) == []


def test_commune_period_across_the_reform_has_no_tiers_check():
    # "từ đầu năm đến nay": before 1 July its centre may also have held district-authority dossiers
    assert check_facts(_ward_split(100, 30, 60, period=(date(2025, 1, 1), date(2025, 9, 30)))) == []


def test_ward_split_needs_both_parts_stated():
    facts = [fact("dossiers_received", 100, t, loc=BEN_NGUYET, period=Q3_2025) for t in ("all", "commune")]
    assert check_facts(facts) == []


def test_ward_split_break_names_no_single_number_and_prints_its_sum():
    [v] = check_facts(_ward_split(100, 30, 60))
    assert v.repair is None  # any one of the three numbers alone restores the identity
    assert format_text(v) == (
        "error  tiers  phường Bến Nguyệt [all] 2025-07-01..2025-09-30: dossiers_received[all] 100 != "
        "dossiers_received[province] 30 + dossiers_received[commune] 60 = 90"
    )


def test_rates_are_not_summed_across_tiers():
    facts = [fact("rate_digitized", 90.26, t) for t in ("all", "district", "commune")]
    assert check_facts(facts) == []


# ----------------------------------------------------------------------------- grouping


def test_parts_of_one_metric_in_one_sentence_are_added():
    # "đang giải quyết: trong hạn 40, quá hạn 20" (labelling rule 4)
    text = "đang giải quyết: trong hạn 40, quá hạn 20"
    facts = [
        fact("dossiers_received", 100),
        fact("dossiers_resolved", 40),
        fact("dossiers_in_progress", 40, sentence=900, text=text, at=27),
        fact("dossiers_in_progress", 20, sentence=900, text=text, at=39),
    ]
    assert check_facts(facts) == []


def test_the_same_number_stated_again_in_another_sentence_counts_once():
    # "tiếp nhận 2.168 hồ sơ" ... later "số hóa 1.931/2.168" (labelling rule 1)
    facts = [
        fact("dossiers_received", 2168, "all"),
        fact("dossiers_received", 2168, "all"),
        fact("dossiers_resolved", 1780, "all"),
        fact("dossiers_in_progress", 388, "all"),
    ]
    assert check_facts(facts) == []


def test_reports_are_apart_by_period():
    other = (date(2023, 10, 1), date(2023, 10, 31))
    facts = [fact("dossiers_received", 1130), fact("dossiers_received_new", 736, period=other), fact("dossiers_carried_over", 367)]
    assert check_facts(facts) == []


def test_one_violation_per_broken_identity():
    # seed 001's district: intake and balance both break on one number, each is reported
    facts = [
        fact("dossiers_received", 1130),
        fact("dossiers_received_new", 736),
        fact("dossiers_carried_over", 367),
        fact("dossiers_resolved", 718),
        fact("dossiers_in_progress", 385),
    ]
    assert rules_of(facts) == [("intake", "error"), ("balance", "warning")]


# ----------------------------------------------------------------------------- repairs


def _seed_001_district(received=1130):
    return [
        fact("dossiers_received", 2168, "all"),
        fact("dossiers_received", received, "district"),
        fact("dossiers_received_new", 736, "district"),
        fact("dossiers_carried_over", 367, "district"),
        fact("dossiers_resolved", 718, "district"),
        fact("dossiers_in_progress", 385, "district"),
        fact("dossiers_digitized", 1018, "district"),
        fact("rate_digitized", 90.08, "district"),
        fact("dossiers_received", 1065, "commune"),
    ]


def test_repair_names_the_one_number_that_explains_the_breaks():
    violations = check_facts(_seed_001_district())
    assert {v.rule for v in violations} == {"intake", "balance", "tiers"}
    for v in violations:
        assert v.repair == {
            "metric": "dossiers_received",
            "tier": "district",
            "locality": {"name": "Mai Sơn", "type": "huyen", "province": "Sơn La"},
            "stated": 1130,
            "suggested": 1103,
            "rules_for": ["intake", "balance", "tiers"],
            "rules_against": ["rates"],  # 1.018 / 1.130 = 90,08% was computed on the stated value
        }


def test_repaired_value_holds_every_rule_it_was_suggested_for():
    assert {v.rule for v in check_facts(_seed_001_district(received=1103))} == {"rates"}


def test_no_repair_when_several_numbers_repair_equally_well():
    facts = [
        fact("dossiers_received", 1619),
        fact("dossiers_resolved", 1564),
        fact("dossiers_in_progress", 10),
        fact("dossiers_suspended", 36),
        fact("dossiers_returned", 8),
    ]
    [v] = check_facts(facts)
    assert v.repair is None


def test_a_wrong_rate_is_repaired_to_the_rate_its_counts_give():
    facts = [fact("reform_tasks_planned", 24, "all"), fact("reform_tasks_completed", 22, "all"), fact("rate_reform_tasks_completed", 91.16, "all")]
    [v] = check_facts(facts)
    assert (v.repair["metric"], v.repair["stated"], v.repair["suggested"]) == ("rate_reform_tasks_completed", 91.16, 91.67)


def test_qualified_numbers_are_never_repaired():
    facts = [
        fact("dossiers_received", 2100, qualifier="approx", text="gần 2.100"),
        fact("dossiers_received_new", 2000),
        fact("dossiers_carried_over", 150),
    ]
    [v] = check_facts(facts)
    assert v.repair is None or v.repair["metric"] != "dossiers_received"


# ----------------------------------------------------------------------------- output


def test_violation_json_carries_the_contract_fields():
    [v] = check_facts([fact("dossiers_received", 1962), fact("dossiers_resolved", 1931), fact("dossiers_in_progress", 26)])
    d = json.loads(v.to_json())
    assert {"rule", "severity", "locality", "tier", "period_start", "period_end", "terms", "expected"} <= d.keys()
    assert d["locality"] == {"name": "Mai Sơn", "type": "huyen", "province": "Sơn La"}
    assert (d["period_start"], d["period_end"]) == ("2023-11-01", "2023-11-30")


def test_text_line_shows_the_numbers_and_the_repair():
    intake = next(v for v in check_facts(_seed_001_district()) if v.rule == "intake")
    assert format_text(intake) == (
        "error  intake  huyện Mai Sơn [district] 2023-11-01..2023-11-30: dossiers_received 1130 != "
        "dossiers_received_new 736 + dossiers_carried_over 367 = 1103; repair: dossiers_received 1130 -> 1103 "
        "(for: intake, balance, tiers; against: rates)"
    )


@pytest.mark.parametrize("identity", IDENTITIES + RATE_RULES, ids=lambda r: f"{r.rule}:{getattr(r, 'lhs', None) or r.rate}")
def test_every_rule_definition_names_vocabulary_metrics(identity):
    assert identity.rule in RULES
    if hasattr(identity, "lhs"):
        names = [identity.lhs, *identity.rhs, *identity.unless_stated, *identity.warn_on_shortfall_unless]
    else:
        names = [identity.rate, *(m for p in identity.parts for m in p), *identity.wholes]
    for name in names:
        assert name in METRIC_BY_NAME, name
