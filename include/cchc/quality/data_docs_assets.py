"""Great Expectations' Data Docs that open without the internet: the browser assets its pages load
from public CDNs, served from the site itself.

GX 1.24.1 writes every page with ``<script>``/``<link>`` tags to jsdelivr, unpkg, cdnjs, the
Bootstrap CDN and code.jquery.com (jQuery, Popper, Bootstrap, bootstrap-table and its
filter-control extension, bootstrap-datepicker, bootstrap-dark, Font Awesome, Vega, Vega-Lite,
Vega-Embed) and a logo from GX's S3 bucket. Offline, the index lists no validation at all
(bootstrap-table draws its rows) and the result pages lose their status marks (Font Awesome's
icons). ``serve_locally(site_dir)``, run after each build:

1. copies each asset from the npm packages pinned in ``data_docs_vendor/package.json`` (exactly
   the versions GX's templates name; ``make`` installs them with ``npm ci`` from the lock file)
   into ``<site>/static/vendor/<package>-<version>/``, with the folders a stylesheet refers to
   (Font Awesome's ``webfonts/``);
2. rewrites every page (and GX's own stylesheet in ``static/styles``) to reach them by relative
   paths, so the site opens from ``file://`` or any static host; the GX logo becomes the copy GX
   already puts in ``static/images``. Where GX pinned a file by Subresource Integrity, the served
   file must have that very hash (it is then dropped with ``crossorigin``: a ``file://`` page
   cannot make CORS requests);
3. fails loudly (``DataDocsAssetsError``) when a page still loads anything from outside the site,
   when a CDN address this module knows was not found in a freshly built site (a GX upgrade
   changed its templates: check ``ASSETS`` against them), or when the packages are missing or are
   not the pinned versions.

Every page of the site is looked at on every run, not only tonight's: pages built before this
module existed are mended on the next night, and a page left with a CDN address is found.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

log = logging.getLogger(__name__)

VENDOR_ENV = "CCHC_DATA_DOCS_VENDOR"
DEFAULT_VENDOR_DIR = Path(__file__).resolve().parents[3] / "data_docs_vendor"
SITE_VENDOR = Path("static") / "vendor"


class DataDocsAssetsError(RuntimeError):
    """The Data Docs would need the internet, or the assets to serve them are not installed."""


@dataclass(frozen=True)
class Asset:
    url: str  # exactly as GX 1.24.1's templates write it
    package: str  # the npm package (data_docs_vendor/package.json pins its version)
    file: str  # the file inside the package
    beside: tuple[str, ...] = ()  # folders of the package the file refers to by relative URLs


ASSETS: tuple[Asset, ...] = (
    # js_script_imports.j2 (every page)
    Asset("https://cdn.jsdelivr.net/npm/vega@5", "vega", "build/vega.min.js"),
    Asset("https://cdn.jsdelivr.net/npm/vega-lite@5", "vega-lite", "build/vega-lite.min.js"),
    Asset("https://cdn.jsdelivr.net/npm/vega-embed@6", "vega-embed", "build/vega-embed.min.js"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css", "@fortawesome/fontawesome-free",
          "css/all.min.css", beside=("webfonts",)),
    Asset("https://code.jquery.com/jquery-3.7.1.min.js", "jquery", "dist/jquery.min.js"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js", "popper.js", "dist/umd/popper.min.js"),
    Asset("https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js", "bootstrap", "dist/js/bootstrap.min.js"),
    Asset("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js", "bootstrap-table", "dist/bootstrap-table.min.js"),
    Asset("https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
          "bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js",
          "bootstrap-datepicker", "dist/js/bootstrap-datepicker.min.js"),
    # page.j2, page_minimal.j2 and index_page.j2
    Asset("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css", "bootstrap-table", "dist/bootstrap-table.min.css"),
    Asset("https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css", "bootstrap", "dist/css/bootstrap.min.css"),
    # GX names 1.19.0 for the filter-control styles only: the 1.19.1 package's copies are served
    Asset("https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css",
          "bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.css"),
    Asset("https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
          "bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css",
          "bootstrap-datepicker", "dist/css/bootstrap-datepicker.min.css"),
    Asset("https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css",
          "@forevolve/bootstrap-dark", "dist/css/bootstrap-prefers-dark.css"),
)

# top_navbar.j2's logo (with a query naming the data context) and the dark-mode logo of GX's
# stylesheet: both become the logo GX copies into the site itself
GX_LOGO = re.compile(r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/"
                     r"(?P<name>logo-long|full_logo_dark)\.png(?:\?[^\"'\s)<>]*)?")
SITE_LOGO = Path("static") / "images" / "logo-long.png"

_ATTR_OF_TAG = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
                "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
                "embed": ("src",), "object": ("data",), "input": ("src",)}
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host (not data:, not relative)
_CSS_EXTERNAL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"']?)\s*((?:[a-z][a-z0-9+.-]*:)?//[^\"')\s;]+)", re.I)


# --------------------------------------------------------------------------- the packages

def vendor_dir() -> Path:
    """The folder holding ``package.json`` and its ``node_modules`` (``CCHC_DATA_DOCS_VENDOR``)."""
    return Path(os.environ.get(VENDOR_ENV) or DEFAULT_VENDOR_DIR)


def pinned_versions(root: Path | None = None) -> dict[str, str]:
    root = root or vendor_dir()
    return json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]


def _package_dir(root: Path, package: str, pinned: dict[str, str]) -> tuple[Path, str]:
    if package not in pinned:
        raise DataDocsAssetsError(f"{package} is not pinned in {root / 'package.json'}")
    folder = root / "node_modules" / package
    try:
        installed = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        raise DataDocsAssetsError(
            f"the Data Docs assets are not installed ({folder} is missing): run `make .venv/.installed` "
            f"(or `npm ci` in {root})") from None
    if installed != pinned[package]:
        raise DataDocsAssetsError(f"{package} {installed} is installed in {root}, {pinned[package]} is pinned: run `npm ci` there")
    return folder, installed


def _sri_ok(data: bytes, integrity: str) -> bool:
    """True when one of the SRI hashes in ``integrity`` is the hash of ``data``."""
    for token in integrity.split():
        algo, _, digest = token.partition("-")
        if algo in ("sha256", "sha384", "sha512") and base64.b64encode(hashlib.new(algo, data).digest()).decode() == digest:
            return True
    return False


def copy_assets(site_dir: Path, root: Path | None = None) -> dict[str, Path]:
    """Copy every asset into ``<site>/static/vendor``; returns CDN URL -> the copy in the site."""
    root = root or vendor_dir()
    try:
        pinned = pinned_versions(root)
    except FileNotFoundError:
        raise DataDocsAssetsError(f"no {root / 'package.json'}: set {VENDOR_ENV} to the data_docs_vendor folder") from None
    out: dict[str, Path] = {}
    for asset in ASSETS:
        folder, version = _package_dir(root, asset.package, pinned)
        target_root = site_dir / SITE_VENDOR / f"{asset.package.rsplit('/', 1)[-1]}-{version}"
        source = folder / asset.file
        if not source.is_file():
            raise DataDocsAssetsError(f"{asset.package} {version} has no {asset.file}")
        target = target_root / asset.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        for sub in asset.beside:
            shutil.copytree(folder / sub, target_root / sub, dirs_exist_ok=True)
        if target.suffix == ".css":
            outside = _CSS_EXTERNAL.findall(target.read_text(encoding="utf-8", errors="replace"))
            if outside:
                raise DataDocsAssetsError(f"{asset.package}/{asset.file} itself loads {outside[:3]}")
        out[asset.url] = target
    return out


# --------------------------------------------------------------------------- the pages

def _relative(target: Path, page: Path) -> str:
    from urllib.parse import quote

    return quote(os.path.relpath(target, page.parent).replace(os.sep, "/"))


def _rewrite(text: str, page: Path, copies: dict[str, Path], site_dir: Path, seen: set[str]) -> str:
    for url, target in copies.items():
        if url not in text:
            continue
        tag = re.compile(r"(?P<attr>\b(?:src|href)\s*=\s*)(?P<q>[\"'])" + re.escape(url) + r"(?P=q)(?P<rest>[^<>]*?)(?P<end>/?>)")

        def local(m: re.Match, url=url, target=target) -> str:
            seen.add(url)
            rest = m.group("rest")
            integrity = re.search(r"\bintegrity\s*=\s*([\"'])(.*?)\1", rest)
            if integrity:
                if not _sri_ok(target.read_bytes(), integrity.group(2)):
                    raise DataDocsAssetsError(f"{target} is not the file GX pins by integrity for {url}")
                rest = rest.replace(integrity.group(0), "")
                rest = re.sub(r"\s*\bcrossorigin\s*=\s*([\"']).*?\1", "", rest)
            q = m.group("q")
            return f"{m.group('attr')}{q}{_relative(target, page)}{q}{rest}{m.group('end')}"

        text = tag.sub(local, text)
    logo = site_dir / SITE_LOGO

    def gx_logo(m: re.Match) -> str:
        seen.add(f"gx-logo:{m.group('name')}")
        return _relative(logo, page)

    return GX_LOGO.sub(gx_logo, text)


class _Loads(HTMLParser):
    """Every address a page makes the browser load by itself (not links a reader follows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in _ATTR_OF_TAG.get(tag, ()):
            value = attrs.get(name) or ""
            for part in value.split(",") if name == "srcset" else [value]:
                if _EXTERNAL.match(part):
                    self.urls.append(part.strip().split()[0])
        self.urls += _CSS_EXTERNAL.findall(attrs.get("style") or "")
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.urls += _CSS_EXTERNAL.findall(data)


def external_loads(html: str) -> list[str]:
    """The outside addresses an HTML page loads (scripts, stylesheets, images, CSS ``url()``)."""
    parser = _Loads()
    parser.feed(html)
    parser.close()
    return parser.urls


def serve_locally(site_dir: Path, vendor: Path | None = None) -> dict[str, int]:
    """Make the Data Docs site in ``site_dir`` load nothing from outside itself (see the module
    docstring); returns ``{"pages": n looked at, "rewritten": n changed, "assets": n copied}``."""
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise DataDocsAssetsError(f"no Data Docs site in {site_dir} (no index.html)")
    copies = copy_assets(site_dir, vendor)
    if not (site_dir / SITE_LOGO).is_file():
        raise DataDocsAssetsError(f"GX did not copy its logo to {site_dir / SITE_LOGO}")
    seen: set[str] = set()
    pages = sorted(p for p in site_dir.rglob("*.html") if SITE_VENDOR not in p.relative_to(site_dir).parents)
    styles = sorted((site_dir / "static" / "styles").glob("*.css"))
    rewritten, left = 0, {}
    for path in pages + styles:
        text = path.read_text(encoding="utf-8")
        new = _rewrite(text, path, copies, site_dir, seen)
        if new != text:
            path.write_text(new, encoding="utf-8")
            rewritten += 1
        outside = external_loads(new) if path.suffix == ".html" else _CSS_EXTERNAL.findall(new)
        if outside:
            left[str(path.relative_to(site_dir))] = sorted(set(outside))
    if left:
        raise DataDocsAssetsError(f"Data Docs pages still load from outside the site (unknown to {__name__}.ASSETS): {left}")
    if rewritten:  # a fresh build: each address GX's templates write must have been found
        expected = set(copies) | {"gx-logo:logo-long", "gx-logo:full_logo_dark"}
        missing = sorted(expected - seen)
        if missing:
            raise DataDocsAssetsError(f"GX's Data Docs no longer name {missing}: its templates changed; check {__name__}.ASSETS")
    log.info("data docs: %d of %d pages and styles now load %d assets from the site", rewritten, len(pages) + len(styles), len(copies))
    return {"pages": len(pages), "rewritten": rewritten, "assets": len(copies)}
