"""The dossier arithmetic of docs/domain.md: the one implementation `cchc check` and the nightly
checks share.

Why this shape: the rules are *data* (``IDENTITIES``, ``RATE_RULES``, ``TIER_SETS``) read by a
few small evaluators, so that each definition also renders as SQL (``Identity.broken_sql``,
``RateRule.broken_sql``, ``tiers_sql``) for the Great Expectations checks over the reports mart.

Vocabulary of this module:

- a *report* is what one article says about one (locality name, locality type, tier,
  period_start, period_end); facts of one metric in one report are added (labelling rule 4),
  except that the same number stated again in another sentence is one figure (rule 1);
- a *term* is one metric of one report, as an interval: exact numbers are points, "hơn"/"trên"
  X is [X, ∞), "dưới" X and "gần" X are [0, X], "khoảng" X is [0, ∞). An identity breaks only
  when its two sides *cannot* be equal (or the inequality cannot hold), which is how qualified
  numbers "take part only in inequalities";
- a stated rate is the interval of one unit of its last decimal either side (sources truncate
  as often as they round): "90,26" is [90.25, 90.27];
- a ``Break`` is one broken identity of one report, with every stated number involved and, for
  each, the value that alone would make the identity hold (what ``repair`` searches).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Iterable, Mapping

from cchc.contracts import Fact, Locality
from cchc.vocabulary import METRIC_BY_NAME, RULES

ERROR, WARNING = "error", "warning"

# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """A closed range of values a stated number allows; ``hi is None`` means unbounded above.
    Exact arithmetic (Fraction), so that 100 x 1.957 / 2.168 is compared without float noise."""

    lo: Fraction
    hi: Fraction | None

    @classmethod
    def point(cls, value: Fraction) -> "Interval":
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        return self.hi is not None and self.lo == self.hi

    def __add__(self, other: "Interval") -> "Interval":
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Interval(self.lo + other.lo, hi)

    def meets(self, other: "Interval") -> bool:
        """True when some value lies in both: the two sides *can* be equal."""
        return (self.hi is None or self.hi >= other.lo) and (other.hi is None or other.hi >= self.lo)

    def below(self, other: "Interval") -> bool:
        """True when every value of self is smaller than every value of other."""
        return self.hi is not None and self.hi < other.lo

    def nearest(self, x: Fraction) -> Fraction:
        """The value of the interval closest to x (what an identity 'expects')."""
        if x < self.lo:
            return self.lo
        if self.hi is not None and x > self.hi:
            return self.hi
        return x


def total(intervals: Iterable[Interval]) -> Interval:
    acc = Interval.point(Fraction(0))
    for i in intervals:
        acc = acc + i
    return acc


def percent_of(part: Interval, whole: Interval) -> Interval | None:
    """100 x part / whole over intervals of non-negative numbers; None when the whole is 0."""
    if whole.hi is not None and whole.hi == 0:
        return None
    lo = Fraction(0) if whole.hi is None else 100 * part.lo / whole.hi
    hi = None if part.hi is None or whole.lo <= 0 else 100 * part.hi / whole.lo
    return Interval(lo, hi)


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True, order=True)
class ReportKey:
    """What one report is about. Province is left out on purpose: extraction may know it for
    one fact and not another, and the name and type already separate localities in one article."""

    name: str
    type: str
    tier: str
    period_start: date
    period_end: date

    @property
    def place(self) -> tuple[str, str, date, date]:
        """Reports of one place and period across tiers (what the tiers rule matches)."""
        return (self.name, self.type, self.period_start, self.period_end)


TermRef = tuple[ReportKey, str]  # (report, term key); a term key is a metric, "#n" for a rate stated again


@dataclass(frozen=True)
class Term:
    """One metric of one report: the sum of its facts, as an interval and as stated."""

    metric: str
    interval: Interval
    stated: Fraction  # the number(s) as written, added
    qualifier: str  # "exact" when every fact is; else the single fact's qualifier, or "mixed"
    decimals: int = 0  # a rate's stated decimals (its tolerance is one unit of the last)
    facts: tuple[Fact, ...] = ()

    @property
    def exact(self) -> bool:
        return self.qualifier == "exact"

    @property
    def is_rate(self) -> bool:
        return self.metric.startswith("rate_")

    def with_value(self, value: Fraction) -> "Term":
        """The same term had the article stated ``value`` exactly (what a repair tries)."""
        return replace(self, stated=value, qualifier="exact", interval=_exact_interval(value, self.is_rate, self.decimals))


@dataclass(frozen=True)
class Report:
    key: ReportKey
    locality: Locality
    terms: Mapping[str, Term]
    order: int = 0  # position of its first fact: violations are listed in article order


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).lower()


def _rate_decimals(fact: Fact) -> int:
    """Decimals as written ("90,26" -> 2, "100" -> 0), else as the parsed value shows them."""
    if fact.value_text:
        m = re.search(r"\d[.,](\d+)\D*$", fact.value_text.strip())
        return len(m.group(1)) if m else 0
    v = Fraction(str(fact.value))
    if v.denominator == 1:
        return 0
    return len(str(float(fact.value)).split(".")[1])


def _is_khoang(fact: Fact) -> bool:
    """'khoảng X' bounds nothing while 'gần X' bounds from above; both are `approx`, so read
    the hedge word just before the number in its evidence."""
    ev = fact.evidence
    text = ev.text
    if fact.value_start is not None and ev.start <= fact.value_start <= ev.start + len(text):
        before = text[: fact.value_start - ev.start]
    elif fact.value_text and fact.value_text in text:
        before = text[: text.index(fact.value_text)]
    else:
        return "khoảng" in _nfc(text) and "gần" not in _nfc(text)
    return "khoảng" in _nfc(before).split()[-2:]


def _exact_interval(value: Fraction, is_rate: bool, decimals: int) -> Interval:
    slack = Fraction(1, 10**decimals) if is_rate else Fraction(0)
    return Interval(max(Fraction(0), value - slack), value + slack)


def fact_interval(fact: Fact) -> Interval:
    """The values a stated number allows (domain.md: qualified numbers are bounds)."""
    value = Fraction(str(fact.value))
    is_rate = fact.metric.startswith("rate_")
    slack = Fraction(1, 10 ** _rate_decimals(fact)) if is_rate else Fraction(0)
    if fact.qualifier == "more_than":
        return Interval(max(Fraction(0), value - slack), None)
    if fact.qualifier == "less_than":
        return Interval(Fraction(0), value + slack)
    if fact.qualifier == "approx":
        return Interval(Fraction(0), None) if _is_khoang(fact) else Interval(Fraction(0), value + slack)
    return _exact_interval(value, is_rate, _rate_decimals(fact) if is_rate else 0)


def _key(fact: Fact) -> ReportKey:
    loc = fact.locality
    return ReportKey(loc.name, loc.type, fact.tier, fact.period_start, fact.period_end)


def _restates(a: Fact, b: Fact) -> bool:
    """True when b is the number of a stated again rather than a second part to add.
    Parts to add (rule 4) are listed together, in one sentence; the same figure of the same
    metric in another sentence ("1.931/2.168" after "tiếp nhận 2.168") is one figure (rule 1)."""
    if Fraction(str(a.value)) != Fraction(str(b.value)) or a.qualifier != b.qualifier:
        return False
    if a.value_start is not None and a.value_start == b.value_start:
        return True
    same_sentence = (a.evidence.start, a.evidence.end) == (b.evidence.start, b.evidence.end)
    if same_sentence:
        return a.value_start is None or b.value_start is None
    return True


def _distinct(facts: list[Fact]) -> list[Fact]:
    kept: list[Fact] = []
    for f in facts:
        if not any(_restates(k, f) for k in kept):
            kept.append(f)
    return kept


def _term(metric: str, facts: list[Fact]) -> Term:
    quals = {f.qualifier for f in facts}
    qualifier = quals.pop() if len(quals) == 1 else "mixed"
    decimals = _rate_decimals(facts[0]) if metric.startswith("rate_") else 0
    return Term(
        metric=metric,
        interval=total(fact_interval(f) for f in facts),
        stated=sum((Fraction(str(f.value)) for f in facts), Fraction(0)),
        qualifier=qualifier,
        decimals=decimals,
        facts=tuple(facts),
    )


def _terms(facts: list[Fact]) -> dict[str, Term]:
    """Counts of one metric are added; rates never are: each distinct stated rate is its own
    term ("rate_x", "rate_x#2", ...), checked on its own."""
    by_metric: dict[str, list[Fact]] = {}
    for f in facts:
        by_metric.setdefault(f.metric, []).append(f)
    terms: dict[str, Term] = {}
    for metric, group in by_metric.items():
        group = _distinct(group)
        if metric.startswith("rate_"):
            for i, f in enumerate(group):
                terms[metric if i == 0 else f"{metric}#{i + 1}"] = _term(metric, [f])
        else:
            terms[metric] = _term(metric, group)
    return terms


def build_reports(facts: Iterable[Fact]) -> dict[ReportKey, Report]:
    """Group an article's facts into reports, in the order the article first mentions them."""
    grouped: dict[ReportKey, list[Fact]] = {}
    for f in facts:
        if f.metric in METRIC_BY_NAME:
            grouped.setdefault(_key(f), []).append(f)
    reports = {}
    for order, (key, group) in enumerate(grouped.items()):
        province = next((f.locality.province for f in group if f.locality.province), None)
        locality = Locality(key.name, key.type, province)
        reports[key] = Report(key, locality, _terms(group), order)
    return reports


