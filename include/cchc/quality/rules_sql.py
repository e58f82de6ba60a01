"""The dossier arithmetic as SQL, rendered from the rule data of ``cchc.quality.rules``: the
one place its arithmetic is written. The nightly Great Expectations suites run these queries
(``UnexpectedRowsExpectation``) over the check tables of every article; ``cchc check`` runs the
same text over one article's tables in an in-memory DuckDB (``cchc.quality.arithmetic``).

- every stated term is a closed interval ``[lo, hi]`` (``hi`` NULL: unbounded above), written by
  ``cchc.quality.report_terms`` from the report assembly (``cchc.quality.reports``);
- an equality breaks when the two sides cannot be equal (the intervals do not meet), an
  inequality when its left side is surely above its right side;
- rates are compared by cross-multiplication in DECIMAL(38, 6), so 1.957 / 2.168 against
  90,26 % +- 0,01 is decided exactly.

Every query returns the broken rules as rows of ``OUTPUT_COLUMNS``: ``check_name`` names the
identity (the identity's name, the rate's term key, the tier-summed metric); ``terms`` is a JSON
object metric -> stated value; ``refs`` the stated numbers the rule read, as a JSON list of
[report_uid, term key], its left-hand side first; ``implied`` for each exact number, the value
that alone would make the rule hold ([report_uid, term key, value]), which the repairs try;
``computed_lo``/``computed_hi`` the other side of the identity as an interval. ``{batch}`` is
Great Expectations' placeholder for the table the expectation runs on; no query contains another
brace or a colon (SQLAlchemy's ``text()`` reads ``:name`` as a parameter).
"""
from __future__ import annotations

from dataclasses import dataclass

from cchc.quality.rules import (
    BALANCE_ERROR,
    BALANCE_WARNING,
    CENTRAL_CITIES,
    COMMUNE_TYPES,
    DISTRICT_TYPES,
    ERROR,
    IDENTITIES,
    PROVINCE_TYPES,
    QUALIFIED,
    RATE_RULES,
    REFORM_DATE,
    RULE_TEXT,
    TIER_SETS,
    WARNING,
    Identity,
    RateRule,
    rule_vocabulary,
)
from cchc.vocabulary import RULES, TIERS

OUTPUT_COLUMNS = ("report_uid", "rule", "check_name", "severity", "expected", "terms", "refs", "implied", "computed_lo", "computed_hi")


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
    """The value of [lo, hi] closest to x (what an identity expects), as a double rounded to two decimals."""
    return f"round(cast(case when {x} < {lo} then {lo} when {hi} is not null and {x} > {hi} then {hi} else {x} end as double), 2)"


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------- identities (wide table)


def _json_list(items: list[str]) -> str:
    """A JSON array (as text) of the items that are not NULL; each item is JSON text."""
    return "'[' || concat_ws(',', " + ", ".join(items) + ") || ']'"


def _ref(uid: str, term_key: str) -> str:
    """A stated number the rule reads: [report_uid, term key]."""
    return f"cast(json_array({uid}, {term_key}) as varchar)"


def _candidate(uid: str, term_key: str, value: str) -> str:
    """The value that alone would make the rule hold: [report_uid, term key, value as text]."""
    return f"cast(json_array({uid}, {term_key}, cast({value} as varchar)) as varchar)"


def _nearest_integer(lo_ok, hi_ok, tie_to_floor, floor: str, ceil: str) -> str:
    """The whole number nearest the aim among its floor and ceiling that lie in the range; the
    range test and the tie are given as functions of a candidate, exact in decimals."""
    return (f"case when {lo_ok(floor)} and {hi_ok(floor)} and (not ({lo_ok(ceil)} and {hi_ok(ceil)}) or {tie_to_floor})"
            f" then {floor} when {lo_ok(ceil)} and {hi_ok(ceil)} then {ceil} end")


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
    read = dict.fromkeys((lhs, *ident.rhs, *ident.unless_stated, *ident.warn_on_shortfall_unless))
    columns = ", ".join(f"b.{m}, b.{m}__lo, b.{m}__hi" for m in read)  # only what the identity reads: less to plan
    refs = _json_list([_ref("x.report_uid", _q(lhs))] + [f"case when x.{m} is not null then {_ref('x.report_uid', _q(m))} end" for m in ident.rhs])
    # one changed number: the lhs becomes the sum, or one part the lhs less the other parts
    lhs_point = f"x.{lhs}__lo = x.{lhs}__hi"
    candidates = [f"case when {lhs_point} and x.rhs_hi is not null and x.rhs_lo = x.rhs_hi then {_candidate('x.report_uid', _q(lhs), 'x.rhs_lo')} end"]
    for m in ident.rhs:
        value = f"(x.{lhs}__lo - (x.rhs_lo - x.{m}__lo))"
        grows = f" and {value} > x.{m}" if ident.kind == "at_most" else ""
        candidates.append(
            f"case when x.{m} is not null and x.{m}__lo = x.{m}__hi and {lhs_point} and x.rhs_hi is not null"
            f" and x.rhs_lo - x.{m}__lo = x.rhs_hi - x.{m}__hi and {value} >= 0{grows}"
            f" then {_candidate('x.report_uid', _q(m), value)} end")
    return (
        f"select x.report_uid, '{ident.rule}' as rule, {_q(ident.name)} as check_name, {severity} as severity,\n"
        f"       {_nearest(f'x.{lhs}', 'x.rhs_lo', 'x.rhs_hi')} as expected,\n"
        f"       {terms} as terms, {refs} as refs, {_json_list(candidates)} as implied,\n"
        f"       cast(x.rhs_lo as double) as computed_lo, cast(x.rhs_hi as double) as computed_hi\n"
        f"from (select b.report_uid, {columns}, {rhs_lo} as rhs_lo, {rhs_hi} as rhs_hi from b where {' and '.join(applies)}) x\n"
        f"where {broken}"
    )


