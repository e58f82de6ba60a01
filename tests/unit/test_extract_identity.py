"""The identity of a page: the addresses of one article meet; fingerprints tell copies."""
from __future__ import annotations

import pytest

from cchc.extract.identity import canonical_url, figures_hash, simhash, text_hash

KEY = "mauson.example.vn/tin-tuc/bai-1.html?id=7"


@pytest.mark.parametrize("url", [
    "http://mauson.example.vn/tin-tuc/bai-1.html?id=7",
    "https://www.MauSon.example.vn:443/tin-tuc/bai-1.html?id=7#binh-luan",
    "https://mauson.example.vn/tin-tuc/bai-1.html/?utm_source=zalo&id=7&fbclid=abc",
])
def test_the_addresses_of_one_article_share_one_key(url):
    assert canonical_url(url) == KEY


def test_articles_named_in_the_query_stay_apart():
    assert canonical_url("https://xa.example.vn/chi-tiet.aspx?newsid=7&utm_source=zalo") == "xa.example.vn/chi-tiet.aspx?newsid=7"
    assert canonical_url("https://xa.example.vn/chi-tiet.aspx?newsid=8") == "xa.example.vn/chi-tiet.aspx?newsid=8"
    home = '<head><link rel="canonical" href="https://xa.example.vn/"></head>'  # a template's mistake
    assert canonical_url("https://xa.example.vn/tin-tuc/bai-3.html", home) == "xa.example.vn/tin-tuc/bai-3.html"


def test_a_declared_canonical_counts_only_on_the_same_host_family():
    own = '<head><link rel="canonical" href="https://www.mauson.example.vn/tin-tuc/bai-1.html?id=7"></head>'
    other = '<head><meta property="og:url" content="https://tinh.example.vn/tin-huyen/bai-9.html"></head>'
    assert canonical_url("https://mauson.example.vn/in-bai?id=7&print=1", own) == KEY
    assert canonical_url("https://mauson.example.vn/tin-tuc/bai-2.html", other) == "mauson.example.vn/tin-tuc/bai-2.html"


def test_fingerprints_tell_exact_copies_near_copies_and_template_alikes_apart():
    text = ("Trong tháng 9, xã Mẫu Sơn tiếp nhận 321 hồ sơ, giải quyết 300 hồ sơ, trong đó đúng hạn 290 hồ sơ. "
            "Xã tiếp tục rà soát quy trình, đơn giản hóa thủ tục và tăng cường ứng dụng công nghệ thông tin.")
    assert text_hash(text) == text_hash("  " + text.upper().replace(" ", "\n  "))
    copy = text + " Nguồn: Cổng thông tin điện tử xã Mẫu Sơn."
    alike = text.replace("321", "354").replace("300", "340")
    assert figures_hash(copy) == figures_hash(text) != figures_hash(alike)
    assert bin((simhash(text) ^ simhash(alike)) & (2**64 - 1)).count("1") <= 12  # why figures must match too
    assert figures_hash("Năm 2024, xã tiếp nhận 12 hồ sơ.") is None  # too few figures to say anything
