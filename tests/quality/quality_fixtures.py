"""The seed articles as raw rows (their hand-labelled facts, tests/unit/fixtures_seed_facts.py, in
raw.pages / raw.articles / raw.facts as the extract task writes them), and small readers."""
from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from fixtures_seed_facts import seed_facts, seed_text  # noqa: E402

# seed -> (portal, URL, title, published)
SEED_ARTICLES = {
    "000": ("thoxuan", "https://thoxuan.thanhhoa.gov.vn/tin-tuc/ket-qua-cchc-quy-i-2025.html", "Thọ Xuân: kết quả CCHC quý I/2025", datetime(2025, 3, 26, 8)),
    "001": ("sonla", "https://sonla.gov.vn/tin-tuc/mai-son-so-hoa-ho-so-thang-11-2023.html", "Mai Sơn: số hóa hồ sơ tháng 11/2023", None),
    "002": ("baodongthap", "https://baodongthap.vn/chinh-tri/tan-hong-cai-cach-hanh-chinh-2024.html", "Tân Hồng đẩy mạnh cải cách hành chính", datetime(2024, 10, 16, 7)),
    "003": ("thanhliem", "https://thanhliem.hanam.gov.vn/tin-tuc/6-thang-dau-nam-2022.html", "Thanh Liêm: kết quả 6 tháng đầu năm 2022", datetime(2022, 8, 12, 9)),
    "004": ("baoapbac", "https://baoapbac.vn/xa-hoi/tan-phuoc-1-tan-phuoc-2-chinh-quyen-hai-cap.html", "Tân Phước 1, Tân Phước 2 sau 4 tháng", datetime(2025, 11, 20, 6)),
}
EXTRACTOR = "seed-labels-1"
RUN_ID = "seeds__2026-01-10T010000"


def write_seed_articles(path: Path, seeds=tuple(SEED_ARTICLES)) -> None:
    """raw.pages, raw.articles and raw.facts for the seed articles, as the extract task writes them."""
    from cchc import warehouse

    fetched = datetime(2026, 1, 10, 1, 0)
    with warehouse.connect(path=path) as con, warehouse.transaction(con):
        for seed in seeds:
            portal, url, title, published = SEED_ARTICLES[seed]
            text = seed_text(seed)
            content_hash = hashlib.sha256(text.encode()).hexdigest()
            pvid = hashlib.sha256(f"{url}\n{content_hash}".encode()).hexdigest()[:32]
            html = f"<html><body><h1>{title}</h1><p>{text}</p></body></html>"
            con.execute(
                "insert or ignore into raw.pages (page_version_id, url, final_url, portal_id, page_kind, run_id, fetched_at,"
                " http_status, content_type, charset, content_hash, content_length, tls_verified, listing_title, html)"
                " values (?, ?, ?, ?, 'article', ?, ?, 200, 'text/html; charset=utf-8', 'utf-8', ?, ?, true, ?, ?)",
                [pvid, url, url, portal, RUN_ID, fetched, content_hash, len(html.encode()), title, html],
            )
            con.execute(
                "insert or ignore into raw.articles (page_version_id, extractor_version, portal_id, url, title, published_at,"
                " published_source, text, has_dossier_stats, extracted_at) values (?, ?, ?, ?, ?, ?, 'date_line', ?, true, ?)",
                [pvid, EXTRACTOR, portal, url, title, published, text, fetched + timedelta(minutes=5)],
            )
            for i, f in enumerate(seed_facts(seed)):
                con.execute(
                    "insert or ignore into raw.facts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [hashlib.sha256(f"{pvid}\n{EXTRACTOR}\n{i}".encode()).hexdigest()[:32], pvid, EXTRACTOR, i, f.metric,
                     float(f.value), f.unit, f.qualifier, f.locality.name, f.locality.type, f.locality.province, f.tier,
                     f.period_start, f.period_end, f.evidence.text, f.evidence.start, f.evidence.end, f.value_text],
                )


def seed_url(seed: str) -> str:
    return SEED_ARTICLES[seed][1]


def violations(where: str = "true", params=()) -> list[dict]:
    from cchc import warehouse

    with warehouse.connect(read_only=True) as con:
        cur = con.execute(f"select * from dq.violations where {where}", list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
