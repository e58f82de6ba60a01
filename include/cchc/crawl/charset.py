"""Decode a page's bytes into text, getting Vietnamese right when the server lies.

Vietnamese portals often send no charset, ``iso-8859-1`` for UTF-8 bodies, or a legacy
Windows-1258 body under a Latin-1 header. Valid UTF-8 with multi-byte sequences is almost
never anything else, so UTF-8 is tried first. Otherwise the page's declaration (the header,
then ``<meta>``) is read and checked: when its text is not plausible Vietnamese and another
candidate's is (windows-1258, windows-1252, charset-normalizer's guess), the other wins and
the note says why; when no candidate reads well, the declaration is kept, with a note of
doubt. Text is normalised to NFC: Windows-1258 writes tone marks as combining characters.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)

# Fallbacks when the declaration does not read: the legacy Vietnamese code page first.
_FALLBACKS = ("cp1258", "cp1252")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# UTF-8 lead bytes read as Latin-1/Windows-1252, followed by a continuation byte: "Ã©", "áº".
_MOJIBAKE = re.compile("[ÂÃÄÅÆáâä][\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_WORD = re.compile(r"\w+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_SAMPLE_WORDS = 5000
_COMBINING = re.compile("[\u0300-\u036f]")  # left over after NFC: marks on nothing they compose with


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str
    note: str | None = None  # for the fetch log: why the declaration was overridden, or doubted
    doubtful: bool = False  # no candidate read as Vietnamese: worth a warning


def declared_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER.search(content_type)
    return m.group(1).lower() if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META.search(body[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, charset used)."""
    decoded = decode_page(body, content_type)
    return decoded.text, decoded.charset


def decode_page(body: bytes, content_type: str | None) -> Decoded:
    """The page's text, the charset it was read with, and what the fetch log should say."""
    # What the page claims, strongest first (as browsers rank them): charset -> "header said X"
    claims: dict[str, str] = {}
    for source, name in (("header", declared_charset(content_type)), ("<meta>", meta_charset(body))):
        known = _known(name)
        if known:
            claims.setdefault(known, f"{source} said {name}")
    try:
        text = _nfc(body.decode("utf-8"))
    except UnicodeDecodeError:
        return _choose(body, claims)
    odd = _implausible(text)
    if odd:
        return Decoded(text, "utf-8", f"charset: decoded as utf-8 but the text does not look like Vietnamese ({odd})", True)
    claimed = next(iter(claims), None)
    if claimed not in (None, "utf-8") and not body.isascii():
        return Decoded(text, "utf-8", f"charset: {claims[claimed]}, but the body is valid UTF-8; decoded as utf-8")
    return Decoded(text, "utf-8")


def _choose(body: bytes, claims: dict[str, str]) -> Decoded:
    """A body that is not UTF-8: the claimed charset if its text reads as Vietnamese, else
    the first candidate whose text does, else the claim (or the best guess) with a doubt."""
    readings: dict[str, tuple[str, str]] = {}  # charset -> (text, what is implausible in it)

    def read(name: str | None) -> None:
        if name and name != "utf-8" and name not in readings:
            try:
                text = _nfc(body.decode(name))
            except (UnicodeDecodeError, LookupError):
                return
            readings[name] = (text, _implausible(text))

    for name in (*claims, *_FALLBACKS):
        read(name)
    guess = None
    if all(odd for _, odd in readings.values()):
        guess = _guess(body)
        read(guess)
    first = next((name for name in claims if name in readings), None)
    if first and not readings[first][1]:
        return Decoded(readings[first][0], first)
    plausible = [name for name, (_, odd) in readings.items() if not odd]
    if plausible:
        best = plausible[0]
        if not claims:  # nothing was declared: nothing to explain
            return Decoded(readings[best][0], best)
        if first:
            why = f"{claims[first]}, text was not Vietnamese ({readings[first][1]})"
        else:
            why = f"{next(iter(claims.values()))}, but the body cannot be read that way"
        return Decoded(readings[best][0], best, f"charset: {why}; decoded as {best}")
    kept = first or (guess if guess in readings else next(iter(readings), None))
    if kept is None:  # Last resort keeps every byte visible rather than dropping the page.
        return Decoded(_nfc(body.decode("utf-8", errors="replace")), "utf-8-replace",
                       "charset: no candidate charset could read the body; decoded as utf-8 with replacements", True)
    return Decoded(readings[kept][0], kept,
                   f"charset: decoded as {kept} but the text does not look like Vietnamese ({readings[kept][1]})", True)


def _guess(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return _known(best.encoding) if best is not None else None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _implausible(text: str) -> str:
    """What makes ``text`` (NFC) implausible as Vietnamese: a short description, or "" when
    it reads well. Signs: control or replacement characters, UTF-8 mojibake, letters outside
    the Vietnamese alphabet, combining marks left over, a word with two tone marks or a
    capital after a small letter. A few are tolerated (a foreign name, a stray symbol).
    A wrong charset garbles the whole page alike, so the first words with accents suffice."""
    signs: list[str] = []
    accented, sampled, end = 0, 0, len(text)
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        letters = [c for c in word if ord(c) > 0x7F and not c.isdigit()]
        accented += len(letters)
        signs += [c for c in letters if c not in _vietnamese_letters()]
        if sum(_tone_marks(c) for c in letters) > 1:
            signs.append(word)
        signs += [b for a, b in zip(word, word[1:]) if a.islower() and b.isupper() and ord(b) > 0x7F]
        sampled += 1
        if sampled == _SAMPLE_WORDS:
            end = match.end()
            break
    sample = text[:end]
    signs += _CONTROL.findall(sample) + _MOJIBAKE.findall(sample) + _COMBINING.findall(sample)
    if len(signs) <= max(2, accented // 50):
        return ""
    examples = ", ".join(repr(s) for s in list(dict.fromkeys(signs))[:4])
    return f"{len(signs)} implausible characters or words, e.g. {examples}"


@cache
def _tone_marks(letter: str) -> int:
    return sum(unicodedata.normalize("NFD", letter).count(mark) for mark in _TONE_MARKS)


@cache
def _vietnamese_letters() -> frozenset[str]:
    """Every precomposed letter of the Vietnamese alphabet, both cases."""
    vowels = "aăâeêioôơuưy"
    letters = {unicodedata.normalize("NFC", v + tone) for v in vowels for tone in ("", *_TONE_MARKS)} | {"đ"}
    return frozenset(letters | {c.upper() for c in letters})
