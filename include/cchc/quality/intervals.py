"""The values a stated number allows, as closed intervals (exact arithmetic, ``Fraction``).

How qualified numbers take part in the dossier arithmetic: an exact count is a point; "hơn" /
"trên" X is [X, ∞); "dưới" X and "gần" X are [0, X]; "khoảng" X bounds nothing, [0, ∞). A
stated rate allows one unit of its last written decimal either side (sources truncate as often
as they round): "90,26" is [90.25, 90.27]. An identity breaks only when its two sides cannot be
equal, so a qualified number takes part only as a bound.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from cchc.contracts import Fact


@dataclass(frozen=True)
class Interval:
    """A closed range of values a stated number allows; ``hi is None`` means unbounded above.
    Exact (Fraction): the bounds are written to the check tables as decimals, and the rules'
    SQL compares them there."""

    lo: Fraction
    hi: Fraction | None

    @classmethod
    def point(cls, value: Fraction) -> "Interval":
        return cls(value, value)

    def __add__(self, other: "Interval") -> "Interval":
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Interval(self.lo + other.lo, hi)


def total(intervals: Iterable[Interval]) -> Interval:
    acc = Interval.point(Fraction(0))
    for i in intervals:
        acc = acc + i
    return acc


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).lower()


def rate_decimals(fact: Fact) -> int:
    """Decimals as written ("90,26" -> 2, "100" -> 0), else as the parsed value shows them."""
    if fact.value_text:
        m = re.search(r"\d[.,](\d+)\D*$", fact.value_text.strip())
        return len(m.group(1)) if m else 0
    v = Fraction(str(fact.value))
    if v.denominator == 1:
        return 0
    return len(str(float(fact.value)).split(".")[1])


def is_khoang(fact: Fact) -> bool:
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


def exact_interval(value: Fraction, is_rate: bool, decimals: int) -> Interval:
    slack = Fraction(1, 10**decimals) if is_rate else Fraction(0)
    return Interval(max(Fraction(0), value - slack), value + slack)


def fact_interval(fact: Fact) -> Interval:
    """The values a stated number allows (docs/arithmetic.md, "Qualified numbers are bounds")."""
    value = Fraction(str(fact.value))
    is_rate = fact.metric.startswith("rate_")
    slack = Fraction(1, 10 ** rate_decimals(fact)) if is_rate else Fraction(0)
    if fact.qualifier == "more_than":
        return Interval(max(Fraction(0), value - slack), None)
    if fact.qualifier == "less_than":
        return Interval(Fraction(0), value + slack)
    if fact.qualifier == "approx":
        return Interval(Fraction(0), None) if is_khoang(fact) else Interval(Fraction(0), value + slack)
    return exact_interval(value, is_rate, rate_decimals(fact) if is_rate else 0)
