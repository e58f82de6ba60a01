"""Tier decisions: what the tier kinds named for a figure (``patterns.TIERS``, each row naming
the labelling rule it implements) make for the locality the figure is about (docs/facts.md
"Tiers", rules 13, 16, 17, 19; the tier sets of docs/arithmetic.md "Tiers").
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from cchc.contracts import Fact, Locality
from cchc.extract import matching as M
from cchc.extract.normalize import fold
from cchc.quality.rules import REFORM_DATE, TIER_SETS, locality_level

COMMITTEE = "committee"  # a tier pending until the whole article is read: see committee_tiers


def combine_tiers(spans: list[M.Span]) -> str | None:
    """The tier kinds named together, as one string ("commune+district"): ``resolve_tier``
    decides what they make for the locality a figure is about."""
    return "+".join(sorted({t.kind for t in spans})) or None


def resolve_tier(named: str, locality: Locality, period: tuple[date, date], split_by_authority: bool = False) -> str | None:
    """The tier of a figure from the tier kinds named for it (patterns.TIERS says which rule
    each implements), or None where they name neither one tier nor the whole. A district's
    committee alone stays ``committee``: ``committee_tiers`` decides it with the article."""
    kinds = {k.removesuffix("_authority") for k in named.split("+")} - {""}
    level = _level(locality)
    if split_by_authority and kinds <= {"centre"}:
        return "all"  # rule 17: the centre's total, beside its parts by authority
    if level == "commune":  # rule 19; rule 17's provincial agencies keep theirs
        return "province" if kinds == {"province"} else "commune"
    if not kinds:
        return "all"  # docs/facts.md "Tiers": a figure whose article names no tier is the whole
    if "whole" in kinds:
        kinds.discard("committee")  # "toàn huyện" and the district's committee: the same whole
    if "committee" in kinds:  # rule 16; "UBND huyện ..., Bộ phận một cửa huyện" is the shop's
        kinds.discard("committee")
        if "district" not in kinds:
            kinds.add(COMMITTEE if level == "district" and not kinds else "all")
    if "centre" in kinds:
        kinds.discard("centre")  # beside a tier named ("Tại cấp xã, ... Trung tâm"), the centres are that tier's
        if not kinds:
            kinds.add("province" if level == "province" else "district")
    if "whole" in kinds:
        kinds.discard("whole")
        if len(kinds) != 1:
            kinds.add("all")
    if "all" in kinds:
        return "all"
    if len(kinds) == 1:
        return kinds.pop()
    return "all" if kinds >= set(_whole_of(level, period)) else None


def _level(locality: Locality) -> str | None:
    """province, district or commune; a city that belongs to another province is a district
    there (Huế in Thừa Thiên Huế before it became a centrally-run city)."""
    if locality.type == "thanh_pho" and locality.province and fold(locality.province) != fold(locality.name):
        return "district"
    return locality_level(locality.name, locality.type)


def _whole_of(level: str | None, period: tuple[date, date]) -> tuple[str, ...]:
    """The tiers that make up a locality's whole (docs/arithmetic.md "Tiers")."""
    if level == "district":
        return TIER_SETS["district"]
    if level == "province":
        return TIER_SETS["province_three_levels" if period[1] < REFORM_DATE else "province_two_levels"]
    return ("__none__",)


def committee_tiers(facts: list[Fact]) -> list[Fact]:
    """Rule 16: a district's People's Committee with no tier named gives the whole district's
    figures, unless the article also gives the communes' own figures of some of the same
    metrics: then the committee's are the district tier's (the article splits
    the district by tier: "UBND thành phố Bến Nguyệt đã giải quyết ..." beside "Các UBND cấp xã đã
    giải quyết ...")."""
    communes: dict[Locality, set] = {}
    committee: dict[Locality, set] = {}
    for f in facts:
        if f.tier in ("commune", COMMITTEE):
            (communes if f.tier == "commune" else committee).setdefault(f.locality, set()).add(f.metric)
    split = {place for place, metrics in committee.items() if metrics & communes.get(place, set())}
    return [replace(f, tier="district" if f.locality in split else "all") if f.tier == COMMITTEE else f for f in facts]
