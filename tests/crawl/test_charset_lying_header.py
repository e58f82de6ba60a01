"""A legacy Vietnamese page (Windows-1258) under a lying header is read as Vietnamese, and
the fetch log says why; honest pages are left alone."""
from __future__ import annotations

import logging
import unicodedata

from cchc.crawl import charset
from cchc.crawl.crawler import crawl_portal
from cchc.settings import get_settings

from loopback_site import Page

# Invented text; every letter class of the language (ă â đ ê ô ơ ư, all five tone marks).
TEXT = (
    "Ủy ban nhân dân xã Mẫu Sơn tiếp nhận 1.234 hồ sơ, giải quyết đúng hạn 1.200 hồ sơ, "
    "đạt 97,2%. Việc cải cách thủ tục hành chính được đẩy mạnh; người dân hài lòng với "
    "dịch vụ công trực tuyến ở Bắc Ẩn và Ngã Ba Ượm."
)
LYING = "text/html; charset=ISO-8859-1"
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as legacy editors wrote it: base letters precomposed where the code page
    has them (â, ơ, đ...), tone marks as combining characters."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return out


def html(text: str) -> str:
    return f"<!DOCTYPE html><html><head><title>Tin mẫu</title></head><body><p>{text}</p></body></html>"


def crawl_one(site, body: bytes, content_type: str):
    site.pages["/tin-tuc"] = Page(b'<a href="/bai-viet/1">Tin</a>')
    site.pages["/bai-viet/1"] = Page(body, headers={"Content-Type": content_type})
    result = crawl_portal(site.portal(), get_settings(), "r1")
    page = next(p for p in result.pages if p["page_kind"] == "article")
    row = next(r for r in result.log if r["url"] == site.base_url + "/bai-viet/1")
    return page, row


def test_windows_1258_under_a_latin1_header_is_decoded_as_vietnamese():
    decoded = charset.decode_page(cp1258(html(TEXT)), LYING)
    assert decoded.charset == "cp1258"
    assert unicodedata.normalize("NFC", TEXT) in decoded.text
    assert "header said iso-8859-1" in decoded.note and "decoded as cp1258" in decoded.note


def test_windows_1258_page_under_a_lying_header_is_stored_as_nfc_vietnamese(loopback_site):
    page, row = crawl_one(loopback_site, cp1258(html(TEXT)), LYING)
    assert page["charset"] == "cp1258" and page["declared_charset"] == "iso-8859-1"
    assert unicodedata.normalize("NFC", TEXT) in page["html"]
    assert "charset: header said iso-8859-1, text was not Vietnamese" in row["note"]
    assert "decoded as cp1258" in row["note"]


def test_a_correct_utf8_page_gets_no_charset_note(loopback_site):
    page, row = crawl_one(loopback_site, html(TEXT).encode("utf-8"), "text/html; charset=utf-8")
    assert page["charset"] == "utf-8" and TEXT in page["html"]
    assert row["note"] is None


def test_a_correctly_declared_windows_1258_page_gets_no_charset_note(loopback_site):
    page, row = crawl_one(loopback_site, cp1258(html(TEXT)), "text/html; charset=windows-1258")
    assert page["charset"] == "cp1258"
    assert unicodedata.normalize("NFC", TEXT) in page["html"]
    assert row["note"] is None


def test_text_no_candidate_reads_as_vietnamese_is_kept_with_a_warning(loopback_site, caplog):
    garbled = "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)) * 20
    with caplog.at_level(logging.WARNING, logger="cchc.crawl.fetch"):
        page, row = crawl_one(loopback_site, f"<p>{garbled}</p>".encode("latin-1"), LYING)
    assert page["charset"] == "iso8859-1" and garbled in page["html"]
    assert "does not look like Vietnamese" in row["note"]
    assert any("does not look like Vietnamese" in r.getMessage() for r in caplog.records)
