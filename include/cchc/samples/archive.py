"""A sample portal with an archive: a commune portal that has published a report every week for
years, listed newest first, twenty to a listing page. Invented text, generated on request and
the same every time, so nothing bulky is stored.

    with ArchiveServer(articles=240) as site:     # 12 listing pages, on 127.0.0.17
        site.base_url                             # "http://127.0.0.17:<port>"
        site.registry_entry(max_pages=3)          # a registry entry for it (a dict)
        site.publish(5)                           # five newer articles appear at the top
        site.failing.add("/tin-tuc?trang=3")      # that path answers 503 until removed
        site.requests                             # paths asked for, in order

Routes: ``/robots.txt`` (``Crawl-delay`` when given), ``/tin-tuc`` and ``/tin-tuc?trang=N``
(404 past the last page), ``/tin-tuc/<slug>-<n>.html``. Every page has a strong ETag and
answers ``If-None-Match`` with 304.
"""
from __future__ import annotations

import hashlib
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.17"
PER_PAGE = 20
FIRST_ISSUE = date(2021, 1, 4)  # a Monday: one report a week from then on

_VILLAGES = ["Bản Lướt", "Nà Phát", "Khuổi Tâm", "Pác Ngòi", "Nà Hin", "Cốc Lùng"]


def _figures(n: int) -> dict[str, int]:
    """The week's dossier counts of issue ``n``: deterministic, and they add up."""
    h = int(hashlib.sha256(f"archive-{n}".encode()).hexdigest(), 16)
    received = 40 + h % 90
    resolved = received - (h >> 8) % 6
    overdue = (h >> 16) % 3
    return {"received": received, "online": received - 5 - (h >> 24) % 20, "resolved": resolved,
            "on_time": resolved - overdue, "overdue": overdue}


def article_html(n: int) -> tuple[str, str]:
    """(title, html) of issue ``n`` (1 is the oldest)."""
    day = FIRST_ISSUE + timedelta(weeks=n - 1)
    week_end = day + timedelta(days=6)
    f = _figures(n)
    title = f"Xã Mẫu Đơn: kết quả giải quyết thủ tục hành chính tuần {day:%d/%m} - {week_end:%d/%m/%Y}"
    village = _VILLAGES[n % len(_VILLAGES)]
    body = f"""<p class="date">Đăng lúc: {week_end + timedelta(days=1):%d/%m/%Y} 08:00</p>
<p>Trong tuần từ ngày {day:%d/%m/%Y} đến ngày {week_end:%d/%m/%Y}, Bộ phận một cửa xã Mẫu Đơn
tiếp nhận {f['received']} hồ sơ thủ tục hành chính, trong đó {f['online']} hồ sơ trực tuyến.</p>
<p>Xã đã giải quyết {f['resolved']} hồ sơ, trong đó {f['on_time']} hồ sơ đúng hạn và
{f['overdue']} hồ sơ quá hạn.</p>
<p>Cán bộ xã tiếp tục hướng dẫn người dân thôn {village} nộp hồ sơ trên Cổng dịch vụ công.</p>"""
    return title, _page(title, f"<article><h1>{title}</h1>{body}</article>")


def _page(title: str, main: str) -> str:
    return (f"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><header>Cổng thông tin điện tử xã Mẫu Đơn (mẫu)</header>{main}"
            f"<footer>Nội dung mẫu do dự án soạn để kiểm thử.</footer></body></html>")


def slug(n: int) -> str:
    return f"/tin-tuc/ket-qua-cai-cach-hanh-chinh-tuan-{n}.html"


class ArchiveServer:
    def __init__(self, articles: int = 240, port: int = 0, crawl_delay: float | None = None, host: str = HOST):
        self.newest = articles
        self.crawl_delay = crawl_delay
        self.requests: list[str] = []
        self.failing: set[str] = set()
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with site._lock:
                    site.requests.append(self.path)
                status, body, kind = site._route(self.path)
                data = body.encode("utf-8")
                etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if status == 200:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.base_url = f"http://{host}:{self.server.server_address[1]}"

    def publish(self, count: int) -> None:
        """``count`` newer articles appear at the top of the listing."""
        self.newest += count

    @property
    def pages(self) -> int:
        return -(-self.newest // PER_PAGE)

    def registry_entry(self, portal_id: str = "maudon", max_pages: int = 3, delay: float = 0.2) -> dict:
        """An entry of the ``archive_sample`` family (families.yaml), reading ``max_pages``
        listing pages a night."""
        from cchc.registry.registry import load_families

        listing = load_families()["archive_sample"]["discovery"]["listings"][0]
        return {
            "id": portal_id, "name": "Cổng thông tin điện tử xã Mẫu Đơn (mẫu, có lưu trữ)", "family": "archive_sample",
            "base_url": self.base_url, "locality": {"name": "Mẫu Đơn", "type": "xa", "province": "Lạng Sơn"},
            "discovery": {"listings": [{**listing, "max_pages": max_pages}]},
            "rate_limit": {"min_delay_seconds": delay}, "allow_private": True,
        }

    def _route(self, raw: str) -> tuple[int, str, str]:
        if raw in self.failing:
            return 503, "tạm thời không phục vụ", "text/plain"
        parts = urlsplit(raw)
        if parts.path == "/robots.txt":
            delay = f"Crawl-delay: {self.crawl_delay}\n" if self.crawl_delay else ""
            return 200, f"User-agent: *\n{delay}Disallow: /quan-tri/\n", "text/plain"
        if parts.path == "/tin-tuc":
            page = int(n) if (n := (parse_qs(parts.query).get("trang") or ["1"])[0]).isdigit() else 0
            first = self.newest - (page - 1) * PER_PAGE
            if page < 1 or first < 1:
                return 404, "không tìm thấy trang", "text/plain"
            items = "".join(f'<li><a href="{slug(n)}">{article_html(n)[0]}</a></li>'
                            for n in range(first, max(first - PER_PAGE, 0), -1))
            return 200, _page(f"Tin tức - trang {page}", f"<ul class=\"tin\">{items}</ul>"), "text/html"
        if parts.path.startswith("/tin-tuc/ket-qua-cai-cach-hanh-chinh-tuan-") and parts.path.endswith(".html"):
            n = int(parts.path.rsplit("-", 1)[1][:-5])
            if 1 <= n <= self.newest:
                return 200, article_html(n)[1], "text/html"
        return 404, "không tìm thấy trang", "text/plain"

    def __enter__(self) -> "ArchiveServer":
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
