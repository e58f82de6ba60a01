"""Dossier facts of one article: every number that states a metric of the vocabulary (docs/facts.md), with
its locality, tier, period and the sentence it came from.

How a number becomes a fact (docs/phrasings.md names the structures S1..S15):

1. The article is read once (``structure.py``): normalised, split into sentences, its head,
   lead and lists found; dates, document ids, locality names and other non-facts are masked
   so their digits are never read.
2. Each sentence splits into parts at separators (",", ";", "(", "và", "trong đó", ...),
   except inside a cue phrase ("trước, đúng hạn" is one cue). A number owns the cues on its
   left up to the previous separator (label first: "tiếp nhận trực tuyến 311 hồ sơ") and on
   its right up to the next one (number first: "36 hồ sơ tạm dừng").
3. The kinds of those cues, the noun counted ("hồ sơ", "thủ tục", "nhiệm vụ") and the whole
   a breakdown part belongs to (S1, S2) pick the metric from the decision tables of
   ``patterns.py``. A rate with no cue of its own describes the count it follows (S3); a part
   with no cue after a tier opener repeats the sentence's first metric (S6).
4. Tier, locality and period are scopes: the title's or lead's (the article's subject), a
   paragraph's opening clause, a list heading's, a sentence's openers, a breakdown's whole.
   Tier kinds resolve against the figure's locality (``tiers.py``).
5. Labelling rules that need the whole article run last: a district committee's tier (rule
   16), headline and caption restatements (rule 1), hedged restatements of an exact figure
   (S14), wholes of "x/y" stated elsewhere.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from cchc.contracts import Evidence, Fact, Locality
from cchc.extract import matching as M, patterns as P
from cchc.extract.dates import find_publication_date
from cchc.extract.localities import LocalityMention
from cchc.extract.numbers import Number
from cchc.extract.periods import PeriodMention
from cchc.extract.structure import Article, is_item as is_bullet, list_blocks
from cchc.extract.tiers import combine_tiers, committee_tiers, resolve_tier
from cchc.vocabulary import METRIC_BY_NAME

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "facts-4"  # bump when extraction changes: the next night re-extracts every page
MAX_CHARS = 300_000  # a news article is far shorter; of a longer text only the beginning is read
_SENTENCE_INITIAL = 45  # a period named this close to a sentence start frames what follows
_RESTATEMENT_TOLERANCE = 0.1  # S14: a hedged figure within 10% of an exact one restates it
_CONTENT_KINDS = frozenset(k for k, _ in P.CUES) - {"reform", "procedure_subset", "planned", "completed"}
_FLOW_VERBS = frozenset({"resolved", "intake", "total", "intake_resolved", "new"})
_BRACKET_OF_WORDS = re.compile(r"\s*\(([^()\d]{1,60})\)")
_SEMICOLON = re.compile(";")
_BRACKETED_COUNT = re.compile(r"\s*(?:hồ sơ|hs|trường hợp)?\s*\)")
# Rule 15: counts of procedures and services are stocks, dated to one day.
STOCK_METRICS = frozenset({"procedures_total", "procedure_fields", "online_services", "online_services_full",
                           "online_services_partial", "online_services_info"})
_REPORTED_KINDS = frozenset({"named", "range", "to_date", "until"})


def extract_facts(text: str, published: date | None = None, url: str | None = None,
                  locality_hint: str | None = None, fetched_at: datetime | None = None) -> list[Fact]:
    """The dossier facts of an article's text. Never raises: a page the rules cannot read
    yields the facts read so far, or none (the failure is logged)."""
    try:
        return extract_facts_strict(text, published, url, locality_hint, fetched_at)
    except Exception:  # a nightly run must survive any page; tests call the strict version
        log.warning("fact extraction failed; no facts kept", exc_info=True)
        return []


def extract_facts_strict(text: str, published: date | None = None, url: str | None = None,
                         locality_hint: str | None = None, fetched_at: datetime | None = None) -> list[Fact]:
    """``extract_facts`` without the safety net: raises on a bug."""
    if not isinstance(text, str) or not text.strip():
        return []
    if len(text) > MAX_CHARS:
        log.warning("text of %d characters: reading the first %d", len(text), MAX_CHARS)
        text = text[:MAX_CHARS]
    # Relative words resolve against the publication date, never the crawl time: a page whose
    # date is unknown has none (the fetch time only resolves a relative date line: "1 giờ trước").
    published = published or find_publication_date(text, fetched_at)
    article = Article.read(text, published, url, locality_hint)
    facts = _Reader(article).read()
    return _article_rules(facts, article)


# ---------------------------------------------------------------------------------------
# Reading: sentence by sentence, carrying locality, tier and period.
# ---------------------------------------------------------------------------------------
@dataclass
class _Whole:
    """A count a breakdown refers to (S1, S2); ``close`` ends a bracketed breakdown."""

    index: int  # into the reader's facts, or -1 when the count made no fact
    metric: str | None
    close: int | None = None
    tier: str | None = None
    blocked: bool = False  # a count that is no fact (a subset, a target): its parts are none either


@dataclass
class _State:
    locality: Locality | None
    period: tuple[date, date] | None = None  # the article's, or the one a paragraph opened with
    local_period: tuple[date, date] | None = None  # named inside a paragraph: ends with it
    tier: str | None = None
    paragraph: int = -1
    topic: frozenset = frozenset()
    topic_left: int = 0
    whole: _Whole | None = None
    last_count: _Whole | None = None  # the last count of the previous sentence, a whole to a "Trong đó, ..."
    list_end: int | None = None  # a list heading named its unit: it holds for the bullets up to here (S8)
    before_list: Locality | None = None  # and the unit before the heading comes back after it


@dataclass
class _Candidate:
    number: Number
    metrics: tuple[str, ...]
    kinds: frozenset
    noun_end: int
    noun: str = "none"
    attached: bool = False  # a rate read off the count before it (S3)
    blocked: bool = False  # words around it say it is no fact (a target, a subset, a split)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Scan:
    """What reading one sentence carries from one number to the next."""

    stack: list[_Whole]
    owned_end: int
    tier_from: int
    base: str | None  # the tier openers outside breakdowns set
    has_early: bool
    reform: bool
    seps: list[tuple[int, int]]
    sentence_start: int = 0
    previous_number_end: int = 0
    coordinated: set = field(default_factory=set)  # the verbs of the last number, for one joined by "và"
    asides: tuple = ()  # word-only brackets ("(TTHC)", "(kết quả giải quyết)"): asides, no part boundary
    aside_marks: frozenset = frozenset()  # their "(" and ")"
    # Found once per sentence, looked up by bisection: a long sentence must not be read again per number.
    bound_ends: list = field(default_factory=list)  # where the parts' boundaries end (asides left out)
    bound_starts: list = field(default_factory=list)
    semicolons: list = field(default_factory=list)
    split_from: int = 1 << 62  # a list of fields or agencies has begun (SUBUNIT_LIST)
    units_from: int = 1 << 62  # a counted set of agencies has been named (UNITS_COUNTED)
    units_with_from: int = 1 << 62  # a counted set of units with a property (UNITS_WITH)
    fields: list = field(default_factory=list)  # (end, start) of each field named (FIELD_BEFORE)
    head: dict[str, str] = field(default_factory=dict)  # the sentence's first count and rate metric
    prev_count: tuple[str, str] | None = None  # (metric, tier) of the last count that made a fact
    last_stage: str | None = None
    period: tuple[date, date] | None = None  # the sentence's period that placed its last fact
    last_count: _Whole | None = None


class _Reader:
    def __init__(self, article: Article):
        self.a = article
        self.f = article.nt.folded
        self.state = _State(locality=article.default)
        self.facts: list[Fact] = []
        self.head_facts: set[int] = set()
        self.agency_tier: str | None = None
        self.windows: dict[tuple[date, date], tuple[date, date]] = {}
        self.reported: M.SpanIndex[PeriodMention] | None = None

    def read(self) -> list[Fact]:
        for s, block in zip(self.a.sentences, list_blocks(self.a.nt.text, self.a.sentences)):
            self._sentence(s, block)
        return [replace(f, note="headline") if i in self.head_facts else f for i, f in enumerate(self.facts)]

    # -- one sentence ------------------------------------------------------------------
    def _sentence(self, s: M.Sentence, block: tuple[int, int, bool]) -> None:
        """Read one sentence. ``block``: the span of the list it belongs to (a heading ending
        in ":" and its bullet items, S8) and whether it is an item of that list."""
        st = self.state
        block_start, block_end, is_item = block
        if st.list_end is not None and (s.start >= st.list_end or not is_bullet(self.a.nt.text, s.start)):
            st.locality, st.list_end = st.before_list, None  # the heading's unit holds for its bullets only
        if s.paragraph != st.paragraph:
            st.paragraph = s.paragraph
            st.local_period = None
            if not is_item:
                st.tier = self.a.subject_tier
        if s.first_in_paragraph:
            self._locality_lead(s)
        self._remember_agencies(s)
        numbers = self.a.numbers.within(s.start, s.end)
        periods = self._periods_of(s)
        self._topic(s)
        if not numbers:
            self._frame_period(s, periods)
            self._heading_tier(s)
            self._heading_locality(s, block_end)
            return
        if re.match(r"(?:trong đó|trong số)", self.f[s.start:s.end]):
            st.whole = st.whole or st.last_count  # "... tiếp nhận 35 nghìn hồ sơ. Trong đó cấp huyện ..."
        elif not is_item:
            st.whole = None
        scan = _Scan(stack=[st.whole] if st.whole else [], owned_end=s.start, tier_from=s.start, base=st.tier,
                     has_early=any(c.kind == "early" for c in self.a.cues.within(block_start, block_end)),
                     reform=M.reform_mentioned(self.f, s.start, s.end),
                     seps=self._separators(s),
                     sentence_start=s.start, previous_number_end=s.start)
        scan.asides = tuple(_aside_brackets(self.f, s.start, s.end))
        scan.aside_marks = frozenset(mark for a, b in scan.asides for mark in ((a, a + 1), (b - 1, b)))
        bounds = [(a, b) for a, b in scan.seps if (a, b) not in scan.aside_marks]
        scan.bound_ends, scan.bound_starts = sorted(b for _, b in bounds), sorted(a for a, _ in bounds)
        scan.semicolons = [m.start() for m in _SEMICOLON.finditer(self.f, s.start, s.end)]
        for attr, rx in (("split_from", P.SUBUNIT_LIST), ("units_from", P.UNITS_COUNTED), ("units_with_from", P.UNITS_WITH)):
            m = re.compile(rx).search(self.f, s.start, s.end)
            if m:
                setattr(scan, attr, m.end())
        scan.fields = [(m.end(), m.start()) for m in re.compile(P.FIELD_BEFORE).finditer(self.f, s.start, s.end)]
        for i, n in enumerate(numbers):
            nxt = numbers[i + 1].start if i + 1 < len(numbers) else s.end
            self._number(n, nxt, s, periods, scan)
            scan.previous_number_end = n.end
        st.tier = scan.base
        self._heading_tier(s)  # "* Hồ sơ thuộc thẩm quyền ...: 18146 hồ sơ, trong đó:" heads its items too
        st.whole = next((w for w in scan.stack if w.close is None), None)
        st.last_count = scan.last_count
        if scan.period:
            self._set_period(scan.period, s)
        else:
            self._frame_period(s, periods)

    def _heading_locality(self, s: M.Sentence, block_end: int) -> None:
        """A heading ending in ":" that names a unit ("Kết quả giải quyết TTHC tại huyện X:")
        makes its items that unit's figures, for the list only (S8)."""
        if not self.f[s.start:s.end].rstrip().endswith(":") or block_end <= s.end:
            return
        named = [m for m in self.a.localities.within(s.start, s.end) if not m.qualifier and self._may_switch(m)]
        if named:
            st = self.state
            st.before_list, st.list_end = st.locality, block_end
            st.locality = self._with_province(named[-1].locality)

    def _heading_tier(self, s: M.Sentence) -> None:
        """A sentence ending in ":" heads a list: the tier it names holds for its items (S8)."""
        if self.f[s.start:s.end].rstrip().endswith(":"):
            self.state.tier = combine_tiers(self._tier_cues(s.start, s.end)) or self.state.tier

    def _separators(self, s: M.Sentence) -> list[tuple[int, int]]:
        """The sentence's part boundaries, less a "gồm" that links a label to its clause's
        first number ("đang giải quyết gồm 6.354 hồ sơ"): only after a count does it open a
        breakdown."""
        seps = M.separators(self.f, s.start, s.end, self.a.protected)
        out, previous_end = [], s.start
        for a, b in seps:
            if not (re.fullmatch(P.COPULA, self.f[a:b]) and not self.a.numbers.within(previous_end, a)):
                out.append((a, b))
            previous_end = b
        return out

    def _set_period(self, period: tuple[date, date], s: M.Sentence) -> None:
        """A period named at a paragraph's opening holds until another replaces it; one named
        further into a paragraph ("Tính trong 9 tháng qua, ...") holds to the paragraph's end,
        unless the article named none before."""
        st = self.state
        if st.period is None or s.first_in_paragraph:
            st.period, st.local_period = period, None
        else:
            st.local_period = period

    def _number(self, n: Number, nxt: int, s: M.Sentence, periods: list[PeriodMention], scan: "_Scan") -> None:
        """Decide what one number states, and emit its facts."""
        while scan.stack and scan.stack[-1].close is not None and n.start >= scan.stack[-1].close:
            closed = scan.stack.pop()  # "... 14.826 hồ sơ (trong đó có 342 ...), đạt tỷ lệ 96,84%": the rate is the whole's
            if closed.metric and closed.index >= 0:
                scan.prev_count = (closed.metric, self.facts[closed.index].tier)
        left, right = self._bounds(n, nxt, scan)
        opened = self._tier_cues(scan.tier_from, n.start)
        part_of = scan.stack[-1] if scan.stack else None
        cand = self._classify(n, left, right, part_of, scan, bool(opened))
        n = cand.number  # as classification read it ("đạt 91,6;" is a percent, "trên 25 lĩnh vực" exact)
        if cand.metrics:  # a number that states nothing leaves the openers to the next one
            scan.tier_from = right
        # a non-fact count ("9 xã, thị trấn") owns no words after it
        scan.owned_end = n.end if cand.noun == "other" else right
        if not n.percent:
            scan.prev_count = None
        if cand.metrics:
            scan.head.setdefault("rate" if n.percent else "count", cand.metrics[0])
        locality = self._locality_for(s.start, n.start, scan.asides)
        if cand.blocked and not n.percent and (M.opener_in(self.f, cand.noun_end, nxt) or self.f.find(":", n.end, nxt) >= 0):
            # "công bố danh mục 372 TTHC (trong đó có 84 TTHC mới, ...)", "ủy quyền 160 TTHC ... của các sở:
            # NN&PTNT (17 TTHC), ...": no parts of a non-fact, to the clause's end
            close = self.f.find(";", n.end, s.end)
            scan.stack = [_Whole(-1, None, close if close >= 0 else s.end, blocked=True)]
        if not cand.metrics or locality is None:
            return
        period = self._when(n, cand, periods, scan)
        if period is None:
            return  # no period and no publication date: the fact cannot be placed in time
        named = self._tier_of(cand, opened, self._tier_cues(n.end, right), part_of, scan)
        tier = resolve_tier(named, locality, period, self.a.split_by_authority)
        if n.in_words and n.value == 0 and "+" in named:
            # "Tại cấp huyện và cấp xã không có hồ sơ quá hạn": none at each tier named
            for each in sorted({resolve_tier(k, locality, period) for k in named.split("+")} - {None}):
                for metric in cand.metrics:
                    self._emit(metric, n, locality, each, period, s, cand.notes)
            return
        if tier is None:
            return  # tiers named together that are neither one tier nor the whole
        if not n.percent:
            # a rate right after reads the count's last metric that has one ("tiếp nhận và giải quyết
            # đúng hẹn 31.872 hồ sơ, đạt 100%")
            scan.prev_count = (next((m for m in reversed(cand.metrics) if m in P.RATE_OF_COUNT), cand.metrics[0]), tier)
        if P.STAGE.get(cand.metrics[0]):
            scan.last_stage = P.STAGE[cand.metrics[0]]
        first_index = len(self.facts)
        for metric in cand.metrics:
            if part_of and part_of.metric == metric and part_of.index >= 0 and part_of.tier == tier:
                continue  # rule 4: a part of the same metric as its stated whole
            self._emit(metric, n, locality, tier, period, s, cand.notes)
        self._fix_whole(part_of, cand)
        if not n.percent and P.STAGE.get(cand.metrics[0]) and len(self.facts) > first_index \
                and not (part_of and _is_part(cand, part_of)):  # a whole, not one of its parts
            scan.last_count = _Whole(first_index, cand.metrics[0], tier=tier)
        scan.stack = self._breakdowns(scan.stack, part_of, cand, first_index, nxt, s, tier)
        self._derived(cand, n, locality, tier, period, s)

    def _count_of_rate_before(self, n: Number, kinds: set, scan: "_Scan") -> tuple[str, ...]:
        """A count that names the dossiers of the rate right before it ("đạt 99,1%, tương ứng
        với 8.204 hồ sơ", "chiếm 0,9% với 75 hồ sơ") states that rate's count (S3 read backwards)."""
        last = self.facts[-1] if self.facts else None
        if kinds & _CONTENT_KINDS or last is None or last.metric not in P.COUNT_OF_RATE \
                or last.value_start is None or not scan.sentence_start <= last.value_start < scan.previous_number_end:
            return ()
        if not re.fullmatch(P.RATE_THEN_COUNT, self.f[scan.previous_number_end:n.start]):
            return ()
        return (P.COUNT_OF_RATE[last.metric],)

    def _no_fact_here(self, n: Number, left: int, right: int, whole: _Whole | None, scan: "_Scan") -> bool:
        """Words around the number that make it no fact: a target, change or rank (BLOCKERS), a
        clause the text cuts off (rule 9), a part of a count that is none, a property of a
        counted set of units, a split by field or agency (S15; rule 17's by authority is a tier)."""
        return (M.blocked(self.f, left, n.start, right) or n.start >= self.a.cut_from or bool(whole and whole.blocked)
                or (n.percent and scan.units_from <= n.start) or scan.units_with_from <= n.start
                or ((scan.split_from <= n.start or self._field_in_clause(scan, n.start))
                    and not self._by_authority(scan.sentence_start, n.start)))

    def _owned_kinds(self, n: Number, left: int, right: int, noun: str, scan: "_Scan", coordinated: set) -> set:
        """The cue kinds a number owns: on its left (a rate's "tỷ lệ ..." label across commas;
        the verb of the count it is joined to by "và"), and, when a noun follows it, on its right
        (there, only modifiers when a verb stands left, and of an aside only a channel)."""
        f = self.f
        left_kinds = {c.kind for c in self.a.cues.within(left, n.start)}
        label = f.rfind("tỷ lệ", scan.previous_number_end, left) if n.percent and not left_kinds & _CONTENT_KINDS else -1
        if label >= 0:  # "tỷ lệ hồ sơ trực tuyến tiếp tục tăng, đạt 64,20%"
            left_kinds |= {c.kind for c in self.a.cues.within(label, n.start)}
        # "500 hồ sơ mới tiếp nhận (trực tiếp và bưu chính)" adds a channel; "hơn 10.600 hồ sơ đã được
        # giải quyết (chủ yếu giải quyết trước hạn ...)" adds nothing
        right_kinds = {c.kind for c in self.a.cues.within(n.end, right)
                       if c.kind in P.CHANNEL_KINDS or not any(a <= c.start < b for a, b in scan.asides)} \
            if noun != "none" else set()
        if n.percent and noun == "none":  # "48 hồ sơ, 100% qua hình thức trực tuyến"
            right_kinds = {c.kind for c in self.a.cues.within(n.end, right)
                           if c.kind in P.CHANNEL_KINDS or re.match(r"\s*tỷ lệ", f[n.end:right])}  # "đạt 100% tỷ lệ đúng hạn"
        if not left_kinds and not right_kinds & _CONTENT_KINDS and re.search(r"(?<![^\W\d_])và\s*$", f[max(0, left - 6):left]) \
                and re.fullmatch(r"\s*(?:(?:gần|hơn|trên|khoảng)\s*)?", f[left:n.start]):
            left_kinds = coordinated  # "hoàn thành 9/9 chỉ tiêu và 57/60 nhiệm vụ": one verb for both
        if left_kinds & P.VERB_KINDS:
            right_kinds -= P.VERB_KINDS
        if n.percent and re.match(r"\s*(?:(?:trong|trên|so với)\s+)?tổng số", f[n.end:right]):
            right_kinds.discard("total")  # "chiếm 85,1% tổng số hồ sơ": the whole a share is of, not a total stated
        return left_kinds | right_kinds

    def _bounds(self, n: Number, nxt: int, scan: "_Scan") -> tuple[int, int]:
        """[left, right): the words a number owns, from the previous part boundary to the next
        (asides are no boundary); a count alone in brackets owns the label before them ("được
        tiếp nhận trực tiếp (6,9 ngàn HS)")."""
        left = max(scan.owned_end, _last_at_most(scan.bound_ends, n.start, scan.owned_end))
        if not n.percent and _BRACKETED_COUNT.match(self.f, n.end) and re.search(r"\(\s*(?:[^\W\d_]+\s+)?$", self.f[left - 1:n.start]):
            left = max(scan.owned_end, _last_at_most(scan.bound_ends, left - 1, scan.owned_end))
        i = bisect_left(scan.bound_starts, n.end)
        return left, min(nxt, scan.bound_starts[i]) if i < len(scan.bound_starts) else nxt

    def _when(self, n: Number, cand: _Candidate, periods: list[PeriodMention], scan: "_Scan") -> tuple[date, date] | None:
        """The period of a number: its sentence's, else its paragraph's or the article's, else the
        first one reported after it, else the year to publication (noted); a stock (rule 15) on
        one day. None: nothing places it in time."""
        mention = _period_for(n.start, periods, self.f)
        period = (mention.period_start, mention.period_end) if mention else None
        if mention and mention.kind != "snapshot":  # "Hiện nay, ..." dates its sentence, frames nothing after
            scan.period = period
        else:
            period = self.state.local_period or self.state.period or self._period_ahead(n.start)
        if period is None:
            period = self._default_period()
            if period is None:
                return None
            cand.notes.append("period assumed: the year to publication")
        return self._stock_date(period) if cand.metrics[0] in STOCK_METRICS else period

    def _tier_of(self, cand: _Candidate, opened: list[M.Span], own: list[M.Span], part_of: _Whole | None,
                 scan: "_Scan") -> str:
        """The tier of a number. Its own words first ("210 thủ tục cấp huyện"); then an
        opener before it, which holds for the rest of the sentence and the next sentences
        (S6) unless the number is a part of an open breakdown ("toàn huyện ..., trong đó cấp
        xã ..."): then the opener holds for that part only, except when it opens the sentence
        ("Trong đó cấp huyện hơn 14 nghìn hồ sơ, giải quyết ..."). A rate without words of its own
        has its count's tier; reform tasks are the plan of the whole locality (rule 6)."""
        if cand.metrics[0].startswith(("reform_", "rate_reform")):
            return "all"
        if own:  # and, outside a breakdown, for the rest of the sentence: "16.480 hồ sơ tại 35 xã, phường, trong đó ..."
            if part_of is None:
                scan.base = combine_tiers(own)
            return combine_tiers(own)
        if cand.number.percent and cand.attached and scan.prev_count:
            return scan.prev_count[1]
        is_part = part_of is not None and not cand.number.percent and _is_part(cand, part_of)
        if opened:
            tier = combine_tiers(opened)
            clause = _last_at_most(scan.semicolons, opened[0].start, scan.sentence_start - 1) + 1
            if not is_part or (opened[0].start - clause < 80
                               and re.fullmatch(P.SENTENCE_OPENING, self.f[clause:opened[0].start].lstrip())):
                scan.base = tier
            return tier
        if is_part and part_of.tier:
            return part_of.tier
        return scan.base or ""

    @staticmethod
    def _field_in_clause(scan: "_Scan", at: int) -> bool:
        """A field named before ``at`` in its clause (after the last ";")."""
        i = bisect_right(scan.fields, (at, at))
        clause = _last_at_most(scan.semicolons, at, scan.sentence_start - 1) + 1
        return i > 0 and scan.fields[i - 1][1] >= clause

    def _by_authority(self, lo: int, hi: int) -> bool:
        return any(t.kind.endswith("_authority") for t in self.a.tiers.within(lo, hi))

    def _tier_cues(self, lo: int, hi: int) -> list[M.Span]:
        """Tier openers in ``[lo, hi)``, with a bare "Trung tâm" standing for the centre the
        article named before (S7)."""
        cues = self.a.tiers.within(lo, hi)
        if self.agency_tier:
            cues = cues + [M.Span(r.start, r.end, self.agency_tier) for r in self.a.agency_refs.within(lo, hi)]
        return cues

    def _remember_agencies(self, s: M.Sentence) -> None:
        for t in self.a.tiers.within(s.start, s.end):
            if re.match(r"(?:trung tâm|bộ phận)", self.f[t.start:t.end]):
                self.agency_tier = t.kind

    def _periods_of(self, s: M.Sentence) -> list[PeriodMention]:
        """The sentence's periods; a named period whose reporting window the article gave
        before ("Quý III/2024 (từ ngày 15/6 đến ngày 14/9/2024)" ... "Cũng trong quý III")
        takes that window again."""
        out = []
        mentions = self.a.periods.within(s.start, s.end)
        planned = [p for p in mentions if re.search(P.PLANNING, self.f[s.start:p.start])]
        if any(p.kind != "snapshot" for p in mentions if p not in planned):
            # "Trong quý I, theo Kế hoạch CCHC năm 2024, ...": the plan's year is not the period
            mentions = [p for p in mentions if p not in planned]
        for p in _merge_to_now(mentions, self.f, self.a.published):
            if p.kind == "until":  # "Tính đến cuối tháng 5 năm 2017, ... tiếp nhận": since the year began, or
                # the unit opened that year; or since it opened, if said ("Sau gần 1 năm đi vào hoạt động, đến hết ...")
                start, opened = date(p.period_end.year, 1, 1), self.a.opening_date
                if opened and opened < p.period_end and (opened > start or re.search(P.SINCE_OPENING, self.f[s.start:p.start])):
                    start = opened
                p = replace(p, period_start=start, kind="range")
            elif p.kind == "current":  # "trong quý", "trong ngày": the quarter (day) the article reports, if it named one
                reported = self.state.local_period or self.state.period
                days = (reported[1] - reported[0]).days + 1 if reported else 0
                words = self.f[p.start:p.end]
                fits = (80, 100) if "quý" in words else (27, 32) if "tháng" in words else (1, 1)
                if days and fits[0] <= days <= fits[1]:
                    p = replace(p, period_start=reported[0], period_end=reported[1])
            if p.named:
                self.windows[p.named] = (p.period_start, p.period_end)
            elif p.kind == "named" and (p.period_start, p.period_end) in self.windows:
                start, end = self.windows[(p.period_start, p.period_end)]
                p = replace(p, period_start=start, period_end=end, kind="range")
            out.append(p)
        return out

    # -- classification ----------------------------------------------------------------
    def _breakdowns(self, stack: list[_Whole], part_of: _Whole | None, cand: _Candidate, first_index: int,
                    nxt: int, s: M.Sentence, tier: str) -> list[_Whole]:
        """Track the wholes that breakdown parts refer to. A dossier count is a part of the
        open whole when it shares its stage of the dossier flow or only qualifies it ("(đúng hạn 1.512/trễ hạn
        28)"); otherwise it is a new whole. A count followed by "trong đó", "gồm" or "(" opens
        a breakdown: "(" until its ")", the others until a new whole."""
        stage = P.STAGE.get(cand.metrics[0]) if cand.metrics else None
        if cand.number.percent or stage is None:
            return stack
        if not (part_of is not None and _is_part(cand, part_of)):
            # a new whole; an open bracket around it still closes later ("14.826 hồ sơ (trong đó có
            # 342 hồ sơ đang giải quyết ...), đạt tỷ lệ 96,84%")
            stack = [w for w in stack if w.close is not None and w.close > cand.number.start]
        opener = M.opener_in(self.f, cand.noun_end, nxt)
        if re.search(r"(?<![^\W\d_])trong số\s+$", self.f[max(s.start, cand.number.start - 12):cand.number.start]):
            return [_Whole(first_index if len(self.facts) > first_index else -1, cand.metrics[0], tier=tier)]  # "Trong số 2.871 hồ sơ đang giải quyết, ..."
        if opener:
            index = first_index if len(self.facts) > first_index else -1
            if opener.group(0) == "(":
                close = self.f.find(")", opener.end(), s.end)
                return stack + [_Whole(index, cand.metrics[0], close if close >= 0 else s.end, tier)]
            return [_Whole(index, cand.metrics[0], tier=tier)]
        return stack

    def _classify(self, n: Number, left: int, right: int, whole: _Whole | None, scan: "_Scan",
                  tier_opened: bool) -> _Candidate:
        """The metrics a number states, from the cues it owns (``[left, n)`` and, when a noun
        follows it, ``(n, right)``), the noun it counts, the whole it is a part of, and the
        sentence read so far (``scan``). No metric: not a fact."""
        f = self.f
        noun, noun_end = M.noun_after(f, n.end)
        coordinated, scan.coordinated = scan.coordinated, {c.kind for c in self.a.cues.within(left, n.start)} & P.VERB_KINDS
        if noun == "none" and not n.percent:  # "Tổng số DVCTT đang cung cấp là 1.514": the label names it
            noun = M.noun_in_label(f, left, n.start) or noun
        cand = _Candidate(n, (), frozenset(), noun_end, noun)
        if noun == "other":
            return cand
        if self._no_fact_here(n, left, right, whole, scan):
            cand.blocked = True
            return cand
        if noun == "procedure" and re.search(r"(?<![^\W\d_])có\s+$", f[left:n.start]):
            left = n.start  # "... các thủ tục hành chính có 264 thủ tục": a stock
        if not n.percent and not n.is_integer and noun == "none" and re.search(P.RATE_WITHOUT_SIGN, f[left:n.start]):
            n = cand.number = replace(n, percent=True)
        share_of = self.f.rfind("tỷ lệ", scan.previous_number_end, n.start) if n.percent else -1
        if share_of >= 0 and M.noun_in_label(f, share_of, n.start):
            return cand  # "tỷ lệ TTHC cung cấp trực tuyến một phần đạt 70%": a share of procedures, no v1 metric
        kinds = self._owned_kinds(n, left, right, noun, scan, coordinated)
        services_share = n.percent and scan.prev_count and P.STAGE.get(scan.prev_count[0]) == "services"
        if self.state.topic and not kinds & P.TOPIC_KINDS and noun in ("dossier", "none", "procedure", "service") \
                and not services_share:  # "Riêng DVC trực tuyến mức 3 và mức 4, tỉnh ... 1.078/2020 thủ tục"
            kinds |= self.state.topic
        if noun == "task":
            kinds.add("task")
        context = set(kinds)
        context.add("ctx_" + (_context_stage(whole, kinds, scan.last_stage) or "none"))
        if n.value == 0 and n.in_words:
            context.add("zero")
        cand.kinds = frozenset(kinds)
        if n.percent:
            cand.metrics, cand.attached = self._rate(noun, context, scan, tier_opened)
        elif not n.is_integer:
            return cand
        elif noun in ("dossier", "none"):
            cand.metrics = _decide(P.DOSSIER_COUNTS, context) or self._count_of_rate_before(n, kinds, scan)
            if not cand.metrics and not kinds & _CONTENT_KINDS and tier_opened:
                # S6: "cấp xã 32.330 hồ sơ" repeats the sentence's verb, or its breakdown's whole
                # ("Trong đó cấp huyện hơn 14 nghìn hồ sơ")
                repeated = scan.head.get("count") or (whole.metric if whole and P.STAGE.get(whole.metric or "") else None)
                cand.metrics = (repeated,) if repeated else ()
            if (whole and P.STAGE.get(whole.metric or "") == "intake" and tier_opened and cand.metrics
                    and kinds <= {"intake", "total"}):  # "2.745 hồ sơ trực tuyến (cấp tỉnh tiếp nhận 612 hồ sơ, ...)"
                cand.metrics = (whole.metric,)
            if not cand.metrics and not kinds & _CONTENT_KINDS and self._by_authority(min(left, scan.tier_from), right):
                # "Hồ sơ thuộc thẩm quyền UBND thành phố: 18146 hồ sơ": the dossiers one authority handles
                cand.metrics = (whole.metric if whole and P.STAGE.get(whole.metric or "") == "intake" else "dossiers_received",)
            if not kinds & (_CONTENT_KINDS - _FLOW_VERBS) and _field_split(f, n.end, right):
                cand.metrics, cand.blocked = (), True
        elif noun in ("procedure", "service"):
            cand.metrics = _decide(P.SERVICES, context)
            cand.blocked = "procedure_subset" in kinds or _field_split(f, n.end, right)
            verb_before = {c.kind for c in self.a.cues.within(left, n.start)} & P.DOSSIER_FLOW_VERBS
            if not cand.metrics and noun == "procedure" and verb_before and not cand.blocked \
                    and not re.search(r"(?<![^\W\d_])đang\s", f[left:n.start]):
                # "đã giải quyết gần 2.000 thủ tục hành chính": procedures are not received or
                # resolved, dossiers are; the count is of dossiers ("Trung tâm đang tiếp nhận 1.684
                # thủ tục" is the procedures it takes, a stock; "đưa 20 TTHC vào tiếp nhận" too)
                cand.metrics = _decide(P.DOSSIER_COUNTS, context)
            elif not cand.metrics and noun == "procedure" and not kinds & P.PROCEDURE_BLOCKERS:
                cand.metrics = ("procedures_total",)
                if whole and P.STAGE.get(whole.metric or "") == "services":  # "2.140 thủ tục gồm 1.702 thủ tục cấp tỉnh, ..."
                    cand.metrics = (whole.metric,)
            if cand.blocked:
                cand.metrics = ()
        elif noun == "task" and scan.reform and not re.match(P.TASK_AREA, f[n.end:].lstrip()):
            cand.metrics = _decide(P.TASKS, context)
        elif noun == "field" and re.search(r"(?:thuộc|trên|gồm|của)\s*$", f[max(0, n.start - 12):n.start]) \
                and scan.prev_count is not None:  # the fields of a stated count ("178 thủ tục ... thuộc 12 lĩnh vực")
            cand.metrics = ("procedure_fields",)
            if n.qualifier == "more_than" and re.search(r"trên\s*$", f[max(0, n.start - 6):n.start]):
                cand.number = replace(n, qualifier="exact")  # "196 thủ tục trên 25 lĩnh vực": on, not over
        if whole and whole.metric == "dossiers_received_online" and {P.STAGE.get(m) for m in cand.metrics} & {"resolved", "in_progress"}:
            cand.metrics = ()  # rule 18: how the online dossiers alone fared ("Trong đó số được xử lý đúng hạn ...")
        if "dossiers_resolved_on_time" in cand.metrics and not scan.has_early:
            cand.metrics = tuple("dossiers_resolved_early_or_on_time" if m == "dossiers_resolved_on_time" else m
                                 for m in cand.metrics)  # rule 2
        return cand

    def _rate(self, noun: str, context: set, scan: "_Scan", tier_opened: bool) -> tuple[tuple[str, ...], bool]:
        """(metrics, attached): a rate's metric from its own words, else from the count it
        follows (S3, ``attached``), else from the sentence's first rate after a tier opener."""
        if noun not in ("dossier", "none"):
            return (), False
        metrics = _decide(P.RATES, context)
        if metrics or context & (_CONTENT_KINDS - _FLOW_VERBS):
            return metrics, False
        if context & _FLOW_VERBS:
            return (), False  # a completion or intake share: no v1 metric (rule 8)
        if scan.prev_count and scan.prev_count[0] in P.RATE_OF_COUNT:
            return (P.RATE_OF_COUNT[scan.prev_count[0]],), True
        if tier_opened and "rate" in scan.head:
            return (scan.head["rate"],), False
        return (), False

    # -- facts -------------------------------------------------------------------------
    def _emit(self, metric: str, n: Number, locality: Locality, tier: str, period: tuple[date, date],
              s: M.Sentence, notes: list[str], value: float | None = None, numeral: tuple[int, int] | None = None) -> None:
        nt = self.a.nt
        unit = METRIC_BY_NAME[metric].unit
        raw = n.value if value is None else value
        value_out: float | int = round(float(raw), 4) if unit == "percent" else int(raw)
        ev_start, ev_end = nt.span(s.start, s.end)
        num_start, num_end = nt.span(*(numeral or (n.numeral_start, n.numeral_end)))
        if s.start < self.a.head_end or s.paragraph in self.a.captions:
            self.head_facts.add(len(self.facts))
        self.facts.append(Fact(
            metric=metric, value=value_out, unit=unit, qualifier=n.qualifier, locality=locality, tier=tier,
            period_start=period[0], period_end=period[1],
            evidence=Evidence(nt.original[ev_start:ev_end], ev_start, ev_end),
            value_text=nt.original[num_start:num_end], value_start=num_start,
            note="; ".join(notes) or None,
        ))

    def _derived(self, cand: _Candidate, n: Number, locality, tier, period, s) -> None:
        """'hoàn thành 22/24 nhiệm vụ': the whole of a task ratio is the plan; 'được giải quyết
        là 1.388/1.512': the whole of resolved is received (phrasings S5). Kept only where the
        article states that whole nowhere else (``_article_rules``)."""
        whole_metric = P.WHOLE_OF_RATIO.get(cand.metrics[0]) if len(cand.metrics) == 1 else None
        if whole_metric and n.whole:
            self._emit(whole_metric, n, locality, tier, period, s, ["whole of x/y"], value=n.whole,
                       numeral=_whole_span(self.f, n))

    def _fix_whole(self, whole: _Whole | None, cand: _Candidate) -> None:
        """'tổng số hồ sơ giải quyết X, trong đó tiếp nhận mới ..., kỳ trước ...': a total whose
        parts are intake parts is the intake total (phrasings, dossiers_resolved)."""
        if (whole and whole.index >= 0 and whole.metric == "dossiers_resolved"
                and set(cand.metrics) & {"dossiers_received_new", "dossiers_carried_over"}):
            self.facts[whole.index] = replace(self.facts[whole.index], metric="dossiers_received")
            whole.metric = "dossiers_received"

    # -- state -------------------------------------------------------------------------
    def _locality_lead(self, s: M.Sentence) -> None:
        """'Tại xã Tân Phước 1, ...', 'Đối với xã X, ...': a paragraph about another unit."""
        for m in self.a.localities.within(s.start, s.end):
            if re.match(P.LOCALITY_LEAD, self.f[s.start:m.start]) and self._may_switch(m):
                self.state.locality = self._with_province(m.locality)
            break

    def _locality_for(self, lo: int, at: int, asides: tuple = ()) -> Locality | None:
        """The unit a sentence names before the number (and from then on), else the current; a
        unit named in an aside ("(đặt tại phường Hồng Bàng)") is an address, not the subject."""
        for m in reversed(self.a.localities.within(lo, at)):
            if not m.qualifier and self._may_switch(m) and not any(a <= m.start < b for a, b in asides):
                self.state.locality = self._with_province(m.locality)
                break
        return self.state.locality

    def _may_switch(self, m: LocalityMention) -> bool:
        default = self.a.default
        return m.locality.type != "tinh" or default is None or default.type == "tinh"

    def _with_province(self, loc: Locality) -> Locality:
        if loc.province:
            return loc
        d = self.a.default
        province = (d.name if d.type == "tinh" else d.province) if d else None
        if loc.type == "tinh":
            province = loc.name
        return replace(loc, province=province)

    def _topic(self, s: M.Sentence) -> None:
        """'Về hồ sơ trực tuyến, ...' (S7): a channel or digitisation topic for this sentence
        and the next in its paragraph (a new paragraph is a new subject)."""
        st = self.state
        st.topic_left -= 1
        if st.topic_left <= 0 or s.first_in_paragraph:
            st.topic = frozenset()
        m = re.match(P.TOPIC, self.f[s.start:s.end])
        if m:  # the topic runs to the last comma before the sentence's first number
            first = next(iter(self.a.numbers.within(s.start, s.end)), None)
            end = self.f.rfind(",", s.start, first.start if first else s.end)
            end = self.f.find(",", s.start, s.end) if end < 0 else end
            end = s.end if end < 0 else end
            kinds = {c.kind for c in self.a.cues.within(s.start, end)} & P.TOPIC_KINDS
            if kinds:
                st.topic, st.topic_left = frozenset(kinds), 2

    def _frame_period(self, s: M.Sentence, periods: list[PeriodMention]) -> None:
        """A sentence without facts can still set the period of the next ones: a reporting
        window ("báo cáo ... (từ ngày 16/12/2020 đến ngày 15/6/2021)"), a period opening the
        sentence ("6 tháng đầu năm 2022, công tác ..."), or one named as reported ("sơ kết
        ... 6 tháng đầu năm"). One named as planned ("nhiệm vụ 6 tháng cuối năm") does not."""
        for p in periods:
            before = self.f[s.start:p.start]
            if p.kind == "snapshot" or re.search(P.PLANNING, before):
                continue
            if re.search(P.FUTURE, self.f[s.start:p.end + 40]):  # "Trong năm 2021, huyện sẽ tăng cường ..."
                return
            if p.kind in ("range", "to_date") or p.start - s.start <= _SENTENCE_INITIAL or re.search(P.REPORTING, before) \
                    or re.search(r"[,;:]\s*(?:trong\s+|tính\s+)?$", before):  # or opening a clause: "..., năm 2017, UBND huyện ..."
                # a sentence that states no fact frames what follows, across paragraphs too
                self.state.period, self.state.local_period = (p.period_start, p.period_end), None

    def _period_ahead(self, at: int) -> tuple[date, date] | None:
        """A figure before any period is named (a rate in the lead, the body's dates come
        later): the first reporting period the article names after it."""
        if self.reported is None:  # found once: a long page may ask for every number
            self.reported = M.SpanIndex(p for p in self.a.periods if p.kind in _REPORTED_KINDS
                                        and not re.search(P.PLANNING, self.f[max(0, p.start - 60):p.start]))
        i = bisect_right(self.reported.starts, at)
        return (self.reported.items[i].period_start, self.reported.items[i].period_end) if i < len(self.reported.items) else None

    def _stock_date(self, period: tuple[date, date]) -> tuple[date, date]:
        """Rule 15: a count of procedures or services is a stock on one day: the publication
        date, else the day the article's event took place, else the period's last day."""
        day = self.a.published or self.a.event_date or period[1]
        return day, day

    def _default_period(self) -> tuple[date, date] | None:
        pub = self.a.published
        return (date(pub.year, 1, 1), pub) if pub else None


