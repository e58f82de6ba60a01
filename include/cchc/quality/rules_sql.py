"""The dossier arithmetic as SQL over the check tables, rendered from the rule data of
``cchc.quality.rules`` (``IDENTITIES``, ``RATE_RULES``, ``TIER_SETS``, the level constants): the
queries of the nightly Great Expectations checks (``UnexpectedRowsExpectation``).

Why a second rendering beside ``Identity.broken_sql``: that form reads a wide table of *exact*
figures, so a qualified number ("hơn 460", "gần 2.100") drops out of every rule. domain.md wants
qualified numbers *in* the inequalities, which is what ``rules.py`` does with intervals. These
queries keep that semantics exactly:

- every stated term is a closed interval ``[lo, hi]`` (``hi`` NULL: unbounded above), written by
  ``cchc.quality.report_terms`` from ``rules.build_reports`` (the code ``cchc check`` runs), so a
  term means the same number, bounds and tolerance on both sides;
- an equality breaks when the two sides cannot be equal (the intervals do not meet), an
  inequality when its left side is surely above its right side;
- rates are compared by cross-multiplication in DECIMAL(38, 6), so 1.957 / 2.168 against 90,26 %
  +- 0,01 is decided exactly, as ``rules.py`` does with ``Fraction``.

Every query returns the broken rules as rows of ``report_uid, rule, check_name, severity,
expected, terms``: ``check_name`` is the ``Break.name`` of ``rules.py`` (the identity, the rate's
term key, the tier-summed metric), ``terms`` a JSON object metric -> stated value. ``{batch}`` is
Great Expectations' placeholder for the table the expectation runs on; no query contains another
brace or a colon (SQLAlchemy's ``text()`` reads ``:name`` as a parameter).
"""
from __future__ import annotations

from dataclasses import dataclass

from cchc.quality.rules import (
    CENTRAL_CITIES,
    COMMUNE_TYPES,
    DISTRICT_TYPES,
    ERROR,
    IDENTITIES,
    PROVINCE_TYPES,
    RATE_RULES,
    REFORM_DATE,
    TIER_SETS,
    WARNING,
    Identity,
    RateRule,
)
from cchc.vocabulary import METRIC_NAMES, RULES, TIERS

NUM = "decimal(38, 6)"
COUNT_METRICS = tuple(m for m in METRIC_NAMES if not m.startswith("rate_"))
OUTPUT_COLUMNS = ("report_uid", "rule", "check_name", "severity", "expected", "terms")


@dataclass(frozen=True)
class RuleQuery:
    """One expectation's query: the rows that break ``rule`` with ``severity`` on one table."""

    rule: str
    severity: str
    table: str  # "reports" (one row per report) or "report_terms" (one row per stated term)
    description: str
    sql: str

    @property
    def name(self) -> str:
        return f"{self.rule}_{self.severity}s_on_{self.table}"


def json_num(expr: str) -> str:
    """A stated number as JSON the way ``rules.as_number`` prints it: an integer when whole, else
    rounded to two decimals; NULL stays NULL."""
    return (
        f"cast(case when {expr} = trunc({expr}) then cast(cast({expr} as hugeint) as varchar)"
        f" else cast(round(cast({expr} as double), 2) as varchar) end as json)"
    )


def _terms_json(pairs: list[tuple[str, str]]) -> str:
    """JSON object of (key SQL, value SQL) pairs with the NULL values left out, in order."""
    body = ", ".join(f"{key}, {json_num(value)}" for key, value in pairs)
    return f"cast(json_merge_patch(json_object(), json_object({body})) as varchar)"


def _nearest(x: str, lo: str, hi: str) -> str:
    """The value of [lo, hi] closest to x (``Interval.nearest``), as a double rounded like the CLI."""
    return f"round(cast(case when {x} < {lo} then {lo} when {hi} is not null and {x} > {hi} then {hi} else {x} end as double), 2)"


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------- identities (wide table)


