"""The incremental marts equal a full rebuild. Two nights on the demo warehouse (cchc.demo_data),
each as the DAG runs it: ``dbt build``, the quality checks (real Great Expectations), the
second, selected build (``nightly.QUALITY_MARKS_SELECTOR``). The second night brings a new
article that wins a series from an unchanged one, a newer extraction of an article, a new page
version of two (one of them corrects a broken report, so its marks go), a copy published after
its original (adds nothing) and one published before its original (which becomes a copy: its
facts leave the marts), and a new report that breaks an identity (marked by the second build).
Then a copy of the warehouse is built with ``--full-refresh``, and every table of the
intermediate and marts layers must hold the same rows in both (all columns but ``rebuilt_at``,
EXCEPT ALL both ways)."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from cchc import warehouse
from cchc.demo_data import _Builder, _insert, quarter_counts, seed_demo_warehouse

NEW_EXTRACTOR = "text-2+facts-3"
TH = "Thanh Hóa"
Q3_2024 = (date(2024, 7, 1), date(2024, 9, 30))
NIGHT_2 = datetime(2026, 2, 1, 1, 0)


def _insert_rows(path: Path, b: _Builder, text_hashes: dict[str, str]) -> dict[str, str]:
    """Append the builder's rows to raw; ``text_hashes`` maps a URL's slug to its text_hash (the
    identity of copies). Returns slug -> page_version_id."""
    pvids = {}
    for a in b.articles:
        slug = a["url"].rsplit("/", 1)[1].removesuffix(".html")
        pvids[slug] = a["page_version_id"]
        if slug in text_hashes:
            a["text_hash"] = text_hashes[slug]
    with warehouse.connect(path=path) as con, warehouse.transaction(con):
        _insert(con, "pages", b.pages)
        for a in b.articles:
            _insert(con, "articles", [a])  # rows differ in their columns (text_hash or not)
        _insert(con, "facts", b.facts)
    return pvids


def night_1_extra(path: Path) -> None:
    """Two articles that carry an identity (text_hash): P gets a later copy on night 2, Q an
    earlier one. Their figures break no rule: a violation of Q's would stay in dq.violations
    after Q's report leaves the marts, which fct_dq_violations' relationships test rejects
    (on a full build as well)."""
    b = _Builder()
    b.article("thoxuan", "tho-xuan-6-thang-dau-nam-2024", "Thọ Xuân: sáu tháng đầu năm 2024", datetime(2024, 7, 10, 8),
              [(("Thọ Xuân", "huyen", TH), "district", date(2024, 1, 1), date(2024, 6, 30),
                {"dossiers_received": 2300, "procedures_total": 301, "online_services": 140}, {})])
    b.article("trieuson", "trieu-son-9-thang-2024", "Triệu Sơn: chín tháng năm 2024", datetime(2024, 10, 10, 8),
              [(("Triệu Sơn", "huyen", TH), "district", date(2024, 1, 1), date(2024, 9, 30),
                {"dossiers_received": 2700, "procedures_total": 288, "online_services": 150}, {})])
    _insert_rows(path, b, {"tho-xuan-6-thang-dau-nam-2024": "text-p", "trieu-son-9-thang-2024": "text-q"})


def night_2_changes(path: Path) -> dict[str, str]:
    b = _Builder()
    later = {"fetched": NIGHT_2}
    # a new article: Thọ Xuân's district resolved for quý III/2024 again, later: it wins the series
    b.article("thoxuan", "tho-xuan-dieu-chinh-quy-iii-2024", "Thọ Xuân điều chỉnh số liệu quý III/2024",
              datetime(2024, 10, 25, 8), [(("Thọ Xuân", "huyen", TH), "district", *Q3_2024,
                                           {"dossiers_resolved": 4321, "procedures_total": 305}, {})], **later)
    # a newer extraction of an existing page version (Yên Định, quý I/2023): other numbers
    b.article("yendinh", "yendinh-ket-qua-cai-cach-hanh-chinh-quy-1-2023",
              "Yên Định: kết quả cải cách thủ tục hành chính quý I/2023", datetime(2023, 4, 5, 8),
              [(("Yên Định", "huyen", TH), "district", date(2023, 1, 1), date(2023, 3, 31), quarter_counts(601, 0, 2), {})],
              fetched=datetime(2023, 4, 6, 4), extractor=NEW_EXTRACTOR, extracted=NIGHT_2)
    # a new page version of an existing article (Triệu Sơn, quý IV/2024)
    b.article("trieuson", "trieuson-ket-qua-cai-cach-hanh-chinh-quy-4-2024",
              "Triệu Sơn: kết quả cải cách thủ tục hành chính quý IV/2024", datetime(2025, 1, 5, 8),
              [(("Triệu Sơn", "huyen", TH), "district", date(2024, 10, 1), date(2024, 12, 31), quarter_counts(801, 7, 1), {})],
              body_salt="updated", **later)
    # Mai Sơn corrects November 2023 (1.103 received = 736 new + 367 carried over): its marks go
    b.article("sonla", "mai-son-day-manh-so-hoa-ho-so-thang-11-2023", "Mai Sơn đẩy mạnh số hóa hồ sơ thủ tục hành chính",
              datetime(2023, 12, 4, 10),
              [(("Mai Sơn", "huyen", "Sơn La"), "district", date(2023, 11, 1), date(2023, 11, 30),
                {"dossiers_received": 1103, "dossiers_received_new": 736, "dossiers_carried_over": 367,
                 "dossiers_resolved": 718, "dossiers_in_progress": 385, "dossiers_digitized": 1018,
                 "rate_digitized": 92.29}, {})], body_salt="corrected", **later)
    # P republished two days later by the province portal: a copy, no facts of its own
    b.article("thanhhoa", "thanh-hoa-dua-tin-tho-xuan-6-thang-2024", "Thọ Xuân: sáu tháng đầu năm 2024",
              datetime(2024, 7, 12, 8), [(("Thọ Xuân", "huyen", TH), "district", date(2024, 1, 1), date(2024, 6, 30),
                                           {"dossiers_received": 2300, "procedures_total": 301, "online_services": 140}, {})],
              **later)
    # Q's text found on the province portal a day before Q: Q becomes the copy
    b.article("thanhhoa", "thanh-hoa-trieu-son-9-thang-2024", "Triệu Sơn: chín tháng năm 2024", datetime(2024, 10, 9, 8),
              [(("Triệu Sơn", "huyen", TH), "district", date(2024, 1, 1), date(2024, 9, 30),
                {"dossiers_received": 2700, "procedures_total": 288, "online_services": 150}, {})], **later)
    # a new report that breaks the intake identity (2.000 received against 1.500 + 300)
    b.article("yendinh", "yen-dinh-6-thang-dau-nam-2024", "Yên Định: sáu tháng đầu năm 2024", datetime(2024, 7, 9, 8),
              [(("Yên Định", "huyen", TH), "district", date(2024, 1, 1), date(2024, 6, 30),
                {"dossiers_received": 2000, "dossiers_received_new": 1500, "dossiers_carried_over": 300}, {})], **later)
    return _insert_rows(path, b, {"thanh-hoa-dua-tin-tho-xuan-6-thang-2024": "text-p",
                                  "thanh-hoa-trieu-son-9-thang-2024": "text-q"})


def run_night(path: Path, target: Path, run_id: str) -> dict:
    """dbt build, the checks, the second build: what the DAG's build_marts, quality_checks and
    mark_quality tasks run."""
    from cchc.dbt_runner import dbt_build
    from cchc.nightly import QUALITY_MARKS_SELECTOR
    from cchc.quality.nightly_checks import run_quality_checks

    build = dbt_build(target, warehouse_path=path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(path.parent))
        mp.setenv("CCHC_WAREHOUSE", str(path))
        checks = run_quality_checks(run_id)
    marks = dbt_build(target, select=QUALITY_MARKS_SELECTOR, warehouse_path=path)
    return {"build": build, "checks": checks, "marks": marks}


def full_refresh(path: Path, target: Path) -> None:
    from cchc.dbt_runner import dbt_executable
    from cchc.settings import get_settings

    project = get_settings().dbt_project_dir
    proc = subprocess.run(
        [dbt_executable(), "build", "--full-refresh", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(target), "--log-path", str(target / "logs")],
        cwd=project, env={**os.environ, "CCHC_WAREHOUSE": str(path)},
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    incremental = root / "nightly" / "warehouse.duckdb"
    incremental.parent.mkdir()
    seed_demo_warehouse(incremental)
    night_1_extra(incremental)
    first = run_night(incremental, root / "target", "night-1")
    with duckdb.connect(str(incremental), read_only=True) as con:
        night_1_built_at = con.execute("select max(rebuilt_at) from marts.fct_dossier_facts").fetchone()[0]
    pvids = night_2_changes(incremental)
    second = run_night(incremental, root / "target", "night-2")

    rebuilt = root / "rebuilt" / "warehouse.duckdb"
    rebuilt.parent.mkdir()
    shutil.copy(incremental, rebuilt)
    full_refresh(rebuilt, root / "target_full")
    return {"incremental": incremental, "rebuilt": rebuilt, "first": first, "second": second,
            "night_1_built_at": night_1_built_at, "pvids": pvids}


@pytest.fixture(scope="module")
def query(nights):
    con = duckdb.connect(str(nights["incremental"]), read_only=True)
    yield lambda sql, params=None: con.execute(sql, params or []).fetchall()
    con.close()


def test_both_nights_ran_their_builds_and_checks(nights):
    for night in ("first", "second"):
        assert nights[night]["build"]["ok"] and nights[night]["marks"]["ok"]
        assert nights[night]["build"]["warnings"] == [] and nights[night]["marks"]["warnings"] == []
        assert nights[night]["checks"]["violations_total"] >= 1


def differences(left: Path, right: Path) -> dict:
    """Rows of a table of the intermediate and marts layers that one warehouse holds and the other
    does not (all columns but rebuilt_at, EXCEPT ALL both ways); {} when they hold the same."""
    con = duckdb.connect()
    con.execute(f"attach '{left}' as a (read_only)")
    con.execute(f"attach '{right}' as b (read_only)")
    listed = "select schema_name, table_name from duckdb_tables() where database_name = ? and schema_name in ('intermediate', 'marts') order by 1, 2"
    tables = con.execute(listed, ["a"]).fetchall()
    assert tables == con.execute(listed, ["b"]).fetchall()
    assert ("marts", "fct_dossier_facts") in tables and ("intermediate", "int_facts__keyed") in tables
    differing = {}
    for schema, table in tables:
        columns = [c for (c,) in con.execute(
            "select column_name from duckdb_columns() where database_name = 'a' and schema_name = ? and table_name = ?"
            " order by column_index", [schema, table]).fetchall() if c != "rebuilt_at"]
        cols = ", ".join(f'"{c}"' for c in columns)
        for x, y in (("a", "b"), ("b", "a")):
            rows = con.execute(f'select {cols} from {x}."{schema}"."{table}" except all '
                               f'select {cols} from {y}."{schema}"."{table}" limit 3').fetchall()
            if rows:
                differing[f"{schema}.{table} (in {x} only)"] = rows
    con.close()
    return differing


def test_every_table_equals_a_full_refresh_of_the_same_warehouse(nights):
    assert differences(nights["incremental"], nights["rebuilt"]) == {}


def test_tables_built_before_they_were_incremental_are_rebuilt_whole(nights, tmp_path):
    """The first night after this change: the four tables exist without their build columns."""
    from cchc.dbt_runner import dbt_build

    old = tmp_path / "warehouse.duckdb"
    shutil.copy(nights["rebuilt"], old)
    with duckdb.connect(str(old)) as con:
        for table, columns in (("intermediate.int_facts__keyed", "article_state, build_key, series_key, series_key_2, rebuilt_at"),
                               ("intermediate.int_series__chosen", "series_key, series_key_2, sources_key, rebuilt_at"),
                               ("marts.fct_dossier_facts", "build_key, rebuilt_at"),
                               ("marts.fct_dossier_reports", "build_key, rebuilt_at")):
            con.execute(f"create or replace table {table} as select * exclude ({columns}) from {table}")
    assert dbt_build(tmp_path / "target", warehouse_path=old)["ok"]
    assert differences(old, nights["rebuilt"]) == {}


def test_the_second_night_rewrote_only_what_changed(nights, query):
    old, total = query("select count(*) filter (where rebuilt_at <= ?), count(*) from marts.fct_dossier_facts",
                       [nights["night_1_built_at"]])[0]
    assert 0 < total - old < total / 4 and old > 0  # most facts kept from night 1
    # the night's facts, and the quarterly article that lost its series value, were rewritten
    assert query("select count(*) from marts.fct_dossier_facts where page_version_id = ? and rebuilt_at > ?",
                 [nights["pvids"]["tho-xuan-dieu-chinh-quy-iii-2024"], nights["night_1_built_at"]])[0][0] == 2


def test_a_later_article_takes_the_series_from_an_unchanged_one(query):
    rows = query("""select f.value, f.article_id = m.chosen_article_id, f.is_series_value
                    from marts.fct_dossier_facts f join marts.ts_dossier_metrics m
                      on m.locality_id = f.locality_id and m.tier = f.tier and m.period_id = f.period_id and m.metric = f.metric
                    where f.locality_id = 'huyen|thanhhoa|thoxuan|pre2025' and f.tier = 'district'
                      and f.period_id = '2024-07-01..2024-09-30' and f.metric = 'dossiers_resolved' order by f.value""")
    assert len(rows) == 2 and rows[1] == (4321.0, True, True) and rows[0][1:] == (False, False)


def test_a_newer_extraction_and_a_new_page_version_replace_the_facts(nights, query):
    versions = query("""select distinct extractor_version from marts.fct_dossier_facts
                        where locality_id = 'huyen|thanhhoa|yendinh|pre2025' and period_id = '2023-01-01..2023-03-31'""")
    assert versions == [(NEW_EXTRACTOR,)]
    received = query("""select value from marts.fct_dossier_facts where locality_id = 'huyen|thanhhoa|trieuson|pre2025'
                        and period_id = '2024-10-01..2024-12-31' and metric = 'dossiers_received_new'""")
    assert received == [(quarter_counts(801, 7, 1)["dossiers_received_new"],)]


def test_a_copy_adds_nothing_and_an_earlier_copy_takes_the_place_of_its_original(nights, query):
    expected = {  # url -> is a copy
        "https://thoxuan.example.vn/tin-tuc/tho-xuan-6-thang-dau-nam-2024.html": False,
        "https://thanhhoa.example.vn/tin-tuc/thanh-hoa-dua-tin-tho-xuan-6-thang-2024.html": True,
        "https://trieuson.example.vn/tin-tuc/trieu-son-9-thang-2024.html": True,
        "https://thanhhoa.example.vn/tin-tuc/thanh-hoa-trieu-son-9-thang-2024.html": False,
    }
    articles = dict(query("select url, copy_of_article_id is not null from marts.dim_article where url in ?",
                          [list(expected)]))
    assert articles == expected
    facts = dict(query("""select a.url, count(f.fact_id) from marts.dim_article a
                          left join marts.fct_dossier_facts f using (article_id)
                          where a.url like '%9-thang-2024%' group by a.url"""))
    assert facts == {"https://trieuson.example.vn/tin-tuc/trieu-son-9-thang-2024.html": 0,
                     "https://thanhhoa.example.vn/tin-tuc/thanh-hoa-trieu-son-9-thang-2024.html": 3}


def test_marks_follow_tonights_checks(query):
    # the corrected report lost its marks; the new broken one has them
    mai_son = query("""select bool_or(is_flagged) from marts.fct_dossier_facts
                       where locality_id like 'huyen|sonla|maison|%' and period_id = '2023-11-01..2023-11-30'""")
    assert mai_son == [(False,)]
    yen_dinh = query("""select bool_or(is_flagged), list_distinct(flatten(list(violation_rules))) from marts.fct_dossier_facts
                        where locality_id = 'huyen|thanhhoa|yendinh|pre2025' and period_id = '2024-01-01..2024-06-30'""")
    assert yen_dinh[0][0] is True and "intake" in yen_dinh[0][1]
    reports = query("""select is_flagged from marts.fct_dossier_reports
                       where locality_id = 'huyen|thanhhoa|yendinh|pre2025' and period_id = '2024-01-01..2024-06-30'""")
    assert reports == [(True,)]
