"""Applies the data of ``patterns.py`` to a normalised article: sentences, cue spans, tier
openers, masked spans, separators and the noun after a number.

All offsets index the normalised text (``NormalText.text``/``folded``); ``facts.py`` maps them
back to the original only when it writes evidence.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Iterable, TypeVar

from cchc.extract import patterns as P

T = TypeVar("T")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Sentence:
    """A sentence at ``[start, end)``; ``paragraph`` counts line-separated blocks."""

    start: int
    end: int
    paragraph: int
    first_in_paragraph: bool


def _bounded(rx: str) -> str:
    """A phrase matches whole words only."""
    return r"(?<![^\W_])(?:" + rx + r")(?![^\W_])"


def _right_bounded(alternatives: Iterable[str]) -> re.Pattern:
    """Whole-word phrases, the left boundary left to ``_phrases``: a pattern that starts with
    its letters lets the regex engine skip ahead, four times faster on a long page."""
    return re.compile("(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _phrases(rx: re.Pattern, text: str):
    """Matches of ``rx`` that start a word."""
    return (m for m in rx.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalnum())


@lru_cache(maxsize=None)
def _compiled(kind_table: tuple) -> list[tuple[str, re.Pattern]]:
    return [(kind, _right_bounded(alts)) for kind, alts in kind_table]


@lru_cache(maxsize=None)
def _compiled_phrases(alternatives: tuple[str, ...]) -> re.Pattern:
    return _right_bounded(alternatives)


_AGENCY = _right_bounded(P.AGENCIES)
_COMPETENCE = _right_bounded([P.COMPETENCE])
_NON_FACT = re.compile("|".join(r"(?<![^\W_])(?:" + a + ")" for a in P.NON_FACT_SPANS))
_AGENCY_REFERENCE = re.compile(_bounded(P.AGENCY_REFERENCE))
_OFFICIAL = re.compile(P.OFFICIAL_BEFORE)
_SOURCE = re.compile(P.SOURCE_BEFORE)
_SPEAKER = re.compile(r"[^,.;:\n]{0,40}?" + P.SPEAKER)
_SEPARATOR = re.compile("|".join(P.SEPARATORS))
_NOUN = [(cls, re.compile(P.NOUN_SKIP + r"(?:" + rx + r")")) for cls, rx in P.NOUNS]
_NOUN_IN_LABEL = [(cls, re.compile(r"(?<![^\W_])(?:" + rx + r")(?![^\W_])")) for cls, rx in P.NOUNS]
_FOLLOWER = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(P.FOLLOWERS, key=len, reverse=True)) + r")(?![^\W_])")
_BLOCKERS = re.compile("|".join(_bounded(b) for b in P.BLOCKERS))
_BLOCK_BEFORE = re.compile(r"(?<![^\W\d_])" + P.BLOCK_BEFORE)
_OPENER = re.compile(r"\(|" + _bounded(P.BREAKDOWN_OPENERS))
_ABBREVIATION_MAX = 8  # characters of the longest abbreviation below, and then some
_ABBREVIATIONS = frozenset({"tp", "tx", "p", "q", "ts", "ths", "pgs", "gs", "bs", "kts", "ncs", "th", "tt", "v.v", "st"})


class Mask:
    """Which characters of a text some spans cover: overlap tests in constant time per
    character, where a list of spans would make a long page quadratic."""

    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()):
        self.bits = bytearray(length + 1)
        for a, b in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        self.bits[a:b] = b"\x01" * (b - a)

    def covers(self, a: int, b: int) -> bool:
        return self.bits.find(1, a, b) != -1


class SpanIndex(Generic[T]):
    """Items with a ``start``, sorted, found by position with bisection."""

    def __init__(self, items: Iterable[T]):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, lo: int, hi: int) -> list[T]:
        """Items starting in ``[lo, hi)``."""
        return self.items[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]

    def __iter__(self):
        return iter(self.items)


def _resolve(spans: list[Span], length: int) -> list[Span]:
    """Non-overlapping spans, the longest winning (ties: the earlier)."""
    taken = Mask(length)
    chosen: list[Span] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.covers(s.start, s.end):
            chosen.append(s)
            taken.add(s.start, s.end)
    return sorted(chosen, key=lambda s: s.start)


def agency_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _phrases(_AGENCY, folded)]


def competence_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _phrases(_COMPETENCE, folded)]


def cue_spans(folded: str, shielded: Mask) -> list[Span]:
    """Metric cues, longest first, none inside an agency's name or another shielded span."""
    found = [Span(m.start(), m.end(), kind) for kind, rx in _compiled(P.CUES) for m in _phrases(rx, folded)]
    return [s for s in _resolve(found, len(folded)) if not shielded.covers(s.start, s.end)]


