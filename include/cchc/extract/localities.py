"""Localities named in a text: a type word and a proper name ("huyện Thọ Xuân", "xã Tân
Phước 1", "Phường 1", "TP. Cao Lãnh"), and the article's default locality.

The default comes from the ``--locality`` hint when it names a district or commune (the
portal's own unit); when the hint names only a province, or there is none, the article's
subject is the unit its title and lead name most prominently, inside the hint's province. A
region label ("các xã khu vực Tân Phước") names no unit: the type word must be followed by a
capitalised name or a number.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from urllib.parse import urlparse

from cchc.contracts import Locality
from cchc.extract.normalize import NormalText, normalize

# Type words, longest first, as they appear folded (lower case) in the text.
TYPE_WORDS = (
    ("thành phố", "thanh_pho"), ("thị trấn", "thi_tran"), ("thị xã", "thi_xa"), ("đặc khu", "dac_khu"),
    ("huyện", "huyen"), ("phường", "phuong"), ("quận", "quan"), ("tỉnh", "tinh"), ("xã", "xa"),
    ("tp.", "thanh_pho"), ("tp", "thanh_pho"), ("tx.", "thi_xa"), ("q.", "quan"), ("p.", "phuong"),
)
_TYPE = re.compile(
    r"(?<![^\W\d_])(" + "|".join(re.escape(w) for w, _ in TYPE_WORDS) + r")(?:(?<=\.)\s?|\s)(?=\w)"
)
_TYPE_OF = dict(TYPE_WORDS)
MAX_NAME_WORDS = 4
# Types whose bare number is a name ("Phường 1", "Quận 12").
_NUMBERED = frozenset({"phuong", "quan", "xa", "thi_tran"})
# A plural or generic use of a type word names no unit: "các xã", "mỗi huyện".
_PLURAL_BEFORE = re.compile(r"(?:các|những|mỗi|từng|nhiều|\d+|khu vực) $")
# Province-level cities: their own province.
CENTRAL_CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế"})
_ABBREVIATED_CITIES = {"hcm": "Hồ Chí Minh", "hồ chí minh": "Hồ Chí Minh", "hn": "Hà Nội"}

# Provinces as named before and after the 2025 merger (the merged ones kept the first name).
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)


@dataclass(frozen=True)
class LocalityMention:
    """A locality named at ``[start, end)`` of the normalised text; ``qualifier`` marks a
    parent named right after another unit ("xã An Phước (huyện Tân Hồng)")."""

    start: int
    end: int
    locality: Locality
    qualifier: bool = False


def find_localities(nt: NormalText, lo: int = 0, hi: int | None = None) -> list[LocalityMention]:
    """Every locality mention in ``nt.text[lo:hi]``, with parent provinces folded in."""
    hi = len(nt.text) if hi is None else hi
    mentions: list[LocalityMention] = []
    for m in _TYPE.finditer(nt.folded, lo, hi):
        if _PLURAL_BEFORE.search(nt.folded[max(lo, m.start() - 12):m.start()]):
            continue
        kind = _TYPE_OF[m.group(1)]
        name, end = _name_after(nt, m.end(), hi, kind)
        if name:
            mentions.append(LocalityMention(m.start(), end, Locality(name, kind)))
    return _attach_parents(nt, mentions)


def _name_after(nt: NormalText, at: int, hi: int, kind: str) -> tuple[str | None, int]:
    """The capitalised words (and a trailing number) naming a unit from ``at`` on."""
    text = nt.text
    if kind == "thanh_pho":
        for abbr, full in _ABBREVIATED_CITIES.items():
            if nt.folded.startswith(abbr, at) and not text[at + len(abbr):at + len(abbr) + 1].isalpha():
                return full, at + len(abbr)
    words: list[str] = []
    pos = end = at
    for m in re.finditer(r"[^\W_]+", text[at:hi]):
        gap = text[pos:at + m.start()]
        # "Bà Rịa - Vũng Tàu": a hyphen between capitalised words joins one name
        if words and gap not in (" ", " - ") or (not words and gap.strip()) or (gap == " - " and not m.group(0)[0].isupper()):
            break
        word = m.group(0)
        if word.isdigit():
            if (words or kind in _NUMBERED) and len(word) <= 2 and not _followed_by_count(nt, at + m.end()):
                words.append(word)
                end = at + m.end()
            break
        if not (word[0].isupper() and (len(word) == 1 or not word.isupper())) or any(c.isdigit() for c in word):
            break
        words.append(("- " if gap == " - " else "") + word)
        pos = end = at + m.end()
        if len(words) == MAX_NAME_WORDS:
            break
    if not words or (words[0].isdigit() and kind not in _NUMBERED) or (len(words) == 1 and len(words[0]) == 1 and words[0].isalpha()):
        return None, at  # "P.G" under an article is a byline's initials, not "phường G"
    return " ".join(words), end


def _followed_by_count(nt: NormalText, at: int) -> bool:
    """'xã Đồi Mây 12 hồ sơ': the number is a count, not part of the name."""
    return bool(re.match(r"\s?(?:[.,/]\d|%|\s*(?:hồ sơ|hs|thủ tục|tthc|trường hợp|nhiệm vụ|lĩnh vực)\b)", nt.folded[at:at + 20]))


def _attach_parents(nt: NormalText, mentions: list[LocalityMention]) -> list[LocalityMention]:
    """'xã A (huyện B)', 'huyện B, tỉnh C', 'huyện B tỉnh C': the second names a parent;
    a province parent becomes the first's province."""
    out: list[LocalityMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev and re.fullmatch(r"\s*[(,\-]?\s*", nt.text[prev.end:m.start]) and _rank(m) > _rank(prev):
            if m.locality.type == "tinh" and prev.locality.province is None:
                out[-1] = replace(prev, locality=replace(prev.locality, province=m.locality.name))
            out.append(replace(m, qualifier=True))
            continue
        out.append(m)
    return out


_RANKS = {"tinh": 3, "huyen": 2, "quan": 2, "thi_xa": 2, "thanh_pho": 2, "xa": 1, "phuong": 1, "thi_tran": 1, "dac_khu": 1}


def _rank(m: LocalityMention) -> int:
    return _RANKS.get(m.locality.type, 0)


def parse_hint(hint: str | None) -> tuple[Locality | None, str | None]:
    """'huyện Thọ Xuân, tỉnh Thanh Hóa' -> (Locality(Thọ Xuân, huyen, Thanh Hóa), 'Thanh Hóa');
    'tỉnh Sơn La' -> (Locality(Sơn La, tinh), 'Sơn La')."""
    if not hint or not hint.strip():
        return None, None
    mentions = find_localities(normalize(hint.strip()))
    if not mentions:
        return None, None
    province = next((m.locality.name for m in mentions if m.locality.type == "tinh"), None)
    first = mentions[0].locality
    if first.type == "tinh":
        return replace(first, province=first.name), first.name
    return replace(first, province=first.province or province or _central(first)), province


def _central(loc: Locality) -> str | None:
    return loc.name if loc.type == "thanh_pho" and loc.name in CENTRAL_CITIES else None


def province_from_url(url: str | None) -> str | None:
    """The province a portal's host names: 'sonla.gov.vn', 'thoxuan.thanhhoa.gov.vn',
    'baodongthap.vn'."""
    if not url:
        return None
    try:
        host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:  # "http://[": not a URL a portal would have
        return None
    return province_in_host(host)


def province_in_host(host: str) -> str | None:
    labels = [lb for lb in host.split(".") if lb not in ("gov", "vn", "com", "www", "org", "net", "edu")]
    for name in sorted(PROVINCES, key=len, reverse=True):
        slug = _slug(name)
        if any(lb == slug or lb.endswith(slug) or lb.startswith(slug) for lb in labels):
            return name
    return None


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower()


def default_locality(nt: NormalText, hint: str | None, url: str | None, head_end: int) -> Locality | None:
    """The locality a fact gets when its sentence names none (docstring of the module)."""
    hinted, hint_province = parse_hint(hint)
    province = hint_province or province_from_url(url) or _province_in_text(nt)
    if hinted is not None and hinted.type != "tinh":
        return hinted if hinted.province else replace(hinted, province=province)
    subject = _prominent(nt, head_end, whole_text=hinted is None)
    if subject is not None:
        return replace(subject, province=subject.province or (subject.name if subject.type == "tinh" else province) or _central(subject))
    if hinted is not None:
        return hinted
    if province:
        return Locality(province, "tinh", province)
    return None


def _province_in_text(nt: NormalText) -> str | None:
    head = nt.text[:3000]
    for m in find_localities(normalize(head)):
        if m.locality.type == "tinh":
            return m.locality.name
    m = re.search(r"\(([a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.vn)\)", nt.folded[:3000])
    return province_in_host(m.group(1)) if m else None


def _prominent(nt: NormalText, head_end: int, whole_text: bool = True) -> Locality | None:
    """The unit the title and lead are about: the one named in the title (with or without its
    type word), else the first one the head names; failing both, and only where no hint names
    the portal's province (whose own figures an article about no named unit then gives), the
    unit below province level named most often in the whole text."""
    head = [m.locality for m in find_localities(nt, 0, head_end) if not m.qualifier]
    title = nt.text[:nt.text.find("\n")] if "\n" in nt.text else nt.text
    for loc in head:
        if loc.name in title:
            return loc
    if head:
        return head[0]
    if not whole_text:
        return None
    every = [m.locality for m in find_localities(nt) if not m.qualifier and m.locality.type != "tinh"]
    if not every:
        return None
    counts = Counter(every)
    return max(every, key=lambda loc: counts[loc])
