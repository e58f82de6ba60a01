"""robots.txt: which paths we may fetch, and the Crawl-delay the site asks for.

The standard library's parser reads Allow/Disallow; it takes only whole-second Crawl-delay
values, so the delay is parsed here (decimals allowed). Per RFC 9309: a missing robots.txt
(4xx) allows everything; an unreachable one (5xx, network error) disallows everything for
this night.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

_AGENT_TOKEN = "cchc-warehouse"


@dataclass
class Robots:
    parser: RobotFileParser | None  # None: allow all
    crawl_delay: float | None
    disallow_all: bool = False

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(_AGENT_TOKEN, url)


def parse(text: str) -> Robots:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return Robots(parser=parser, crawl_delay=_crawl_delay(text))


def allow_all() -> Robots:
    return Robots(parser=None, crawl_delay=None)


def disallow_all() -> Robots:
    return Robots(parser=None, crawl_delay=None, disallow_all=True)


def _crawl_delay(text: str) -> float | None:
    """The Crawl-delay of the group for our agent, else of ``*``."""
    groups: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        else:
            in_rules = True
            if key == "crawl-delay" and re.fullmatch(r"\d+(\.\d+)?", value):
                for agent in agents:
                    groups[agent] = float(value)
    for agent, delay in groups.items():
        if agent != "*" and agent in _AGENT_TOKEN:
            return delay
    return groups.get("*")
