"""Polite HTTP fetching on requests: per-host pacing (the registry's minimum delay and the
site's Crawl-delay), retries with backoff on 5xx and timeouts, conditional GET, a size cap,
bounded redirects checked hop by hop (the chain goes to the fetch log), and charset detection."""
from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from cchc.crawl import charset
from cchc.crawl.urlsafety import UnsafeURLError, check_url

log = logging.getLogger(__name__)

RETRY_STATUSES = {500, 502, 503, 504}
_MAX_RETRY_AFTER = 30.0


class FetchError(RuntimeError):
    def __init__(self, message: str, outcome: str = "failed", status: int | None = None, attempts: int = 1):
        super().__init__(message)
        self.outcome, self.status, self.attempts = outcome, status, attempts


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    attempts: int
    elapsed_ms: int
    tls_verified: bool
    text: str = ""
    charset: str = ""
    declared_charset: str | None = None
    content_hash: str = ""
    hops: list[str] = field(default_factory=list)  # "301 <url>" per response received, the last one included
    notes: list[str] = field(default_factory=list)  # for the fetch log: redirects taken, charset decisions

    @property
    def chain(self) -> str:
        return _chain(self.hops)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Pacer:
    """Waits so that requests to one host are at least ``delay`` seconds apart.

    With ``shared_dir``, the pace is kept per host in a file there (the last request's time
    and delay), locked while a request waits its turn, so every crawling process of this
    machine shares it (a night's mapped fetch tasks, a backfill): two registry entries on one
    host are paced by the larger of their delays. Without, it is this process's own.
    """

    delay: float
    shared_dir: Path | None = None
    _last: dict[str, float] = field(default_factory=dict)

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        if self.shared_dir is not None:
            self._wait_shared(host)
            return
        last = self._last.get(host)
        if last is not None and self.delay > 0:
            pause = last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _wait_shared(self, host: str) -> None:
        import fcntl

        self.shared_dir.mkdir(parents=True, exist_ok=True)
        with open(self.shared_dir / re.sub(r"[^A-Za-z0-9_.-]", "_", host), "a+", encoding="ascii") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # released when the file closes
            f.seek(0)
            fields = f.read().split()
            last = float(fields[0]) if fields else 0.0
            delay = max(self.delay, float(fields[1]) if len(fields) > 1 else 0.0)
            # wall clock, the only one processes share; never more than one delay, should it step back
            pause = min(last + delay - time.time(), delay)
            if pause > 0:
                time.sleep(pause)
            f.seek(0)
            f.truncate()
            f.write(f"{time.time()!r} {self.delay!r}")


