"""The rules on the five seeds' hand-labelled facts (fixtures_seed_facts.py): exactly the breaks
tests/gold/README.md lists, with their severities (docs/arithmetic.md), and the repairs that explain them."""
from __future__ import annotations

from datetime import date

import pytest

from cchc.contracts import Evidence, Fact, Locality
from cchc.quality.command import check_facts

from fixtures_seed_facts import seed_facts

EXPECTED = {
    # Thọ Xuân: every identity holds (596 = 311 + 285 + an unstated offline count is not checked).
    "000": [],
    "001": [
        # All-tier received 2.168 against district 1.130 + commune 1.065 = 2.195 (district should be 1.103).
        ("tiers", "error", "Mai Sơn", "all", {"dossiers_received[all]": 2168, "dossiers_received[district]": 1130, "dossiers_received[commune]": 1065}, 2195),
        # All-tier digitised 1.931 against district 1.018 + commune 939 = 1.957.
        ("tiers", "error", "Mai Sơn", "all", {"dossiers_digitized[all]": 1931, "dossiers_digitized[district]": 1018, "dossiers_digitized[commune]": 939}, 1957),
        # Its stated 90,26% matches 1.957/2.168 (90,27, truncated), not the stated 1.931 (89,07%).
        ("rates", "error", "Mai Sơn", "all", {"rate_digitized": 90.26, "dossiers_digitized": 1931, "dossiers_received": 2168}, 89.07),
        # District received 1.130 against new 736 + carried over 367 = 1.103.
        ("intake", "error", "Mai Sơn", "district", {"dossiers_received": 1130, "dossiers_received_new": 736, "dossiers_carried_over": 367}, 1103),
        # District 1.130 against resolved 718 + in progress 385 = 1.103: a shortfall with no suspended,
        # returned or withdrawn count stated, which the balance rule makes a warning.
        ("balance", "warning", "Mai Sơn", "district", {"dossiers_received": 1130, "dossiers_resolved": 718, "dossiers_in_progress": 385}, 1103),
        # Not breaks: district 1.018/1.130 = 90,088% (stated 90,08), commune 939/1.065 = 88,169% (88,16).
    ],
    "002": [
        # 22/24 tasks = 91,67%, stated 91,16%. "gần 2.100", "hơn 17.100" and their rates have no part stated.
        ("tasks", "error", "Tân Hồng", "all", {"rate_reform_tasks_completed": 91.16, "reform_tasks_completed": 22, "reform_tasks_planned": 24}, 91.67),
    ],
    # Thanh Liêm: only qualified offline counts and rates, with no received total to check them on.
    "003": [],
    "004": [
        # Tân Phước 1: 1.962 against 1.931 + 26 = 1.957, five dossiers unexplained (nothing suspended or returned stated).
        ("balance", "warning", "Tân Phước 1", "commune", {"dossiers_received": 1962, "dossiers_resolved": 1931, "dossiers_in_progress": 26}, 1957),
        # Tân Phước 2: 1.619 against 1.564 + 10 + 36 + 8 = 1.618.
        ("balance", "error", "Tân Phước 2", "commune", {"dossiers_received": 1619, "dossiers_resolved": 1564, "dossiers_in_progress": 10, "dossiers_suspended": 36, "dossiers_returned": 8}, 1618),
    ],
}


def _found(seed):
    return [(v.rule, v.severity, v.locality.name, v.tier, v.terms, v.expected) for v in check_facts(seed_facts(seed))]


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_breaks_exactly_the_rules_its_gold_labels_list(seed):
    assert _found(seed) == EXPECTED[seed]


def _repairs(seed):
    return {(v.rule, next(iter(v.terms))): v.repair for v in check_facts(seed_facts(seed))}


def test_seed_001_district_received_repairs_to_1103_against_its_digitisation_rate():
    repairs = _repairs("001")
    for key in [("intake", "dossiers_received"), ("balance", "dossiers_received"), ("tiers", "dossiers_received[all]")]:
        r = repairs[key]
        assert (r["metric"], r["tier"], r["stated"], r["suggested"]) == ("dossiers_received", "district", 1130, 1103)
        assert (r["rules_for"], r["rules_against"]) == (["intake", "balance", "tiers"], ["rates"])


def test_seed_001_digitised_total_repairs_to_1957_backed_by_tiers_and_its_rate():
    repairs = _repairs("001")
    for key in [("tiers", "dossiers_digitized[all]"), ("rates", "rate_digitized")]:
        r = repairs[key]
        assert (r["metric"], r["tier"], r["stated"], r["suggested"]) == ("dossiers_digitized", "all", 1931, 1957)
        assert (r["rules_for"], r["rules_against"]) == (["tiers", "rates"], [])


def test_seed_002_task_rate_repairs_to_the_rate_of_22_of_24():
    r = _repairs("002")[("tasks", "rate_reform_tasks_completed")]
    assert (r["stated"], r["suggested"], r["rules_for"]) == (91.16, 91.67, ["tasks"])


def test_seed_004_balances_name_no_single_number():
    assert all(r is None for r in _repairs("004").values())


# ----------------------------------------------------------------------------- the tiers rule after the reform


def _ward_split(all_, type_="phuong", period=(date(2025, 7, 1), date(2025, 9, 30))):
    """An invented ward whose centre splits its total by authority (labelling rule 17)."""
    loc = Locality("Bến Nguyệt", type_, "Sông Biếc")
    return [
        Fact("dossiers_received", v, "count", "exact", loc, t, period[0], period[1], Evidence(f"{t} {v}", 100 * i, 100 * i + len(f"{t} {v}")))
        for i, (t, v) in enumerate((("all", all_), ("province", 30), ("commune", 60)))
    ]


@pytest.mark.parametrize("facts, broken", [
    (_ward_split(100), [("tiers", "error", "Bến Nguyệt", "all")]),
    (_ward_split(90), []),
    (_ward_split(100, "xa", (date(2025, 4, 1), date(2025, 6, 30))), []),
], ids=["ward_after_reform_breaks", "ward_after_reform_holds", "commune_before_reform"])
def test_the_tiers_rule_splits_a_commune_after_the_reform(facts, broken):
    assert [(v.rule, v.severity, v.locality.name, v.tier) for v in check_facts(facts)] == broken
