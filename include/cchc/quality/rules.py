"""The dossier arithmetic as data: each identity once, with its name, its words and its
severity logic. ``cchc.quality.rules_sql`` renders these to the SQL that the nightly Great
Expectations suites and ``cchc check`` run; nothing else evaluates them.

The rules (the arithmetic of an administrative-reform report, in the project's own words):

- intake: dossiers received = newly received + carried over from the last period;
- channels: newly received = online + in person or by post (without a newly-received count,
  received = online + offline + carried over);
- outcome: resolved = early + on time + overdue (or early-or-on-time + overdue);
- balance: received = resolved + in progress + suspended + returned + withdrawn; a shortfall
  with none of the last three stated is only a warning (they may be the missing dossiers);
- parts: a part is never more than its whole (online <= received, overdue <= resolved,
  digitised <= received);
- services: online services = full + partial + information-only;
- tasks: reform tasks completed <= planned, and the stated completion rate matches;
- rates: a stated rate = 100 x part / whole, within one unit of its last written decimal;
- tiers: the `all` tier = the sum of the tiers a locality's level has (province, district,
  commune before 1 July 2025; province and commune from that day; a commune or ward after the
  reform whose centre splits its total by authority: province + commune).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from cchc.vocabulary import RULES

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Identity:
    """``lhs == sum(rhs)`` (kind "equality") or ``lhs <= sum(rhs)`` (kind "at_most"), checked
    when the lhs and every non-optional rhs term are stated and none of ``unless_stated`` is.
    Optional terms count as zero when unstated. ``warn_on_shortfall_unless``: a shortfall
    (rhs below lhs) is only a warning when none of these terms is stated (balance)."""

    rule: str
    lhs: str
    rhs: tuple[str, ...]
    kind: str = "equality"
    optional: tuple[str, ...] = ()
    unless_stated: tuple[str, ...] = ()
    warn_on_shortfall_unless: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        op = "=" if self.kind == "equality" else "<="
        return f"{self.lhs}{op}{'+'.join(self.rhs)}"

    @property
    def required(self) -> tuple[str, ...]:
        return (self.lhs,) + tuple(m for m in self.rhs if m not in self.optional)


_RECEIVED, _NEW, _CARRIED = "dossiers_received", "dossiers_received_new", "dossiers_carried_over"
_ONLINE, _OFFLINE = "dossiers_received_online", "dossiers_received_offline"
_RESOLVED, _EARLY, _ON_TIME = "dossiers_resolved", "dossiers_resolved_early", "dossiers_resolved_on_time"
_EARLY_OR_ON_TIME, _OVERDUE = "dossiers_resolved_early_or_on_time", "dossiers_resolved_overdue"
_IN_PROGRESS, _SUSPENDED, _RETURNED, _WITHDRAWN = (
    "dossiers_in_progress",
    "dossiers_suspended",
    "dossiers_returned",
    "dossiers_withdrawn",
)

IDENTITIES: tuple[Identity, ...] = (
    Identity("intake", _RECEIVED, (_NEW, _CARRIED)),
    Identity("channels", _NEW, (_ONLINE, _OFFLINE)),
    Identity("channels", _RECEIVED, (_ONLINE, _OFFLINE, _CARRIED), unless_stated=(_NEW,)),
    Identity("outcome", _RESOLVED, (_EARLY, _ON_TIME, _OVERDUE)),
    Identity("outcome", _RESOLVED, (_EARLY_OR_ON_TIME, _OVERDUE)),
    Identity(
        "balance",
        _RECEIVED,
        (_RESOLVED, _IN_PROGRESS, _SUSPENDED, _RETURNED, _WITHDRAWN),
        optional=(_IN_PROGRESS, _SUSPENDED, _RETURNED, _WITHDRAWN),
        warn_on_shortfall_unless=(_SUSPENDED, _RETURNED, _WITHDRAWN),
    ),
    Identity("parts", _ONLINE, (_RECEIVED,), kind="at_most"),
    Identity("parts", _OVERDUE, (_RESOLVED,), kind="at_most"),
    Identity("parts", "dossiers_digitized", (_RECEIVED,), kind="at_most"),
    Identity("services", "online_services", ("online_services_full", "online_services_partial", "online_services_info")),
    Identity("tasks", "reform_tasks_completed", ("reform_tasks_planned",), kind="at_most"),
)


@dataclass(frozen=True)
class RateRule:
    """A stated rate = 100 x part / whole, within one unit of its last stated decimal.
    ``parts`` and ``wholes`` are alternatives, the first fully stated one wins (the online
    rate's whole is received_new where stated, else received). Not checked when no whole or
    no part is stated."""

    rule: str
    rate: str
    parts: tuple[tuple[str, ...], ...]
    wholes: tuple[str, ...]


RATE_RULES: tuple[RateRule, ...] = (
    RateRule("rates", "rate_received_online", ((_ONLINE,),), (_NEW, _RECEIVED)),
    RateRule("rates", "rate_received_offline", ((_OFFLINE,),), (_NEW, _RECEIVED)),
    RateRule("rates", "rate_resolved_early_or_on_time", ((_EARLY_OR_ON_TIME,), (_EARLY, _ON_TIME)), (_RESOLVED,)),
    RateRule("rates", "rate_resolved_overdue", ((_OVERDUE,),), (_RESOLVED,)),
    RateRule("rates", "rate_digitized", (("dossiers_digitized",),), (_RECEIVED,)),
    # The tasks rule owns its rate ("completed <= planned, and its rate matches"): one break, not two.
    RateRule("tasks", "rate_reform_tasks_completed", (("reform_tasks_completed",),), ("reform_tasks_planned",)),
)


# --------------------------------------------------------------------------- tiers

REFORM_DATE = date(2025, 7, 1)  # two levels of local government from this day: districts end
PROVINCE_TYPES = ("tinh",)
DISTRICT_TYPES = ("huyen", "quan", "thi_xa")
COMMUNE_TYPES = ("xa", "phuong", "thi_tran", "dac_khu")
CENTRAL_CITIES = ("hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế")

# Which tiers must all be stated for `all` = their sum, by level and by side of the reform.
TIER_SETS: dict[str, tuple[str, ...]] = {
    "province_three_levels": ("province", "district", "commune"),  # a province before 1 July 2025
    "province_two_levels": ("province", "commune"),  # a province from 1 July 2025
    "district": ("district", "commune"),
    # A commune or ward from 1 July 2025 whose centre splits its total by authority (labelling
    # rule 17): dossiers under a provincial agency + those under its own authority.
    "commune_split": ("province", "commune"),
}


def locality_level(name: str, type_: str) -> str | None:
    """province, district, commune or None (a type outside the vocabulary). A "thành phố" is a
    province only for the centrally-run cities; otherwise it is a provincial city (district)."""
    if type_ in PROVINCE_TYPES or (type_ == "thanh_pho" and unicodedata.normalize("NFC", name).lower() in CENTRAL_CITIES):
        return "province"
    if type_ in DISTRICT_TYPES or type_ == "thanh_pho":
        return "district"
    if type_ in COMMUNE_TYPES:
        return "commune"
    return None


# --------------------------------------------------------------------------- the rules in words

RULE_TEXT = {
    "intake": "received = received_new + carried_over",
    "channels": "received_new = online + offline; without received_new, received = online + offline + carried_over",
    "outcome": "resolved = early + on_time + overdue, or early_or_on_time + overdue",
    "balance": "received = resolved + in_progress + suspended + returned + withdrawn (unstated terms count as zero)",
    "tiers": "the `all` tier = the sum of the required tiers (province/district/commune by level and by the 1 July 2025 reform;"
             " from that day a commune or ward whose centre splits its total by authority: province + commune), per count metric",
    "rates": "a stated rate = 100 x part / whole, within one unit of its last stated decimal",
    "parts": "every part <= its whole (online <= received, overdue <= resolved, digitized <= received)",
    "services": "online_services = full + partial + info",
    "tasks": "reform_tasks_completed <= reform_tasks_planned, and its rate matches",
}
QUALIFIED = "Qualified numbers take part as bounds only (hơn/trên X: >= X; dưới/gần X: <= X; khoảng: no bound)."
BALANCE_WARNING = "A shortfall with no suspended, returned or withdrawn count stated is a warning (those may be the missing dossiers)."
BALANCE_ERROR = "Any mismatch but that shortfall is an error."
SEVERITY_LOGIC = {rule: "Every break is an error." for rule in RULES} | {"balance": f"{BALANCE_WARNING} {BALANCE_ERROR}"}


def rule_vocabulary() -> list[dict]:
    """The rules as analysts read them (``dq.rules``, the dbt mart ``dim_dq_rule``)."""
    return [{"rule": r, "rule_order": i + 1, "identity": f"{RULE_TEXT[r]}. {QUALIFIED}", "severity_logic": SEVERITY_LOGIC[r]}
            for i, r in enumerate(RULES)]