# ---------------------------------------------------------------------------------------
# Helpers and article-wide rules
# ---------------------------------------------------------------------------------------
def _last_at_most(sorted_positions: list[int], at: int, default: int) -> int:
    """The greatest position <= ``at``, else ``default``."""
    i = bisect_right(sorted_positions, at)
    return sorted_positions[i - 1] if i else default


def _aside_brackets(folded: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """'tổng số hồ sơ ... (TTHC) trong kỳ là 47.236', 'số hóa đầu ra (kết quả giải quyết) đạt
    100%', '1.493 TTHC cung cấp DVCTT (DVCTT) toàn trình': a bracket of words is an aside, the
    label around it still owns the number. Spans include the brackets."""
    return [(m.start(1) - 1, m.end(1) + 1) for m in _BRACKET_OF_WORDS.finditer(folded, lo, hi)]


def _decide(table, kinds: set) -> tuple[str, ...]:
    for all_of, none_of, metrics in table:
        if set(all_of) <= kinds and not set(none_of) & kinds:
            return tuple(metrics)
    return ()


def _is_part(cand: _Candidate, whole: _Whole) -> bool:
    """A count is a part of the open whole when it shares its stage of the dossier flow or only qualifies it
    ("(đúng hạn 1.512/trễ hạn 28)" after a resolved count)."""
    stage = P.STAGE.get(cand.metrics[0]) if cand.metrics else None
    return stage is not None and (stage == P.STAGE.get(whole.metric or "") or not cand.kinds & P.VERB_KINDS)


def _context_stage(whole: _Whole | None, kinds: set, last_stage: str | None) -> str | None:
    """What a part qualifies: the whole of its breakdown when that is an outcome or a stock
    ("(đúng hạn a/trễ hạn b)" after a resolved count); else, for a bare timeliness part, the
    outcome list it continues ("giải quyết đúng hạn 1.650 hồ sơ, trễ hạn 12 hồ sơ")."""
    whole_stage = P.STAGE.get(whole.metric or "") if whole else None
    if whole_stage in ("resolved", "in_progress"):
        return whole_stage
    if last_stage == "resolved" and kinds & {"overdue", "within"} and not kinds & P.VERB_KINDS:
        return "resolved"
    return whole_stage


def _merge_to_now(periods: list[PeriodMention], folded: str, published: date | None) -> list[PeriodMention]:
    """'năm 2024 ... đến nay': a named period and a later bare "đến nay" in one sentence run
    from the named start to the publication date."""
    out: list[PeriodMention] = []
    for p in periods:
        bare_to_now = p.kind == "snapshot" and folded[p.start:p.end].endswith("đến nay") and "hiện" not in folded[p.start:p.end]
        named = next((q for q in reversed(out) if q.kind == "named"), None)
        if bare_to_now and named and published and named.period_start <= published:
            out[out.index(named)] = replace(named, period_end=published, kind="to_date")
            continue
        out.append(p)
    return out


def _period_for(at: int, periods: list[PeriodMention], folded: str) -> PeriodMention | None:
    """The period named last before the number in its sentence, else the first after it
    unless a target or a comparison stands between ("... là 0,48%, thấp hơn mục tiêu kế
    hoạch ... năm 2021")."""
    before = [p for p in periods if p.start < at]
    return before[-1] if before else next(
        (p for p in periods if p.start > at and not re.search(P.NOT_GOVERNING, folded[at:p.start])), None)


def _field_split(folded: str, at: int, right: int) -> bool:
    """'863 hồ sơ lĩnh vực hộ tịch', '... thuộc lĩnh vực đất đai', '12 thủ tục hành chính về
    đất đai': a split by field (S15)."""
    return bool(re.search(P.FIELD_SPLIT, folded[at:right]))


def _whole_span(folded: str, n: Number) -> tuple[int, int]:
    slash = folded.find("/", n.numeral_end, n.end)
    start = slash + 1
    while start < n.end and folded[start] == " ":
        start += 1
    end = start
    while end < n.end and (folded[end].isdigit() or folded[end] in ".,"):
        end += 1
    return start, end


def _article_rules(facts: list[Fact], article: Article) -> list[Fact]:
    """Rule 16's committee (``committee_tiers``). Rule 1: a figure in the head (title, sapo)
    that the body states too, for the same metric and locality, is a restatement, whatever
    tier or period the head seemed to give. S14: a hedged figure within 10% of an exact one of
    the same key restates it. A task plan taken from the whole of "x/y" gives way to a plan
    stated on its own."""
    facts = committee_tiers(facts)
    body = {(f.metric, f.locality) for f in facts if f.note != "headline"}
    kept = [f for f in facts if f.note != "headline" or (f.metric, f.locality) not in body]
    kept = [replace(f, note=None) if f.note == "headline" else f for f in kept]
    exact: dict[tuple, list[float]] = {}
    for f in kept:
        if f.qualifier == "exact":
            exact.setdefault(_key(f), []).append(f.value)
    kept = [f for f in kept if f.qualifier == "exact" or not any(
        abs(v - f.value) <= _RESTATEMENT_TOLERANCE * max(abs(v), 1) for v in exact.get(_key(f), []))]
    stated: dict[tuple, set] = {}
    for f in kept:
        if f.note != "whole of x/y":
            stated.setdefault(_key(f), set()).add(f.value)
    # the whole restates the figure stated elsewhere; a different one is what the article says too
    return [f for f in kept if f.note != "whole of x/y" or f.value not in stated.get(_key(f), ())]


def _key(f: Fact):
    return f.metric, f.locality, f.tier, f.period_start, f.period_end
