"""A tiny site of our own on loopback, for crawl faults the sample portals do not serve
(a redirect off the host, a wildcard robots.txt, a legacy charset under a lying header).
The ``loopback_site`` fixture (conftest.py) serves one for a test."""
from __future__ import annotations

from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cchc.registry.registry import Listing, Portal


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})


class LoopbackSite:
    """``site.pages[path_and_query] = Page(...)``; anything else is a 404. ``site.requested``
    lists every path + query asked for, in order."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {"/robots.txt": Page(b"User-agent: *\nDisallow:\n", headers={"Content-Type": "text/plain"})}
        self.requested: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requested.append(self.path)
                page = site.pages.get(self.path) or Page(b"not found", status=404)
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value.replace("{BASE}", site.base_url))
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"

    def portal(self, listing: str = "/tin-tuc", article_links: str = r"^/bai-viet/") -> Portal:
        """A registry entry for this site; private targets allowed, as for the sample portals."""
        return Portal(
            id="loopback", name="Cổng mẫu trên loopback", family="thanhhoa_egov", base_url=self.base_url,
            locality_name="Mẫu Sơn", locality_type="xa", locality_province=None,
            listings=(Listing(url=listing, article_links=article_links),),
            min_delay_seconds=0.0, allow_private=True,
        )
