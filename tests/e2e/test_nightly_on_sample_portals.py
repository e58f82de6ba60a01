"""The whole night, for real: `airflow dags test cchc_nightly` against the sample server.

The registry is the sample one plus a malformed entry and a dead portal, so one run shows both
that the night lands every healthy portal and that the broken ones fail alone, by name.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from importlib import resources

import pytest

from cchc import airflow_env, nightly, warehouse
from cchc.settings import SAMPLE_REGISTRY

pytestmark = pytest.mark.e2e

EXTRA_ENTRIES = """
  - id: malformed
    name: "An entry with a typo"
    family: thanhhoa_egov
    base_url: "http://127.0.0.11:${CCHC_SAMPLE_PORT:-8765}"
    locality: {name: "Thọ Xuân", type: district, province: "Thanh Hóa"}
    discovery: {sitemap: /sitemap.xml}
    allow_private: true
  - id: dead
    name: "A portal that does not answer"
    family: thanhhoa_egov
    base_url: "http://127.0.0.16:%d"
    locality: {name: "Thọ Xuân", type: huyen, province: "Thanh Hóa"}
    discovery: {sitemap: /sitemap.xml}
    allow_private: true
"""


HOLDER = (
    "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True);"
    "print(con.execute('select run_id from meta.snapshot').fetchone()[0], flush=True);"
    "sys.stdin.readline(); print(con.execute('select run_id from meta.snapshot').fetchone()[0], flush=True)"
)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.16", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Two nights in a row on the same warehouse; yields (server, [first summary, second], warehouse)."""
    from cchc.samples.server import SampleServer

    mp = pytest.MonkeyPatch()
    data = tmp_path_factory.mktemp("e2e") / "data"
    registry = data.parent / "portals.yaml"
    registry.write_text(SAMPLE_REGISTRY.read_text(encoding="utf-8") + EXTRA_ENTRIES % _closed_port(), encoding="utf-8")
    with SampleServer(port=0) as server:
        mp.setenv("CCHC_DATA_DIR", str(data))
        mp.setenv("CCHC_REGISTRY", str(registry))
        mp.setenv("CCHC_SAMPLE_PORT", str(server.port))
        mp.setenv("CCHC_MAX_RETRIES", "1")
        for name in ("CCHC_WAREHOUSE", "CCHC_LANDING_DIR", "AIRFLOW_HOME"):
            mp.delenv(name, raising=False)
        env = airflow_env.airflow_env()
        log = data / "airflow.log"
        airflow_env.prepare(env, log)
        runs, holder = [], None
        for night in (1, 2):
            proc = airflow_env.airflow(["dags", "test", "cchc_nightly"], env, log)
            # the malformed entry is ours to fix: the night does its work and then fails, by name
            assert proc.returncode == 1, log.read_text()[-5000:]
            assert " failed: fetch[malformed]: " in log.read_text()
            runs.append(nightly.run_summary())
            if night == 1:  # an analyst's session left open across the next night
                holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data / "analysts.duckdb")],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                runs.append(holder.stdout.readline().strip())
        runs.append(holder.communicate("\n", timeout=60)[0].strip())
        yield server, runs, data / "warehouse.duckdb"
    mp.undo()


def _query(nights, sql, params=None):
    with warehouse.connect(read_only=True, path=nights[2]) as con:
        return con.execute(sql, params or []).fetchall()


def test_every_healthy_portal_lands_its_pages(nights):
    _, (first, _, _, _), _ = nights
    by_portal = {p["portal"]: p for p in first["portals"]}
    healthy = ["baoapbac", "baodongthap", "sonla", "thanhliem", "thoxuan"]
    for pid in healthy:
        assert by_portal[pid]["status"] == "ok", by_portal[pid]
        assert by_portal[pid]["articles_new"] > 0
    kinds = dict(_query(nights, "select page_kind, count(*) from raw.pages group by 1"))
    assert kinds["article"] >= 5 and kinds["listing"] >= 1


