"""An article as the fact reader needs it, read once: the normalised text, its sentences and
paragraphs, and every span the reader consults (numbers, cue phrases, tier openers, periods,
localities), with what the article's layout says before any sentence is read: where the head
(title, sapo, captions) ends and the lead begins, which tier the title or lead is about, lists
and their items, the day a unit opened, a reference date for an undated page, and where a text
cut off mid-sentence breaks (docs/facts.md, labelling rules 1, 9, 15, 17).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from cchc.contracts import Locality
from cchc.extract import matching as M, patterns as P
from cchc.extract.dates import full_date_spans, make_date, month_end
from cchc.extract.localities import LocalityMention, default_locality, find_localities
from cchc.extract.normalize import NormalText, normalize
from cchc.extract.numbers import Number, find_numbers
from cchc.extract.periods import Clock, PeriodMention, find_periods
from cchc.extract.tiers import combine_tiers
from cchc.quality.rules import REFORM_DATE

_LEAD_MIN_CHARS = 150  # the first paragraph this long is the lead (rule 1)
_SHORT_LEAD_MIN_CHARS = 60
_CUT_MIN_CHARS = 200  # a last sentence this long that ends on a letter is body text cut off (rule 9)
_VOWELS = r"[aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]"
_CAPTION = re.compile(r"(?<![^\W\d_])ảnh\s*:")
_ITEM = re.compile(r"[-+*•]\s|\d{1,2}[.)]\s|[a-zđ][.)]\s")
_NESTED_ITEM = re.compile(r"[+-]\s")  # the second level of a list under "*" or "1." items
_EVENT_DATE = re.compile(r"(?:\(?[^\W\d_]+\)?\s*-\s*)?(?:sáng|chiều|tối)?\s*(?:ngày\s+)?(\d{1,2})\s?[/.\-]\s?(\d{1,2})(?:\s?[/.\-]\s?(\d{4}))?\s*,")


@dataclass
class Article:
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
    agency_refs: M.SpanIndex[M.Span]
    protected: M.Mask
    event_date: date | None
    cut_from: int  # the clause where a text cut off mid-sentence breaks (rule 9); its numbers are no facts
    split_by_authority: bool  # dossiers counted by who decides them (rule 17)
    subject_tier: str | None  # the tier the title names ("Trung tâm Phục vụ hành chính công tỉnh giải quyết ...")
    opening_date: date | None  # "đi vào hoạt động từ 05/6/2017": where "since it opened" starts
    captions: frozenset  # paragraphs that caption a photo ("... . Ảnh: T.L"): rule 1 treats them as the head

    @classmethod
    def read(cls, text: str, published: date | None, url: str | None, hint: str | None) -> "Article":
        nt = normalize(text)
        f = nt.folded
        sentences = M.split_sentences(nt.text)
        head_end, lead_end = lead_span(nt.text, sentences)
        agencies = M.agency_spans(f)
        localities = find_localities(nt)
        reference = reference_date(f, url)
        opened = opening_date(f, published or reference)
        periods = find_periods(f, Clock.of(published, reference, opened))
        cues = M.cue_spans(f, M.Mask(len(f), agencies + M.competence_spans(f)))
        tiers = M.tier_spans(f)
        agency_refs = M.agency_references(f, M.Mask(len(f), agencies + [(t.start, t.end) for t in tiers]))
        numbered = {m.locality.name.lower() for m in localities if m.locality.name[-1:].isdigit()}
        masks = M.Mask(len(f), full_date_spans(f) + M.non_fact_spans(f) + [(p.start, p.end) for p in periods]
                       + [(m.start, m.end) for m in localities] + M.numbered_name_spans(f, numbered)
                       + [(c.start, c.end) for c in cues if c.kind.startswith("level")]
                       + [(t.start, t.end) for t in tiers])
        numbers = [n for n in find_numbers(f) if not masks.covers(n.numeral_start, n.numeral_end)]
        number_index, tier_index = M.SpanIndex(numbers), M.SpanIndex(tiers)
        protected = masks  # from here on also cue phrases, tier openers, agencies and numbers
        for a, b in [(c.start, c.end) for c in cues] + [(t.start, t.end) for t in tiers] + agencies \
                + [(n.start, n.end) for n in numbers] + [m.span() for m in re.finditer(P.FIXED_PHRASES, f)]:
            protected.add(a, b)
        default = default_locality(nt, hint, url, lead_end)
        return cls(nt, published, default, sentences, head_end, lead_end, number_index, M.SpanIndex(cues),
                   tier_index, M.SpanIndex(periods), M.SpanIndex(localities), M.SpanIndex(agency_refs),
                   protected, event_date(f, sentences, lead_end, periods), cut_clause(nt.text, sentences),
                   splits_by_authority(sentences, tiers, number_index),
                   subject_tier(f, sentences, tier_index, number_index, head_end),
                   opened, frozenset(s.paragraph for s in sentences if _CAPTION.search(f, s.start, s.end)))


def lead_span(text: str, sentences: list[M.Sentence]) -> tuple[int, int]:
    """(start, end) of the lead: the first paragraph long enough to be body text (in a short
    article, the first one after the title that ends a sentence). What comes before it is the
    head (title, date line, sapo, captions); the lead names the article's subject."""
    groups: dict[int, list[M.Sentence]] = {}
    for s in sentences:
        groups.setdefault(s.paragraph, []).append(s)
    paragraphs = [(g[0].start, g[-1].end) for g in groups.values()]
    for i, (start, end) in enumerate(paragraphs):
        if i and re.match(P.CONTINUATION, text[start:end].lower()):
            # "Cụ thể, ...": the body has begun; the lead is the last sentence-ending paragraph before it
            before = [(a, b) for a, b in paragraphs[1:i] if b - a >= _SHORT_LEAD_MIN_CHARS and text[b - 1] in ".!?"]
            return before[-1] if before else (start, end)
        if end - start >= _LEAD_MIN_CHARS and text[end - 1] in ".!?…:;\"”":  # body text ends its sentences
            return start, end
    for start, end in paragraphs[1:]:
        if end - start >= _SHORT_LEAD_MIN_CHARS and text[end - 1] in ".!?":
            return start, end
    return 0, 0


