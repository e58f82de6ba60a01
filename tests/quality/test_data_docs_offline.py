"""Data Docs that open with the network off.

The first night's Data Docs (``first_night``: the real checkpoint, then
``cchc.quality.data_docs_assets.serve_locally``) are opened from ``file://`` in Debian's headless
Chromium, driven over the DevTools protocol on a pipe, with the network off twice over: the page
is emulated offline and no host name resolves. Every request the pages make is recorded; a
request to anything but the site's own files counts against them, and there must be none.

- the index lists every suite's validation of the night, each row linking to a page that exists,
  with a status mark Font Awesome drew;
- a result page shows its status marks (a check for each met expectation, a cross for each
  broken one), drawn with the font the site itself serves;
- the control: the same site as GX 1.24.1 writes it, offline, lists nothing and draws no mark,
  and ``serve_locally`` is what mends it;
- ``serve_locally`` refuses a page that still loads from outside, a fresh site missing an address
  it knows, and a served file whose hash is not the one GX pins.

Without Chromium the browser tests skip, unless ``CCHC_REQUIRE_CHROMIUM=1`` or ``CI`` is set
(as in tests/report): then they fail.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cchc.quality.gx_context import SUITE_FACTS, SUITE_REPORTS, SUITE_TERMS

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SUITES = (SUITE_REPORTS, SUITE_TERMS, SUITE_FACTS)
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "chrome-error", "devtools"}
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


# --------------------------------------------------------------------------- the browser

class Chromium:
    """Headless Chromium over the DevTools protocol (``--remote-debugging-pipe``: commands on fd 3,
    answers and events on fd 4, each a JSON text ended by NUL), with the network off."""

    FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--remote-debugging-pipe",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,900")

    def __init__(self, exe: str, tmp: Path, timeout: float = 60) -> None:
        self.exe, self.tmp, self.timeout = exe, tmp, timeout
        self.requests: list[str] = []  # every URL a page asked for
        self.failed: list[tuple[str, str]] = []  # (URL, error)
        self.exceptions: list[str] = []  # uncaught script errors
        self._urls: dict[str, str] = {}
        self._loaded: set[str] = set()
        self._next = 0
        self._inbox: queue.Queue = queue.Queue()

    def __enter__(self) -> "Chromium":
        self.tmp.mkdir(parents=True, exist_ok=True)
        cmd_r, self._cmd_w = os.pipe()
        self._evt_r, evt_w = os.pipe()
        # the child's ends above fd 10, so that moving them to 3 and 4 cannot overwrite one another
        child_in, child_out = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10), fcntl.fcntl(evt_w, fcntl.F_DUPFD, 10)
        os.close(cmd_r)
        os.close(evt_w)
        self._stderr = open(self.tmp / "chromium.stderr", "wb")
        self.proc = subprocess.Popen(
            ["bash", "-c", f'exec "$@" 3<&{child_in} 4>&{child_out} {child_in}<&- {child_out}>&-', "chromium",
             self.exe, *self.FLAGS, f"--user-data-dir={self.tmp / 'profile'}", "about:blank"],
            pass_fds=(child_in, child_out), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
        )
        os.close(child_in)
        os.close(child_out)
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._cmd_w)
        self._stderr.close()

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = os.read(self._evt_r, 1 << 16)
            if not chunk:
                self._inbox.put(None)
                os.close(self._evt_r)
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._inbox.put(json.loads(message))

    def _pump(self, deadline: float) -> dict:
        try:
            message = self._inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError("Chromium did not answer in time") from None
        if message is None:
            raise RuntimeError(f"Chromium exited: {(self.tmp / 'chromium.stderr').read_text(errors='replace')[-2000:]}")
        method, params = message.get("method"), message.get("params") or {}
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
            self._urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed":
            self.failed.append((self._urls.get(params["requestId"], "?"), params.get("errorText", "")))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails") or {}
            self.exceptions.append(((details.get("exception") or {}).get("description") or details.get("text") or "")[:500])
        elif method == "Page.loadEventFired":
            self._loaded.add(message.get("sessionId"))
        return message

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float | None = None) -> dict:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            answer = self._pump(deadline)
            if answer.get("id") == msg["id"]:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result") or {}

    def open(self, path: Path) -> "Page":
        """A new tab, offline, showing ``path``; returns once the page's load event fired."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Network", "Page", "Runtime"):
            self.call(f"{domain}.enable", session=session)
        self.call("Network.emulateNetworkConditions",
                  {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}, session)
        self._loaded.discard(session)
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session)
        deadline = time.monotonic() + self.timeout
        while session not in self._loaded:
            self._pump(deadline)
        return Page(self, session)

    def requests_outside(self) -> list[str]:
        """Every request that would have left the machine (not a file, not loopback)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme not in LOCAL_SCHEMES and (parts.hostname or "") not in LOOPBACK:
                out.append(url)
        return out


class Page:
    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser, self.session = browser, session

    def evaluate(self, expression: str):
        result = self.browser.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                        "returnByValue": True}, self.session)
        if "exceptionDetails" in result:
            raise AssertionError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))


# What the reader sees, read in the page: the index's rows (bootstrap-table draws them from data
# in the page), and each status mark with the glyph Font Awesome gives it. A mark is drawn when
# its ::before has content in the Font Awesome family, that font is loaded, and it has a size.
MARKS_JS = """
(async () => {
  await document.fonts.ready;
  const mark = (i) => {
    const before = getComputedStyle(i, '::before');
    const box = i.getBoundingClientRect();
    return {cls: i.className, content: before.content, family: before.fontFamily, width: box.width, height: box.height};
  };
  const rows = Array.from(document.querySelectorAll('#Validation-Results table tbody tr')).map(tr => ({
    href: tr.dataset.href || null, text: tr.innerText, marks: Array.from(tr.querySelectorAll('i')).map(mark)}));
  return {
    rows,
    marks: Array.from(document.querySelectorAll('i.fa-check-circle, i.fa-times')).map(mark),
    fontLoaded: document.fonts.check('900 16px "Font Awesome 6 Free"'),
    libraries: {jquery: typeof window.jQuery, bootstrapTable: !!(window.jQuery && jQuery.fn.bootstrapTable),
                bootstrap: !!(window.jQuery && jQuery.fn.modal), vegaEmbed: typeof window.vegaEmbed},
  };
})()
"""


def read_page(browser: Chromium, path: Path, wait_rows: bool = False, shot: str | None = None) -> dict:
    page = browser.open(path)
    deadline = time.monotonic() + 10
    seen = page.evaluate(MARKS_JS)
    while wait_rows and not seen["rows"] and time.monotonic() < deadline:  # rows come from a script: give it time
        time.sleep(0.2)
        seen = page.evaluate(MARKS_JS)
    if shot:
        page.screenshot(ARTIFACTS / shot)
    return seen


def drawn(mark: dict) -> bool:
    return mark["content"] not in ("none", "normal", "", '""') and "Font Awesome" in mark["family"] and mark["width"] > 0


def site_of(data: Path) -> Path:
    return data / "gx" / "uncommitted" / "data_docs" / "local_site"


# --------------------------------------------------------------------------- the night's Data Docs, offline

@pytest.fixture(scope="module")
def offline_index(first_night, chromium, tmp_path_factory) -> dict:
    data, summary = first_night
    site = site_of(data)
    with Chromium(chromium, tmp_path_factory.mktemp("chromium-index")) as browser:
        seen = read_page(browser, site / "index.html", wait_rows=True, shot="data_docs_index.png")
        return {"site": site, "summary": summary, "seen": seen, "outside": browser.requests_outside(),
                "requests": list(browser.requests), "failed": list(browser.failed), "exceptions": list(browser.exceptions)}


def test_the_index_lists_every_suites_validation_with_the_network_off(offline_index):
    seen, site = offline_index["seen"], offline_index["site"]
    assert offline_index["outside"] == [], "the index asked the internet for these"
    assert offline_index["exceptions"] == []
    assert seen["libraries"] == {"jquery": "function", "bootstrapTable": True, "bootstrap": True, "vegaEmbed": "function"}
    assert any(u.startswith("file://") and "/static/vendor/" in u for u in offline_index["requests"])
    rows = [r for r in seen["rows"] if r["href"] and r["href"].startswith("validations/")]
    assert len(rows) == len(SUITES)
    for suite in SUITES:
        (row,) = [r for r in rows if suite in r["text"]]
        assert "night-1" in row["text"]
        assert row["href"].startswith(f"validations/{suite}/night-1/") and (site / unquote(row["href"])).is_file()
        assert row["marks"] and all(drawn(m) for m in row["marks"]), row
    # the two rule suites find the seeds' breaks tonight, the facts suite passes
    classes = {suite: " ".join(m["cls"] for r in rows if suite in r["text"] for m in r["marks"]) for suite in SUITES}
    assert "fa-times" in classes[SUITE_REPORTS] and "fa-check-circle" in classes[SUITE_FACTS]
    assert seen["fontLoaded"]


def test_a_result_page_shows_its_status_marks_with_the_network_off(offline_index, chromium, tmp_path):
    site = offline_index["site"]
    (row,) = [r for r in offline_index["seen"]["rows"] if r["href"] and SUITE_REPORTS in r["text"]]
    page = site / unquote(row["href"])
    stored = site.parents[1] / "validations" / Path(unquote(row["href"])).relative_to("validations").with_suffix(".json")
    stats = json.loads(stored.read_text(encoding="utf-8"))["statistics"]
    with Chromium(chromium, tmp_path / "chromium") as browser:
        seen = read_page(browser, page, shot="data_docs_result.png")
        assert browser.requests_outside() == [], "the result page asked the internet for these"
        assert browser.exceptions == []
    assert seen["fontLoaded"]
    checks = [m for m in seen["marks"] if "fa-check-circle" in m["cls"]]
    crosses = [m for m in seen["marks"] if "fa-times" in m["cls"]]
    # one mark per expectation, and the page's overall status beside them
    assert stats["unsuccessful_expectations"] > 0
    assert len(checks) >= stats["successful_expectations"] and len(crosses) >= stats["unsuccessful_expectations"]
    assert len(checks) + len(crosses) <= stats["evaluated_expectations"] + 1
    undrawn = [m for m in checks + crosses if not drawn(m)]
    assert undrawn == [], undrawn[:3]


def test_the_night_records_the_pages_it_links(offline_index):
    site = offline_index["site"]
    assert offline_index["summary"]["data_docs"] == str(site / "index.html")
    # every page of the site loads nothing from outside it; the assets are the pinned ones
    from cchc.quality.data_docs_assets import external_loads, pinned_versions

    for page in site.rglob("*.html"):
        assert external_loads(page.read_text(encoding="utf-8")) == [], page
    pinned = pinned_versions()
    assert (site / "static" / "vendor" / f"jquery-{pinned['jquery']}" / "dist" / "jquery.min.js").is_file()
    assert (site / "static" / "vendor" / f"fontawesome-free-{pinned['@fortawesome/fontawesome-free']}" / "webfonts"
            / "fa-solid-900.woff2").is_file()


# --------------------------------------------------------------------------- the control: GX's own pages

@pytest.fixture
def gx_site(night_copy) -> Path:
    """The night's Data Docs rebuilt by GX alone (CDN addresses and all), in this test's copy."""
    from cchc.quality.gx_context import data_docs_index, get_context

    context = get_context()
    context.build_data_docs()
    site = data_docs_index(context).parent
    assert "https://unpkg.com/bootstrap-table@" in (site / "index.html").read_text(encoding="utf-8")
    return site


def test_gx_pages_need_the_internet_and_serve_locally_mends_them(gx_site, chromium, tmp_path):
    from cchc.quality.data_docs_assets import serve_locally

    with Chromium(chromium, tmp_path / "before") as browser:
        before = read_page(browser, gx_site / "index.html")
        outside = browser.requests_outside()
    assert any("bootstrap-table" in u for u in outside) and any("jquery" in u for u in outside)
    assert before["rows"] == [] and not before["libraries"]["bootstrapTable"]  # offline, the index lists nothing
    assert not any(drawn(m) for m in before["marks"])

    counts = serve_locally(gx_site)
    assert counts["rewritten"] >= 4 and counts["assets"] >= 16
    with Chromium(chromium, tmp_path / "after") as browser:
        after = read_page(browser, gx_site / "index.html", wait_rows=True)
        assert browser.requests_outside() == []
    assert {s for s in SUITES if any(s in r["text"] for r in after["rows"])} == set(SUITES)


# --------------------------------------------------------------------------- serve_locally refuses

def test_a_page_left_loading_from_outside_is_refused(gx_site):
    from cchc.quality.data_docs_assets import DataDocsAssetsError, serve_locally

    page = next((gx_site / "validations").rglob("*.html"))
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</head>", '<script src="https://cdn.example.org/highlight.min.js"></script></head>', 1),
                    encoding="utf-8")
    with pytest.raises(DataDocsAssetsError, match="cdn.example.org/highlight.min.js"):
        serve_locally(gx_site)


def test_a_fresh_site_without_an_address_it_knows_is_refused(gx_site):
    from cchc.quality.data_docs_assets import DataDocsAssetsError, serve_locally

    gone = "https://cdn.jsdelivr.net/npm/vega-embed@6"
    for page in gx_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f'<script src="{gone}"></script>', ""), encoding="utf-8")
    with pytest.raises(DataDocsAssetsError, match="no longer name.*vega-embed@6"):
        serve_locally(gx_site)


def test_a_served_file_must_have_the_hash_gx_pins(gx_site):
    from cchc.quality.data_docs_assets import DataDocsAssetsError, serve_locally

    for page in gx_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("sha384-JjSmVgyd0p3pXB1rRibZUAYoIIy6OrQ6VrjIEaFf/nJGzIxFDsf4x0xIM+B07jRM",
                                     "sha384-" + "A" * 64), encoding="utf-8")
    with pytest.raises(DataDocsAssetsError, match="not the file GX pins by integrity"):
        serve_locally(gx_site)


def test_missing_packages_are_named_with_the_command_that_installs_them(gx_site, tmp_path, monkeypatch):
    from cchc.quality.data_docs_assets import DataDocsAssetsError, serve_locally, vendor_dir

    empty = tmp_path / "vendor"
    empty.mkdir()
    shutil.copyfile(vendor_dir() / "package.json", empty / "package.json")
    monkeypatch.setenv("CCHC_DATA_DOCS_VENDOR", str(empty))
    with pytest.raises(DataDocsAssetsError, match="npm ci"):
        serve_locally(gx_site)


# --------------------------------------------------------------------------- the night's report links its pages

def test_the_nights_report_links_its_validation_pages_offline(night_copy, chromium, tmp_path):
    from cchc.report import build_report

    build_report(warehouse_path=night_copy / "warehouse.duckdb", run_id="night-1")  # <data>/report, as the DAG does
    moved = tmp_path / "elsewhere" / "data"  # the data folder copied to another machine: relative links still hold
    shutil.move(str(night_copy), moved)
    report = moved / "report" / "index.html"
    html = report.read_text(encoding="utf-8")
    assert 'href="../gx/uncommitted/data_docs/local_site/validations/' in html
    with Chromium(chromium, tmp_path / "chromium") as browser:
        page = browser.open(report)
        links = page.evaluate("Array.from(document.querySelectorAll('#quality a.dd-page, #quality a.dd-index'))"
                              ".map(a => ({cls: a.className, text: a.textContent, href: a.href,"
                              " status: a.nextElementSibling ? a.nextElementSibling.textContent : ''}))")
        pages = {link["text"]: link for link in links if "dd-page" in link["cls"]}
        assert set(pages) == set(SUITES)
        for suite, link in pages.items():
            target = Path(unquote(urlsplit(link["href"]).path))
            assert target.is_file() and target.is_relative_to(moved / "gx")
            assert f"/validations/{suite}/night-1/" in link["href"]
        assert "không đạt" in pages[SUITE_REPORTS]["status"] and "bad" in pages[SUITE_REPORTS]["cls"]
        assert "(đạt" in pages[SUITE_FACTS]["status"]
        (index_link,) = [link for link in links if "dd-index" in link["cls"]]
        assert Path(unquote(urlsplit(index_link["href"]).path)) == moved / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
        # the page the link opens, offline: its marks drawn
        seen = read_page(browser, Path(unquote(urlsplit(pages[SUITE_REPORTS]["href"]).path)))
        assert browser.requests_outside() == []
    assert seen["fontLoaded"] and seen["marks"] and all(drawn(m) for m in seen["marks"])


def test_a_report_without_checks_links_no_data_docs(built_warehouse, tmp_path):
    from cchc.report import build_report

    html = build_report(out_dir=tmp_path / "report", warehouse_path=built_warehouse, run_id="night-1").read_text(encoding="utf-8")
    assert "dd-page" not in html and "data_docs" not in html
