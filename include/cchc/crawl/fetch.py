"""Polite HTTP fetching on requests: per-host pacing (the registry's minimum delay and the
site's Crawl-delay), retries with backoff on 5xx and timeouts, conditional GET, a size cap,
bounded redirects checked hop by hop, and charset detection."""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
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

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Pacer:
    """Waits so that requests to one host are at least ``delay`` seconds apart."""

    delay: float
    _last: dict[str, float] = field(default_factory=dict)

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None and self.delay > 0:
            pause = last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()


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
    ):
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Language": "vi,en;q=0.5"})
        self.session.max_redirects = max_redirects
        self.timeout, self.max_retries, self.max_bytes = timeout, max_retries, max_bytes
        self.max_redirects, self.verify_tls, self.allow_private = max_redirects, verify_tls, allow_private
        self.backoff = backoff
        self.pacer = Pacer(delay)

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
            if resp.status >= 400:
                raise FetchError(f"{url}: HTTP {resp.status}", status=resp.status, attempts=attempts)
            if resp.status == 200:
                resp.text, resp.charset = charset.decode(resp.body, resp.headers.get("content-type"))
                resp.declared_charset = charset.declared_charset(resp.headers.get("content-type"))
                resp.content_hash = hashlib.sha256(resp.body).hexdigest()
            return resp

    def _get_following_redirects(self, url: str, headers: dict[str, str]) -> Response:
        current = url
        for _hop in range(self.max_redirects + 1):
            try:
                check_url(current, self.allow_private)
            except UnsafeURLError as exc:
                raise FetchError(str(exc), outcome="skipped_unsafe") from None
            self.pacer.wait(current)
            try:
                raw = self.session.get(
                    current, headers=headers, timeout=self.timeout, stream=True,
                    allow_redirects=False, verify=self.verify_tls,
                )
            except requests.exceptions.SSLError as exc:
                raise FetchError(f"{current}: TLS error (verification {'on' if self.verify_tls else 'off'}): {exc}") from None
            try:
                if raw.is_redirect:
                    location = raw.headers.get("location")
                    if not location:
                        raise FetchError(f"{current}: redirect without Location", status=raw.status_code)
                    current = urljoin(current, location)
                    continue
                body = self._read_capped(raw, current)
                return Response(
                    url=url, final_url=current, status=raw.status_code,
                    headers={k.lower(): v for k, v in raw.headers.items()}, body=body,
                    attempts=1, elapsed_ms=0, tls_verified=self.verify_tls or not current.startswith("https"),
                )
            finally:
                raw.close()
        raise FetchError(f"{url}: more than {self.max_redirects} redirects (last: {current})", outcome="failed")

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
