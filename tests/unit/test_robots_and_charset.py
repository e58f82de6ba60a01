"""robots.txt parsing and charset decoding, on their own."""
from __future__ import annotations

from cchc.crawl import charset, robots

VIETNAMESE = "Cải cách hành chính: tiếp nhận 2.168 hồ sơ, đạt 90,26%"


def test_crawl_delay_accepts_decimals_and_prefers_our_own_group():
    text = "User-agent: *\nDisallow: /admin/\nCrawl-delay: 0.5\n\nUser-agent: cchc-warehouse\nCrawl-delay: 2\nDisallow: /noi-bo/\n"
    parsed = robots.parse(text)
    assert parsed.crawl_delay == 2.0
    assert not parsed.allowed("http://h/noi-bo/x.html")
    assert parsed.allowed("http://h/tin-tuc/x.html")


def test_disallow_rules_apply_to_any_agent():
    parsed = robots.parse("User-agent: *\nDisallow: /admin/\nCrawl-delay: 0.2\n")
    assert parsed.crawl_delay == 0.2
    assert not parsed.allowed("http://h/admin/login")


def test_utf8_body_wins_over_a_wrong_latin1_header():
    text, used = charset.decode(VIETNAMESE.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert text == VIETNAMESE and used == "utf-8"


def test_legacy_vietnamese_encoding_is_read_from_the_meta_tag():
    words = "Thái, Hà Nam, Đà, Hóa"  # all precomposed in windows-1258
    body = f'<meta charset="windows-1258"><p>{words}</p>'.encode("cp1258")
    text, used = charset.decode(body, "text/html")
    assert used == "cp1258"
    assert words in text


def test_header_charset_is_parsed():
    assert charset.declared_charset('text/html; charset="UTF-8"') == "utf-8"
    assert charset.declared_charset("text/html") is None
