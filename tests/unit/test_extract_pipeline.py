"""The nightly extract task: only page versions the current extractor has not seen, and all of
them again when the extractor version changes."""
from __future__ import annotations

import json
from datetime import datetime
from importlib import resources

from cchc import warehouse
from cchc.extract import pipeline


def land_seed_pages(con) -> int:
    root = resources.files("cchc.samples")
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    seeds = [p for p in manifest["pages"] if p.get("seed")]
    for i, page in enumerate(seeds):
        html = root.joinpath("site", page["file"]).read_text(encoding="utf-8")
        con.execute(
            "insert into raw.pages values (?, ?, ?, ?, 'article', 'r1', ?, 200, 'text/html', 'utf-8', 'utf-8', null, null, ?, ?, true, null, ?)",
            [f"v{i}", f"http://x/{i}", f"http://x/{i}", page["portal_id"], datetime(2025, 11, 20, 3), f"h{i}", len(html), html],
        )
    return len(seeds)


def test_only_pending_versions_are_extracted_and_a_new_version_redoes_all(monkeypatch):
    with warehouse.connect() as con:
        pages = land_seed_pages(con)
        first = pipeline.extract_pending(con, {})
        again = pipeline.extract_pending(con, {})
        assert first["pages"] == first["articles"] == pages and first["facts"] > 50
        assert again["pages"] == 0

        monkeypatch.setattr("cchc.extract.facts.EXTRACTOR_VERSION", "facts-next")
        bumped = pipeline.extract_pending(con, {})
        assert bumped["pages"] == pages and bumped["extractor_version"].endswith("+facts-next")
        versions = con.execute("select extractor_version, count(*) from raw.articles group by 1 order by 1").fetchall()
        assert [n for _, n in versions] == [pages, pages]
        facts = con.execute("select count(distinct extractor_version), count(*) from raw.facts").fetchone()
        assert facts == (2, 2 * first["facts"])


def test_a_page_that_breaks_extraction_is_recorded_and_the_rest_go_on(monkeypatch):
    with warehouse.connect() as con:
        pages = land_seed_pages(con)
        real = pipeline.extract_page

        def flaky(page_version_id, *args):
            if page_version_id == "v0":
                raise ValueError("broken page")
            return real(page_version_id, *args)

        monkeypatch.setattr(pipeline, "extract_page", flaky)
        result = pipeline.extract_pending(con, {})
    assert result["failed"] == 1 and result["articles"] == pages - 1
    assert result["failures"][0]["page_version_id"] == "v0" and "broken page" in result["failures"][0]["error"]
