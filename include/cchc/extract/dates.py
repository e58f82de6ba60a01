"""Calendar dates as Vietnamese pages write them, and the publication date of a plain-text
article.

Dates come day first: "26/03/2025", "1-7-2025", "5.3.2019", "ngày 20/2" (no year). Plain-text
articles carry their publication date in a line near the top: "Đăng lúc: 26/03/2025 (GMT+7)",
"Cập nhật ngày: 21/05/2024 08:47:12", a bare "14/11/2023" line, or a relative "1 giờ trước"
that only the fetch time can resolve.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta

# d/m/yyyy, d-m-yyyy, d.m.yyyy; the separators need not match ("21/7đến 20/8/2021" is damage
# the period rules tolerate, not this one).
DATE = r"(?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})(?:\s?[/.\-]\s?(?P<y>\d{4}))?"
_FULL_DATE = re.compile(r"(?<![\d.,/])(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4})(?![\d/])")
# A day and month without year counts as a date only after "ngày" or a time of day ("vào sáng
# 13-10"), or in a range (see periods).
_DAY_MONTH = re.compile(r"(?<![^\W\d_])(?:ngày|sáng|chiều|tối|trưa)\s+(\d{1,2})\s?[/.\-]\s?(\d{1,2})(?![\d/.\-])")
_TIME = re.compile(r"(?<!\d)\d{1,2}\s?(?::\d{2}(?::\d{2})?|h\d{0,2}(?:['’p]|phút)?)(?![\w])")

_LABEL = re.compile(
    r"(?:đăng\s+lúc|đăng\s+ngày|ngày\s+đăng|cập\s+nhật\s+ngày|ngày\s+cập\s+nhật|cập\s+nhật\s+lúc|cập\s+nhật|"
    r"ngày\s+xuất\s+bản|xuất\s+bản|thời\s+gian\s+đăng|đăng\s+tải|ngày|published|posted|updated)\s*:?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"(?<![\w])(\d{1,3})\s*(phút|giờ|tiếng|ngày|tuần|tháng)\s+trước(?![\w])", re.IGNORECASE)
_RELATIVE_UNITS = {"phút": timedelta(minutes=1), "giờ": timedelta(hours=1), "tiếng": timedelta(hours=1),
                   "ngày": timedelta(days=1), "tuần": timedelta(weeks=1), "tháng": timedelta(days=30)}
_HEAD_LINES = 15  # the date line sits under the title, never deep in the body
_MAX_DATE_LINE = 80  # a date line is short: label, date, time, zone


def make_date(year: int, month: int, day: int) -> date | None:
    """A real calendar date or None ("31/2/2024" is a typo, not a date)."""
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def full_date_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of every date and time-of-day in a text: numbers there are never facts."""
    spans = [m.span() for m in _FULL_DATE.finditer(folded)]
    spans += [m.span() for m in _DAY_MONTH.finditer(folded)]
    spans += [m.span() for m in _TIME.finditer(folded)]
    return spans


def find_publication_date(text: str, fetched_at: datetime | None = None) -> date | None:
    """The publication date from a date line among the first lines of a plain-text article:
    a labelled or bare date line, else a relative one counted back from ``fetched_at``."""
    lines = [unicodedata.normalize("NFC", ln).strip() for ln in text[:20_000].splitlines() if ln.strip()][:_HEAD_LINES]
    for line in lines:
        found = _date_line(line)
        if found:
            return found
    for line in lines:
        m = _RELATIVE.search(line)
        if m and len(line) <= _MAX_DATE_LINE:
            now = fetched_at or datetime.now()
            return (now - int(m.group(1)) * _RELATIVE_UNITS[m.group(2).lower()]).date()
    return None


def _date_line(line: str) -> date | None:
    """The date of a short line made of a label, a date, and maybe a time and a zone."""
    if len(line) > _MAX_DATE_LINE:
        return None
    m = _FULL_DATE.search(line)
    if not m:
        return None
    rest = (line[:m.start()] + " " + line[m.end():]).strip()
    rest = _LABEL.sub(" ", rest)
    rest = re.sub(r"\(?gmt\s*[+-]\s*\d+\)?|\d{1,2}:\d{2}(:\d{2})?|\b(sa|ch|am|pm)\b|"
                  r"thứ\s+\w+|chủ\s+nhật|[,|\-–()]", " ", rest, flags=re.IGNORECASE)
    if rest.strip():
        return None
    return make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
