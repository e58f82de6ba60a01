"""Dossier facts of one article: every number that states a metric of docs/domain.md, with
its locality, tier, period and the sentence it came from.

How a number becomes a fact (docs/phrasings.md names the structures S1..S15):

1. The text is normalised (``normalize.py``) and split into sentences; dates, document ids,
   locality names and other non-facts are masked so their digits are never read.
2. Each sentence splits into parts at separators (",", ";", "(", "và", "trong đó", ...),
   except inside a cue phrase ("trước, đúng hạn" is one cue). A number owns the cues on its
   left up to the previous separator (label first: "tiếp nhận trực tuyến 311 hồ sơ") and on
   its right up to the next one (number first: "36 hồ sơ tạm dừng").
3. The kinds of those cues, the noun counted ("hồ sơ", "thủ tục", "nhiệm vụ") and the whole
   a breakdown part belongs to (S1, S2) pick the metric from the decision tables of
   ``patterns.py``. A rate with no cue of its own describes the count it follows (S3); a part
   with no cue after a tier opener repeats the sentence's first metric (S6).
4. Tier, locality and period are state: set by openers and leads, carried to later sentences
   of the same paragraph (tier) or of the article (locality, period).
5. Labelling rules that need the whole article run last: headline restatements (rule 1),
   hedged restatements of an exact figure (S14), bare "đúng hạn" (rule 2).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from cchc.contracts import Evidence, Fact, Locality
from cchc.extract import matching as M
from cchc.extract import patterns as P
from cchc.extract.dates import find_publication_date, full_date_spans
from cchc.extract.localities import COMMUNE_TYPES, LocalityMention, default_locality, find_localities
from cchc.extract.normalize import NormalText, normalize
from cchc.extract.numbers import Number, find_numbers
from cchc.extract.periods import PeriodMention, find_periods
from cchc.vocabulary import METRIC_BY_NAME

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "facts-1"
MAX_CHARS = 300_000  # a news article is far shorter; of a longer text only the beginning is read
_LEAD_MIN_CHARS = 150  # the first paragraph this long is the lead (rule 1)
_SHORT_LEAD_MIN_CHARS = 60
_SENTENCE_INITIAL = 45  # a period named this close to a sentence start frames what follows
_RESTATEMENT_TOLERANCE = 0.1  # S14: a hedged figure within 10% of an exact one restates it
_CONTENT_KINDS = frozenset(k for k, _ in P.CUES) - {"reform", "procedure_subset", "planned", "completed"}


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
    published = published or find_publication_date(text, fetched_at) or (fetched_at.date() if fetched_at else None)
    article = _Article.read(text, published, url, locality_hint)
    facts = _Reader(article).read()
    return _article_rules(facts, article)


# ---------------------------------------------------------------------------------------
# The article: normalised text and every span the reader needs, found once.
# ---------------------------------------------------------------------------------------
@dataclass
class _Article:
    nt: NormalText
    published: date | None
    default: Locality | None
    sentences: list[M.Sentence]
    head_end: int
    lead_end: int
    numbers: M.SpanIndex[Number]
    cues: M.SpanIndex[M.Span]
    tiers: M.SpanIndex[M.Span]
    periods: M.SpanIndex[PeriodMention]
    localities: M.SpanIndex[LocalityMention]
    protected: M.Mask

    @classmethod
    def read(cls, text: str, published: date | None, url: str | None, hint: str | None) -> "_Article":
        nt = normalize(text)
        f = nt.folded
        sentences = M.split_sentences(nt.text)
        head_end, lead_end = _lead(nt.text, sentences)
        agencies = M.agency_spans(f)
        localities = find_localities(nt)
        periods = find_periods(f, published)
        cues = M.cue_spans(f, M.Mask(len(f), agencies + M.competence_spans(f)))
        tiers = M.tier_spans(f, M.Mask(len(f), M.competence_spans(f)))
        masks = M.Mask(len(f), full_date_spans(f) + M.non_fact_spans(f) + [(p.start, p.end) for p in periods]
                       + [(m.start, m.end) for m in localities]
                       + [(c.start, c.end) for c in cues if c.kind.startswith("level")])
        numbers = [n for n in find_numbers(f) if not masks.covers(n.numeral_start, n.numeral_end)]
        protected = masks
        for a, b in [(c.start, c.end) for c in cues] + [(t.start, t.end) for t in tiers] + agencies \
                + [(n.start, n.end) for n in numbers]:
            protected.add(a, b)
        default = default_locality(nt, hint, url, lead_end)
        return cls(nt, published, default, sentences, head_end, lead_end, M.SpanIndex(numbers), M.SpanIndex(cues),
                   M.SpanIndex(tiers), M.SpanIndex(periods), M.SpanIndex(localities), protected)


def _lead(text: str, sentences: list[M.Sentence]) -> tuple[int, int]:
    """(start, end) of the lead: the first paragraph long enough to be body text (in a short
    article, the first one after the title that ends a sentence). What comes before it is the
    head (title, date line, sapo, captions); the lead names the article's subject."""
    groups: dict[int, list[M.Sentence]] = {}
    for s in sentences:
        groups.setdefault(s.paragraph, []).append(s)
    paragraphs = [(g[0].start, g[-1].end) for g in groups.values()]
    for start, end in paragraphs:
        if end - start >= _LEAD_MIN_CHARS:
            return start, end
    for start, end in paragraphs[1:]:
        if end - start >= _SHORT_LEAD_MIN_CHARS and text[end - 1] in ".!?":
            return start, end
    return 0, 0


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