def is_item(text: str, start: int) -> bool:
    """The sentence at ``start`` is a bullet item ("- ", "+ ", "* ", "a) ")."""
    return bool(_ITEM.match(text, start))


def list_blocks(text: str, sentences: list[M.Sentence]) -> list[tuple[int, int, bool]]:
    """For each sentence, (start, end, is_item) of its list: a heading ending in ":" and the
    bullet items after it ("- Đã giải quyết: 5.100 hồ sơ, trong đó:" / "+ Trễ hạn: 10"), or
    the sentence alone. Items share the heading's tier and whole (S8)."""
    spans: list[list[int]] = []
    out: list[tuple[int, bool]] = []
    previous_open = previous_nested = False
    for s in sentences:
        item = bool(_ITEM.match(text, s.start))
        # "* Hồ sơ thuộc thẩm quyền ...: 18146 hồ sơ, trong đó:" / "+ Đã giải quyết ..." / "Tổng số
        # hồ sơ giải quyết đúng hạn đạt 92,3": an unmarked line after nested items closes the section
        closing = not item and previous_nested and s.first_in_paragraph
        if (item and previous_open) or closing:
            spans[-1][1] = s.end
        else:
            spans.append([s.start, s.end])
        out.append((len(spans) - 1, (item and previous_open) or closing))
        previous_nested = bool(_NESTED_ITEM.match(text, s.start)) and previous_open or (previous_nested and not s.first_in_paragraph)
        previous_open = item or text[s.end - 1] == ":"
    return [(spans[i][0], spans[i][1], item) for i, item in out]


def cut_clause(text: str, sentences: list[M.Sentence]) -> int:
    """Where the clause a text is cut off in begins (rule 9), or the text's length: a last
    sentence that stops in a word ("143 thủ tục hành ch": no Vietnamese syllable lacks a
    vowel) or a long last paragraph that stops on a letter was cut mid-sentence."""
    if not sentences:
        return len(text)
    last = sentences[-1]
    tail = re.search(r"(\w+)$", text[last.start:last.end])
    cut_in_word = tail and not re.search(_VOWELS, tail.group(1).lower()) and not tail.group(1).isdigit()
    long_unfinished = tail and last.end - last.start >= _CUT_MIN_CHARS and not tail.group(1).isdigit()
    if not (cut_in_word or long_unfinished):
        return len(text)
    boundary = max((m.end() for m in re.finditer(r"[,;(]|\s(?:và|trong đó)\s", text[last.start:last.end])), default=0)
    return last.start + boundary