def metric_of(term_key: str) -> str:
    return term_key.split("#", 1)[0]


# --------------------------------------------------------------------------- breaks


@dataclass(frozen=True)
class Break:
    """One broken identity of one report. ``refs`` are the stated numbers involved, the
    identity's left-hand side first; ``implied`` gives, for each exact one, the value that would
    make this identity hold if only that number changed."""

    rule: str
    severity: str
    report: ReportKey
    name: str  # which identity of the rule, within the report
    refs: tuple[TermRef, ...]
    terms: dict[str, float]
    expected: float | None
    detail: str
    implied: tuple[tuple[TermRef, Fraction], ...] = ()

    @property
    def ident(self) -> tuple[str, ReportKey, str]:
        return (self.rule, self.report, self.name)


def as_number(x: Fraction, decimals: int = 2) -> float | int:
    """A Fraction as JSON wants it: an int when whole, else rounded to ``decimals``."""
    if x.denominator == 1:
        return int(x)
    return round(float(x), decimals)


def show(term: Term) -> str:
    """A stated number for people: 1130, 90.26, ~2100 (gần/khoảng), >460 (hơn/trên), <5 (dưới)."""
    text = str(as_number(term.stated, max(term.decimals, 2)))
    if term.is_rate and term.decimals:
        text = f"{float(term.stated):.{term.decimals}f}"
    prefix = {"exact": "", "more_than": ">", "less_than": "<", "approx": "~"}.get(term.qualifier, "~")
    return prefix + text


