"""Reporting periods named in a text (docs/phrasings.md, section 4).

Named periods ("tháng 11/2023", "quý I/2025", "6 tháng đầu năm 2022", "năm 2023"), explicit
ranges ("từ ngày 16/11/2023 - 15/8/2024"), periods running to the publication date ("từ đầu
năm đến nay", "từ ngày 1-7-2025 đến nay") and snapshots ("hiện nay"). A range in brackets or
right after a named period overrides it: reporting windows often end mid-month. A month or
quarter without a year takes the publication year, or the year before when it would lie
after the publication.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cchc.extract.dates import make_date, month_end

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH_WORDS = {"ba": 3, "sáu": 6, "chín": 9, "mười": 10, "bảy": 7, "tám": 8, "hai": 2, "bốn": 4, "năm": 5}

_D = r"(\d{1,2})\s?[/.\-]\s?(\d{1,2})(?:\s?[/.\-]\s?(\d{4}))?"
_YEAR = r"(\d{4})(?!\d)"
_YEAR_SEP = r"(?:\s*[/\-]\s*|\s+năm\s+|\.(?=\d{4}))"  # "quý III/2020", "quý III năm 2020", "quý III.2020"
_N_MONTHS = r"(\d{1,2}|ba|sáu|chín|bảy|tám|mười)"


@dataclass(frozen=True)
class PeriodMention:
    """A period named at ``[start, end)`` of the searched text. ``kind``: named (a calendar
    month, quarter, half, year), range (explicit dates), to_date (ends at publication),
    until (only an end: "tính đến ngày ..."), current ("trong quý", "trong tháng": the one the
    article is about), snapshot (start = end)."""

    start: int
    end: int
    period_start: date
    period_end: date
    kind: str
    named: tuple[date, date] | None = None  # the calendar period a window overrode ("quý III")


@dataclass(frozen=True)
class Clock:
    """What relative periods resolve against: the publication date ("đến nay", "trong quý"),
    a reference date that places a month or quarter named without its year (the publication
    date, or where there is none a date the text implies), and the day the reporting unit
    opened ("Sau một tháng đi vào hoạt động")."""

    published: date | None
    reference: date | None = None
    opened: date | None = None

    @classmethod
    def of(cls, published: date | None, reference: date | None = None, opened: date | None = None) -> "Clock":
        return cls(published, published or reference, opened)


def find_periods(folded: str, when: Clock | date | None) -> list[PeriodMention]:
    """Every period mention of a (folded) text, left to right, none overlapping; a range
    right after a named period replaces it, keeping the named period's start offset. ``when``:
    a ``Clock``, or just the publication date."""
    clock = when if isinstance(when, Clock) else Clock.of(when)
    blocked = [m.span() for m in _NOT_PERIODS.finditer(folded)]
    found: list[PeriodMention] = []
    for kind, rx, build in _RULES:
        for m in rx.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in blocked) or _NOT_AFTER.search(folded[max(0, m.start() - 30):m.start()]) \
                    or _UNIT_AFTER.match(folded, m.end()):
                continue
            got = build(m, clock)
            if got and got[0] <= got[1]:
                found.append(PeriodMention(m.start(), m.end(), got[0], got[1], kind))
    chosen: list[PeriodMention] = []
    for p in sorted(found, key=lambda p: (p.start, -(p.end - p.start))):
        if not any(p.start < q.end and q.start < p.end for q in chosen):
            chosen.append(p)
    chosen.sort(key=lambda p: p.start)
    return _override_by_ranges(folded, chosen)


def _override_by_ranges(folded: str, mentions: list[PeriodMention]) -> list[PeriodMention]:
    """Named periods joined by their words: a window right after one overrides it, "từ (đầu)
    năm 2019 đến hết quý I/2020" and "Năm 2019 và quý I/2020" span both, "đến đầu quý IV"
    ends the day before it begins."""
    out: list[PeriodMention] = []
    for p in mentions:
        prev = out[-1] if out else None
        if p.kind == "named" and re.search(r"(?<![^\W\d_])(?:tính\s+)?đến\s+đầu\s+$", folded[max(0, p.start - 20):p.start]):
            day_before = p.period_start - timedelta(days=1)
            out.append(replace(p, period_start=day_before, period_end=day_before, kind="until"))
            continue
        if (prev and prev.kind == "named" and p.kind == "named"
                and re.search(r"(?<![^\W\d_])từ\s+(?:đầu\s+)?$", folded[max(0, prev.start - 12):prev.start])
                and re.fullmatch(r"\s*(?:đến|tới)\s+(?:hết\s+|cuối\s+)?", folded[prev.end:p.start])
                and prev.period_start <= p.period_end):
            out[-1] = replace(prev, end=p.end, period_end=p.period_end, kind="range")
            continue
        if (prev and prev.kind == "named" and p.kind == "named" and re.fullmatch(r"\s*(?:và|,)\s*", folded[prev.end:p.start])
                and p.period_start == prev.period_end + timedelta(days=1)):
            out[-1] = replace(prev, end=p.end, period_end=p.period_end, kind="range")
            continue
        if (prev and prev.kind == "named" and p.kind == "range"
                and re.fullmatch(r"[\s(,:]*(?:tính\s+|kể\s+)?", folded[prev.end:p.start])):
            out[-1] = replace(p, start=prev.start, named=(prev.period_start, prev.period_end))
            continue
        if prev and prev.kind == "named" and p.kind == "until" and re.fullmatch(r"[\s(,:]*", folded[prev.end:p.start]):
            out[-1] = replace(prev, end=p.end, period_end=p.period_end, kind="range")
            continue
        out.append(p)
    return out


def _year_for_month(month: int, reference: date | None) -> int | None:
    """A month named without its year: the reference date's year, or the one before when the
    month lies after it."""
    if reference is None:
        return None
    return reference.year - 1 if month > reference.month else reference.year


def _range(m: re.Match, clock: Clock):
    d1, m1, y1, d2, m2, y2 = (int(g) if g else None for g in m.groups())
    if y2 is None:
        y2 = _year_for_month(m2, clock.reference)
        if y2 is None:
            return None
    end = make_date(y2, m2, d2)
    if end is None:
        return None
    if y1 is None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    start = make_date(y1, m1, d1)
    return (start, end) if start else None


def _day_range(m: re.Match, clock: Clock):
    d1, d2, mo, y = (int(g) if g else None for g in m.groups())
    y = y or _year_for_month(mo, clock.reference)
    if y is None:
        return None
    start, end = make_date(y, mo, d1), make_date(y, mo, d2)
    return (start, end) if start and end else None


def _to_month_end(m: re.Match, clock: Clock):
    d1, m1, y1, mo, y = (int(g) if g else None for g in m.groups())
    y = y or y1 or _year_for_month(mo, clock.reference)
    if y is None or not 1 <= mo <= 12:
        return None
    start = make_date(y1 or (y if m1 <= mo else y - 1), m1, d1)
    return (start, month_end(y, mo)) if start else None


def _since_date(m: re.Match, clock: Clock):
    published = clock.published
    if published is None:
        return None
    d1, m1, y1 = (int(g) if g else None for g in m.groups())
    start = make_date(y1 or _year_for_month(m1, clock.reference), m1, d1)
    return (start, published) if start else None


def _since_new_year(m: re.Match, clock: Clock):
    published = clock.published
    if published is None:
        return None
    year = int(m.group(1)) if m.group(1) else published.year
    return date(year, 1, 1), published


def _new_year_to_date(m: re.Match, clock: Clock):
    y0, d2, m2, y2 = (int(g) if g else None for g in m.groups())
    y = y2 or y0 or _year_for_month(m2, clock.reference)
    if y is None:
        return None
    end = make_date(y, m2, d2)
    return (date(y0 or y, 1, 1), end) if end else None


def _quarter(m: re.Match, clock: Clock):
    q = _ROMAN[m.group(1)]
    year = int(m.group(2)) if m.group(2) else (clock.reference.year if clock.reference else None)
    if year is None:
        return None
    return date(year, 3 * q - 2, 1), month_end(year, 3 * q)


def _months(word: str) -> int | None:
    n = int(word) if word.isdigit() else _MONTH_WORDS.get(word)
    return n if n and 1 <= n <= 12 else None


def _n_months(m: re.Match, clock: Clock):
    n, edge, year = _months(m.group(1)), m.group(2), m.group(3)
    year = int(year) if year else (clock.reference.year if clock.reference else None)
    if n is None or year is None:
        return None
    if edge == "cuối":
        return date(year, 13 - n, 1), date(year, 12, 31)
    return date(year, 1, 1), month_end(year, n)


def _n_months_of_year(m: re.Match, clock: Clock):
    n = _months(m.group(1))
    return (date(int(m.group(2)), 1, 1), month_end(int(m.group(2)), n)) if n else None


def _n_months_past(m: re.Match, clock: Clock):
    published = clock.published
    n = _months(m.group(1))
    if n is None or published is None:
        return None
    year = published.year if published.month >= n else published.year - 1
    return date(year, 1, 1), month_end(year, n)


def _month(m: re.Match, clock: Clock):
    month = int(m.group(1))
    if not 1 <= month <= 12:
        return None
    year = int(m.group(2)) if m.group(2) else _year_for_month(month, clock.reference)
    if year is None:
        return None
    return date(year, month, 1), month_end(year, month)


def _year(m: re.Match, clock: Clock):
    published = clock.published
    year = int(m.group(1))
    if not 1990 <= year <= 2100 or (published and year > published.year + 1):
        return None
    return date(year, 1, 1), date(year, 12, 31)


def _years(m: re.Match, clock: Clock):
    first, last = int(m.group(1)), int(m.group(2))
    return (date(first, 1, 1), date(last, 12, 31)) if 1990 <= first <= last <= 2100 else None


def _day(m: re.Match, clock: Clock):
    """One day, D/M[/Y]: the end of 'tính đến ngày D/M' and the whole of 'trong sáng D-M'."""
    d, mo, y = (int(g) if g else None for g in m.groups())
    y = y or _year_for_month(mo, clock.reference)
    end = make_date(y, mo, d) if y else None
    return (end, end) if end else None


def _until_month_end(m: re.Match, clock: Clock):
    mo, y = int(m.group(1)), m.group(2)
    if not 1 <= mo <= 12:
        return None
    y = int(y) if y else _year_for_month(mo, clock.reference)
    return (month_end(y, mo), month_end(y, mo)) if y else None


def _current_quarter(m: re.Match, clock: Clock):
    """'trong quý': the quarter of the publication date; the reader prefers the quarter the
    article is about when it named one."""
    published = clock.published
    if published is None:
        return None
    q = (published.month - 1) // 3
    return date(published.year, 3 * q + 1, 1), month_end(published.year, 3 * q + 3)


def _current_day(m: re.Match, clock: Clock):
    published = clock.published
    return (published, published) if published else None


def _current_month(m: re.Match, clock: Clock):
    published = clock.published
    return (date(published.year, published.month, 1), month_end(published.year, published.month)) if published else None


_UNIT_DAYS = {"ngày": 1, "tuần": 7}


def _after(start: date, n: int, unit: str) -> date:
    """The last day of the first ``n`` days, weeks, months or years from ``start``."""
    if unit in _UNIT_DAYS:
        return start + timedelta(days=n * _UNIT_DAYS[unit] - 1)
    months = n * (12 if unit == "năm" else 1)
    y, mo = divmod(start.month - 1 + months, 12)
    end = make_date(start.year + y, mo + 1, start.day) or month_end(start.year + y, mo + 1)
    return end - timedelta(days=1)


def _count(word: str | None) -> int:
    return 1 if not word or word in ("một", "đầu tiên") else int(word) if word.isdigit() else _MONTH_WORDS.get(word, 1)


def _since_opening(m: re.Match, clock: Clock):
    """'Sau hơn một tháng vận hành': from the day the unit opened to the publication date
    (without one, to the end of the span named)."""
    if clock.opened is None:
        return None
    end = clock.published or _after(clock.opened, _count(m.group(1)), m.group(2))
    return clock.opened, end


def _first_after_opening(m: re.Match, clock: Clock):
    """'Trong 4 ngày đầu hoạt động', 'tháng đầu tiên hoạt động': the first span after opening."""
    if clock.opened is None:
        return None
    return clock.opened, _after(clock.opened, _count(m.group(1)), m.group(2))


def _snapshot(m: re.Match, clock: Clock):
    published = clock.published
    return (published, published) if published else None


def _rules():
    """(kind, regex, builder) triples; builders take the match and the publication date."""
    return [
        ("range", re.compile(r"(?:tính\s+)?từ\s+(?:ngày\s+)?" + _D + r"\s*(?:đến|tới|-)\s*(?:hết\s+)?(?:ngày\s+)?" + _D), _range),
        ("range", re.compile(r"(?<![\d/])" + _D + r"\s*(?:đến|tới|-)\s*(?:hết\s+)?(?:ngày\s+)?" + r"(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4})"), _range),
        ("range", re.compile(r"(?:tính\s+)?từ\s+(?:ngày\s+)?(\d{1,2})\s*(?:đến|tới|-)\s*(?:ngày\s+)?(\d{1,2})\s?[/.\-]\s?(\d{1,2})(?:\s?[/.\-]\s?(\d{4}))?"), _day_range),
        ("range", re.compile(r"(?:tính\s+)?từ\s+(?:ngày\s+)?" + _D + r"\s*(?:đến|tới)\s*(?:hết|cuối)\s+tháng\s+(\d{1,2})(?:" + _YEAR_SEP + _YEAR + ")?"), _to_month_end),
        ("to_date", re.compile(r"(?:tính\s+)?từ\s+(?:ngày\s+)?" + _D + r"\s*(?:đến|tới)\s*nay"), _since_date),
        ("to_date", re.compile(r"(?:tính\s+)?(?:kể\s+)?từ\s+(?:ngày\s+)?" + _D + r"(?!\s*(?:đến|tới|-|\d))"), _since_date),
        ("range", re.compile(r"(?<![\d/.])" + _D + r"\s*(?:đến|tới)\s*(?:hết\s+)?(?:ngày\s+)?" + _D), _range),
        ("to_date", re.compile(r"(?<![^\W\d_])sau\s+(?:hơn\s+|gần\s+)?(\d{1,2}|một|hai|ba)?\s*(ngày|tuần|tháng|năm)\s+"
                               r"(?:chính thức\s+)?(?:đi vào\s+)?(?:hoạt động|vận hành|triển khai)"), _since_opening),
        # "Qua gần 1 năm đã có ...": since opening, where the article names the day it opened
        ("to_date", re.compile(r"(?<![^\W\d_])qua\s+(?:hơn\s+|gần\s+)?(\d{1,2}|một|hai|ba)\s*(ngày|tuần|tháng|năm)(?![^\W\d_])"), _since_opening),
        ("range", re.compile(r"(?<![^\W\d_])(?:trong\s+)?(\d{1,2}|một|hai|ba)?\s*(ngày|tuần|tháng)\s+đầu(?:\s+tiên)?\s+"
                             r"(?:chính thức\s+)?(?:đi vào\s+)?(?:hoạt động|vận hành)"), _first_after_opening),
        ("to_date", re.compile(r"(?:tính\s+)?từ\s+đầu\s+năm(?:\s+(\d{4}))?\s*(?:đến|tới)\s*(?:nay|hiện\s+nay|thời\s+điểm\s+này)"), _since_new_year),
        ("range", re.compile(r"(?:tính\s+)?từ\s+đầu\s+năm(?:\s+(\d{4}))?\s*(?:đến|tới)\s*(?:hết\s+)?(?:ngày\s+)?" + _D), _new_year_to_date),
        ("named", re.compile(r"(?<![^\W\d_])quý\s+(iv|iii|ii|i|[1-4])(?![^\W_])(?:" + _YEAR_SEP + _YEAR + ")?"), _quarter),
        ("named", re.compile(r"(?<![^\W\d_])" + _N_MONTHS + r"\s+tháng\s+(đầu|cuối)(?:\s+của)?\s+năm(?:\s+" + _YEAR + ")?"), _n_months),
        ("named", re.compile(r"(?<![^\W\d_])" + _N_MONTHS + r"\s+tháng(?:\s+qua|\s+vừa\s+qua)?(?:\s+của)?\s+năm\s+" + _YEAR), _n_months_of_year),
        ("named", re.compile(r"(?<![^\W\d_])(3|6|9|ba|sáu|chín)\s+tháng\s+(?:qua|vừa\s+qua)"), _n_months_past),
        ("named", re.compile(r"(?<![^\W\d_])tháng\s+(\d{1,2})(?:" + _YEAR_SEP + _YEAR + r"|(?!\s?[/.\-]?\s?\d))"), _month),
        ("range", re.compile(r"(?<![^\W\d_])(?:từ\s+)?năm\s+(\d{4})\s*-\s*(\d{4})(?!\d)"), _years),
        ("named", re.compile(r"(?<![^\W\d_])(?:cả\s+|trong\s+)?năm\s+" + _YEAR), _year),
        ("until", re.compile(r"(?:tính\s+)?đến\s+(?:hết\s+)?(?:\d{1,2}\s?(?:h|giờ)(?:\s?\d{2})?(?:\s?phút)?\s+)?(?:ngày\s+)?" + _D), _day),
        ("until", re.compile(r"(?:tính\s+đến\s+(?:hết\s+|cuối\s+)?|đến\s+(?:hết|cuối)\s+)tháng\s+(\d{1,2})(?:" + _YEAR_SEP + _YEAR + r")?(?!\s?[/.\-]?\s?\d)"), _until_month_end),
        # "trong sáng 23-2", "riêng ngày 14/7"; a bare "Sáng 8/8, ..." dates the event, not the figures
        ("range", re.compile(r"(?<![^\W\d_])(?:trong|riêng)\s+(?:buổi\s+)?(?:sáng|chiều|tối|ngày)\s+(?:ngày\s+)?" + _D), _day),
        ("current", re.compile(r"(?<![^\W\d_])trong\s+(?:ngày|hôm nay)(?![^\W\d_]|\s*\d)"), _current_day),
        ("current", re.compile(r"(?<![^\W\d_])(?:trong\s+)?(?:buổi\s+)?(?:sáng|chiều)\s+(?:nay|hôm nay|đầu tiên)(?![^\W\d_])"), _current_day),
        ("current", re.compile(r"(?<![^\W\d_])trong\s+quý(?:\s+(?:này|qua|vừa\s+qua))?(?![^\W\d_]|\s+(?:iv|iii|ii|i|[1-4])(?![^\W_]))"), _current_quarter),
        ("current", re.compile(r"(?<![^\W\d_])trong\s+tháng(?:\s+(?:này|qua|vừa\s+qua))?(?![^\W\d_]|\s*\d)"), _current_month),
        ("snapshot", re.compile(r"(?<![^\W\d_])(?:hiện\s+nay|hiện\s+tại|hiện\s+còn|tính\s+đến\s+nay|đến\s+nay)(?![^\W\d_])"), _snapshot),
    ]


_RULES = _rules()
# Spans that look like periods but are not: planning horizons and decade-long programmes.
_NOT_PERIODS = re.compile(r"giai\s+đoạn\s+\d{4}\s*-\s*\d{4}|tầm\s+nhìn\s+(?:đến\s+)?năm\s+\d{4}|đến\s+năm\s+\d{4}")
# "Có đến 5/9 huyện": a count of units over their number, not a date.
_UNIT_AFTER = re.compile(r"\s*(?:huyện|xã|phường|tỉnh|thành phố|quận|thị xã|đơn vị|cơ quan|địa phương|sở|tiêu chí|thủ tục|tthc)(?![^\W\d_])")
# A period named as a comparison or a target is not the report's ("so với cùng kỳ năm 2022").
_NOT_AFTER = re.compile(r"(?:so\s+với|cùng\s+kỳ|phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|dự\s+kiến|kế\s+hoạch)"
                        r"(?:\s+(?:cùng\s+kỳ|của|trong|đến|tới|đạt))*\s*$")