def subject_tier(folded: str, sentences: list[M.Sentence], tiers: M.SpanIndex[M.Span], numbers: M.SpanIndex[Number],
                 head_end: int) -> str | None:
    """The tier an article is about, the default of its paragraphs: the one its title names
    before its first figure ("Trung tâm Phục vụ hành chính công tỉnh giải quyết ..."), else the
    one its lead's first sentence names before its first ("Tin từ Trung tâm Hành chính công
    ..., từ ngày ... đã tiếp nhận 23.914 hồ sơ")."""
    lead = next((s for s in sentences if s.start >= head_end), None)
    title = sentences[0] if sentences and sentences[0].end <= head_end else None
    for s in ([title] if title else []) + ([lead] if lead else []):
        first_number = next(iter(numbers.within(s.start, s.end)), None)
        # a title that states a figure is about whatever office it names ("98,76% ... tại Trung tâm ...")
        spans = tiers.within(s.start, first_number.start if first_number and s is not title else s.end)
        if first_number is None:  # a title with no figure names its subject only as an office
            spans = [t for t in spans if t.kind in ("centre", "district", "province") and re.match(P.OFFICE, folded[t.start:t.end])]
        named = combine_tiers(spans)
        if named:
            return named
    return None


def opening_date(folded: str, when: date | None) -> date | None:
    """The day a centre opened ("chính thức đi vào hoạt động từ 05/6/2017", "khai trương ngày
    1/10/2019"): the start of the figures an article counts "since it opened". An article of
    the two-level local government (or of a commune's centre, which it created) that names no
    day counts from its first, 1 July 2025. ``when``: the publication or reference date."""
    m = re.search(P.OPENED + r"\s*(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4})", folded)
    if m:
        return make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.search(P.OPENED_IN_MONTH + r"\s+(\d{1,2})\s?[/.\-]\s?(\d{4})", folded)
    if m:  # "đi vào hoạt động từ tháng 3.2019"
        return make_date(int(m.group(2)), int(m.group(1)), 1)
    if re.search(P.TWO_LEVELS, folded) and (when is None or when >= REFORM_DATE):
        return REFORM_DATE
    if re.search(P.COMMUNE_CENTRE, folded) and when is not None and when >= REFORM_DATE:
        return REFORM_DATE
    return None


def reference_date(folded: str, url: str | None = None) -> date | None:
    """Where an article has no publication date, the date that places a month or quarter it
    names without a year: the month its address is dated ("/201807/"), else the end of the
    first year it names ("năm 2020", "15/11/2020"), or of 2025 for an article on the
    two-level local government."""
    dated = re.search(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(?!\d)", url or "")
    if dated:
        return month_end(int(dated.group(1)), int(dated.group(2)))
    m = re.search(r"(?<![\d/.])(?:năm\s+|\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?)((?:19|20)\d\d)(?!\d)", folded)
    if m:
        return date(int(m.group(1)), 12, 31)
    return date(REFORM_DATE.year, 12, 31) if re.search(P.TWO_LEVELS, folded) else None


def splits_by_authority(sentences: list[M.Sentence], tiers: list[M.Span], numbers: M.SpanIndex) -> bool:
    """Whether a sentence with numbers counts dossiers by who decides them (rule 17: "thuộc
    thẩm quyền ..." of a province, district or commune)."""
    starts = [s.start for s in sentences]
    for t in tiers:
        if t.kind.endswith("_authority"):
            s = sentences[max(0, bisect_right(starts, t.start) - 1)]
            if numbers.within(s.start, s.end):
                return True
    return False


def event_date(folded: str, sentences: list[M.Sentence], lead_end: int, periods: list[PeriodMention]) -> date | None:
    """'Ngày 27/12, ...', '(QNO) - Sáng 6.8, ...': the day the reported event took place, from
    a sentence of the head or lead that opens with it; a missing year comes from the first
    period the article names."""
    for s in sentences:
        if s.start > lead_end:
            break
        m = _EVENT_DATE.match(folded, s.start)
        if m:
            year = int(m.group(3)) if m.group(3) else next((p.period_end.year for p in periods), None)
            return make_date(year, int(m.group(2)), int(m.group(1))) if year else None
    return None
