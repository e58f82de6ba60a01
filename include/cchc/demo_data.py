"""Demo and synthetic rows for the raw tables, for the dbt project's tests and benchmarks.

``seed_demo_warehouse(path)`` writes a handful of articles whose facts cover what the marts must
handle (every number below is what ``tests/dbt/test_dbt_build.py`` expects back):

- two years of quarters (2023-2024) for three districts of Thanh Hóa (Thọ Xuân, Triệu Sơn,
  Yên Định), district tier, plus commune and all tiers for Thọ Xuân;
- three communes created on 1 July 2025 (Xã Thọ Xuân, Xã Sao Vàng, Xã Lam Sơn, Thanh Hóa),
  quarters III and IV/2025 and a "từ 1-7-2025 đến nay" range;
- the province (Năm 2023, Năm 2024, 6 tháng đầu năm 2024, 9 tháng 2024), Mai Sơn (Sơn La,
  Tháng 10 and 11/2023 and a Decree 09 reporting window for quý I/2023; November breaks the
  intake identity with no single number to blame, October states 27 of 30 tasks as 91 %, a
  break the rate alone explains), Thanh Liêm (Hà Nam,
  from the start of 2024 to 15/10/2024);
- two articles disagreeing on one value: Thọ Xuân's district tier, quý II/2024, resolved
  ``QUARTER_BASE`` value in the quarterly article and ``DISAGREE_RESOLVED`` in a later one,
  which also states the online intake hedged ("hơn 700");
- an older extractor version and an older page version of one article with wrong numbers, which
  must not reach the marts.

``generate_facts(path, n)`` appends ``n`` synthetic facts (and their pages and articles) with
DuckDB's ``generate_series``: no Python loop over rows.
"""
from __future__ import annotations

import hashlib
import math
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

EXTRACTOR = "text-1+facts-2"
OLD_EXTRACTOR = "text-0+facts-0"
RUN_ID = "demo__2026-01-10T010000"

# (name, type, province, portal, size): quarterly districts of Thanh Hóa
DISTRICTS = [("Thọ Xuân", "thoxuan", 1000), ("Triệu Sơn", "trieuson", 800), ("Yên Định", "yendinh", 600)]
QUARTERS = [(y, q) for y in (2023, 2024) for q in (1, 2, 3, 4)]
NEW_COMMUNES = [("Thọ Xuân", 420), ("Sao Vàng", 310), ("Lam Sơn", 260)]
DISAGREE_RESOLVED = 1214  # the later article's figure for Thọ Xuân, district tier, quý II/2024

METRIC_LABELS = {
    "dossiers_received": "tổng số hồ sơ tiếp nhận",
    "dossiers_received_new": "mới tiếp nhận",
    "dossiers_carried_over": "kỳ trước chuyển sang",
    "dossiers_received_online": "tiếp nhận trực tuyến",
    "dossiers_received_offline": "tiếp nhận trực tiếp và qua bưu chính",
    "dossiers_resolved": "đã giải quyết",
    "dossiers_resolved_early_or_on_time": "giải quyết trước hạn và đúng hạn",
    "dossiers_resolved_overdue": "giải quyết quá hạn",
    "dossiers_in_progress": "đang giải quyết",
    "dossiers_digitized": "số hóa hồ sơ",
    "rate_received_online": "tỷ lệ tiếp nhận trực tuyến",
    "rate_resolved_early_or_on_time": "tỷ lệ giải quyết trước hạn và đúng hạn",
    "rate_digitized": "tỷ lệ số hóa",
}


def _trunc2(x: float) -> float:
    """Sources truncate rates to two decimals as often as they round."""
    return math.floor(x * 100 + 1e-9) / 100


