"""Applies the data of ``patterns.py`` to a normalised article: sentences, cue spans, tier
openers, masked spans, separators and the noun after a number.

All offsets index the normalised text (``NormalText.text``/``folded``); ``facts.py`` maps them
back to the original only when it writes evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cchc.extract import patterns as P


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


@lru_cache(maxsize=None)
def _compiled(kind_table: tuple) -> list[tuple[str, re.Pattern]]:
    return [(kind, re.compile("|".join(_bounded(a) for a in alts))) for kind, alts in kind_table]


_AGENCY = re.compile("|".join(_bounded(a) for a in P.AGENCIES))
_COMPETENCE = re.compile(_bounded(P.COMPETENCE))
_NON_FACT = re.compile("|".join(r"(?<![^\W_])(?:" + a + ")" for a in P.NON_FACT_SPANS))
_SEPARATOR = re.compile("|".join(P.SEPARATORS))
_NOUN = [(cls, re.compile(P.NOUN_SKIP + r"(?:" + rx + r")")) for cls, rx in P.NOUNS]
_STOP_NOUN = re.compile(P.NOUN_SKIP + r"(?:" + "|".join(re.escape(w) for w in sorted(P.STOP_NOUNS, key=len, reverse=True)) + r")(?![^\W_])")
_BLOCKERS = re.compile("|".join(_bounded(b) for b in P.BLOCKERS))
_BLOCK_BEFORE = re.compile(r"(?<![^\W\d_])" + P.BLOCK_BEFORE)
_OPENER = re.compile(r"\(|" + _bounded(P.BREAKDOWN_OPENERS))
_ABBREVIATIONS = frozenset({"tp", "tx", "p", "q", "ts", "ths", "pgs", "gs", "bs", "kts", "ncs", "th", "tt", "v.v", "st"})


def _resolve(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, the longest winning (ties: the earlier)."""
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(s.start < b and a < s.end for a, b in taken):
            chosen.append(s)
            taken.append((s.start, s.end))
    return sorted(chosen, key=lambda s: s.start)


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def agency_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _AGENCY.finditer(folded)]


def competence_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _COMPETENCE.finditer(folded)]


def cue_spans(folded: str, shielded: list[tuple[int, int]]) -> list[Span]:
    """Metric cues, longest first, none inside an agency's name or another shielded span."""
    found = [Span(m.start(), m.end(), kind) for kind, rx in _compiled(P.CUES) for m in rx.finditer(folded)]
    return [s for s in _resolve(found) if not _overlaps((s.start, s.end), shielded)]


def tier_spans(folded: str, shielded: list[tuple[int, int]]) -> list[Span]:
    found = [Span(m.start(), m.end(), kind) for kind, rx in _compiled(P.TIERS) for m in rx.finditer(folded)]
    return [s for s in _resolve(found) if not _overlaps((s.start, s.end), shielded)]


def non_fact_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NON_FACT.finditer(folded)]


def separators(folded: str, lo: int, hi: int, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where parts of the sentence ``[lo, hi)`` split, outside cue phrases, dates and names."""
    return [m.span() for m in _SEPARATOR.finditer(folded, lo, hi) if not _overlaps(m.span(), protected)]


def opener_in(folded: str, lo: int, hi: int) -> re.Match | None:
    """The first breakdown opener ("trong đó", "gồm", "(") in ``[lo, hi)``."""
    return _OPENER.search(folded, lo, hi)


def noun_after(folded: str, at: int) -> tuple[str, int]:
    """The class of the thing counted right after a number ending at ``at``: dossier,
    procedure, service, task, field, other (a non-fact noun) or none (no noun)."""
    m = re.compile(r"[ \t]*").match(folded, at)
    pos = m.end() if m else at
    for cls, rx in _NOUN:
        n = rx.match(folded, pos)
        if n and not folded[n.end():n.end() + 1].isalpha():
            return cls, n.end()
    if _STOP_NOUN.match(folded, pos):
        return "other", pos
    return "none", pos


def blocked(folded: str, lo: int, start: int, hi: int) -> bool:
    """A change, target, rank, satisfaction score, petition or money near the number."""
    return bool(_BLOCKERS.search(folded, lo, hi) or _BLOCK_BEFORE.search(folded[max(lo, start - 30):start]))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences: a line break ends one, and so does a full stop, question or exclamation
    mark followed by a space ("1.130" has no space after its dot; "TP. Cao Lãnh" is an
    abbreviation). A semicolon does not: officials chain whole reports with it."""
    out: list[Sentence] = []
    paragraph, pos = 0, 0
    for line in re.finditer(r"[^\n]+", text):
        cuts = [line.start()]
        for m in re.finditer(r"[.!?](?= )", text[line.start():line.end()]):
            end = line.start() + m.end()
            word = re.search(r"([^\W\d_]+(?:\.[^\W\d_]+)*)$", text[line.start():end - 1])
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
        pos = line.end()
    return out


def reform_mentioned(folded: str, lo: int, hi: int) -> bool:
    return bool(re.search(r"cải cách hành chính|cchc", folded[lo:hi]))
