"""Loading an article from a file: encodings, HTML, the date line."""
import unicodedata
from datetime import date, datetime

import pytest

from cchc.extract.article import ArticleReadError, load_article


def test_plain_text_date_line(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Tiêu đề bài\nCập nhật ngày: 21/05/2024 08:47:12\nNội dung.", encoding="utf-8")
    text, published, title = load_article(str(p))
    assert (published, title) == (date(2024, 5, 21), "Tiêu đề bài") and text.startswith("Tiêu đề")


def test_bare_date_line(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Tiêu đề\n14/11/2023\nNội dung.", encoding="utf-8")
    assert load_article(str(p))[1] == date(2023, 11, 14)


def test_relative_date_resolves_against_the_fetch_time(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("🔍\nTiêu đề\n\n1 giờ trước\nNội dung.", encoding="utf-8")
    assert load_article(str(p), fetched_at=datetime(2025, 11, 20, 0, 30))[1] == date(2025, 11, 19)


def test_a_date_inside_a_sentence_is_not_the_publication_date(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Tiêu đề\nChiều ngày 12/8/2022 UBND huyện tổ chức hội nghị sơ kết.", encoding="utf-8")
    assert load_article(str(p))[1] is None


def to_cp1258(s: str) -> bytes:
    """Windows-1258 has base letters with their vowel marks but the tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in s:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + "".join(c for c in decomposed if c in tones)).encode("cp1258")
    return out


def test_windows_1258_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(to_cp1258("Tiêu đề\nĐăng lúc: 26/03/2025\nhuyện Thọ Xuân tiếp nhận 500 hồ sơ."))
    text, published, _ = load_article(str(p))
    assert "Thọ Xuân" in unicodedata.normalize("NFC", text) and published == date(2025, 3, 26)


def test_html_page(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>Tin</title></head><body><article><h1>Tin</h1><p>Đăng lúc: 26/03/2025</p>"
                 "<p>Trong quý I/2025, UBND huyện Thọ Xuân tiếp nhận 500 hồ sơ, giải quyết 480 hồ sơ đúng hạn, bảo đảm "
                 "quy trình một cửa và phục vụ tốt người dân, doanh nghiệp trên địa bàn.</p></article></body></html>",
                 encoding="utf-8")
    text, published, _ = load_article(str(p))
    assert "tiếp nhận 500 hồ sơ" in text and "<p>" not in text and published == date(2025, 3, 26)


@pytest.mark.parametrize("make, reason", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: d, "is a directory"),
])
def test_unreadable_paths_name_the_path(tmp_path, make, reason):
    path = make(tmp_path)
    with pytest.raises(ArticleReadError) as err:
        load_article(str(path))
    assert str(path) in str(err.value) and reason in str(err.value)


def test_binary_file(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    with pytest.raises(ArticleReadError, match="binary"):
        load_article(str(p))
