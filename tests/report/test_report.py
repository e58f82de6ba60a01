"""The nightly HTML report on the demo warehouse, with hostile rows planted in it.

One demo warehouse per module (``seed_demo_warehouse`` + a real ``dbt build``, about 45 s), then:
a ``dq.violations`` table written here (the brief's columns, not the checks module's: the report
must survive either), titles, sentences, a locality name and crawl notes carrying HTML and
script. The report is rendered once and loaded in headless Chromium (Debian's ``chromium``):
the tests read the DOM Chromium produced after the page's own script ran, and keep a screenshot
in ``tests/artifacts/report.png``.

Without Chromium the browser tests skip, unless ``CCHC_REQUIRE_CHROMIUM=1`` or ``CI`` is set:
then they fail.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cchc.demo_data import RUN_ID

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
YEN_DINH = "huyen|thanhhoa|yendinh|pre2025"

HOSTILE_TITLE = "<script>alert(1)</script> Mai Sơn: số hóa hồ sơ"
HOSTILE_SENTENCE = 'Tiếp nhận 1.130 hồ sơ "><img src=x onerror=alert(2)> trong tháng'
HOSTILE_LOCALITY = "Huyện Yên Định</script><script>alert(4)</script>"
HOSTILE_LIST_SENTENCE = "<svg onload=alert(5)>Giải quyết 718 hồ sơ</svg>"
HOSTILE_NOTE = "<iframe src=x></iframe>listing changed"
HOSTILE_ERROR = "<a href=javascript:alert(6)>x</a>"
HOSTILE_TEXTS = (HOSTILE_TITLE, HOSTILE_SENTENCE, HOSTILE_LOCALITY, HOSTILE_LIST_SENTENCE, HOSTILE_NOTE, HOSTILE_ERROR)

# the columns the brief names for dq.violations (no violation_id, no check_name)
VIOLATION_COLUMNS = (
    "report_id varchar, article_id varchar, url varchar, title varchar, locality_name varchar, locality_type varchar, "
    "locality_province varchar, tier varchar, period_start date, period_end date, rule varchar, severity varchar, "
    "terms varchar, expected double, detail varchar, repair varchar, evidence varchar, first_seen_run_id varchar, "
    "last_seen_run_id varchar, alerted_at timestamp"
)
VIOLATIONS = [
    # seed 001's break, tonight, hostile title and sentence, a URL with markup in its query
    ("r1", "a1", "https://sonla.gov.vn/tin-tuc/mai-son.html?a=1&b=<2>", HOSTILE_TITLE, "Mai Sơn", "huyen", "Sơn La",
     "district", "2023-11-01", "2023-11-30", "intake", "error",
     json.dumps({"dossiers_received": 1130, "dossiers_received_new": 736, "dossiers_carried_over": 367}), 1103.0,
     "1130 != 736 + 367", json.dumps({"metric": "dossiers_received", "tier": "district", "stated": 1130, "suggested": 1103}),
     HOSTILE_SENTENCE, RUN_ID, RUN_ID, None),
    # a warning seen first on an earlier night; evidence as a JSON list; a javascript: URL must not become a link
    ("r2", "a2", "javascript:alert(3)", "Thọ Xuân: kết quả quý II", "<b>Thọ Xuân</b>", "huyen", "Thanh Hóa",
     "district", "2024-04-01", "2024-06-30", "balance", "warning",
     json.dumps({"dossiers_received": 1200, "dossiers_resolved": 1100}), 1200.0, "shortfall of 100", None,
     json.dumps(["Tiếp nhận 1.200 hồ sơ.", HOSTILE_LIST_SENTENCE]), "demo__2026-01-09T010000", RUN_ID, None),
    # only an earlier night: not in tonight's list
    ("r3", "a3", "https://example.org/old", "Bài cũ", "Triệu Sơn", "huyen", "Thanh Hóa", "district",
     "2023-01-01", "2023-03-31", "rates", "error", "{}", None, "old", None, "Câu cũ", "old-run", "old-run", None),
]


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory) -> Path:
    from cchc import warehouse
    from cchc.dbt_runner import dbt_build
    from cchc.demo_data import seed_demo_warehouse

    root = tmp_path_factory.mktemp("report_wh")
    path = root / "warehouse.duckdb"
    seed_demo_warehouse(path)
    # models and seeds only: the marts' data tests are tests/dbt's business, and they cost time here
    saved = os.environ.get("DBT_INDIRECT_SELECTION")
    os.environ["DBT_INDIRECT_SELECTION"] = "empty"
    try:
        dbt_build(root / "target", select="resource_type:seed resource_type:model", warehouse_path=path)
    finally:
        if saved is None:
            os.environ.pop("DBT_INDIRECT_SELECTION", None)
        else:
            os.environ["DBT_INDIRECT_SELECTION"] = saved
    with warehouse.connect(path=path) as con:
        con.execute("create schema if not exists dq")
        con.execute("drop table dq.violations")  # the schema made it; this test writes the brief's columns
        con.execute(f"create table dq.violations ({VIOLATION_COLUMNS})")
        con.executemany(f"insert into dq.violations values ({', '.join('?' * len(VIOLATIONS[0]))})", VIOLATIONS)
        con.execute("update marts.dim_locality set full_name = ? where locality_id = ?", [HOSTILE_LOCALITY, YEN_DINH])
        con.execute("update raw.portal_runs set health_note = ?, error = ?, status = 'possibly_broken', pages_failed = 2 "
                    "where portal_id = 'yendinh'", [HOSTILE_NOTE, HOSTILE_ERROR])
    return path


@pytest.fixture(scope="module")
def report(warehouse_path, tmp_path_factory) -> dict:
    from cchc.report import build_report

    out = tmp_path_factory.mktemp("report") / "report"
    started = time.monotonic()
    index = build_report(out_dir=out, warehouse_path=warehouse_path)
    return {"index": index, "seconds": time.monotonic() - started, "html": index.read_text(encoding="utf-8")}


def run_chromium(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"chromium-profile-{time.monotonic_ns()}"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def dom(chromium, report, tmp_path_factory) -> "Dom":
    tmp = tmp_path_factory.mktemp("chromium")
    proc = run_chromium(chromium, tmp, "--dump-dom", report["index"].as_uri())
    parsed = Dom()
    parsed.feed(proc.stdout)
    parsed.close()
    assert parsed.elements, f"empty DOM from chromium; stderr: {proc.stderr[-2000:]}"
    return parsed


class Dom(HTMLParser):
    """Every element of Chromium's serialised DOM (tag, attributes, text directly inside it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "parent": self.stack[-1] if self.stack else None, "text": []}
        self.elements.append(node)
        if tag not in ("br", "meta", "link", "input", "img", "hr", "circle", "rect", "line", "polyline", "path"):
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "parent": self.stack[-1] if self.stack else None, "text": []})

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.text.append(data)
        if self.stack:
            self.stack[-1]["text"].append(data)

    def find(self, tag: str, cls: str | None = None) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag and (cls is None or cls in e["attrs"].get("class", "").split())]

    def within(self, ancestor: dict, tag: str) -> list[dict]:
        out = []
        for e in self.elements:
            p = e["parent"]
            while p is not None and p is not ancestor:
                p = p["parent"]
            if p is ancestor and e["tag"] == tag:
                out.append(e)
        return out


