"""The sample portals: a local web server for the bundled snapshot, with switchable faults.

Five portals, one of each family, each on its own loopback address (the manifest's ``host``)
and one shared port, so robots.txt and rate limits are per host::

    from cchc.samples.server import SampleServer, PORTAL_HOSTS
    with SampleServer(port=0) as srv:              # 0: a port free on all five hosts
        srv.base_url("thoxuan")                    # "http://127.0.0.11:<port>"
        srv.faults.add("http_503", path=r"^/tin-tuc/", portal="thoxuan", times=2)
        srv.requests                               # [RequestRecord(portal, method, path, headers, at, status)]

Routing. ``manifest.json`` lists every page: its portal, the URL ``path`` as requested (with
its query string, if any) and its ``file`` under ``site/``. A request is served when its
path + query equals a manifest path (after removing the ``__redirect_loop`` marker); anything
else is a 404 (e.g. ``?page=9`` past the last page). The paths follow each portal's family
(``cchc/registry/families.yaml``); the maintainer tool ``tools/samples/build_site.py`` wrote
the snapshot and names the files.

Normal answers: ``text/html; charset=utf-8`` (or ``text/html`` alone for a family whose
``charset_in_header`` is false: it declares UTF-8 only in a meta tag), ``application/rss+xml; charset=utf-8``,
``application/xml; charset=utf-8``, ``text/plain; charset=utf-8`` for robots.txt; a strong
``ETag`` (hash of the bytes sent) and a fixed ``Last-Modified`` (the manifest's
``last_modified``); ``If-None-Match`` / ``If-Modified-Since`` give 304; HEAD is supported;
``{{BASE}}`` in a served file becomes ``http://<portal host>:<port>``.

Control (any host, never in the request log): ``POST /__faults__`` with a JSON object (or a
list of them) ``{"kind", "path", "portal", "times", "arg", "arg2"}`` adds faults (201);
``GET /__faults__`` lists them; ``DELETE /__faults__`` clears them; ``GET /__requests__``
returns the request log as JSON (``?portal=ID`` filters); ``DELETE /__requests__`` clears it.
Fault semantics: see ``faults.py``.

Request log: one ``RequestRecord`` per request, appended before the response is written;
``at`` is ``time.monotonic()`` when the request arrived; ``status`` is the status sent
(0 for ``reset``: no response).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

from cchc.registry.registry import load_families
from cchc.samples.faults import CHARSET_KINDS, TERMINAL_KINDS, Fault, FaultSet

CONTROL_FAULTS = "/__faults__"
CONTROL_REQUESTS = "/__requests__"
LOOP_MARK = "__redirect_loop=1"
BASE_TOKEN = b"{{BASE}}"
_DEFAULT_LAST_MODIFIED = "2025-12-15T10:00:00+07:00"

_META_CHARSET = re.compile(
    rb"""<meta\s+charset\s*=\s*["']?[\w-]+["']?\s*/?>\s*|<meta\s+http-equiv\s*=\s*["']?content-type["']?[^>]*>\s*""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RequestRecord:
    portal: str
    method: str
    path: str  # path + "?" + query, as sent
    headers: dict
    at: float  # time.monotonic() on arrival
    status: int  # status sent; 0 = connection reset, no response

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ----------------------------------------------------------------------------- the snapshot
def _package_files():
    return resources.files("cchc.samples")


def load_manifest() -> dict:
    return json.loads(_package_files().joinpath("manifest.json").read_text(encoding="utf-8"))


# portal id -> its loopback address, as the manifest records them
PORTAL_HOSTS: dict[str, str] = {pid: p["host"] for pid, p in load_manifest()["portals"].items()}


def read_site_file(rel: str) -> bytes:
    node = _package_files().joinpath("site")
    for part in rel.split("/"):
        node = node.joinpath(part)
    return node.read_bytes()


class Snapshot:
    """The manifest's pages, keyed by (portal, path as requested), and the families of their
    portals (families.yaml)."""

    def __init__(self, manifest: dict | None = None) -> None:
        self.manifest = manifest if manifest is not None else load_manifest()
        self.portals: dict[str, dict] = self.manifest["portals"]
        self.pages: dict[tuple[str, str], dict] = {(p["portal_id"], p["path"]): p for p in self.manifest["pages"]}
        families = load_families()
        self.families: dict[str, dict] = {pid: families[p["family"]] for pid, p in self.portals.items()}
        self._raw: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def lookup(self, portal: str, target: str) -> dict | None:
        entry = self.pages.get((portal, target))
        if entry is None and "%" in target:
            entry = self.pages.get((portal, unquote(target)))
        return entry

    def raw(self, entry: dict) -> bytes:
        data = self._raw.get(entry["file"])
        if data is None:
            data = read_site_file(entry["file"])
            with self._lock:
                self._raw[entry["file"]] = data
        return data

    def content_type(self, entry: dict) -> str:
        f = entry["file"]
        if f.endswith(".rss"):
            return "application/rss+xml; charset=utf-8"
        if f.endswith(".xml"):
            return "application/xml; charset=utf-8"
        if f.endswith(".txt"):
            return "text/plain; charset=utf-8"
        if not self.families[entry["portal_id"]].get("charset_in_header", True):
            return "text/html"
        return "text/html; charset=utf-8"


def _http_date(iso: str | None) -> tuple[str, datetime]:
    dt = datetime.fromisoformat(iso or _DEFAULT_LAST_MODIFIED)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.astimezone(timezone.utc).replace(microsecond=0)
    return format_datetime(dt, usegmt=True), dt


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or (tag[2:] if tag.startswith("W/") else tag) == etag:
            return True
    return False


def _strip_mark(target: str) -> str:
    path, _, query = target.partition("?")
    rest = [q for q in query.split("&") if q and q != LOOP_MARK]
    return path + ("?" + "&".join(rest) if rest else "")


# ----------------------------------------------------------------------------- HTTP
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CCHC-SamplePortal/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end after this
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    server: "_PortalHTTPServer"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the request log is srv.requests
        pass

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:
        self._handle("PUT")

    # -- plumbing
    def _send(self, status: int, headers: Iterable[tuple[str, str]], body: bytes | None, head_only: bool = False) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not head_only:
            self.wfile.write(body)

    def _read_body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _json(self, status: int, obj: Any) -> None:
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        self._send(status, [("Content-Type", "application/json; charset=utf-8")], body)

    # -- dispatch
    def _handle(self, method: str) -> None:
        arrived = time.monotonic()
        sample = self.server.sample
        portal = self.server.portal_id
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form request target
            parts = urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        if not target.startswith("/"):
            target = "/" + target
        path = target.partition("?")[0]
        if path in (CONTROL_FAULTS, CONTROL_REQUESTS):
            self._control(method, path, target)
            return
        headers = dict(self.headers.items())
        if method in ("POST", "PUT", "DELETE"):
            self._read_body()

        def record(status: int) -> None:
            sample._log(RequestRecord(portal, method, target, headers, arrived, status))

        if LOOP_MARK in target.partition("?")[2].split("&"):
            record(302)
            self._send(302, [("Location", _strip_mark(target)), ("Content-Type", "text/plain; charset=utf-8")], b"redirect\n")
            return

        applied = sample.faults.take(portal, target)
        for f in applied:
            if f.kind == "slow":
                time.sleep(f.arg)
        terminal = next((f for f in applied if f.kind in TERMINAL_KINDS), None)
        if terminal is not None:
            self._terminal(terminal, method, target, record)
            return
        if method not in ("GET", "HEAD"):
            record(405)
            self._send(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")], b"method not allowed\n")
            return
        entry = sample.snapshot.lookup(portal, target)
        if entry is None:
            record(404)
            body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404 - Không tìm thấy trang</h1></body></html>\n".encode()
            self._send(404, [("Content-Type", "text/html; charset=utf-8")], body, head_only=method == "HEAD")
            return

        body = sample._rendered(entry)
        ctype = sample.snapshot.content_type(entry)
        kinds = {f.kind for f in applied if f.kind in CHARSET_KINDS}
        if "no_charset" in kinds:
            ctype = ctype.split(";")[0]
            if ctype == "text/html":
                body = _META_CHARSET.sub(b"", body)
        if "wrong_charset" in kinds:
            ctype = ctype.split(";")[0] + "; charset=iso-8859-1"
        etag = _etag(body)
        last_modified, lm_dt = _http_date(entry.get("last_modified"))
        common = [("ETag", etag), ("Last-Modified", last_modified), ("Cache-Control", "public, max-age=0")]

        not_modified = False
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            not_modified = _etag_matches(inm, etag)
        elif ims:
            try:
                since = parsedate_to_datetime(ims)
                if since.tzinfo is None:
                    since = since.replace(tzinfo=timezone.utc)
                not_modified = lm_dt <= since
            except (TypeError, ValueError, IndexError):
                not_modified = False
        if not_modified:
            record(304)
            self._send(304, common, None)
            return
        record(200)
        self._send(200, [("Content-Type", ctype)] + common, body, head_only=method == "HEAD")

    def _terminal(self, fault: Fault, method: str, target: str, record) -> None:
        kind = fault.kind
        html = ("text/html; charset=utf-8",)
        if kind == "http_500":
            record(500)
            self._send(500, [("Content-Type", html[0])], b"<html><body><h1>500 Internal Server Error</h1></body></html>\n", method == "HEAD")
        elif kind == "http_503":
            record(503)
            self._send(
                503,
                [("Content-Type", html[0]), ("Retry-After", "1")],
                "<html><body><h1>503 Service Unavailable</h1><p>Hệ thống đang bảo trì.</p></body></html>\n".encode(),
                method == "HEAD",
            )
        elif kind == "redirect_loop":
            record(302)
            loop = target + ("&" if "?" in target else "?") + LOOP_MARK
            self._send(302, [("Location", loop), ("Content-Type", "text/plain; charset=utf-8")], b"redirect\n")
        elif kind == "reset":
            record(0)
            self._reset()
        elif kind == "oversized":
            record(200)
            self._oversized(int(float(fault.arg) * 1024 * 1024), fault.arg2, method == "HEAD")
        else:  # pragma: no cover
            raise AssertionError(kind)

    def _reset(self) -> None:
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            self.rfile.close()  # drop the makefile() reference so close() is immediate: RST now
        except OSError:
            pass
        sock.close()

    def _oversized(self, size: int, framing: str | None, head_only: bool) -> None:
        head = b'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Trang qu\xc3\xa1 l\xe1\xbb\x9bn</title></head><body>\n'
        tail = b"</body></html>\n"
        para = ("<p>Nội dung lặp lại để kiểm tra giới hạn dung lượng tải về của trình thu thập. " * 6 + "</p>\n").encode()
        block = para * (65536 // len(para) + 1)

        def chunks():
            if size <= len(head) + len(tail):
                yield (head + tail)[:size]
                return
            yield head
            left = size - len(head) - len(tail)
            while left > 0:
                piece = block[: min(left, len(block))]
                left -= len(piece)
                yield piece
            yield tail

        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        elif framing == "no_length":
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        if head_only:
            return
        try:
            for piece in chunks():
                if framing == "chunked":
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    self.wfile.write(piece)
            if framing == "chunked":
                self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client stopped reading (a crawler enforcing its byte limit)
            self.close_connection = True

    def _control(self, method: str, path: str, target: str) -> None:
        sample = self.server.sample
        if path == CONTROL_FAULTS:
            if method == "GET":
                self._json(200, {"faults": [f.to_dict() for f in sample.faults.list()]})
            elif method == "DELETE":
                n = len(sample.faults)
                sample.faults.clear()
                self._json(200, {"cleared": n})
            elif method in ("POST", "PUT"):
                try:
                    payload = json.loads(self._read_body() or b"{}")
                    specs = payload if isinstance(payload, list) else [payload]
                    added = []
                    for spec in specs:
                        if not isinstance(spec, dict):
                            raise ValueError("a fault is a JSON object")
                        unknown = set(spec) - {"kind", "path", "portal", "times", "arg", "arg2"}
                        if unknown:
                            raise ValueError(f"unknown fields: {sorted(unknown)}")
                        if spec.get("portal") is not None and spec["portal"] not in sample.hosts:
                            raise ValueError(f"unknown portal {spec['portal']!r}")
                        added.append(sample.faults.add(**spec))
                except (ValueError, TypeError, re.error) as exc:
                    self._json(400, {"error": str(exc)})
                    return
                self._json(201, {"faults": [f.to_dict() for f in added]})
            else:
                self._json(405, {"error": "use GET, POST or DELETE"})
            return
        if method == "GET":
            query = target.partition("?")[2]
            want = dict(q.split("=", 1) for q in query.split("&") if "=" in q).get("portal")
            recs = [r.to_dict() for r in list(sample.requests) if want is None or r.portal == want]
            self._json(200, {"requests": recs})
        elif method == "DELETE":
            n = len(sample.requests)
            sample.clear_requests()
            self._json(200, {"cleared": n})
        else:
            self._json(405, {"error": "use GET or DELETE"})


class _PortalHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for idle keep-alive connections
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], sample: "SampleServer", portal_id: str) -> None:
        self.sample = sample
        self.portal_id = portal_id
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler, bind_and_activate=False)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup: skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        with self._open_lock:
            socks = list(self._open)
            self._open.clear()
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:  # quiet, but kept for debugging
        self.sample.errors.append(traceback.format_exc())