class Fetcher:
    def __init__(
        self,
        user_agent: str,
        *,
        timeout: float = 20.0,
        max_retries: int = 3,
        max_bytes: int = 5 * 1024 * 1024,
        max_redirects: int = 5,
        delay: float = 1.0,
        verify_tls: bool = True,
        allow_private: bool = False,
        backoff: float = 0.5,
        pacing_dir: Path | None = None,
    ):
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Language": "vi,en;q=0.5"})
        self.session.max_redirects = max_redirects
        self.timeout, self.max_retries, self.max_bytes = timeout, max_retries, max_bytes
        self.max_redirects, self.verify_tls, self.allow_private = max_redirects, verify_tls, allow_private
        self.backoff = backoff
        self.pacer = Pacer(delay, pacing_dir)

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch one URL; raise FetchError (with the outcome to log) when it cannot be had."""
        started = time.monotonic()
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = 0
        delay = self.backoff
        while True:
            attempts += 1
            try:
                resp = self._get_following_redirects(url, headers)
            except FetchError as exc:
                exc.attempts = attempts
                raise
            except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                if attempts > self.max_retries:
                    raise FetchError(f"{url}: {type(exc).__name__} after {attempts} attempts: {exc}", attempts=attempts) from None
                log.info("retrying %s after %s (attempt %d)", url, type(exc).__name__, attempts)
                time.sleep(delay)
                delay *= 2
                continue
            if resp.status in RETRY_STATUSES and attempts <= self.max_retries:
                pause = max(delay, _retry_after(resp.headers.get("retry-after")))
                log.info("retrying %s after HTTP %d (attempt %d, waiting %.1fs)", url, resp.status, attempts, pause)
                time.sleep(pause)
                delay *= 2
                continue
            resp.attempts = attempts
            resp.elapsed_ms = int((time.monotonic() - started) * 1000)
            redirected = len(resp.hops) > 1
            if resp.status >= 400:
                via = f" (redirects: {resp.chain})" if redirected else ""
                raise FetchError(f"{url}: HTTP {resp.status}{via}", status=resp.status, attempts=attempts)
            if redirected:
                resp.notes.append(f"redirects: {resp.chain}")
            if resp.status == 200:
                self._decode(resp)
            return resp

    def _decode(self, resp: Response) -> None:
        content_type = resp.headers.get("content-type")
        decoded = charset.decode_page(resp.body, content_type)
        resp.text, resp.charset = decoded.text, decoded.charset
        resp.declared_charset = charset.declared_charset(content_type)
        resp.content_hash = hashlib.sha256(resp.body).hexdigest()
        if decoded.note:
            resp.notes.append(decoded.note)
        if decoded.doubtful:
            log.warning("%s: %s", resp.url, decoded.note)

    def _get_following_redirects(self, url: str, headers: dict[str, str]) -> Response:
        current, hops, status = url, [], None
        for _hop in range(self.max_redirects + 1):
            # Every hop is checked before it is requested: a redirect may point anywhere.
            try:
                check_url(current, self.allow_private)
            except UnsafeURLError as exc:
                refused = _chain(hops, f"refused {current}: {exc.reason}") if hops else str(exc)
                raise FetchError(refused, outcome="skipped_unsafe", status=status) from None
            self.pacer.wait(current)
            try:
                raw = self.session.get(
                    current, headers=headers, timeout=self.timeout, stream=True,
                    allow_redirects=False, verify=self.verify_tls,
                )
            except requests.exceptions.SSLError as exc:
                raise FetchError(_chain(hops, f"{current}: TLS error (verification {'on' if self.verify_tls else 'off'}): {exc}")) from None
            try:
                status = raw.status_code
                hops.append(f"{status} {current}")
                if raw.is_redirect:
                    location = raw.headers.get("location")
                    if not location:
                        raise FetchError(f"{_chain(hops)}: redirect without Location", status=status)
                    current = urljoin(current, location)
                    continue
                body = self._read_capped(raw, current)
                return Response(
                    url=url, final_url=current, status=status,
                    headers={k.lower(): v for k, v in raw.headers.items()}, body=body,
                    attempts=1, elapsed_ms=0, tls_verified=self.verify_tls or not current.startswith("https"),
                    hops=hops,
                )
            finally:
                raw.close()
        raise FetchError(f"{url}: more than {self.max_redirects} redirects: {_chain(hops, current)} (not followed)", outcome="failed")

    def _read_capped(self, raw: requests.Response, url: str) -> bytes:
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url}: body of {int(declared)} bytes exceeds the cap of {self.max_bytes}", outcome="too_large", status=raw.status_code)
        chunks, size = [], 0
        for chunk in raw.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: body exceeds the cap of {self.max_bytes} bytes", outcome="too_large", status=raw.status_code)
            chunks.append(chunk)
        return b"".join(chunks)


def _chain(hops: list[str], last: str | None = None) -> str:
    """A redirect chain as the fetch log shows it: "301 http://a/x -> 302 http://b/y -> ..."."""
    return " -> ".join(hops + [last] if last else hops)


def _retry_after(value: str | None) -> float:
    if not value:
        return 0.0
    try:
        return min(float(value), _MAX_RETRY_AFTER)
    except ValueError:
        pass
    try:
        return min(max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0), _MAX_RETRY_AFTER)
    except (TypeError, ValueError):
        return 0.0
