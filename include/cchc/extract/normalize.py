"""Normalised Vietnamese text that still knows where each character came from.

Portals write the same word several ways: composed or decomposed Unicode, "Ð" (U+00D0, the
Icelandic eth) for "Đ", the old and new tone placement ("hoá"/"hóa", "Uỷ"/"Ủy"), "tỉ lệ" for
"tỷ lệ", runs of spaces and non-breaking spaces. The extractor matches its rules against one
canonical form, but evidence offsets must point into the text as given: every normalised
character keeps the span of original characters it was made from.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

# Tone marks of Vietnamese (combining forms): grave, acute, hook above, tilde, dot below.
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
# Character substitutions that keep the length: look-alikes and the spelling variants that
# do not depend on context.
_CHAR_FOLDS = {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u00a0": " ", "\t": " ", "\u2009": " ", "\u202f": " ",
               "\u200b": " ", "\ufeff": " ", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\r": "\n",
               "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_FOLD_TABLE = str.maketrans(_CHAR_FOLDS)
# A word: the old tone placement ("hoá", "Uỷ") is fixed word by word.
_WORD = re.compile(r"[^\W\d_]+")
_OLD_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_TI_LE = re.compile(r"\b([tT])ỉ(\s+lệ)\b")


@dataclass(frozen=True)
class NormalText:
    """``text`` is the canonical form, ``folded`` the same in lower case (same length); the
    character ``text[i]`` came from ``original[starts[i]:ends[i]]``."""

    original: str
    text: str
    folded: str
    starts: array
    ends: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised span ``[start, end)``."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def original_of(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


def normalize(original: str) -> NormalText:
    """Canonical text plus the offset map; never changes what a number says."""
    if unicodedata.is_normalized("NFC", original):
        text = original.translate(_FOLD_TABLE)  # one character for one: the map is the identity
        starts, ends = array("q", range(len(text))), array("q", range(1, len(text) + 1))
    else:
        text, starts, ends = _compose(original)
    text = _WORD.sub(lambda m: _new_tone_placement(m.group(0)), text)
    text = _TI_LE.sub(lambda m: m.group(1) + "ỷ" + m.group(2), text)
    text, starts, ends = _collapse_spaces(text, starts, ends)
    folded = text.lower()
    if len(folded) != len(text):  # a few letters ("İ") lower to two characters
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return NormalText(original, text, folded, starts, ends)


def _compose(original: str) -> tuple[str, array, array]:
    """NFC cluster by cluster, each composed character mapped to its cluster's span."""
    chars: list[str] = []
    starts, ends = array("q"), array("q")
    for start, end in _clusters(original):
        composed = unicodedata.normalize("NFC", original[start:end]).translate(_FOLD_TABLE)
        chars.append(composed)
        starts.extend([start] * len(composed))
        ends.extend([end] * len(composed))
    return "".join(chars), starts, ends


def _clusters(s: str):
    """Spans of one base character and the combining marks after it (what NFC composes)."""
    i, n = 0, len(s)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(s[j]):
            j += 1
        yield i, j
        i = j


def _new_tone_placement(word: str) -> str:
    """'hoá' -> 'hóa', 'Uỷ' -> 'Ủy', 'thuỷ' -> 'thủy': in a word ending in "oa", "oe" or
    "uy" the tone moves to the first vowel. 'quý' keeps it: its "u" belongs to "qu"."""
    if len(word) < 2:
        return word
    first, second = unicodedata.normalize("NFD", word[-2]), unicodedata.normalize("NFD", word[-1])
    tone = [c for c in second if c in _TONES]
    base1, base2 = first[0].lower(), second.replace(tone[0], "").lower() if tone else ""
    if not tone or len(first) != 1 or (base1, base2) not in _OLD_PAIRS:
        return word
    if base1 == "u" and word[:-2].lower().endswith("q"):
        return word
    return word[:-2] + unicodedata.normalize("NFC", first + tone[0]) + unicodedata.normalize("NFC", second.replace(tone[0], ""))


_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_NEWLINES = frozenset("\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _collapse_spaces(text: str, starts: array, ends: array) -> tuple[str, array, array]:
    """Runs of spaces become one space; runs of white space holding a line break become one
    line break (a paragraph boundary for the extractor). The kept character spans the run."""
    pieces: list[str] = []
    out_starts, out_ends = array("q"), array("q")
    pos = 0
    for m in _SPACE_RUN.finditer(text):
        a, b = m.span()
        pieces.append(text[pos:a])
        out_starts.extend(starts[pos:a])
        out_ends.extend(ends[pos:a])
        pieces.append("\n" if any(c in _NEWLINES for c in m.group(0)) else " ")
        out_starts.append(starts[a])
        out_ends.append(ends[b - 1])
        pos = b
    if pos == 0:
        return text, starts, ends
    pieces.append(text[pos:])
    out_starts.extend(starts[pos:])
    out_ends.extend(ends[pos:])
    return "".join(pieces), out_starts, out_ends


def fold(s: str) -> str:
    """The folded form of a short string (a hint, a name): what ``normalize().folded`` gives."""
    return normalize(s).folded.strip()
