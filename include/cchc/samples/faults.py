"""Switchable faults of the sample server.

A fault matches a request when its ``portal`` is None or equals the request's portal, its
``path`` regex is None or ``re.search``-es the request target (path + "?" + query, as sent),
and it has uses left (``times`` None = forever, else the first ``times`` matching requests).

Kinds (``arg`` / ``arg2`` as noted):

- ``slow``: sleep ``arg`` seconds (default 3) before answering; the answer itself is normal
  (or whatever other fault also matches). Combines with every other kind.
- ``http_500``: 500 Internal Server Error, small HTML body.
- ``http_503``: 503 Service Unavailable with ``Retry-After: 1``.
- ``reset``: no response; the TCP connection is aborted with RST (SO_LINGER 0, then close).
- ``redirect_loop``: 302 to the same URL with ``__redirect_loop=1`` added to the query, which
  302s back to the original URL; while the fault lasts this never ends. Only requests to the
  original URL consume ``times``.
- ``no_charset``: ``Content-Type: text/html`` without charset, and ``<meta charset>`` /
  ``<meta http-equiv="Content-type" ...charset...>`` removed from the body.
- ``wrong_charset``: ``Content-Type: text/html; charset=iso-8859-1`` while the body stays UTF-8.
- ``oversized``: 200 with a body of ``arg`` megabytes (default 20; float allowed: 0.5 = 524288
  bytes) of HTML filler. ``arg2`` selects the framing: None or ``"length"`` = honest
  ``Content-Length``; ``"no_length"`` = no Content-Length, the body ends when the server closes
  the connection; ``"chunked"`` = ``Transfer-Encoding: chunked``.

When several faults match one request: every ``slow`` applies (their delays add), then the first
"terminal" fault in insertion order (http_500, http_503, reset, redirect_loop, oversized) decides
the response; charset faults apply only to a normal response. Only faults that actually applied
use up one of their ``times``.
"""
from __future__ import annotations

import itertools
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

FAULT_KINDS = ("slow", "http_500", "http_503", "reset", "redirect_loop", "no_charset", "wrong_charset", "oversized")
TERMINAL_KINDS = ("http_500", "http_503", "reset", "redirect_loop", "oversized")
CHARSET_KINDS = ("no_charset", "wrong_charset")
DEFAULT_ARGS: dict[str, Any] = {"slow": 3.0, "oversized": 20.0}
OVERSIZED_FRAMINGS = (None, "length", "no_length", "chunked")

_ids = itertools.count(1)


@dataclass
class Fault:
    kind: str
    path: str | None = None
    portal: str | None = None
    times: int | None = None
    arg: Any = None
    arg2: Any = None
    id: int = field(default_factory=lambda: next(_ids))
    hits: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if self.path in ("",):
            self.path = None
        self._rx = re.compile(self.path) if self.path is not None else None
        if self.times is not None:
            self.times = int(self.times)
            if self.times < 0:
                raise ValueError("times must be >= 0 or None")
        if self.arg in (None, "") and self.kind in DEFAULT_ARGS:
            self.arg = DEFAULT_ARGS[self.kind]
        if self.kind in ("slow", "oversized"):
            self.arg = float(self.arg)
            if self.arg < 0:
                raise ValueError(f"{self.kind}: arg must be >= 0")
        if self.kind == "oversized":
            if self.arg2 in ("",):
                self.arg2 = None
            if self.arg2 not in OVERSIZED_FRAMINGS:
                raise ValueError(f"oversized: arg2 must be one of {OVERSIZED_FRAMINGS}")

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, portal: str, target: str) -> bool:
        if self.exhausted:
            return False
        if self.portal is not None and self.portal != portal:
            return False
        return self._rx is None or self._rx.search(target) is not None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["remaining"] = None if self.times is None else max(0, self.times - self.hits)
        return d


class FaultSet:
    """Thread-safe list of active faults (``srv.faults``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        kind: str,
        path: str | None = None,
        portal: str | None = None,
        times: int | None = None,
        arg: Any = None,
        arg2: Any = None,
    ) -> Fault:
        fault = Fault(kind=kind, path=path, portal=portal, times=times, arg=arg, arg2=arg2)
        with self._lock:
            self._faults.append(fault)
        return fault

    def add_spec(self, spec: str, portal: str | None = None, times: int | None = None) -> Fault:
        return self.add(portal=portal, times=times, **parse_spec(spec))

    def remove(self, fault: Fault | int) -> None:
        fid = fault if isinstance(fault, int) else fault.id
        with self._lock:
            self._faults = [f for f in self._faults if f.id != fid]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def __iter__(self):
        return iter(self.list())

    def __len__(self) -> int:
        return len(self.list())

    def take(self, portal: str, target: str) -> list[Fault]:
        """The faults that apply to this request (slow ones first), each using up one of its times."""
        applied: list[Fault] = []
        terminal: Fault | None = None
        with self._lock:
            matching = [f for f in self._faults if f.matches(portal, target)]
            for f in matching:
                if f.kind == "slow":
                    applied.append(f)
                elif f.kind in TERMINAL_KINDS and terminal is None:
                    terminal = f
            if terminal is not None:
                applied.append(terminal)
            else:
                applied.extend(f for f in matching if f.kind in CHARSET_KINDS)
            for f in applied:
                f.hits += 1
        return applied


def parse_spec(spec: str) -> dict[str, Any]:
    """``KIND[:PATH_REGEX[:ARG[:ARG2]]]`` (the CLI's ``--fault``) -> keyword arguments of ``add``.
    An empty PATH_REGEX matches every path."""
    parts = spec.split(":")
    kw: dict[str, Any] = {"kind": parts[0].strip()}
    if len(parts) > 1 and parts[1] != "":
        kw["path"] = parts[1]
    if len(parts) > 2 and parts[2] != "":
        kw["arg"] = parts[2]
    if len(parts) > 3 and parts[3] != "":
        kw["arg2"] = parts[3]
    if len(parts) > 4:
        raise ValueError(f"bad fault spec {spec!r}: expected KIND[:PATH_REGEX[:ARG[:ARG2]]]")
    return kw