# --------------------------------------------------------------------------- rates (long table)


def _all_stated(metrics: tuple[str, ...]) -> str:
    return "(" + " and ".join(f"w.{m} is not null" for m in metrics) + ")"


UNIT = ("case x.decimals when 0 then 1 when 1 then 0.1 when 2 then 0.01 when 3 then 0.001"
        " when 4 then 0.0001 when 5 then 0.00001 else 0.000001 end")  # one unit of the last written decimal, exact


def _rate_metrics(rules: list[RateRule]) -> list[str]:
    return sorted({m for r in rules for p in r.parts for m in p} | {m for r in rules for m in r.wholes})


def rate_pivot_sql(rules: list[RateRule]) -> str:
    """The CTE ``w`` the rate queries read: per report, the counts they compare the rates with."""
    pivot = ",\n         ".join(
        f"max(stated) filter (where term_key = '{m}') as {m}, max(lo) filter (where term_key = '{m}') as {m}__lo, "
        f"max(hi) filter (where term_key = '{m}') as {m}__hi, max(qualifier) filter (where term_key = '{m}') as {m}__q"
        for m in _rate_metrics(rules)
    )
    return f"w as (\n  select report_uid,\n         {pivot}\n  from t group by report_uid\n)"


def rate_sql(rule: RateRule) -> tuple[str, str]:
    """Rows of ``report_terms`` (alias ``t``, with the CTE ``w`` of ``rate_pivot_sql``): every
    stated term of ``rule.rate`` (a rate stated twice with two values is two terms, each
    checked) that no value of 100 x part / whole meets. Returns its CTE and its select."""
    chosen = []  # (condition that alternative i is the part used, metrics)
    earlier: list[str] = []
    for part in rule.parts:
        cond = " and ".join([_all_stated(part)] + [f"not {e}" for e in earlier])
        chosen.append((f"({cond})", part))
        earlier.append(_all_stated(part))

    def part_case(expr) -> str:
        return "case " + " ".join(f"when {c} then {expr(p)}" for c, p in chosen) + " end"

    part_ok = " or ".join(_all_stated(p) for p in rule.parts)
    whole_cases = []
    for i, whole in enumerate(rule.wholes):
        cond = " and ".join([f"w.{whole} is not null"] + [f"w.{w} is null" for w in rule.wholes[:i]])
        whole_cases.append((f"({cond})", whole))

    def whole_case(expr) -> str:
        return "case " + " ".join(f"when {c} then {expr(m)}" for c, m in whole_cases) + " end"

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
    refs = ([_ref("r.report_uid", "r.term_key")]
            + [f"case when {' or '.join(cc for cc, pp in chosen if m in pp)} then {_ref('r.report_uid', _q(m))} end" for m in seen]
            + [f"case when {c} then {_ref('r.report_uid', _q(m))} end" for c, m in whole_cases])
    # computed = 100 x part / whole as an interval; compared without division
    breaks_low = "(x.rate_hi is not null and x.whole_hi is not null and x.rate_hi * x.whole_hi < 100 * x.part_lo)"
    breaks_high = "(x.part_hi is not null and x.whole_lo > 0 and 100 * x.part_hi < x.rate_lo * x.whole_lo)"
    computed_lo = "(case when x.whole_hi is null then 0 else 100.0 * x.part_lo / x.whole_hi end)"
    computed_hi = "(case when x.part_hi is null or x.whole_lo <= 0 then null else 100.0 * x.part_hi / x.whole_lo end)"
    # one changed number, when every number is exact: the rate the counts give (at the stated
    # decimals), or the one part (or the whole) the stated rate gives, if a whole number fits
    r, w, p, u = "x.rate_stated", "x.whole_stated", "x.part_stated", UNIT
    exact = f"x.rate_q = 'exact' and x.part_exact and x.whole_q = 'exact' and {w} <> 0"
    part_value = _nearest_integer(lambda n: f"100 * {n} >= ({r} - {u}) * {w}", lambda n: f"100 * {n} <= ({r} + {u}) * {w}",
                                  f"2 * {r} * {w} <= 100 * (floor({r} * {w} / 100) + ceil({r} * {w} / 100))",
                                  f"floor({r} * {w} / 100)", f"ceil({r} * {w} / 100)")
    whole_value = _nearest_integer(lambda n: f"{n} * ({r} + {u}) >= 100 * {p}", lambda n: f"{n} * ({r} - {u}) <= 100 * {p}",
                                   f"200 * {p} <= {r} * (floor(100 * {p} / {r}) + ceil(100 * {p} / {r}))",
                                   f"floor(100 * {p} / {r})", f"ceil(100 * {p} / {r})")
    part_exact = part_case(lambda metrics: " and ".join(f"w.{m}__q = 'exact'" for m in metrics))
    candidates = [
        f"case when {exact} then {_candidate('x.report_uid', 'x.term_key', f'round_even(100 * {p} / {w}, x.decimals)')} end",
        f"case when {exact} and x.part_key is not null and ({part_value}) is not null"
        f" then {_candidate('x.report_uid', 'x.part_key', part_value)} end",
        f"case when {exact} and x.part_key is not null and {r} - {u} > 0 and {p} > 0 and ({whole_value}) is not null"
        f" then {_candidate('x.report_uid', 'x.whole_key', whole_value)} end",
    ]
    inner = (
        f"  select r.report_uid, r.term_key, r.stated as rate_stated, r.lo as rate_lo, r.hi as rate_hi,\n"
        f"         r.qualifier as rate_q, r.decimals,\n"
        f"         {part_case(lambda p: ' + '.join(f'w.{m}__lo' for m in p))} as part_lo,\n"
        f"         {part_case(lambda p: ' + '.join(f'w.{m}__hi' for m in p))} as part_hi,\n"
        f"         {part_case(lambda p: ' + '.join(f'w.{m}' for m in p))} as part_stated,\n"
        f"         {part_exact} as part_exact,\n"
        f"         {part_case(lambda p: _q(p[0]) if len(p) == 1 else 'null')} as part_key,\n"
        f"         {whole_case(lambda m: f'w.{m}__lo')} as whole_lo, {whole_case(lambda m: f'w.{m}__hi')} as whole_hi,\n"
        f"         {whole_case(lambda m: f'w.{m}')} as whole_stated, {whole_case(lambda m: f'w.{m}__q')} as whole_q,\n"
        f"         {whole_case(_q)} as whole_key,\n"
        f"         {_terms_json(pairs)} as terms, {_json_list(refs)} as refs\n"
        f"  from t r\n"
        f"  join w on w.report_uid = r.report_uid\n"
        f"  where r.metric = '{rule.rate}' and ({part_ok}) and ({whole_ok})"
    )
    # materialised: the outer expressions read these columns many times over
    cte = f"{_rate_cte(rule)} as materialized (\n{inner}\n)"
    select = (
        f"select x.report_uid, '{rule.rule}' as rule, x.term_key as check_name, '{ERROR}' as severity,\n"
        f"       {_nearest('x.rate_stated', computed_lo, computed_hi)} as expected, x.terms, x.refs,\n"
        f"       {_json_list(candidates)} as implied,\n"
        f"       cast({computed_lo} as double) as computed_lo, cast({computed_hi} as double) as computed_hi\n"
        f"from {_rate_cte(rule)} x\n"
        f"where not (x.whole_hi is not null and x.whole_hi = 0) and ({breaks_low} or {breaks_high})"
    )
    return cte, select