def tier_spans(folded: str) -> list[Span]:
    """Tier openers; a speaker ("Trung tâm ... cho biết, ...") opens none, except a district's
    People's Committee, which speaks for the district's own figures."""
    found = [Span(m.start(), m.end(), kind) for kind, _rule, alts in P.TIERS for m in _phrases(_compiled_phrases(alts), folded)]
    return [s for s in _resolve(found, len(folded)) if not _OFFICIAL.search(folded, max(0, s.start - 20), s.start)
            and not _SOURCE.search(folded, max(0, s.start - 80), s.start)
            and (s.kind == "committee" or not _SPEAKER.match(folded, s.end))]


def agency_references(folded: str, named: Mask) -> list[Span]:
    """Bare "Trung tâm" / "Bộ phận một cửa" outside a full agency name."""
    return [Span(m.start(), m.end(), "agency") for m in _AGENCY_REFERENCE.finditer(folded) if not named.covers(*m.span())]


def numbered_name_spans(folded: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Every place a numbered unit's name stands, with or without its type word ("Tân Phước 2
    đẩy mạnh ..." in a title): its digits are a name, not a count."""
    spans = []
    for name in names:
        rx = re.compile(r"(?<![^\W_])" + re.escape(name) + r"(?![^\W_])")
        spans += [m.span() for m in rx.finditer(folded)]
    return spans


def non_fact_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NON_FACT.finditer(folded)]


def separators(folded: str, lo: int, hi: int, protected: Mask) -> list[tuple[int, int]]:
    """Where parts of the sentence ``[lo, hi)`` split, outside cue phrases, dates and names."""
    return [m.span() for m in _SEPARATOR.finditer(folded, lo, hi) if not protected.covers(*m.span())]


def opener_in(folded: str, lo: int, hi: int) -> re.Match | None:
    """The first breakdown opener ("trong đó", "gồm", "(") in ``[lo, hi)``."""
    return _OPENER.search(folded, lo, hi)


def noun_after(folded: str, at: int) -> tuple[str, int]:
    """The class of the thing counted right after a number ending at ``at``: dossier,
    procedure, service, task, field; none when no noun follows (punctuation, "đạt", a cue
    word: "Hồ sơ mới tiếp nhận 1.798, ..."); other for any other word, a thing no metric
    counts ("127 ý tưởng", "9 xã", "28 hội nghị")."""
    m = re.compile(r"[ \t]*").match(folded, at)
    pos = m.end() if m else at
    for cls, rx in _NOUN:
        n = rx.match(folded, pos)
        if n and not folded[n.end():n.end() + 1].isalpha():
            return cls, n.end()
    if pos >= len(folded) or not folded[pos].isalpha() or _FOLLOWER.match(folded, pos):
        return "none", pos
    return "other", pos


def noun_in_label(folded: str, lo: int, hi: int) -> str | None:
    """A procedure or service named first in the label before a number ("Tổng số DVCTT đang cung
    cấp là 1.514"); a dossier noun named first keeps the number a dossier count."""
    first = min(((m.start(), cls) for cls, rx in _NOUN_IN_LABEL for m in [rx.search(folded, lo, hi)] if m), default=None)
    return first[1] if first and first[1] in ("procedure", "service") else None


def blocked(folded: str, lo: int, start: int, hi: int) -> bool:
    """A change, target, rank, satisfaction score, petition or money near the number."""
    return bool(_BLOCKERS.search(folded, lo, hi) or _BLOCK_BEFORE.search(folded[max(lo, start - 30):start]))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences: a line break ends one, and so does a full stop, question or exclamation
    mark followed by a space ("1.130" has no space after its dot; "TP. Cao Lãnh" is an
    abbreviation). A semicolon does not: officials chain whole reports with it."""
    out: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text):
        cuts = [line.start()]
        for m in re.finditer(r"[.!?](?= )", text[line.start():line.end()]):
            end = line.start() + m.end()
            # the word before the stop, searched in a short tail: a whole long line per stop is quadratic
            word = re.search(r"([^\W\d_]+(?:\.[^\W\d_]+)*)$", text[max(line.start(), end - 1 - _ABBREVIATION_MAX):end - 1])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            cuts.append(end)
        cuts.append(line.end())
        first = True
        for a, b in zip(cuts, cuts[1:]):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append(Sentence(a, b, paragraph, first))
                first = False
        paragraph += 1
    return out


def reform_mentioned(folded: str, lo: int, hi: int) -> bool:
    """Rule 6: tasks are the reform plan's when their sentence names the reform or a plan
    (not "22 nhiệm vụ do Chính phủ giao")."""
    return bool(re.search(r"cải cách hành chính|cchc|kế hoạch", folded[lo:hi]))