def show_interval(i: Interval, decimals: int = 2) -> str:
    if i.is_point:
        return str(as_number(i.lo, decimals))
    if i.hi is None:
        return f">={as_number(i.lo, decimals)}"
    return f"{as_number(i.lo, decimals)}..{as_number(i.hi, decimals)}"


# --------------------------------------------------------------------------- identities


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

    def applies(self, terms: Mapping[str, Term]) -> bool:
        return all(m in terms for m in self.required) and not any(m in terms for m in self.unless_stated)

    def holds(self, lhs: Interval, rhs: Interval) -> bool:
        return lhs.meets(rhs) if self.kind == "equality" else not rhs.below(lhs)

    def severity(self, lhs: Interval, rhs: Interval, terms: Mapping[str, Term]) -> str:
        shortfall = rhs.below(lhs)
        if self.warn_on_shortfall_unless and shortfall and not any(m in terms for m in self.warn_on_shortfall_unless):
            return WARNING
        return ERROR

    def broken_sql(self) -> str:
        """The same rule as a SQL condition over a wide reports table (one column per metric,
        exact figures only, NULL when unstated): the rows it selects are the breaks."""
        conds = [f"{m} is not null" for m in self.required] + [f"{m} is null" for m in self.unless_stated]
        rhs = " + ".join(f"coalesce({m}, 0)" if m in self.optional else m for m in self.rhs)
        op = "<>" if self.kind == "equality" else ">"
        return " and ".join(conds + [f"{self.lhs} {op} {rhs}"])

    def severity_sql(self) -> str:
        if not self.warn_on_shortfall_unless:
            return f"'{ERROR}'"
        rhs = " + ".join(f"coalesce({m}, 0)" if m in self.optional else m for m in self.rhs)
        none = " and ".join(f"{m} is null" for m in self.warn_on_shortfall_unless)
        return f"case when {rhs} < {self.lhs} and {none} then '{WARNING}' else '{ERROR}' end"


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