# ----------------------------------------------------------------------------- the server
class SampleServer:
    """The five sample portals on loopback, one port. ``port=0`` picks a port free on all hosts
    (known as ``srv.port`` after ``start()``). Use as a context manager or start()/stop()."""

    def __init__(self, port: int = 0, hosts: dict[str, str] | None = None) -> None:
        self.requested_port = int(port)
        self._port: int | None = None
        self.hosts: dict[str, str] = dict(hosts or PORTAL_HOSTS)
        self.snapshot = Snapshot()
        missing = set(self.hosts) - set(self.snapshot.portals)
        if missing:
            raise ValueError(f"no such sample portals: {sorted(missing)}")
        self.faults = FaultSet()
        self.requests: list[RequestRecord] = []
        self.errors: list[str] = []
        self._servers: dict[str, _PortalHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self._rendered_cache: dict[tuple[str, str], bytes] = {}

    # -- lifecycle
    @property
    def port(self) -> int:
        return self._port if self._port is not None else self.requested_port

    @property
    def running(self) -> bool:
        return bool(self._threads)

    def start(self) -> "SampleServer":
        if self._threads:
            return self
        self._servers = self._bind(self.requested_port)
        self._port = next(iter(self._servers.values())).server_address[1]
        for pid, srv in self._servers.items():
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, name=f"sample-{pid}", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def _bind(self, port: int) -> dict[str, _PortalHTTPServer]:
        attempts = 50 if port == 0 else 1
        last: OSError | None = None
        for _ in range(attempts):
            servers: dict[str, _PortalHTTPServer] = {}
            chosen = port
            try:
                for pid, host in self.hosts.items():
                    srv = _PortalHTTPServer((host, chosen), self, pid)
                    servers[pid] = srv
                    srv.server_bind()
                    srv.server_activate()
                    chosen = srv.server_address[1]
                return servers
            except OSError as exc:
                last = exc
                for srv in servers.values():
                    srv.server_close()
        raise OSError(f"cannot bind the sample portals on port {port} ({', '.join(self.hosts.values())}): {last}")

    def stop(self) -> None:
        servers, self._servers = self._servers, {}
        for srv in servers.values():
            srv.shutdown()
        for srv in servers.values():
            srv.server_close()
            srv.close_open_connections()
        for t in self._threads:
            t.join(timeout=2)
        self._threads = []

    def __enter__(self) -> "SampleServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- addresses and log
    def base_url(self, portal_id: str) -> str:
        return f"http://{self.hosts[portal_id]}:{self.port}"

    def base_urls(self) -> dict[str, str]:
        return {pid: self.base_url(pid) for pid in self.hosts}

    def clear_requests(self) -> None:
        self.requests.clear()

    def _log(self, rec: RequestRecord) -> None:
        self.requests.append(rec)

    def _rendered(self, entry: dict) -> bytes:
        key = (entry["portal_id"], entry["path"])
        body = self._rendered_cache.get(key)
        if body is None:
            body = self.snapshot.raw(entry).replace(BASE_TOKEN, self.base_url(entry["portal_id"]).encode("ascii"))
            self._rendered_cache[key] = body
        return body


# ----------------------------------------------------------------------------- command line
def _default_port(port: int | None) -> int:
    if port is not None:
        return int(port)
    from cchc.settings import get_settings

    return get_settings().sample_port


def run_serve(port: int | None = None, faults: Iterable[str] = ()) -> int:
    """``cchc sample-portals serve``: print one "portal_id base_url" line per portal, then
    serve until SIGINT/SIGTERM. ``faults`` are ``KIND[:PATH_REGEX[:ARG[:ARG2]]]`` specs."""
    srv = SampleServer(port=_default_port(port))
    try:
        for spec in faults:
            srv.faults.add_spec(spec)
    except (ValueError, re.error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        srv.start()
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for pid in srv.hosts:
        print(f"{pid} {srv.base_url(pid)}")
    sys.stdout.flush()

    stop = threading.Event()
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def run_list(port: int | None = None) -> int:
    """``cchc sample-portals list``: portal ids, hosts, families and base URLs."""
    p = _default_port(port)
    portals = load_manifest()["portals"]
    for pid, host in PORTAL_HOSTS.items():
        info = portals[pid]
        print(f"{pid:<12} {host:<11} {info['family']:<17} http://{host}:{p}  {info['name']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cchc.samples.server", description="Serve the bundled sample portals on loopback.")
    ap.add_argument("--port", type=int, default=None, help="port (default: CCHC_SAMPLE_PORT or 8765; 0 = any free port)")
    ap.add_argument("--fault", action="append", default=[], metavar="KIND[:PATH_REGEX[:ARG[:ARG2]]]")
    ap.add_argument("--list", action="store_true", help="list the portals and exit")
    args = ap.parse_args(argv)
    if args.list:
        return run_list(args.port)
    return run_serve(port=args.port, faults=args.fault)


if __name__ == "__main__":
    sys.exit(main())
