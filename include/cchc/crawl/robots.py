"""robots.txt: which paths we may fetch, and the Crawl-delay the site asks for.

Protego reads the rules as RFC 9309 has them, ``*`` and ``$`` wildcards included (the
standard library's parser has neither, so ``Disallow: /*?print=`` went unheeded), and
decimal Crawl-delay values. Per RFC 9309: a missing robots.txt (4xx) allows everything; an
unreachable one (5xx, network error) disallows everything for this night.
"""
from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

_AGENT_TOKEN = "cchc-warehouse"


@dataclass
class Robots:
    parser: Protego | None  # None: allow all
    crawl_delay: float | None
    disallow_all: bool = False

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(url, _AGENT_TOKEN)


def parse(text: str) -> Robots:
    parser = Protego.parse(text)
    # Our own group's delay, else the one asked of every crawler: a group naming us without
    # a delay should not make us faster than anyone else.
    delay = parser.crawl_delay(_AGENT_TOKEN)
    if delay is None:
        delay = parser.crawl_delay("*")
    return Robots(parser=parser, crawl_delay=delay)


def allow_all() -> Robots:
    return Robots(parser=None, crawl_delay=None)


def disallow_all() -> Robots:
    return Robots(parser=None, crawl_delay=None, disallow_all=True)