def identity_sql(ident: Identity) -> str:
    """Rows of ``reports`` (alias ``b``) where ``ident`` applies and cannot hold."""
    applies = [f"{m} is not null" for m in ident.required] + [f"{m} is null" for m in ident.unless_stated]
    rhs_lo = " + ".join(f"coalesce({m}__lo, 0)" for m in ident.rhs)
    rhs_hi = " + ".join(f"(case when {m} is null then 0 else {m}__hi end)" for m in ident.rhs)
    lhs = ident.lhs
    shortfall = f"(x.rhs_hi is not null and x.rhs_hi < x.{lhs}__lo)"
    if ident.kind == "equality":
        broken = f"((x.{lhs}__hi is not null and x.{lhs}__hi < x.rhs_lo) or {shortfall})"
    else:  # at_most: lhs <= rhs breaks only when every value of rhs is below every value of lhs
        broken = shortfall
    if ident.warn_on_shortfall_unless:
        none_stated = " and ".join(f"x.{m} is null" for m in ident.warn_on_shortfall_unless)
        severity = f"case when {shortfall} and {none_stated} then '{WARNING}' else '{ERROR}' end"
    else:
        severity = f"'{ERROR}'"
    terms = _terms_json([(_q(lhs), f"x.{lhs}")] + [(_q(m), f"x.{m}") for m in ident.rhs])
    return (
        f"select x.report_uid, '{ident.rule}' as rule, {_q(ident.name)} as check_name, {severity} as severity,\n"
        f"       {_nearest(f'x.{lhs}', 'x.rhs_lo', 'x.rhs_hi')} as expected,\n"
        f"       {terms} as terms\n"
        f"from (select b.*, {rhs_lo} as rhs_lo, {rhs_hi} as rhs_hi from b where {' and '.join(applies)}) x\n"
        f"where {broken}"
    )


# --------------------------------------------------------------------------- rates (long table)


def _all_stated(metrics: tuple[str, ...]) -> str:
    return "(" + " and ".join(f"w.{m} is not null" for m in metrics) + ")"


def rate_sql(rule: RateRule) -> str:
    """Rows of ``report_terms`` (alias ``t``): every stated term of ``rule.rate`` (a rate stated
    twice with two values is two terms, each checked) that no value of 100 x part / whole meets."""
    metrics = sorted({m for p in rule.parts for m in p} | set(rule.wholes))
    pivot = ",\n         ".join(
        f"max(stated) filter (where term_key = '{m}') as {m}, max(lo) filter (where term_key = '{m}') as {m}__lo, "
        f"max(hi) filter (where term_key = '{m}') as {m}__hi"
        for m in metrics
    )
    chosen = []  # (condition that alternative i is the part used, metrics)
    earlier: list[str] = []
    for part in rule.parts:
        cond = " and ".join([_all_stated(part)] + [f"not {e}" for e in earlier])
        chosen.append((f"({cond})", part))
        earlier.append(_all_stated(part))
    part_lo = "case " + " ".join(f"when {c} then {' + '.join(f'w.{m}__lo' for m in p)}" for c, p in chosen) + " end"
    part_hi = "case " + " ".join(f"when {c} then {' + '.join(f'w.{m}__hi' for m in p)}" for c, p in chosen) + " end"
    part_ok = " or ".join(_all_stated(p) for p in rule.parts)
    whole_cases = []
    for i, whole in enumerate(rule.wholes):
        cond = " and ".join([f"w.{whole} is not null"] + [f"w.{w} is null" for w in rule.wholes[:i]])
        whole_cases.append((f"({cond})", whole))
    whole_lo = "case " + " ".join(f"when {c} then w.{m}__lo" for c, m in whole_cases) + " end"
    whole_hi = "case " + " ".join(f"when {c} then w.{m}__hi" for c, m in whole_cases) + " end"
    whole_ok = " or ".join(f"w.{m} is not null" for m in rule.wholes)
    pairs = [(_q(rule.rate), "r.stated")]
    seen: list[str] = []
    for c, part in chosen:
        for m in part:
            if m not in seen:
                seen.append(m)
                conds = " or ".join(cc for cc, pp in chosen if m in pp)
                pairs.append((_q(m), f"case when {conds} then w.{m} end"))
    pairs += [(_q(m), f"case when {c} then w.{m} end") for c, m in whole_cases]
    # computed = 100 x part / whole as an interval (rules.percent_of); compared without division
    breaks_low = "(x.rate_hi is not null and x.whole_hi is not null and x.rate_hi * x.whole_hi < 100 * x.part_lo)"
    breaks_high = "(x.part_hi is not null and x.whole_lo > 0 and 100 * x.part_hi < x.rate_lo * x.whole_lo)"
    computed_lo = "(case when x.whole_hi is null then 0 else 100.0 * x.part_lo / x.whole_hi end)"
    computed_hi = "(case when x.part_hi is null or x.whole_lo <= 0 then null else 100.0 * x.part_hi / x.whole_lo end)"
    return (
        f"select x.report_uid, '{rule.rule}' as rule, x.term_key as check_name, '{ERROR}' as severity,\n"
        f"       {_nearest('x.rate_stated', computed_lo, computed_hi)} as expected, x.terms\n"
        f"from (\n"
        f"  select r.report_uid, r.term_key, r.stated as rate_stated, r.lo as rate_lo, r.hi as rate_hi,\n"
        f"         {part_lo} as part_lo, {part_hi} as part_hi, {whole_lo} as whole_lo, {whole_hi} as whole_hi,\n"
        f"         {_terms_json(pairs)} as terms\n"
        f"  from t r\n"
        f"  join (select report_uid,\n         {pivot}\n       from t group by report_uid) w on w.report_uid = r.report_uid\n"
        f"  where r.metric = '{rule.rate}' and ({part_ok}) and ({whole_ok})\n"
        f") x\n"
        f"where not (x.whole_hi is not null and x.whole_hi = 0) and ({breaks_low} or {breaks_high})"
    )


