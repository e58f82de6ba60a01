"""Numbers as Vietnamese officials write them (docs/phrasings.md, section 3).

"." groups thousands ("4.847"), "," is the decimal mark ("90,26%"); an English decimal dot
("99.57%") is told apart by the digits after it; "61,3 ngàn" scales; "22/24" is a part over
its whole; zero and small counts come in words ("không có hồ sơ", "tám hồ sơ"). The hedge
word before a number ("gần", "hơn", ...) is its qualifier: qualifiers are words, never
precision (labelling rule 10).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_DIGITS = 15  # longer digit runs are ids or garbage, and int() refuses very long ones

_NUMERAL = r"\d+(?:[.,]\d+)*"
_NUMBER = re.compile(
    r"(?<![\w.,/])(?P<x>" + _NUMERAL + r")"
    # "x/y", or "x trên (tổng số) y": x out of y (not "trên" as "more than": it stands after x)
    r"(?:\s?/\s?(?P<y>" + _NUMERAL + r")|\s+trên\s+(?:tổng\s+số\s+)?(?P<y_of>" + _NUMERAL + r")(?!\s?%))?"
    r"(?:\s*(?P<scale>ngàn|nghìn|triệu)(?![^\W\d_]))?"
    r"(?P<pct>\s?%)?"
    r"(?![^\W_]|[.,/]\d)"
)
SCALES = {"ngàn": 1_000, "nghìn": 1_000, "triệu": 1_000_000}
# A numeral broken by a typo says no number at all: guessing which digits were meant invents
# facts ("9 9 ,2%" is not 9, "1..2" not 1). Broken are doubled separators between digits and
# a separator cut off from the digits before it by a space ("99 ,2%"); the digit groups
# joined to the break by one separator, or on its left by spaces, are part of it. A space
# after a separator is no break: "5, 6 và 7" is a list, "... 12. 5 hồ sơ" two sentences.
# The match starts only where a chain of digit groups starts, and never gives back what it
# took: a line of thousands of figures costs one pass, not one pass per figure.
_BROKEN_NUMERAL = re.compile(
    r"(?<!\d)(?<!\d[.,])(?<!\d[^\S\n])"
    r"\d++(?:(?:[.,]|[^\S\n]++)\d++)*+"
    r"(?:[.,]{2,}|[^\S\n]++[.,])"
    r"\d++(?:[.,]++\d++)*+"
)

# Number words, 0..99, enough for "chỉ tám hồ sơ", "mười hai hồ sơ"; a word number counts
# only right before a dossier noun ("năm" is also "year", "một" also "a").
_UNITS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6,
          "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_WORD_NUMBER = re.compile(
    r"(?<![^\W\d_])(?P<w>(?:(?:một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)\s+mươi(?:\s+(?:mốt|một|hai|ba|bốn|tư|lăm|năm|sáu|bảy|tám|chín))?)"
    r"|(?:mười(?:\s+(?:một|hai|ba|bốn|lăm|năm|sáu|bảy|bẩy|tám|chín))?)"
    r"|một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)"
    r"\s+(?=(?:hồ sơ|bộ hồ sơ|trường hợp|thủ tục|nhiệm vụ)\b)"
)
_ZERO = re.compile(r"(?<![^\W\d_])(?:không|chưa)\s+(?:có|phát sinh)\s+(?=(?:hồ sơ|trường hợp)\b)")
_UNITS_BEFORE_ZERO = re.compile(r"\d+\s+(?:đơn vị|cơ quan|địa phương|xã|phường|thị trấn|huyện|sở|ngành|bộ phận)"
                                r"(?:\s*,\s*[^\W\d_]+)*\s*$")
# "tất cả hồ sơ đều được giải quyết đúng hạn" (rule 11); not "rà soát toàn bộ các hồ sơ ..."
_ALL = re.compile(r"(?<![^\W\d_])(?:tất cả|toàn bộ)(?:\s+(?:các|những))?\s+(?=(?:hồ sơ|thủ tục)\b[^,.;]{0,40}?\bđều\b)")

QUALIFIER_WORDS = (
    ("khoảng gần", "approx"), ("gần", "approx"), ("khoảng", "approx"), ("xấp xỉ", "approx"),
    ("ước đạt", "approx"), ("ước tính", "approx"), ("ước", "approx"),
    ("hơn", "more_than"), ("trên", "more_than"), ("dưới", "less_than"),
)
_QUALIFIER = re.compile(
    r"(?<![^\W\d_])(" + "|".join(w for w, _ in QUALIFIER_WORDS) + r")\s*$"
)
_QUALIFIER_OF = dict(QUALIFIER_WORDS)


@dataclass(frozen=True)
class Number:
    """One number token. Offsets index the text it was found in; ``numeral_*`` is the part
    written in digits or words (what the evidence holds), ``whole`` the y of "x/y"."""

    start: int
    end: int
    numeral_start: int
    numeral_end: int
    value: float
    percent: bool
    whole: float | None = None
    qualifier: str = "exact"
    in_words: bool = False

    @property
    def is_integer(self) -> bool:
        return float(self.value).is_integer()


def parse_numeral(s: str) -> float | None:
    """The value of one numeral in Vietnamese (or English) notation, or None when the
    notation is ambiguous or not a number ("5.3.2019" is a date, not a number)."""
    s = s.strip()
    if not s or not s[0].isdigit() or sum(c.isdigit() for c in s) > MAX_DIGITS:
        return None
    if not re.fullmatch(_NUMERAL, s):
        return None
    if "." in s and "," in s:
        int_part, _, frac = s.rpartition(",")
        if "," in int_part or not _thousands(int_part, "."):
            return None
        return float(int_part.replace(".", "") + "." + frac)
    if "," in s:
        groups = s.split(",")
        if len(groups) == 2:
            return float(groups[0] + "." + groups[1])  # the comma is the decimal mark
        return float(s.replace(",", "")) if _thousands(s, ",") else None
    if "." in s:
        if _thousands(s, "."):
            return float(s.replace(".", ""))
        head, _, tail = s.partition(".")
        if "." in tail:
            return None
        if head == "0" or len(tail) in (1, 2) or len(tail) >= 4:
            return float(head + "." + tail)  # English decimal dot: "99.57", "0.702", "0.7024"
        return None
    return float(s)


def _thousands(s: str, sep: str) -> bool:
    groups = s.split(sep)
    return len(groups) > 1 and 1 <= len(groups[0]) <= 3 and groups[0] != "0" and all(len(g) == 3 for g in groups[1:])


def find_numbers(folded: str) -> list[Number]:
    """Every number token of a (folded, lower-case) text, in order, qualifier attached."""
    found: list[Number] = []
    broken = [m.span() for m in _BROKEN_NUMERAL.finditer(folded)]
    for m in _NUMBER.finditer(folded):
        if broken and _overlaps(broken, m.start("x"), max(m.end("x"), m.end("y"), m.end("y_of"))):
            continue
        value = parse_numeral(m.group("x"))
        if value is None:
            continue
        y = m.group("y") or m.group("y_of")
        whole = parse_numeral(y) if y else None
        if y and not whole:
            continue
        scale = m.group("scale")
        if scale:
            value *= SCALES[scale]
            whole = whole * SCALES[scale] if whole else whole
        numeral_end = m.end("scale") if scale else m.end("x")
        found.append(Number(m.start(), m.end(), m.start("x"), numeral_end, value, bool(m.group("pct")),
                            whole, qualifier_before(folded, m.start())))
    found += _word_numbers(folded)
    found.sort(key=lambda n: n.start)
    return found


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return any(a < end and start < b for a, b in spans[max(i, 0):i + 2])


def _word_numbers(folded: str) -> list[Number]:
    out = []
    for m in _WORD_NUMBER.finditer(folded):
        value = words_value(m.group("w"))
        if value is not None:
            out.append(Number(m.start(), m.end("w"), m.start(), m.end("w"), float(value), False,
                              qualifier=qualifier_before(folded, m.start()), in_words=True))
    for m in _ZERO.finditer(folded):
        if _UNITS_BEFORE_ZERO.search(folded, max(0, m.start() - 40), m.start()):
            continue  # "9 đơn vị không phát sinh hồ sơ trễ hạn" counts units, not dossiers
        end = m.start() + len(m.group(0).rstrip())
        out.append(Number(m.start(), end, m.start(), end, 0.0, False, in_words=True))
    for m in _ALL.finditer(folded):
        end = m.start() + len(m.group(0).rstrip())
        out.append(Number(m.start(), end, m.start(), end, 100.0, True, in_words=True))
    return out


def words_value(words: str) -> int | None:
    """'tám' -> 8, 'mười hai' -> 12, 'hai mươi lăm' -> 25."""
    parts = words.split()
    if not parts:
        return None
    if parts[0] == "mười":
        return 10 + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
    if len(parts) >= 2 and parts[1] == "mươi":
        return 10 * _UNITS[parts[0]] + (_UNITS.get(parts[2], 0) if len(parts) > 2 else 0)
    return _UNITS.get(parts[0]) if len(parts) == 1 else None


def qualifier_before(folded: str, start: int) -> str:
    """The qualifier of the number starting at ``start``: the hedge word right before it."""
    m = _QUALIFIER.search(folded[max(0, start - 16):start])
    return _QUALIFIER_OF[m.group(1)] if m else "exact"
