"""One article under several addresses, and republished by another portal, is one publication:
the marts hold its facts once and count it as one source. Real extraction, real dbt build."""
from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from cchc import warehouse
from cchc.extract.pipeline import extract_pending

ARTICLE = """<html><head><title>{title}</title>{canonical}</head><body><h1>{title}</h1>
<p>Đăng lúc: 05/10/2024 08:30</p>
<p>{lead}Trong quý {quarter} năm 2024, huyện Thọ Xuân tiếp tục đẩy mạnh cải cách hành chính, nâng cao chất lượng
phục vụ người dân và doanh nghiệp.</p>
<p>Bộ phận một cửa của huyện đã tiếp nhận {received} hồ sơ thủ tục hành chính, đã giải quyết
{resolved} hồ sơ, trong đó giải quyết đúng hạn {on_time} hồ sơ.</p>
<p>Thời gian tới, huyện tiếp tục rà soát quy trình, đơn giản hóa thủ tục, tăng cường ứng dụng công nghệ
thông tin trong giải quyết thủ tục hành chính, phấn đấu hoàn thành các chỉ tiêu được giao.</p>
{byline}</body></html>"""

FIGURES = {"quarter": "III", "received": "4.321", "resolved": "4.300", "on_time": "4.290"}
ORIGINAL = ARTICLE.format(title="Thọ Xuân: kết quả cải cách hành chính quý III/2024", canonical="", lead="", byline="", **FIGURES)
# the province portal republishes it under its own address, with a source line and a lead-in
REPUBLISHED = ARTICLE.format(title="Thọ Xuân: kết quả cải cách hành chính quý III/2024", canonical="",
                             lead="(Cổng tỉnh) ", byline="<p>Nguồn: Cổng thông tin điện tử huyện Thọ Xuân</p>", **FIGURES)
# the same template with another quarter's figures: another publication, however alike the words
TEMPLATE_ALIKE = ARTICLE.format(title="Thọ Xuân: kết quả cải cách hành chính quý III/2024", canonical="", lead="",
                                byline="", quarter="II", received="4.400", resolved="4.350", on_time="4.340")

PAGES = [  # (portal, url, html)
    ("thoxuan", "http://thoxuan.example.vn/tin-tuc/cchc-quy-3-2024.html?utm_source=facebook&fbclid=x1", ORIGINAL),
    ("thoxuan", "https://www.thoxuan.example.vn/tin-tuc/cchc-quy-3-2024.html", ORIGINAL),
    ("thanhhoa", "https://thanhhoa.example.vn/tin-huyen/tho-xuan-cchc-quy-3.html", REPUBLISHED),
    ("thoxuan", "https://thoxuan.example.vn/tin-tuc/cchc-quy-3-2024-cap-nhat.html", TEMPLATE_ALIKE),
]


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    from cchc.dbt_runner import dbt_build

    root = tmp_path_factory.mktemp("identity")
    path = root / "warehouse.duckdb"
    with warehouse.connect(path=path) as con:
        for i, (portal, url, html) in enumerate(PAGES):
            con.execute(
                "insert into raw.pages values (?, ?, ?, ?, 'article', 'night-1', ?, 200, 'text/html', 'utf-8', 'utf-8',"
                " null, null, ?, ?, true, null, ?)",
                [f"pv{i}", url, url, portal, datetime(2024, 10, 5, 12, i), f"hash{i}", len(html), html],
            )
        extract_pending(con, {"thoxuan": "huyện Thọ Xuân, tỉnh Thanh Hóa", "thanhhoa": "tỉnh Thanh Hóa"})
    result = dbt_build(root / "target", warehouse_path=path)
    assert result["ok"], result["failures"]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_the_addresses_of_one_article_are_one_article(marts):
    rows = marts.execute("select canonical_url, n_addresses from marts.dim_article where portal_id = 'thoxuan' order by 1").fetchall()
    assert rows == [("thoxuan.example.vn/tin-tuc/cchc-quy-3-2024-cap-nhat.html", 1),
                    ("thoxuan.example.vn/tin-tuc/cchc-quy-3-2024.html", 2)]


def test_a_republished_copy_links_to_its_original_and_adds_no_fact(marts):
    copy, original, n_copies = marts.execute(
        "select c.article_id, c.copy_of_article_id, c.n_copies from marts.dim_article c where c.portal_id = 'thanhhoa'").fetchone()
    assert original == marts.execute("select article_id from marts.dim_article where canonical_url = ?",
                                     ["thoxuan.example.vn/tin-tuc/cchc-quy-3-2024.html"]).fetchone()[0]
    assert n_copies == 2
    assert marts.execute("select count(*) from marts.fct_dossier_facts where article_id = ?", [copy]).fetchone()[0] == 0


def test_the_marts_hold_the_articles_facts_once_from_one_source(marts):
    received = marts.execute(
        "select period_start, value, n_sources from marts.ts_dossier_metrics where metric = 'dossiers_received' order by 1").fetchall()
    # the original, stated under two addresses and copied once; and the alike article of another quarter
    assert [(str(start), value, n) for start, value, n in received] == [("2024-04-01", 4400.0, 1), ("2024-07-01", 4321.0, 1)]
    assert marts.execute("select count(*) from marts.fct_dossier_facts where metric = 'dossiers_received'").fetchone()[0] == 2
    assert marts.execute("select count(distinct publication_id) from marts.dim_article").fetchone()[0] == 2