def expected_charts(warehouse_path: Path) -> list[int]:
    """Points per chart, from the kpis directly: a chart per locality, period type and metric with values."""
    from cchc import warehouse

    with warehouse.connect(read_only=True, path=warehouse_path) as con:
        rows = con.execute("""
            select count(dossiers_received),
                   count(coalesce(on_time_rate_computed, rate_resolved_early_or_on_time)),
                   count(coalesce(online_rate_computed, rate_received_online))
            from marts.ts_dossier_kpis group by locality_id, period_type
        """).fetchall()
    return sorted(n for row in rows for n in row if n)


# --------------------------------------------------------------------------- in the browser

def test_charts_draw_in_chromium_and_a_screenshot_is_kept(dom, chromium, report, warehouse_path, tmp_path):
    expected = expected_charts(warehouse_path)
    assert len(expected) >= 20  # the demo data: 9 localities, several period types
    html_el = dom.find("html")[0]
    assert html_el["attrs"].get("data-charts-drawn") == str(len(expected))
    svgs = dom.find("svg", "chart-svg")
    assert len(svgs) == len(expected)
    points = []
    for svg in svgs:
        lines = dom.within(svg, "polyline")
        assert lines, f"chart {svg['attrs'].get('id')} has no line"
        pairs = [p for line in lines for p in line["attrs"].get("points", "").split()]
        assert pairs and all(len(p.split(",")) == 2 for p in pairs)
        assert all(0 <= float(c) <= 400 for p in pairs for c in p.split(","))  # inside the 380 x 230 view box
        assert len(dom.within(svg, "circle")) == len(pairs) == int(svg["attrs"]["data-points"])
        assert len(dom.within(svg, "text")) >= 4  # axis labels
        points.append(len(pairs))
    assert sorted(points) == expected
    # the sections are there, with the night's numbers
    text = "".join(dom.text)
    for heading in ("Biểu đồ theo tỉnh và địa phương", "So sánh các địa phương trong kỳ gần nhất",
                    "Chất lượng dữ liệu", "Thu thập trong đêm", "Quý IV/2024", "Tháng 11/2023"):
        assert heading in text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    run_chromium(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars",
                 report["index"].as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_article_text_cannot_run_in_the_report(dom, report):
    # nothing injected became an element or a handler
    assert not dom.find("img") and not dom.find("iframe")
    assert all(e["attrs"].get("class") == "chart-svg" for e in dom.find("svg"))
    handlers = [(e["tag"], k) for e in dom.elements for k in e["attrs"] if k.lower().startswith("on")]
    assert handlers == []
    scripts = dom.find("script")
    assert [s["attrs"].get("type") for s in scripts] == ["application/json", None]
    assert all("alert(" not in "".join(s["text"]) or s["attrs"].get("type") == "application/json" for s in scripts)
    hrefs = [e["attrs"].get("href", "") for e in dom.find("a")]
    assert not any(h.strip().lower().startswith(("javascript:", "data:")) for h in hrefs)
    assert "https://sonla.gov.vn/tin-tuc/mai-son.html?a=1&b=<2>" in hrefs  # http(s) articles are linked
    bold = ["".join(b["text"]) for b in dom.find("b")]
    assert "Thọ Xuân" not in bold  # "<b>Thọ Xuân</b>" stayed text
    # ... and every hostile text shows literally
    text = "".join(dom.text)
    for hostile in HOSTILE_TEXTS:
        assert hostile in text, hostile
    # the chart titles came through the JSON block: the locality name is literal there too
    titles = ["".join(t["text"]) for svg in dom.find("svg", "chart-svg") for t in dom.within(svg, "title")]
    assert any(HOSTILE_LOCALITY in t for t in titles)
    # the page forbids every load and any script but its own
    csp = [e["attrs"]["content"] for e in dom.find("meta") if e["attrs"].get("http-equiv", "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src 'sha256-" in csp[0] and "unsafe" not in csp[0]


def test_the_policy_blocks_markup_that_escaped_escaping(chromium, report, tmp_path):
    """Defence in depth: a script or inline style slipped into the page does not run; the page's own does."""
    planted = report["html"].replace(
        "</footer>",
        '</footer><script>document.documentElement.setAttribute("data-injected", "1")</script>'
        '<div style="color:red" onclick="alert(7)">planted</div>',
    )
    page = tmp_path / "planted.html"
    page.write_text(planted, encoding="utf-8")
    proc = run_chromium(chromium, tmp_path, "--dump-dom", page.as_uri())
    assert 'data-injected="1"' not in proc.stdout
    assert 'data-charts-drawn="' in proc.stdout and 'data-charts-drawn="0"' not in proc.stdout


# --------------------------------------------------------------------------- the file itself

def test_the_html_escapes_every_hostile_text(report):
    html = report["html"]
    assert html.count("<script") == 2 and "<img" not in html and "<iframe" not in html and "<svg" not in html
    assert "alert(4)</script>" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(4)" in html  # in the JSON block
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_is_self_contained_fast_and_shows_the_night(report):
    html = report["html"]
    assert report["seconds"] < 5
    assert sorted(p.name for p in report["index"].parent.iterdir()) == ["index.html"]
    assert "<link" not in html and " src=" not in html.replace("src=x", "")
    assert RUN_ID in html
    # tonight's two violations, not the earlier night's
    assert "Mai Sơn" in html and "1.103" in html and "shortfall of 100" in html and "Câu cũ" not in html
    assert "1 vi phạm khác chỉ thấy ở các đêm trước" in html
    # the crawl of each demo portal, the broken one flagged
    for portal in ("sonla", "thanhhoa", "thanhliem", "thoxuan", "trieuson", "yendinh"):
        assert f"<code>{portal}</code>" in html
    assert "Có thể hỏng" in html
    # comparison: Mai Sơn, tháng 11/2023 against tháng 10: +80 dossiers
    assert "Tháng 11/2023" in html and "+80" in html


def test_without_violations_table_the_section_says_no_checks_ran(warehouse_path, tmp_path):
    from cchc import warehouse
    from cchc.report import build_report

    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse_path, copy)
    with warehouse.connect(path=copy) as con:
        con.execute("drop schema dq cascade")
    html = build_report(out_dir=tmp_path / "out", warehouse_path=copy).read_text(encoding="utf-8")
    assert "no checks ran" in html and "Biểu đồ theo tỉnh" in html


def test_a_warehouse_without_marts_still_gives_a_report(warehouse_path, tmp_path):
    from cchc import warehouse
    from cchc.report import build_report

    wh = tmp_path / "raw_only.duckdb"
    shutil.copy(warehouse_path, wh)
    with warehouse.connect(path=wh) as con:
        for schema in ("marts", "dq", "intermediate", "staging", "seeds"):
            con.execute(f"drop schema if exists {schema} cascade")
    html = build_report(out_dir=tmp_path / "out", warehouse_path=wh).read_text(encoding="utf-8")
    assert "dbt build" in html and "no checks ran" in html and "<code>thoxuan</code>" in html


def test_default_folder_and_swap_in_place(warehouse_path, data_dir):
    from cchc.report import build_report

    first = build_report(warehouse_path=warehouse_path)
    assert first == data_dir / "report" / "index.html"
    (first.parent / "stale.txt").write_text("from the previous night")
    second = build_report(warehouse_path=warehouse_path, run_id="no-such-run")
    assert second == first and not (first.parent / "stale.txt").exists()
    assert "no-such-run" in second.read_text(encoding="utf-8")
    assert sorted(p.name for p in data_dir.iterdir() if "report" in p.name) == ["report"]  # no temp folder left


def test_cli_report_prints_the_path(warehouse_path, tmp_path, capsys):
    from cchc.cli import main

    out = tmp_path / "cli-report"
    assert main(["report", "--out", str(out), "--warehouse", str(warehouse_path)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "index.html")
    assert main(["report", "--out", str(out), "--warehouse", str(tmp_path / "missing.duckdb")]) == 1
    assert "no warehouse" in capsys.readouterr().err


def test_json_for_script_and_vietnamese_numbers():
    from cchc.report.render import fmt_num, json_for_script

    text = str(json_for_script({"t": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"t": "</script><!-- & \u2028"}
    assert fmt_num(4847) == "4.847" and fmt_num(90.26, 2) == "90,26" and fmt_num(-12, 0, True) == "−12"
    assert fmt_num(80, 0, True) == "+80" and fmt_num(None) == "—" and fmt_num(1234567.0) == "1.234.567"