# --------------------------------------------------------------------------- tiers (long table)


def _level_sql(name: str, type_: str) -> str:
    """``rules.locality_level`` in SQL: province, district, commune or NULL."""
    provinces = ", ".join(_q(t) for t in PROVINCE_TYPES)
    cities = ", ".join(_q(c) for c in CENTRAL_CITIES)
    districts = ", ".join(_q(t) for t in DISTRICT_TYPES)
    communes = ", ".join(_q(t) for t in COMMUNE_TYPES)
    return (
        f"case when {type_} in ({provinces}) or ({type_} = 'thanh_pho' and nfc_normalize(lower({name})) in ({cities})) then 'province'"
        f" when {type_} in ({districts}) or {type_} = 'thanh_pho' then 'district'"
        f" when {type_} in ({communes}) then 'commune' end"
    )


def _tier_list(tiers: tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(t) for t in tiers) + "]"


def tiers_interval_sql() -> str:
    """Rows of ``report_terms`` (alias ``t``): per article and place, the `all` tier's count
    metrics that differ from the sum of the required tiers (``rules.check_tiers``)."""
    reform = f"date '{REFORM_DATE.isoformat()}'"
    place = "article_id, locality_name, locality_type, period_start, period_end"
    pivots = ",\n         ".join(
        f"max(p.stated) filter (where p.tier = '{tier}') as s_{tier}" for tier in TIERS if tier != "all"
    )
    pairs = [("x.metric || '[all]'", "x.a_stated")] + [(f"x.metric || '[{tier}]'", f"x.s_{tier}") for tier in TIERS if tier != "all"]
    return (
        f"places as (\n"
        f"  select {place}, bool_or(tier = 'district') as has_district,\n"
        f"         {_level_sql('any_value(locality_name)', 'any_value(locality_type)')} as level\n"
        f"  from t group by {place}\n"
        f"),\n"
        f"needed as (\n"
        f"  select {place},\n"
        f"    case\n"
        f"      when level = 'district' then {_tier_list(TIER_SETS['district'])}\n"
        f"      when level = 'commune' and period_start >= {reform} then {_tier_list(TIER_SETS['commune_split'])}\n"
        f"      when level = 'province' and period_end < {reform} then {_tier_list(TIER_SETS['province_three_levels'])}\n"
        f"      when level = 'province' and period_start >= {reform} then {_tier_list(TIER_SETS['province_two_levels'])}\n"
        f"      when level = 'province' and has_district then {_tier_list(TIER_SETS['province_three_levels'])}\n"
        f"      when level = 'province' then {_tier_list(TIER_SETS['province_two_levels'])}\n"
        f"    end as tiers\n"
        f"  from places\n"
        f"),\n"
        f"sums as (\n"
        f"  select a.report_uid, a.metric, any_value(a.stated) as a_stated, any_value(a.lo) as a_lo, any_value(a.hi) as a_hi,\n"
        f"         any_value(len(n.tiers)) as n_needed, count(p.tier) as n_stated, sum(p.lo) as rhs_lo,\n"
        f"         case when count(p.hi) = count(p.tier) then sum(p.hi) end as rhs_hi,\n"
        f"         {pivots}\n"
        f"  from t a\n"
        f"  join needed n using ({place})\n"
        f"  join t p on p.article_id = a.article_id and p.locality_name = a.locality_name and p.locality_type = a.locality_type\n"
        f"          and p.period_start = a.period_start and p.period_end = a.period_end\n"
        f"          and p.term_key = a.metric and list_contains(n.tiers, p.tier)\n"
        f"  where a.tier = 'all' and a.term_key = a.metric and not starts_with(a.metric, 'rate_') and n.tiers is not null\n"
        f"  group by a.report_uid, a.metric\n"
        f")\n"
        f"select x.report_uid, 'tiers' as rule, x.metric as check_name, '{ERROR}' as severity,\n"
        f"       {_nearest('x.a_stated', 'x.rhs_lo', 'x.rhs_hi')} as expected,\n"
        f"       {_terms_json(pairs)} as terms\n"
        f"from sums x\n"
        f"where x.n_stated = x.n_needed\n"
        f"  and ((x.a_hi is not null and x.a_hi < x.rhs_lo) or (x.rhs_hi is not null and x.rhs_hi < x.a_lo))"
    )