@dataclass
class _State:
    locality: Locality | None
    period: tuple[date, date] | None = None
    tier: str | None = None
    paragraph: int = -1
    topic: frozenset = frozenset()
    topic_left: int = 0
    whole: _Whole | None = None


@dataclass
class _Candidate:
    number: Number
    metrics: tuple[str, ...]
    kinds: frozenset
    noun_end: int
    owned_end: int
    notes: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, article: _Article):
        self.a = article
        self.f = article.nt.folded
        self.state = _State(locality=article.default)
        self.facts: list[Fact] = []
        self.head_facts: set[int] = set()

    def read(self) -> list[Fact]:
        self.blocks = _blocks(self.a.nt.text, self.a.sentences)
        for i, s in enumerate(self.a.sentences):
            self._sentence(s, self.blocks[i])
        return [replace(f, note="headline") if i in self.head_facts else f for i, f in enumerate(self.facts)]

    # -- one sentence ------------------------------------------------------------------
    def _sentence(self, s: M.Sentence, block: tuple[int, int, bool]) -> None:
        """Read one sentence. ``block``: the span of the list it belongs to (a heading ending
        in ":" and its bullet items, S8) and whether it is an item of that list."""
        st = self.state
        block_start, block_end, is_item = block
        if s.paragraph != st.paragraph:
            st.paragraph = s.paragraph
            if not is_item:
                st.tier = None
        if s.first_in_paragraph:
            self._locality_lead(s)
        numbers = self.a.numbers.within(s.start, s.end)
        periods = _merge_to_now(self.a.periods.within(s.start, s.end), self.f, self.a.published)
        self._topic(s)
        if not numbers:
            self._frame_period(s, periods)
            if self.f[s.start:s.end].rstrip().endswith(":"):
                tiers = self.a.tiers.within(s.start, s.end)
                st.tier = _combine_tiers(tiers) or st.tier
            return
        if not (is_item or re.match(r"(?:trong đó|trong số)", self.f[s.start:s.end])):
            st.whole = None
        seps = M.separators(self.f, s.start, s.end, self.a.protected)
        sentence_tier: str | None = None
        head: dict[str, str] = {}
        prev_count: tuple[Number, str | None] | None = None
        owned_end = s.start
        stack: list[_Whole] = [st.whole] if st.whole else []
        tier_from = s.start
        last_family: str | None = None
        has_early = any(c.kind == "early" for c in self.a.cues.within(block_start, block_end))
        reform = M.reform_mentioned(self.f, max(0, s.start - 600), s.end)
        for i, n in enumerate(numbers):
            while stack and stack[-1].close is not None and n.start >= stack[-1].close:
                stack.pop()
            nxt = numbers[i + 1].start if i + 1 < len(numbers) else s.end
            left = max([owned_end] + [b for a, b in seps if b <= n.start])
            right = min([nxt] + [a for a, b in seps if a >= n.end])
            owned_end = right
            opened = self.a.tiers.within(tier_from, n.start)
            tier_from = right
            if opened:
                sentence_tier = _combine_tiers(opened)
            # number first ("210 thủ tục cấp huyện"): a tier word after the number is its own
            own_tier = _combine_tiers(self.a.tiers.within(n.end, right)) or sentence_tier
            locality = self._locality_for(s.start, n.start)
            cand = self._classify(n, left, right, stack[-1] if stack else None, prev_count, head,
                                  bool(opened), has_early, reform, last_family)
            prev_count = (n, cand.metrics[0] if cand.metrics else None) if not n.percent else prev_count
            if cand.metrics:
                head.setdefault("rate" if n.percent else "count", cand.metrics[0])
            if not cand.metrics or locality is None:
                continue
            if P.FAMILY.get(cand.metrics[0]):
                last_family = P.FAMILY[cand.metrics[0]]
            tier = "all" if cand.metrics[0].startswith(("reform_", "rate_reform")) else (own_tier or st.tier or "all")
            if locality.type in COMMUNE_TYPES:
                tier = "commune"
            period = _period_for(n.start, periods) or st.period or self._default_period()
            if period is None:
                continue
            first_index = len(self.facts)
            part_of = stack[-1] if stack else None
            for metric in cand.metrics:
                if part_of and part_of.metric == metric and part_of.index >= 0 and part_of.tier == tier:
                    continue  # rule 4: a part of the same metric as its stated whole
                self._emit(metric, n, locality, tier, period, s, cand.notes)
            self._fix_whole(part_of, cand)
            stack = self._breakdowns(stack, part_of, cand, first_index, nxt, s, tier)
            self._derived(cand, n, locality, tier, period, s)
        if sentence_tier:
            st.tier = sentence_tier
        st.whole = next((w for w in stack if w.close is None), None)
        carried = [p for p in periods if p.kind != "snapshot"]
        if carried:
            st.period = (carried[-1].period_start, carried[-1].period_end)

    # -- classification ----------------------------------------------------------------
    def _breakdowns(self, stack: list[_Whole], part_of: _Whole | None, cand: _Candidate, first_index: int,
                    nxt: int, s: M.Sentence, tier: str) -> list[_Whole]:
        """Track the wholes that breakdown parts refer to. A dossier count is a part of the
        open whole when it shares its family or only qualifies it ("(đúng hạn 1.512/trễ hạn
        28)"); otherwise it is a new whole. A count followed by "trong đó", "gồm" or "(" opens
        a breakdown: "(" until its ")", the others until a new whole."""
        family = P.FAMILY.get(cand.metrics[0]) if cand.metrics else None
        if cand.number.percent or family is None:
            return stack
        is_part = part_of is not None and (family == P.FAMILY.get(part_of.metric or "")
                                           or not cand.kinds & P.VERB_KINDS)
        if not is_part:
            stack = []
        opener = M.opener_in(self.f, cand.noun_end, nxt)
        if opener:
            index = first_index if len(self.facts) > first_index else -1
            if opener.group(0) == "(":
                close = self.f.find(")", opener.end(), s.end)
                return stack + [_Whole(index, cand.metrics[0], close if close >= 0 else s.end, tier)]
            return [_Whole(index, cand.metrics[0], tier=tier)]
        return stack

    def _classify(self, n: Number, left: int, right: int, whole: _Whole | None,
                  prev_count: tuple[Number, str | None] | None, head: dict[str, str],
                  tier_opened: bool, has_early: bool, reform: bool, last_family: str | None) -> _Candidate:
        f = self.f
        noun, noun_end = M.noun_after(f, n.end)
        cand = _Candidate(n, (), frozenset(), noun_end, right)
        if noun == "other" or M.blocked(f, left, n.start, right):
            return cand
        left_kinds = {c.kind for c in self.a.cues.within(left, n.start)}
        right_kinds = {c.kind for c in self.a.cues.within(n.end, right)}
        if left_kinds & P.VERB_KINDS:
            right_kinds -= P.VERB_KINDS
        kinds = left_kinds | right_kinds
        if self.state.topic and not kinds & P.TOPIC_KINDS and noun in ("dossier", "none"):
            kinds |= self.state.topic
        if noun == "task":
            kinds.add("task")
        context = set(kinds)
        context.add("ctx_" + (_context_family(whole, kinds, last_family) or "none"))
        if n.value == 0 and n.in_words:
            context.add("zero")
        cand.kinds = frozenset(kinds)
        if n.percent:
            cand.metrics = self._rate(n, noun, context, prev_count, head, tier_opened)
        elif not n.is_integer:
            return cand
        elif noun in ("dossier", "none"):
            cand.metrics = _decide(P.DOSSIER_COUNTS, context)
            if not cand.metrics and not kinds & _CONTENT_KINDS and tier_opened and "count" in head:
                cand.metrics = (head["count"],)  # S6: "cấp xã 32.330 hồ sơ" repeats the verb
            if _field_split(f, n.end, right):
                cand.metrics = ()
        elif noun in ("procedure", "service"):
            cand.metrics = _decide(P.SERVICES, context)
            if not cand.metrics and noun == "procedure" and not kinds & P.PROCEDURE_BLOCKERS:
                cand.metrics = ("procedures_total",)
        elif noun == "task" and reform:
            cand.metrics = _decide(P.TASKS, context)
        elif noun == "field" and re.search(r"(?:thuộc|trên|gồm|của)\s*$", f[max(0, n.start - 12):n.start]):
            cand.metrics = ("procedure_fields",)
        if "dossiers_resolved_on_time" in cand.metrics and not has_early:
            cand.metrics = tuple("dossiers_resolved_early_or_on_time" if m == "dossiers_resolved_on_time" else m
                                 for m in cand.metrics)  # rule 2
        return cand

    def _rate(self, n: Number, noun: str, context: set, prev_count, head: dict[str, str],
              tier_opened: bool) -> tuple[str, ...]:
        if noun not in ("dossier", "none"):
            return ()
        metrics = _decide(P.RATES, context)
        if metrics or context & (_CONTENT_KINDS - {"resolved", "intake", "total", "new"}):
            return metrics
        if context & {"resolved", "intake", "total", "intake_resolved"}:
            return ()  # a completion or intake share: no v1 metric (rule 8)
        if prev_count and prev_count[1] in P.RATE_OF_COUNT:
            return (P.RATE_OF_COUNT[prev_count[1]],)  # S3: the rate of the count it follows
        if tier_opened and "rate" in head:
            return (head["rate"],)
        return ()

    # -- facts -------------------------------------------------------------------------
    def _emit(self, metric: str, n: Number, locality: Locality, tier: str, period: tuple[date, date],
              s: M.Sentence, notes: list[str], value: float | None = None, numeral: tuple[int, int] | None = None) -> None:
        nt = self.a.nt
        unit = METRIC_BY_NAME[metric].unit
        raw = n.value if value is None else value
        value_out: float | int = round(float(raw), 4) if unit == "percent" else int(raw)
        ev_start, ev_end = nt.span(s.start, s.end)
        num_start, num_end = nt.span(*(numeral or (n.numeral_start, n.numeral_end)))
        if s.start < self.a.head_end:
            self.head_facts.add(len(self.facts))
        self.facts.append(Fact(
            metric=metric, value=value_out, unit=unit, qualifier=n.qualifier, locality=locality, tier=tier,
            period_start=period[0], period_end=period[1],
            evidence=Evidence(nt.original[ev_start:ev_end], ev_start, ev_end),
            value_text=nt.original[num_start:num_end], value_start=num_start,
            note="; ".join(notes) or None,
        ))

    def _derived(self, cand: _Candidate, n: Number, locality, tier, period, s) -> None:
        """'hoàn thành 22/24 nhiệm vụ': the whole of a task ratio is the plan (phrasings)."""
        if cand.metrics == ("reform_tasks_completed",) and n.whole:
            self._emit("reform_tasks_planned", n, locality, tier, period, s, ["whole of x/y"], value=n.whole,
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

    def _locality_for(self, lo: int, at: int) -> Locality | None:
        """The unit a sentence names before the number (and from then on), else the current."""
        for m in reversed(self.a.localities.within(lo, at)):
            if not m.qualifier and self._may_switch(m):
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
        and the next."""
        st = self.state
        st.topic_left -= 1
        if st.topic_left <= 0:
            st.topic = frozenset()
        m = re.match(P.TOPIC, self.f[s.start:s.end])
        if m:
            end = self.f.find(",", s.start, s.end)
            end = s.end if end < 0 else end
            kinds = {c.kind for c in self.a.cues.within(s.start, end)} & P.TOPIC_KINDS
            if kinds:
                st.topic, st.topic_left = frozenset(kinds), 2

    def _frame_period(self, s: M.Sentence, periods: list[PeriodMention]) -> None:
        """A period named at the start of a sentence without numbers frames the next ones
        ("6 tháng đầu năm 2022, công tác CCHC ..."); one named in passing does not."""
        for p in periods:
            if p.kind != "snapshot" and p.start - s.start <= _SENTENCE_INITIAL:
                self.state.period = (p.period_start, p.period_end)
                return

    def _default_period(self) -> tuple[date, date] | None:
        pub = self.a.published
        return (date(pub.year, 1, 1), pub) if pub else None


# ---------------------------------------------------------------------------------------
# Helpers and article-wide rules
# ---------------------------------------------------------------------------------------
_ITEM = re.compile(r"[-+*•]\s|\d{1,2}[.)]\s|[a-zđ][.)]\s")


def _blocks(text: str, sentences: list[M.Sentence]) -> list[tuple[int, int, bool]]:
    """For each sentence, (start, end, is_item) of its list: a heading ending in ":" and the
    bullet items after it ("- Đã giải quyết: 5.100 hồ sơ, trong đó:" / "+ Trễ hạn: 10"), or
    the sentence alone. Items share the heading's tier and whole (S8)."""
    spans: list[list[int]] = []
    out: list[tuple[int, bool]] = []
    previous_open = False
    for s in sentences:
        item = bool(_ITEM.match(text, s.start))
        if item and previous_open:
            spans[-1][1] = s.end
        else:
            spans.append([s.start, s.end])
        out.append((len(spans) - 1, item and previous_open))
        previous_open = item or text[s.end - 1] == ":"
    return [(spans[i][0], spans[i][1], item) for i, item in out]


def _decide(table, kinds: set) -> tuple[str, ...]:
    for all_of, none_of, metrics in table:
        if set(all_of) <= kinds and not set(none_of) & kinds:
            return tuple(metrics)
    return ()


def _context_family(whole: _Whole | None, kinds: set, last_family: str | None) -> str | None:
    """What a part qualifies: the whole of its breakdown when that is an outcome or a stock
    ("(đúng hạn a/trễ hạn b)" after a resolved count); else, for a bare timeliness part, the
    outcome list it continues ("giải quyết đúng hạn 1.650 hồ sơ, trễ hạn 12 hồ sơ")."""
    whole_family = P.FAMILY.get(whole.metric or "") if whole else None
    if whole_family in ("resolved", "in_progress"):
        return whole_family
    if last_family == "resolved" and kinds & {"overdue", "within"} and not kinds & P.VERB_KINDS:
        return "resolved"
    return whole_family


def _combine_tiers(spans: list[M.Span]) -> str | None:
    kinds = {t.kind for t in spans}
    if not kinds:
        return None
    if "all" in kinds or len(kinds) > 1:
        return "all"
    return kinds.pop()


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


def _period_for(at: int, periods: list[PeriodMention]) -> tuple[date, date] | None:
    """The period named last before the number in its sentence, else the first after it."""
    before = [p for p in periods if p.start < at]
    chosen = before[-1] if before else next((p for p in periods if p.start > at), None)
    return (chosen.period_start, chosen.period_end) if chosen else None


def _field_split(folded: str, at: int, right: int) -> bool:
    """'863 hồ sơ lĩnh vực hộ tịch', '... thuộc lĩnh vực đất đai': a split by field (S15)."""
    return bool(re.search(r"lĩnh vực\s+[^\W\d_]", folded[at:right]))


def _whole_span(folded: str, n: Number) -> tuple[int, int]:
    slash = folded.find("/", n.numeral_end, n.end)
    start = slash + 1
    while start < n.end and folded[start] == " ":
        start += 1
    end = start
    while end < n.end and (folded[end].isdigit() or folded[end] in ".,"):
        end += 1
    return start, end


def _article_rules(facts: list[Fact], article: _Article) -> list[Fact]:
    """Rule 1: a figure in the head (title, sapo) that the body states too, for the same
    metric and locality, is a restatement, whatever tier or period the head seemed to give.
    S14: a hedged figure within 10% of an exact one of the same key restates it. A task plan
    taken from the whole of "x/y" gives way to a plan stated on its own."""
    body = {(f.metric, f.locality) for f in facts if f.note != "headline"}
    kept = [f for f in facts if f.note != "headline" or (f.metric, f.locality) not in body]
    kept = [replace(f, note=None) if f.note == "headline" else f for f in kept]
    exact: dict[tuple, list[float]] = {}
    for f in kept:
        if f.qualifier == "exact":
            exact.setdefault(_key(f), []).append(f.value)
    kept = [f for f in kept if f.qualifier == "exact" or not any(
        abs(v - f.value) <= _RESTATEMENT_TOLERANCE * max(abs(v), 1) for v in exact.get(_key(f), []))]
    stated = {_key(f) for f in kept if f.note != "whole of x/y"}
    return [f for f in kept if f.note != "whole of x/y" or _key(f) not in stated]


def _key(f: Fact):
    return f.metric, f.locality, f.tier, f.period_start, f.period_end
