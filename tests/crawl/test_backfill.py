"""`cchc backfill` walks a sample archive (240 articles over 12 listing pages) once: killed
half-way and started again, it lands every archive article exactly once."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from cchc import warehouse
from cchc.backfill import checkpoint_path
from cchc.samples.archive import ArchiveServer

ARTICLES = 240


def _backfill(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).with_name("cchc")), "backfill", "maudon", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored() -> tuple[int, int]:
    with warehouse.connect(read_only=True) as con:
        return con.execute("select count(*), count(distinct url) from raw.pages where page_kind = 'article'").fetchone()


def test_a_backfill_killed_mid_way_resumes_and_lands_every_article_once(tmp_path, monkeypatch):
    with ArchiveServer(articles=ARTICLES) as site:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump({"portals": [site.registry_entry(delay=0.01)]}, allow_unicode=True), encoding="utf-8")
        monkeypatch.setenv("CCHC_REGISTRY", str(registry))
        first = _backfill()
        checkpoint = checkpoint_path("maudon")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            if checkpoint.exists() and json.loads(checkpoint.read_text())["next_page"] >= 5:
                break
            time.sleep(0.02)
        assert first.poll() is None, "the backfill finished before it could be killed"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        stopped_at = json.loads(checkpoint.read_text())["next_page"]
        assert 5 <= stopped_at <= 12
        again = _backfill()
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err[-2000:]
        assert f"'first_page': {stopped_at}" in out and "'done': True" in out
        assert _stored() == (ARTICLES, ARTICLES)
        # walked to its end, a backfill asks for nothing more
        asked = len(site.requests)
        done = _backfill()
        assert done.communicate(timeout=60)[0].count("'pages': 0") == 1 and len(site.requests) == asked
        assert _stored() == (ARTICLES, ARTICLES)


def test_a_listing_page_that_fails_stops_the_backfill_there_until_it_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_MAX_RETRIES", "1")
    with ArchiveServer(articles=ARTICLES) as site:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump({"portals": [site.registry_entry(delay=0.0)]}, allow_unicode=True), encoding="utf-8")
        monkeypatch.setenv("CCHC_REGISTRY", str(registry))
        site.failing.add("/tin-tuc?trang=3")
        out, err = _backfill().communicate(timeout=120)
        assert "listing page 3 failed" in err and "503" in err, err[-1000:]
        assert json.loads(checkpoint_path("maudon").read_text()) == {"next_page": 3, "done": False, "articles": 40}
        site.failing.clear()
        out, err = _backfill().communicate(timeout=120)
        assert "'done': True" in out, err[-1000:]
    assert _stored() == (ARTICLES, ARTICLES)


@pytest.mark.e2e
def test_the_backfill_dag_walks_the_pages_asked_for_and_extracts_them(tmp_path, monkeypatch):
    from cchc import airflow_env

    with ArchiveServer(articles=ARTICLES) as site:
        registry = tmp_path / "portals.yaml"
        registry.write_text(yaml.safe_dump({"portals": [site.registry_entry(delay=0.0)]}, allow_unicode=True), encoding="utf-8")
        monkeypatch.setenv("CCHC_REGISTRY", str(registry))
        env = airflow_env.airflow_env()
        log = tmp_path / "airflow.log"
        airflow_env.prepare(env, log)
        proc = airflow_env.airflow(["dags", "test", "cchc_backfill", "-c", json.dumps({"portal": "maudon", "pages": 2})], env, log,
                                   timeout=600)
        assert proc.returncode == 0, log.read_text()[-4000:]
    assert _stored() == (40, 40)
    with warehouse.connect(read_only=True) as con:
        extracted = con.execute("select count(*) from raw.articles where has_dossier_stats").fetchone()[0]
    assert extracted == 40