def _implied_linear(lhs_ref: TermRef, lhs: Term, rhs: list[tuple[TermRef, Term]], kind: str) -> list[tuple[TermRef, Fraction]]:
    """For each exact number of ``lhs = sum(rhs)``, the value that alone restores it."""
    out = []
    rhs_total = total(t.interval for _, t in rhs)
    if lhs.exact and rhs_total.is_point:
        out.append((lhs_ref, rhs_total.lo))
    for ref, term in rhs:
        others = total(t.interval for r, t in rhs if r != ref)
        if term.exact and lhs.interval.is_point and others.is_point:
            value = lhs.interval.lo - others.lo
            if value >= 0 and (kind == "equality" or value > term.stated):
                out.append((ref, value))
    return out


def check_identity(ident: Identity, report: Report) -> Break | None:
    terms = report.terms
    if not ident.applies(terms):
        return None
    stated = [m for m in ident.rhs if m in terms]
    lhs, rhs = terms[ident.lhs].interval, total(terms[m].interval for m in stated)
    if ident.holds(lhs, rhs):
        return None
    severity = ident.severity(lhs, rhs, terms)
    expected = rhs.nearest(terms[ident.lhs].stated)
    op = "!=" if ident.kind == "equality" else ">"
    parts = " + ".join(f"{m} {show(terms[m])}" for m in stated)
    detail = f"{ident.lhs} {show(terms[ident.lhs])} {op} {parts}"
    if len(stated) > 1 or not rhs.is_point:
        detail += f" = {show_interval(rhs)}"
    if severity == WARNING:
        missing = as_number(terms[ident.lhs].stated - (rhs.hi or 0))
        detail += f" (shortfall of {missing}; no suspended, returned or withdrawn count stated)"
    key = report.key
    return Break(
        rule=ident.rule,
        severity=severity,
        report=key,
        name=ident.name,
        refs=tuple((key, m) for m in [ident.lhs, *stated]),
        terms={m: as_number(terms[m].stated) for m in [ident.lhs, *stated]},
        expected=as_number(expected),
        detail=detail,
        implied=tuple(_implied_linear((key, ident.lhs), terms[ident.lhs], [((key, m), terms[m]) for m in stated], ident.kind)),
    )


# --------------------------------------------------------------------------- rates


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

    def part_in(self, terms: Mapping[str, Term]) -> tuple[str, ...] | None:
        return next((p for p in self.parts if all(m in terms for m in p)), None)

    def whole_in(self, terms: Mapping[str, Term]) -> str | None:
        return next((w for w in self.wholes if w in terms), None)

    def broken_sql(self) -> str:
        """SQL form over the wide reports table; ``<rate>_unit`` holds 10^-decimals as stated."""
        part = "coalesce(" + ", ".join("(" + " + ".join(p) + ")" for p in self.parts) + ")"
        whole = "coalesce(" + ", ".join(self.wholes) + ")" if len(self.wholes) > 1 else self.wholes[0]
        return (
            f"{self.rate} is not null and {part} is not null and {whole} is not null and {whole} <> 0"
            f" and abs({self.rate} - 100.0 * {part} / {whole}) > {self.rate}_unit"
        )


RATE_RULES: tuple[RateRule, ...] = (
    RateRule("rates", "rate_received_online", ((_ONLINE,),), (_NEW, _RECEIVED)),
    RateRule("rates", "rate_received_offline", ((_OFFLINE,),), (_NEW, _RECEIVED)),
    RateRule("rates", "rate_resolved_early_or_on_time", ((_EARLY_OR_ON_TIME,), (_EARLY, _ON_TIME)), (_RESOLVED,)),
    RateRule("rates", "rate_resolved_overdue", ((_OVERDUE,),), (_RESOLVED,)),
    RateRule("rates", "rate_digitized", (("dossiers_digitized",),), (_RECEIVED,)),
    # The tasks rule owns its rate ("completed <= planned, and its rate matches"): one break, not two.
    RateRule("tasks", "rate_reform_tasks_completed", (("reform_tasks_completed",),), ("reform_tasks_planned",)),
)


def _nearest_integer_in(lo: Fraction, hi: Fraction, aim: Fraction) -> Fraction | None:
    """The whole number in [lo, hi] closest to ``aim``, if any (counts are whole)."""
    candidates = [Fraction(n) for n in (math.floor(aim), math.ceil(aim)) if lo <= n <= hi]
    return min(candidates, key=lambda n: abs(n - aim)) if candidates else None