# --------------------------------------------------------------------------- the expectations' queries

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


def write_rule_vocabulary(con) -> None:
    """Rewrite ``dq.rules`` (created by the warehouse schema) from ``RULE_TEXT``."""
    rows = rule_vocabulary()
    con.execute("delete from dq.rules")
    con.executemany("insert into dq.rules (rule, rule_order, identity, severity_logic) values (?, ?, ?, ?)",
                    [[r["rule"], r["rule_order"], r["identity"], r["severity_logic"]] for r in rows])


def _identity_union(idents: list[Identity]) -> str:
    return "\nunion all\n".join(identity_sql(i) for i in idents)


def rule_queries() -> list[RuleQuery]:
    """One query per (rule, severity, table): the expectations of the nightly suites."""
    out: list[RuleQuery] = []
    for rule in RULES:
        idents = [i for i in IDENTITIES if i.rule == rule]
        if idents:
            severities = [ERROR, WARNING] if any(i.warn_on_shortfall_unless for i in idents) else [ERROR]
            for sev in severities:
                where = f"\nwhere v.severity = '{sev}'" if len(severities) > 1 else ""
                note = ""
                if rule == "balance":
                    note = " " + (BALANCE_WARNING if sev == WARNING else BALANCE_ERROR)
                out.append(RuleQuery(
                    rule, sev, "reports",
                    f"{rule} ({sev}): {RULE_TEXT[rule]}.{note} {QUALIFIED} Each row is one broken identity of one report.",
                    f"with b as (select * from {{batch}})\nselect v.* from (\n{_identity_union(idents)}\n) v{where}",
                ))
        rates = [r for r in RATE_RULES if r.rule == rule]
        if rates:
            union = "\nunion all\n".join(rate_sql(r) for r in rates)
            out.append(RuleQuery(
                rule, ERROR, "report_terms",
                f"{rule} (error): {RULE_TEXT[rule] if rule != 'tasks' else 'the stated task completion rate = 100 x completed / planned'}"
                f" (rates against: online/offline -> received_new, else received; on-time/overdue -> resolved; digitised -> received; tasks -> planned)."
                f" {QUALIFIED} Each row is one broken stated rate.",
                f"with t as (select * from {{batch}})\nselect v.* from (\n{union}\n) v",
            ))
        if rule == "tiers":
            out.append(RuleQuery(
                rule, ERROR, "report_terms",
                f"tiers (error): {RULE_TEXT['tiers']}. {QUALIFIED} Each row is one `all`-tier metric of one report.",
                f"with t as (select * from {{batch}}),\n{tiers_interval_sql()}",
            ))
    return out


def render(query: RuleQuery, source: str) -> str:
    """The query as GX runs it, with ``{batch}`` replaced by ``source`` (a table or subquery)."""
    return query.sql.format(batch=source)


def run_rule_queries(con, reports: str = "dq.reports", terms: str = "dq.report_terms") -> list[dict]:
    """Every rule query run directly on a DuckDB connection (no GX): the same SQL text."""
    rows: list[dict] = []
    for q in rule_queries():
        cur = con.execute(render(q, reports if q.table == "reports" else terms))
        names = [d[0] for d in cur.description]
        rows += [dict(zip(names, r)) for r in cur.fetchall()]
    return rows


__all__ = ["render", "rule_vocabulary", "run_rule_queries", "write_rule_vocabulary", "COUNT_METRICS", "OUTPUT_COLUMNS", "RuleQuery", "identity_sql", "json_num", "rate_sql", "rule_queries", "tiers_interval_sql"]