def test_malformed_entry_and_dead_portal_fail_alone_and_by_name(nights):
    _, (first, _, _, _), _ = nights
    by_portal = {p["portal"]: p for p in first["portals"]}
    assert by_portal["malformed"]["status"] == "failed"
    assert "entry malformed, field 'locality.type'" in by_portal["malformed"]["error"]
    assert by_portal["dead"]["status"] == "failed"
    assert "robots.txt unreachable" in by_portal["dead"]["error"]


def test_every_seed_article_lands_once_with_its_provenance(nights):
    manifest = json.loads(resources.files("cchc.samples").joinpath("manifest.json").read_text(encoding="utf-8"))
    seed_paths = [p["path"] for p in manifest["pages"] if p.get("seed")]
    assert len(seed_paths) == 5
    for path in seed_paths:
        rows = _query(
            nights, "select http_status, content_hash, etag, charset, html from raw.pages where url like ?", [f"%{path}"]
        )
        assert len(rows) == 1, path
        status, content_hash, etag, used_charset, html = rows[0]
        assert status == 200 and len(content_hash) == 64 and etag and used_charset == "utf-8"
        assert "hồ sơ" in html


def test_disallowed_paths_are_never_requested(nights):
    server, _, _ = nights
    skipped = _query(nights, "select url from raw.fetch_log where outcome = 'skipped_robots'")
    assert skipped, "the sample listings link to a disallowed path"
    requested = {r.path.split("?")[0] for r in server.requests}
    for (url,) in skipped:
        assert url.split("://", 1)[1].split("/", 1)[1] not in {p.lstrip("/") for p in requested}


def test_second_night_stores_nothing_again_and_asks_for_no_known_article(nights):
    _, (first, _, second, _), _ = nights
    assert second["run_id"] != first["run_id"]
    assert second["pages_new"] == 0 and second["pages_unchanged"] > 0  # robots.txt, sitemaps, feeds, first listing pages
    versions = _query(nights, "select count(*), count(distinct page_version_id) from raw.pages")[0]
    assert versions[0] == versions[1]
    articles = dict(_query(nights, "select outcome, count(*) from raw.fetch_log where run_id = ? and page_kind = 'article'"
                                   " and outcome not in ('skipped_filter', 'skipped_robots') group by 1", [second["run_id"]]))
    first_articles = _query(nights, "select count(*) from raw.fetch_log where run_id = ? and page_kind = 'article' and outcome = 'new'",
                            [first["run_id"]])[0][0]
    assert articles == {"not_due": first_articles}, "the same day, no known article is due again"


def test_articles_are_extracted_with_facts(nights):
    articles = _query(nights, "select count(*), count(*) filter (where has_dossier_stats) from raw.articles")[0]
    assert articles[0] >= 5 and articles[1] >= 5
    facts = _query(nights, "select count(*), count(distinct page_version_id) from raw.facts")[0]
    assert facts[0] > 20
    # extracted once: the second night found nothing new to extract
    assert _query(nights, "select count(*) from (select page_version_id, extractor_version from raw.articles group by all having count(*) > 1)")[0][0] == 0


def test_the_night_builds_marts_checks_them_and_publishes(nights):
    _, _, path = nights
    assert _query(nights, "select count(*) from marts.fct_dossier_facts")[0][0] > 100
    rules = {(r, s) for r, s in _query(nights, "select rule, severity from dq.violations")}
    # the seeds' known breaks and the one deliberate error of the synthetic articles
    assert {("intake", "error"), ("tiers", "error"), ("tasks", "error"), ("balance", "warning"), ("outcome", "error")} <= rules
    assert _query(nights, "select count(*) from dq.validation_runs")[0][0] == 2
    assert (path.parent / "report" / "index.html").exists()
    assert (path.parent / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_an_open_analyst_session_keeps_its_night_while_the_next_is_published(nights):
    _, (first, night1_seen, second, still_seen), path = nights
    assert night1_seen == first["run_id"] and still_seen == first["run_id"]
    with warehouse.connect(read_only=True, path=path.parent / "analysts.duckdb") as con:
        assert con.execute("select run_id from meta.snapshot").fetchone()[0] == second["run_id"]