def _implied_rate(rate_ref: TermRef, rate: Term, part: list[tuple[TermRef, Term]], whole_ref: TermRef, whole: Term) -> list[tuple[TermRef, Fraction]]:
    """The rate the counts give (rounded to the stated decimals); or the count that the stated
    rate implies for the part (or the whole), when a whole number fits its tolerance."""
    if not (rate.exact and whole.exact and all(t.exact for _, t in part)) or whole.stated == 0:
        return []
    w, r = whole.stated, rate.stated
    p_total = sum((t.stated for _, t in part), Fraction(0))
    out: list[tuple[TermRef, Fraction]] = [(rate_ref, Fraction(round(100 * p_total / w, rate.decimals)))]
    if len(part) != 1:
        return out  # which of several parts is wrong cannot be told
    (part_ref, p) = part[0]
    unit = Fraction(1, 10**rate.decimals)
    n = _nearest_integer_in((r - unit) * w / 100, (r + unit) * w / 100, r * w / 100)
    if n is not None:
        out.append((part_ref, n))
    if r - unit > 0 and p.stated > 0:
        n = _nearest_integer_in(100 * p.stated / (r + unit), 100 * p.stated / (r - unit), 100 * p.stated / r)
        if n is not None:
            out.append((whole_ref, n))
    return out


def check_rates(rule: RateRule, report: Report) -> list[Break]:
    terms, key = report.terms, report.key
    part_metrics, whole_metric = rule.part_in(terms), rule.whole_in(terms)
    if part_metrics is None or whole_metric is None:
        return []
    part = total(terms[m].interval for m in part_metrics)
    computed = percent_of(part, terms[whole_metric].interval)
    if computed is None:
        return []
    breaks = []
    for rate_key in (k for k in terms if metric_of(k) == rule.rate):
        rate = terms[rate_key]
        if rate.interval.meets(computed):
            continue
        part_text = " + ".join(f"{m} {show(terms[m])}" for m in part_metrics)
        if len(part_metrics) > 1:
            part_text = f"({part_text})"
        refs = ((key, rate_key),) + tuple((key, m) for m in part_metrics) + ((key, whole_metric),)
        breaks.append(
            Break(
                rule=rule.rule,
                severity=ERROR,
                report=key,
                name=rate_key,
                refs=refs,
                terms={rule.rate: as_number(rate.stated), **{m: as_number(terms[m].stated) for m in part_metrics}, whole_metric: as_number(terms[whole_metric].stated)},
                expected=as_number(computed.nearest(rate.stated)),
                detail=f"{rule.rate} {show(rate)} != 100 x {part_text} / {whole_metric} {show(terms[whole_metric])} = {show_interval(computed)}",
                implied=tuple(_implied_rate((key, rate_key), rate, [((key, m), terms[m]) for m in part_metrics], (key, whole_metric), terms[whole_metric])),
            )
        )
    return breaks


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
    if type_ in PROVINCE_TYPES or (type_ == "thanh_pho" and _nfc(name) in CENTRAL_CITIES):
        return "province"
    if type_ in DISTRICT_TYPES or type_ == "thanh_pho":
        return "district"
    if type_ in COMMUNE_TYPES:
        return "commune"
    return None


def required_tiers(key: ReportKey, stated_tiers: set[str]) -> tuple[str, ...] | None:
    level = locality_level(key.name, key.type)
    if level == "district":
        return TIER_SETS["district"]
    if level == "commune":
        # Only a period wholly after the reform: before it (or across it) a commune's centre
        # could also hold district-authority dossiers, so its total has no known split.
        return TIER_SETS["commune_split"] if key.period_start >= REFORM_DATE else None
    if level != "province":
        return None
    if key.period_end < REFORM_DATE:
        return TIER_SETS["province_three_levels"]
    if key.period_start >= REFORM_DATE:
        return TIER_SETS["province_two_levels"]
    # A period across the reform: the article shows which structure it reports.
    return TIER_SETS["province_three_levels" if "district" in stated_tiers else "province_two_levels"]


def check_tiers(reports: Mapping[ReportKey, Report]) -> list[Break]:
    """`all` = sum of the required tiers, for every count metric stated in all of them (rates
    are not additive, so they are left out)."""
    by_place: dict[tuple, dict[str, Report]] = {}
    for r in reports.values():
        by_place.setdefault(r.key.place, {})[r.key.tier] = r
    breaks = []
    for tiers in by_place.values():
        whole = tiers.get("all")
        needed = required_tiers(whole.key, set(tiers)) if whole else None
        if not needed or not all(t in tiers for t in needed):
            continue
        for metric, term in whole.terms.items():
            if term.is_rate or "#" in metric or not all(metric in tiers[t].terms for t in needed):
                continue
            b = _tier_break(metric, whole, [tiers[t] for t in needed])
            if b:
                breaks.append(b)
    return breaks


