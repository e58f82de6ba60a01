"""The nightly report: one self-contained folder (``index.html``) built from the marts.

Escaping, in three layers:

1. Jinja2 renders with autoescape on: every value printed into HTML text or an attribute is
   escaped; the only values marked safe are the inline CSS, the inline chart script (our files)
   and the JSON data block, which :func:`json_for_script` escapes itself.
2. The chart data is embedded as ``<script type="application/json">`` with ``<``, ``>``, ``&``
   (and U+2028/2029) written as ``\\u003c`` etc., so no text can close the element; the chart
   script reads it with ``JSON.parse`` and writes text with ``textContent`` only.
3. A Content-Security-Policy meta tag allows no loads at all (``default-src 'none'``) and only
   the page's own inline script and style, by their SHA-256: an injected script or event
   handler would not run even if escaping failed. Links are made only from http(s) URLs.

The folder is written next to its destination and swapped into place, so a reader sees the
previous report or the new one, never half of one.
"""
from __future__ import annotations

import base64
import ctypes
import ctypes.util
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from markupsafe import Markup

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return Markup("".join(_JSON_ESCAPES.get(c, c) for c in text))


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    return "; ".join([
        "default-src 'none'", f"script-src {_csp_hash(script)}", f"style-src {_csp_hash(style)}",
        "img-src 'none'", "font-src 'none'", "connect-src 'none'", "media-src 'none'", "object-src 'none'",
        "frame-src 'none'", "worker-src 'none'", "manifest-src 'none'", "base-uri 'none'", "form-action 'none'",
    ])


# --------------------------------------------------------------------------- number formats (vi-VN)

def _group(int_text: str) -> str:
    out = []
    while len(int_text) > 3:
        out.insert(0, int_text[-3:])
        int_text = int_text[:-3]
    out.insert(0, int_text)
    return ".".join(out)


def fmt_num(value: Any, decimals: int = 0, signed: bool = False) -> str:
    """Vietnamese notation: "." groups thousands, "," is the decimal mark; '—' for no value."""
    if value is None:
        return "—"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if x != x:
        return "—"
    if decimals == 0 and abs(x - round(x)) > 1e-9:
        decimals = 2 if abs(x) < 1000 else 0
    text = f"{abs(x):.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0") if decimals else ""
    body = _group(whole) + ("," + frac if frac else "")
    if body.strip("0.,") == "":
        return "0"
    sign = "−" if x < 0 else ("+" if signed else "")
    return sign + body


def change_class(value: Any, decimals: int = 2) -> str:
    """up, down or flat (a change that shows as 0)."""
    if value is None or round(float(value), decimals) == 0:
        return "flat"
    return "up" if float(value) > 0 else "down"


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_num
    env.filters["change_class"] = change_class
    return env


def render_html(model: dict[str, Any]) -> str:
    """The page for a model from :func:`cchc.report.data.collect` plus ``meta``."""
    script = (TEMPLATES / "charts.js").read_text(encoding="utf-8")
    style = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    env = _environment()
    chart_data = {"charts": model["series"]["charts"]}
    return env.get_template("report.html.j2").render(
        m=model,
        csp=content_security_policy(script, style),
        script=Markup(script),
        style=Markup(style),
        chart_json=json_for_script(chart_data),
    )


def _href(target: Path, folder: Path) -> str:
    """A relative link from a page in ``folder`` to ``target`` that opens from the file system."""
    from urllib.parse import quote

    return quote(os.path.relpath(target, folder).replace(os.sep, "/"))


def link_data_docs(model: dict[str, Any], out_dir: Path) -> None:
    """Relative links from the report's folder to the night's Data Docs pages (both sit under the
    data folder, so the links hold wherever that folder is opened)."""
    docs = model.get("data_docs") or {}
    if docs.get("index"):
        docs["index_href"] = _href(docs["index"], out_dir)
    for page in docs.get("pages", []):
        page["href"] = _href(page["path"], out_dir)


# --------------------------------------------------------------------------- writing the folder

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD = -100
    rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def publish_folder(tmp: Path, out_dir: Path) -> None:
    """Put the finished folder ``tmp`` at ``out_dir``, replacing what was there."""
    if not out_dir.exists():
        os.rename(tmp, out_dir)
        return
    if out_dir.is_dir() and not out_dir.is_symlink() and _exchange(tmp, out_dir):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous report
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    else:
        old.unlink(missing_ok=True)


def build_report(out_dir: Path | None = None, warehouse_path: Path | None = None, run_id: str | None = None) -> Path:
    """Build the report folder from the warehouse and return the path of its ``index.html``.

    ``out_dir`` defaults to ``<data_dir>/report``; ``run_id`` (default: the latest crawl in
    ``raw.portal_runs``) chooses the night whose crawl and violations are shown.
    """
    from cchc import warehouse
    from cchc.report import data
    from cchc.settings import get_settings

    started = time.monotonic()
    settings = get_settings()
    out_dir = Path(out_dir) if out_dir else settings.data_dir / "report"
    wh = Path(warehouse_path) if warehouse_path else settings.warehouse_path
    with warehouse.connect(read_only=True, path=wh) as con:
        model = data.collect(con, run_id)
    model["meta"] = {
        "generated_at": datetime.now(timezone.utc).astimezone().strftime("%d/%m/%Y %H:%M %Z").strip(),
        "warehouse": str(wh),
    }
    link_data_docs(model, out_dir)
    html = render_html(model)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        tmp.mkdir()
        (tmp / "index.html").write_text(html, encoding="utf-8")
        publish_folder(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log.info("report: %s (%d charts, %d violations) in %.2f s", out_dir / "index.html", len(model["series"]["charts"]),
             len(model["violations"]["rows"]), time.monotonic() - started)
    return out_dir / "index.html"


def run_report(args) -> int:
    """``cchc report [--out DIR] [--warehouse PATH]``: build the report and print where it is."""
    import sys

    from cchc.warehouse import WarehouseLockedError

    try:
        path = build_report(
            out_dir=Path(args.out) if getattr(args, "out", None) else None,
            warehouse_path=Path(args.warehouse) if getattr(args, "warehouse", None) else None,
            run_id=getattr(args, "run_id", None),
        )
    except (FileNotFoundError, WarehouseLockedError) as exc:
        print(f"cchc report: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0