def quarter_counts(size: int, k: int, i: int = 0) -> dict[str, float]:
    """The dossier flow of one district-tier quarter: size ``size``, quarter index ``k`` (0 =
    quý I/2023), district index ``i``. Every identity of docs/arithmetic.md holds."""
    new = size + 37 * k + 11 * i
    carried = 40 + 3 * k
    received = new + carried
    online = math.floor(new * min(0.95, 0.55 + 0.03 * k + 0.02 * i))
    resolved = received - (30 + k)
    overdue = 3 + (k + i) % 4
    digitized = math.floor(received * min(0.95, 0.70 + 0.02 * k))
    return {
        "dossiers_received": received,
        "dossiers_received_new": new,
        "dossiers_carried_over": carried,
        "dossiers_received_online": online,
        "dossiers_received_offline": new - online,
        "dossiers_resolved": resolved,
        "dossiers_resolved_early_or_on_time": resolved - overdue,
        "dossiers_resolved_overdue": overdue,
        "dossiers_in_progress": received - resolved,
        "dossiers_digitized": digitized,
        "rate_received_online": _trunc2(100 * online / new),
        "rate_resolved_early_or_on_time": _trunc2(100 * (resolved - overdue) / resolved),
        "rate_digitized": _trunc2(100 * digitized / received),
    }