def _tier_break(metric: str, whole: Report, parts: list[Report]) -> Break | None:
    lhs = whole.terms[metric]
    rhs = total(p.terms[metric].interval for p in parts)
    if lhs.interval.meets(rhs):
        return None
    label = lambda r: f"{metric}[{r.key.tier}]"  # noqa: E731 (one metric across tiers: name the tier)
    lhs_ref = (whole.key, metric)
    rhs_refs = [((p.key, metric), p.terms[metric]) for p in parts]
    sum_text = " + ".join(f"{label(p)} {show(p.terms[metric])}" for p in parts)
    return Break(
        rule="tiers",
        severity=ERROR,
        report=whole.key,
        name=metric,
        refs=(lhs_ref,) + tuple(r for r, _ in rhs_refs),
        terms={label(whole): as_number(lhs.stated), **{label(p): as_number(p.terms[metric].stated) for p in parts}},
        expected=as_number(rhs.nearest(lhs.stated)),
        detail=f"{label(whole)} {show(lhs)} != {sum_text} = {show_interval(rhs)}",
        implied=tuple(_implied_linear(lhs_ref, lhs, rhs_refs, "equality")),
    )


def tiers_sql(metric: str, table: str = "reports") -> str:
    """The tiers rule for one metric as SQL over the wide reports table (columns locality_name,
    locality_type, tier, period_start, period_end and one per metric): selects the `all` rows
    that differ from the sum of their required tiers."""
    same = "{a}.locality_name = a.locality_name and {a}.locality_type = a.locality_type and {a}.period_start = a.period_start and {a}.period_end = a.period_end and {a}.tier = '{tier}'"
    district_types = ", ".join(f"'{t}'" for t in DISTRICT_TYPES)
    commune_types = ", ".join(f"'{t}'" for t in COMMUNE_TYPES)
    levels = {
        "province_three_levels": f"a.locality_type = 'tinh' and a.period_end < date '{REFORM_DATE}'",
        "province_two_levels": f"a.locality_type = 'tinh' and a.period_start >= date '{REFORM_DATE}'",
        "district": f"a.locality_type in ({district_types})",
        "commune_split": f"a.locality_type in ({commune_types}) and a.period_start >= date '{REFORM_DATE}'",
    }
    selects = []
    for level, where in levels.items():
        needed = TIER_SETS[level]
        joins = " ".join(f"join {table} t{i} on " + same.format(a=f"t{i}", tier=t) for i, t in enumerate(needed))
        rhs = " + ".join(f"t{i}.{metric}" for i in range(len(needed)))
        not_null = " and ".join([f"a.{metric} is not null"] + [f"t{i}.{metric} is not null" for i in range(len(needed))])
        selects.append(f"select a.* from {table} a {joins} where a.tier = 'all' and {where} and {not_null} and a.{metric} <> {rhs}")
    return "\nunion all\n".join(selects)


# --------------------------------------------------------------------------- all rules


def evaluate(reports: Mapping[ReportKey, Report]) -> list[Break]:
    """Every broken identity of an article's reports, in article order, then rule order."""
    breaks: list[Break] = []
    for report in reports.values():
        breaks += [b for i in IDENTITIES if (b := check_identity(i, report))]
        for rule in RATE_RULES:
            breaks += check_rates(rule, report)
    breaks += check_tiers(reports)
    order = {k: r.order for k, r in reports.items()}
    return sorted(breaks, key=lambda b: (order[b.report], RULES.index(b.rule)))


def with_term(reports: Mapping[ReportKey, Report], ref: TermRef, value: Fraction) -> dict[ReportKey, Report]:
    """The reports had the article stated ``value`` for one number (what a repair tries)."""
    key, term_key = ref
    out = dict(reports)
    report = reports[key]
    terms = dict(report.terms)
    terms[term_key] = terms[term_key].with_value(value)
    out[key] = replace(report, terms=terms)
    return out


__all__ = [
    "Break",
    "COMMUNE_TYPES",
    "IDENTITIES",
    "Identity",
    "Interval",
    "RATE_RULES",
    "RateRule",
    "Report",
    "ReportKey",
    "TIER_SETS",
    "Term",
    "build_reports",
    "check_identity",
    "check_rates",
    "check_tiers",
    "evaluate",
    "fact_interval",
    "tiers_sql",
    "with_term",
]