def _rate_cte(rule: RateRule) -> str:
    return f"x_{rule.rate}"


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
    metrics that cannot equal the sum of the required tiers."""
    reform = f"date '{REFORM_DATE.isoformat()}'"
    place = "article_id, locality_name, locality_type, period_start, period_end"
    pivots = ",\n         ".join(
        f"max(p.stated) filter (where p.tier = '{tier}') as s_{tier}" for tier in TIERS if tier != "all"
    )
    pairs = [("x.metric || '[all]'", "x.a_stated")] + [(f"x.metric || '[{tier}]'", f"x.s_{tier}") for tier in TIERS if tier != "all"]
    # one changed number: the `all` figure becomes the sum, or one tier the `all` figure less the others
    part_value = "(x.a_lo - (x.rhs_lo - p.lo))"
    part_candidate = (f"case when p.lo = p.hi and x.a_lo = x.a_hi and x.rhs_hi is not null and x.rhs_lo - p.lo = x.rhs_hi - p.hi"
                      f" and {part_value} >= 0 then {_candidate('p.report_uid', 'p.term_key', part_value)} end")
    all_candidate = f"case when x.a_lo = x.a_hi and x.rhs_hi is not null and x.rhs_lo = x.rhs_hi then {_candidate('x.report_uid', 'x.metric', 'x.rhs_lo')} end"
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
        f"parts as (\n"
        f"  select a.report_uid as all_uid, n.tiers, p.*\n"
        f"  from t a\n"
        f"  join needed n using ({place})\n"
        f"  join t p on p.article_id = a.article_id and p.locality_name = a.locality_name and p.locality_type = a.locality_type\n"
        f"          and p.period_start = a.period_start and p.period_end = a.period_end\n"
        f"          and p.term_key = a.metric and list_contains(n.tiers, p.tier)\n"
        f"  where a.tier = 'all' and a.term_key = a.metric and not starts_with(a.metric, 'rate_') and n.tiers is not null\n"
        f"),\n"
        f"sums as (\n"
        f"  select a.report_uid, a.metric, any_value(a.stated) as a_stated, any_value(a.lo) as a_lo, any_value(a.hi) as a_hi,\n"
        f"         any_value(len(p.tiers)) as n_needed, count(p.tier) as n_stated, sum(p.lo) as rhs_lo,\n"
        f"         case when count(p.hi) = count(p.tier) then sum(p.hi) end as rhs_hi,\n"
        f"         {pivots}\n"
        f"  from t a\n"
        f"  join parts p on p.all_uid = a.report_uid and p.metric = a.term_key\n"
        f"  group by a.report_uid, a.metric\n"
        f"),\n"
        f"broken as (\n"
        f"  select * from sums x\n"
        f"  where x.n_stated = x.n_needed\n"
        f"    and ((x.a_hi is not null and x.a_hi < x.rhs_lo) or (x.rhs_hi is not null and x.rhs_hi < x.a_lo))\n"
        f"),\n"
        f"tier_refs as (\n"
        f"  select x.report_uid, x.metric,\n"
        f"         string_agg({_ref('p.report_uid', 'p.term_key')}, ',' order by list_position(p.tiers, p.tier)) as refs,\n"
        f"         string_agg({part_candidate}, ',' order by list_position(p.tiers, p.tier)) as implied\n"
        f"  from broken x join parts p on p.all_uid = x.report_uid and p.metric = x.metric\n"
        f"  group by x.report_uid, x.metric\n"
        f")\n"
        f"select x.report_uid, 'tiers' as rule, x.metric as check_name, '{ERROR}' as severity,\n"
        f"       {_nearest('x.a_stated', 'x.rhs_lo', 'x.rhs_hi')} as expected,\n"
        f"       {_terms_json(pairs)} as terms,\n"
        f"       '[' || {_ref('x.report_uid', 'x.metric')} || ',' || r.refs || ']' as refs,\n"
        f"       '[' || concat_ws(',', {all_candidate}, r.implied) || ']' as implied,\n"
        f"       cast(x.rhs_lo as double) as computed_lo, cast(x.rhs_hi as double) as computed_hi\n"
        f"from broken x join tier_refs r on r.report_uid = x.report_uid and r.metric = x.metric"
    )


# --------------------------------------------------------------------------- the expectations' queries

def write_rule_vocabulary(con) -> None:
    """Rewrite ``dq.rules`` (created by the warehouse schema) from the rules' words."""
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
            parts = [rate_sql(r) for r in rates]
            ctes = ",\n".join(cte for cte, _ in parts)
            union = "\nunion all\n".join(select for _, select in parts)
            out.append(RuleQuery(
                rule, ERROR, "report_terms",
                f"{rule} (error): {RULE_TEXT[rule] if rule != 'tasks' else 'the stated task completion rate = 100 x completed / planned'}"
                f" (rates against: online/offline -> received_new, else received; on-time/overdue -> resolved; digitised -> received; tasks -> planned)."
                f" {QUALIFIED} Each row is one broken stated rate.",
                f"with t as (select * from {{batch}}),\n{rate_pivot_sql(rates)},\n{ctes}\nselect v.* from (\n{union}\n) v",
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


__all__ = ["render", "rule_vocabulary", "run_rule_queries", "write_rule_vocabulary", "OUTPUT_COLUMNS", "RuleQuery", "identity_sql", "json_num", "rate_sql", "rule_queries", "tiers_interval_sql"]