def _quarter_dates(y: int, q: int) -> tuple[date, date]:
    start = date(y, 3 * q - 2, 1)
    end = (date(y + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def _sum(*blocks: dict[str, float]) -> dict[str, float]:
    counts = [m for m in blocks[0] if not m.startswith("rate_")]
    total = {m: sum(b[m] for b in blocks) for m in counts}
    total["rate_received_online"] = _trunc2(100 * total["dossiers_received_online"] / total["dossiers_received_new"])
    total["rate_resolved_early_or_on_time"] = _trunc2(
        100 * total["dossiers_resolved_early_or_on_time"] / total["dossiers_resolved"])
    total["rate_digitized"] = _trunc2(100 * total["dossiers_digitized"] / total["dossiers_received"])
    return total


def _roman(q: int) -> str:
    return ["I", "II", "III", "IV"][q - 1]


class _Builder:
    """Collects raw rows for a set of articles."""

    def __init__(self) -> None:
        self.pages: list[dict[str, Any]] = []
        self.articles: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []

    def article(self, portal: str, slug: str, title: str, published: datetime,
                reports: list[tuple[tuple[str, str, str | None], str, date, date, dict[str, float], dict[str, str]]],
                *, fetched: datetime | None = None, extractor: str = EXTRACTOR, body_salt: str = "",
                extracted: datetime | None = None) -> str:
        """One article (page version + extraction) stating ``reports``: each is
        ((locality name, type, province), tier, period start, period end, {metric: value},
        {metric: qualifier})."""
        url = f"https://{portal}.example.vn/tin-tuc/{slug}.html"
        fetched = fetched or published + timedelta(hours=20)
        content_hash = hashlib.sha256(f"{url}\n{title}\n{body_salt}".encode()).hexdigest()
        pvid = hashlib.sha256(f"{url}\n{content_hash}".encode()).hexdigest()[:32]
        if not any(p["page_version_id"] == pvid for p in self.pages):
            html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
            self.pages.append({
                "page_version_id": pvid, "url": url, "final_url": url, "portal_id": portal, "page_kind": "article",
                "run_id": RUN_ID, "fetched_at": fetched, "http_status": 200, "content_type": "text/html; charset=utf-8",
                "declared_charset": "utf-8", "charset": "utf-8", "etag": None, "last_modified": None,
                "content_hash": content_hash, "content_length": len(html.encode()), "tls_verified": True,
                "listing_title": title, "html": html,
            })
        sentences: list[str] = []
        ordinal = 0
        fact_rows = []
        for (loc_name, loc_type, province), tier, start, end, values, qualifiers in reports:
            for metric, value in values.items():
                qualifier = qualifiers.get(metric, "exact")
                hedge = {"exact": "", "approx": "gần ", "more_than": "hơn ", "less_than": "dưới "}[qualifier]
                unit = "percent" if metric.startswith("rate_") else "count"
                value_text = (f"{value:.2f}".replace(".", ",") + "%") if unit == "percent" else f"{int(value):,}".replace(",", ".")
                sentence = f"{loc_name} ({tier}): {METRIC_LABELS.get(metric, metric)} {hedge}{value_text}."
                offset = sum(len(s) + 1 for s in sentences)
                sentences.append(sentence)
                fact_rows.append({
                    "fact_id": hashlib.sha256(f"{pvid}\n{extractor}\n{ordinal}".encode()).hexdigest()[:32],
                    "page_version_id": pvid, "extractor_version": extractor, "ordinal": ordinal, "metric": metric,
                    "value": float(value), "unit": unit, "qualifier": qualifier, "locality_name": loc_name,
                    "locality_type": loc_type, "locality_province": province, "tier": tier, "period_start": start,
                    "period_end": end, "evidence_text": sentence, "evidence_start": offset,
                    "evidence_end": offset + len(sentence), "value_text": value_text,
                })
                ordinal += 1
        self.facts += fact_rows
        self.articles.append({
            "page_version_id": pvid, "extractor_version": extractor, "portal_id": portal, "url": url,
            "title": title, "published_at": published, "published_source": "date_line", "text": " ".join(sentences),
            "has_dossier_stats": bool(fact_rows), "extracted_at": extracted or fetched + timedelta(minutes=30),
        })
        return pvid


def demo_rows() -> _Builder:
    b = _Builder()
    th = "Thanh Hóa"
    # --- two years of quarters for three districts of Thanh Hóa
    for i, (name, portal, size) in enumerate(DISTRICTS):
        for k, (y, q) in enumerate(QUARTERS):
            start, end = _quarter_dates(y, q)
            district = quarter_counts(size, k, i)
            reports = [((name, "huyen", th), "district", start, end, district, {})]
            if i == 0:  # Thọ Xuân also reports its communes and the whole district
                communes = quarter_counts(3 * size, k, 5)
                reports += [((name, "huyen", th), "commune", start, end, communes, {}),
                            ((name, "huyen", th), "all", start, end, _sum(district, communes), {})]
            published = datetime.combine(end + timedelta(days=5), datetime.min.time()).replace(hour=8)
            b.article(portal, f"{portal}-ket-qua-cai-cach-hanh-chinh-quy-{q}-{y}",
                      f"{name}: kết quả cải cách thủ tục hành chính quý {_roman(q)}/{y}", published, reports)
    # --- a later article disagreeing on one value (resolved), and hedging the online intake
    start, end = _quarter_dates(2024, 2)
    b.article("thoxuan", "tho-xuan-so-lieu-dieu-chinh-quy-ii-2024",
              "Thọ Xuân điều chỉnh số liệu giải quyết hồ sơ quý II/2024", datetime(2024, 7, 20, 9),
              [(("Thọ Xuân", "huyen", th), "district", start, end,
                {"dossiers_received": quarter_counts(1000, 5)["dossiers_received"],
                 "dossiers_resolved": DISAGREE_RESOLVED, "dossiers_received_online": 700},
                {"dossiers_received_online": "more_than"})])
    # --- an older page version and an older extraction of quý I/2024 with wrong numbers
    start, end = _quarter_dates(2024, 1)
    wrong = {"dossiers_received": 999999, "dossiers_resolved": 1}
    b.article("thoxuan", "thoxuan-ket-qua-cai-cach-hanh-chinh-quy-1-2024", "Thọ Xuân (bản cũ)",
              datetime(2024, 4, 5, 8), [(("Thọ Xuân", "huyen", th), "district", start, end, wrong, {})],
              fetched=datetime(2024, 4, 5, 9), body_salt="old page version")
    current = next(p for p in b.pages if p["url"].endswith("thoxuan-ket-qua-cai-cach-hanh-chinh-quy-1-2024.html")
                   and p["fetched_at"] != datetime(2024, 4, 5, 9))
    b.article("thoxuan", "thoxuan-ket-qua-cai-cach-hanh-chinh-quy-1-2024",
              "Thọ Xuân: kết quả cải cách thủ tục hành chính quý I/2024", datetime(2024, 4, 5, 8),
              [(("Thọ Xuân", "huyen", th), "district", start, end, wrong, {})],
              fetched=current["fetched_at"], extractor=OLD_EXTRACTOR, extracted=current["fetched_at"] + timedelta(minutes=1))
    # --- communes created on 1 July 2025
    for y, q, pub in ((2025, 3, datetime(2025, 10, 6, 8)), (2025, 4, datetime(2026, 1, 6, 8))):
        start, end = _quarter_dates(y, q)
        for j, (name, size) in enumerate(NEW_COMMUNES):
            k = 10 + q + j
            b.article("thoxuan", f"xa-{name}-quy-{q}-{y}".replace(" ", "-").lower(),
                      f"Xã {name}: kết quả giải quyết TTHC quý {_roman(q)}/{y}", pub + timedelta(hours=j),
                      [((name, "xa", th), "commune", start, end, quarter_counts(size, k, j), {})])
    b.article("thoxuan", "xa-tho-xuan-tu-1-7-2025-den-nay", "Xã Thọ Xuân sau 4 tháng vận hành chính quyền hai cấp",
              datetime(2025, 11, 20, 8),
              [(("Thọ Xuân", "xa", th), "commune", date(2025, 7, 1), date(2025, 11, 20),
                {"dossiers_received": 1602, "dossiers_resolved": 1544, "dossiers_received_online": 1301}, {})])
    # --- quý II/2025, before the reorganisation: the former units of Lam Sơn (all three) and of
    # Sao Vàng (two of its four), as the district reported its communes
    start, end = _quarter_dates(2025, 2)
    b.article("thoxuan", "cac-xa-thi-tran-quy-ii-2025", "Thọ Xuân: kết quả giải quyết TTHC các xã, thị trấn quý II/2025",
              datetime(2025, 7, 8, 8),
              [(("Lam Sơn", "thi_tran", th), "commune", start, end, {"dossiers_received": 120}, {}),
               (("Thọ Xương", "xa", th), "commune", start, end, {"dossiers_received": 75}, {}),
               (("Xuân Bái", "xa", th), "commune", start, end, {"dossiers_received": 64}, {}),
               (("Sao Vàng", "thi_tran", th), "commune", start, end, {"dossiers_received": 98}, {}),
               (("Thọ Lâm", "xa", th), "commune", start, end, {"dossiers_received": 51}, {})])
    # --- the province: years, a half year and nine months
    for y, label, start, end, scale in ((2023, "năm 2023", date(2023, 1, 1), date(2023, 12, 31), 40),
                                        (2024, "năm 2024", date(2024, 1, 1), date(2024, 12, 31), 44),
                                        (2024, "6 tháng đầu năm 2024", date(2024, 1, 1), date(2024, 6, 30), 21),
                                        (2024, "9 tháng năm 2024", date(2024, 1, 1), date(2024, 9, 30), 32)):
        tiers = {"province": quarter_counts(scale * 100, 0, 1), "district": quarter_counts(scale * 300, 1, 2),
                 "commune": quarter_counts(scale * 900, 2, 3)}
        reports = [(("Thanh Hóa", "tinh", th), tier, start, end, v, {}) for tier, v in tiers.items()]
        reports.append((("Thanh Hóa", "tinh", th), "all", start, end, _sum(*tiers.values()), {}))
        published = datetime.combine(end + timedelta(days=12), datetime.min.time()).replace(hour=7)
        b.article("thanhhoa", f"thanh-hoa-cchc-{label.replace(' ', '-')}", f"Thanh Hóa: kết quả CCHC {label}", published, reports)
    # --- Mai Sơn (Sơn La): two months and a Decree 09 reporting window; numbers of seed 001
    sl = "Sơn La"
    mai_son_nov = {"dossiers_received": 1130, "dossiers_received_new": 736, "dossiers_carried_over": 367,
                   "dossiers_resolved": 718, "dossiers_in_progress": 385, "dossiers_digitized": 1018,
                   "rate_digitized": 90.08}
    b.article("sonla", "mai-son-day-manh-so-hoa-ho-so-thang-11-2023", "Mai Sơn đẩy mạnh số hóa hồ sơ thủ tục hành chính",
              datetime(2023, 12, 4, 10),
              [(("Mai Sơn", "huyen", sl), "district", date(2023, 11, 1), date(2023, 11, 30), mai_son_nov, {})])
    b.article("sonla", "mai-son-thang-10-2023", "Mai Sơn: kết quả giải quyết TTHC tháng 10/2023", datetime(2023, 11, 3, 10),
              [(("Mai Sơn", "huyen", sl), "district", date(2023, 10, 1), date(2023, 10, 31),
                {"dossiers_received": 1050, "dossiers_resolved": 690,
                 # 27 of 30 tasks is 90 %, stated as 91 %: a break one number (the rate) explains
                 "reform_tasks_planned": 30, "reform_tasks_completed": 27, "rate_reform_tasks_completed": 91.0}, {})])
    b.article("sonla", "mai-son-quy-i-2023", "Mai Sơn: quý I (từ 15/12/2022 đến 14/3/2023)", datetime(2023, 3, 20, 10),
              [(("Mai Sơn", "huyen", sl), "district", date(2022, 12, 15), date(2023, 3, 14),
                {"dossiers_received": 3012, "dossiers_resolved": 2950}, {})])
    # --- Thanh Liêm (Hà Nam): from the start of the year to the publication day; province from the portal
    b.article("thanhliem", "thanh-liem-tu-dau-nam-den-nay", "Thanh Liêm: từ đầu năm đến nay tiếp nhận gần 9 nghìn hồ sơ",
              datetime(2024, 10, 15, 15),
              [(("Thanh Liêm", "huyen", None), "all", date(2024, 1, 1), date(2024, 10, 15),
                {"dossiers_received": 8950, "dossiers_received_online": 7002}, {"dossiers_received": "approx"})])
    # --- Thanh Liêm again: a quarter reported ten days before it is over
    b.article("thanhliem", "thanh-liem-quy-iv-2024", "Thanh Liêm: kết quả quý IV/2024", datetime(2024, 12, 20, 9),
              [(("Thanh Liêm", "huyen", None), "all", date(2024, 10, 1), date(2024, 12, 31), {"dossiers_received": 3100}, {})])
    return b


def _insert(con, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    con.executemany(
        f"insert or ignore into raw.{table} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
        [[r[c] for c in cols] for r in rows],
    )


def seed_demo_warehouse(path: str | Path) -> dict[str, int]:
    """Write the demo articles into the warehouse at ``path`` (idempotent: rows are keyed)."""
    from cchc import warehouse

    b = demo_rows()
    portals = sorted({p["portal_id"] for p in b.pages})
    started = datetime(2026, 1, 10, 1, 0)
    fetch_log = [{
        "fetch_id": hashlib.sha256(f"{RUN_ID}\n{p['portal_id']}\n{p['url']}".encode()).hexdigest()[:32],
        "run_id": RUN_ID, "portal_id": p["portal_id"], "url": p["url"], "final_url": p["url"], "page_kind": "article",
        "requested_at": p["fetched_at"], "elapsed_ms": 120, "attempts": 1, "http_status": 200, "outcome": "new",
        "error": None, "content_hash": p["content_hash"], "page_version_id": p["page_version_id"],
        "bytes": p["content_length"], "tls_verified": True, "note": None,
    } for p in b.pages]
    portal_runs = [{
        "run_id": RUN_ID, "portal_id": pid, "started_at": started, "finished_at": started + timedelta(minutes=3),
        "status": "ok", "pages_new": sum(p["portal_id"] == pid for p in b.pages), "pages_unchanged": 0,
        "pages_failed": 0, "articles_new": sum(a["portal_id"] == pid for a in b.articles), "health_note": None, "error": None,
    } for pid in portals]
    with warehouse.connect(path=Path(path)) as con:
        with warehouse.transaction(con):
            _insert(con, "pages", b.pages)
            _insert(con, "fetch_log", fetch_log)
            _insert(con, "portal_runs", portal_runs)
            _insert(con, "articles", b.articles)
            _insert(con, "facts", b.facts)
    return {"pages": len(b.pages), "articles": len(b.articles), "facts": len(b.facts)}


# --------------------------------------------------------------------------- synthetic volume

_SYNTH_METRICS = [
    "dossiers_received", "dossiers_received_new", "dossiers_carried_over", "dossiers_received_online",
    "dossiers_received_offline", "dossiers_resolved", "dossiers_resolved_early_or_on_time",
    "dossiers_resolved_overdue", "dossiers_in_progress", "dossiers_digitized", "rate_received_online",
    "rate_resolved_early_or_on_time", "rate_digitized", "dossiers_returned", "procedures_total",
    "online_services", "online_services_full", "online_services_partial", "reform_tasks_planned",
    "reform_tasks_completed",
]


def generate_facts(path: str | Path, n: int, facts_per_article: int = 20, seed_units: Path | None = None, *,
                   first_article: int = 0, page_version: int = 0, extractor_version: str = EXTRACTOR,
                   days_later: int = 0) -> dict[str, int]:
    """Append ``n`` synthetic facts to the warehouse at ``path``, in DuckDB SQL.

    Articles state ``facts_per_article`` metrics for one locality, tier and quarter. Localities
    are real units of the seed ``admin_units.csv`` (districts before 1 July 2025 report quarters
    2019-2025Q2, communes after it report 2025Q3-2026Q2), so facts match dim_locality; about a
    third of the reports have a second article (some disagreeing by one unit), so the series
    choose between sources. Idempotent per arguments: ids derive from the article index.

    A later night: ``first_article`` past the last one adds new articles (of the same units
    and quarters, so they join existing series); the same articles again with another
    ``extractor_version`` are a re-extraction, with ``page_version`` > 0 a new page version of
    them (another body, fetched later); ``days_later`` moves their fetch and extraction times
    that many days on, so they are the latest. Values change with the page version.
    """
    from cchc import warehouse
    from cchc.settings import PROJECT_ROOT

    units_csv = Path(seed_units or PROJECT_ROOT / "dbt_project" / "seeds" / "admin_units.csv")
    n_articles = max(1, math.ceil(n / facts_per_article))
    metrics_sql = "[" + ", ".join(f"'{m}'" for m in _SYNTH_METRICS[:facts_per_article]) + "]"
    k = min(facts_per_article, len(_SYNTH_METRICS))
    with warehouse.connect(path=Path(path)) as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"""
            create or replace temp table synth_units as
            select row_number() over (order by level, unit_code) - 1 as idx, level, locality_type, name, province_name
            from read_csv('{units_csv}', all_varchar = true)
            where (era = 'pre2025' and level = 'district') or (era = 'from2025' and level = 'commune')
        """)
        n_districts, n_communes = con.execute(
            "select count(*) filter (where level = 'district'), count(*) filter (where level = 'commune') from synth_units"
        ).fetchone()
        con.execute("create or replace temp table synth_districts as select row_number() over (order by idx) - 1 as i, * from synth_units where level = 'district'")
        con.execute("create or replace temp table synth_communes as select row_number() over (order by idx) - 1 as i, * from synth_units where level = 'commune'")
        # Two of three articles state their own report; every third restates the report of the
        # article before it, later (the series then choose between two sources).
        con.execute(f"""
            create or replace temp table synth_articles as
            with a as (
                select unnest(generate_series({first_article}, {first_article + n_articles - 1})) as a
            ),
            r as (
                select a, case when a % 3 = 2 then a - 1 else a end as r, a % 3 = 2 as is_restatement from a
            ),
            placed as (
                select a, r, is_restatement,
                    (r * 7919) % 10 < 7 as is_district,    -- 70 % districts before July 2025
                from r
            )
            select
                a, r, is_restatement, is_district,
                case when is_district then (r // 26) % {n_districts} else (r // 4) % {n_communes} end as unit_i,
                case when is_district then r % 26 else 26 + r % 4 end as quarter_i,   -- 0 = 2019Q1 .. 29 = 2026Q2
                case (r * 31) % 3 when 0 then 'all' when 1 then 'district' else 'commune' end as tier_raw,
            from placed
        """)
        con.execute("""
            create or replace temp table synth_article_rows as
            select
                s.*,
                u.locality_type, u.name, u.province_name,
                case when s.is_district then s.tier_raw else 'commune' end as tier,
                make_date(2019 + s.quarter_i // 4, 3 * (s.quarter_i % 4) + 1, 1) as period_start,
                cast(make_date(2019 + s.quarter_i // 4, 3 * (s.quarter_i % 4) + 1, 1) + interval 3 month - interval 1 day as date) as period_end,
                'https://synthetic-' || (s.a % 97) || '.example.vn/tin-tuc/bai-' || s.a || '.html' as url,
                'synthetic-' || (s.a % 97) as portal_id,
            from synth_articles s
            join (
                select i, locality_type, name, province_name, true as is_district from synth_districts
                union all
                select i, locality_type, name, province_name, false from synth_communes
            ) u on u.i = s.unit_i and u.is_district = s.is_district
        """)
        body = "#synthetic" if page_version == 0 else f"#synthetic-v{page_version}"
        con.execute(f"""
            create or replace temp table synth_pages as
            select
                substr(sha256(url || '{body}'), 1, 32) as page_version_id, *,
                cast(period_end + interval (8 + (a % 20) + case when is_restatement then 15 else 0 end) day as timestamp)
                    + interval 8 hour as published_at,
                sha256(url || '{body}') as content_hash,
            from synth_article_rows
        """)
        later = f"interval {int(days_later)} day"
        with warehouse.transaction(con):
            con.execute(f"""
                insert or ignore into raw.pages (page_version_id, url, final_url, portal_id, page_kind, run_id, fetched_at,
                    http_status, content_type, declared_charset, charset, etag, last_modified, content_hash,
                    content_length, tls_verified, listing_title, html)
                select page_version_id, url, url, portal_id, 'article', 'synthetic', published_at + interval 20 hour + {later},
                       200, 'text/html; charset=utf-8', 'utf-8', 'utf-8', null, null, content_hash, 64, true,
                       'Bài tổng hợp ' || a, '<html><body>synthetic</body></html>'
                from synth_pages
            """)
            # identity: each article its own address, text and figures (no copies among them)
            con.execute(f"""
                insert or ignore into raw.articles (page_version_id, extractor_version, portal_id, url, title, published_at,
                    published_source, text, has_dossier_stats, extracted_at, canonical_url, text_hash, simhash, figures_hash)
                select page_version_id, '{extractor_version}', portal_id, url, 'Bài tổng hợp ' || a, published_at, 'date_line',
                       'synthetic', true, published_at + interval 21 hour + {later}, regexp_replace(url, '^https?://', ''),
                       content_hash, (hash(content_hash) >> 1)::bigint, sha256(content_hash || '#figures')
                from synth_pages
            """)
            con.execute(f"""
                insert or ignore into raw.facts
                with f as (
                    select p.*, m.ordinal, {metrics_sql}[m.ordinal + 1] as metric
                    from synth_pages p, (select unnest(generate_series(0, {k - 1})) as ordinal) m
                ),
                valued as (
                    select *,
                        -- a base per report; a restatement differs by one on one metric in eight
                        (500 + (hash(r, {page_version}) % 5000))::double as base,
                        case when is_restatement and (hash(a, ordinal) % 8) = 0 then 1 else 0 end as bump,
                    from f
                )
                select
                    substr(sha256(page_version_id || '{extractor_version}' || ordinal), 1, 32), page_version_id,
                    '{extractor_version}', ordinal,
                    metric,
                    case
                        when metric like 'rate_%' then round(60 + (hash(r, metric) % 4000) / 100.0, 2)
                        when metric = 'dossiers_received' then base
                        else round(base * (0.05 + (hash(r, metric) % 90) / 100.0)) + bump
                    end,
                    case when metric like 'rate_%' then 'percent' else 'count' end,
                    case when (hash(a, ordinal) % 50) = 0 then 'approx' else 'exact' end,
                    name, locality_type, province_name, tier, period_start, period_end,
                    'Câu tổng hợp số ' || ordinal, ordinal * 40, ordinal * 40 + 39, null
                from valued
            """)
        counts = con.execute("select (select count(*) from raw.facts), (select count(*) from raw.articles)").fetchone()
    return {"articles": n_articles, "facts_requested": n, "facts_total": counts[0], "articles_total": counts[1]}
