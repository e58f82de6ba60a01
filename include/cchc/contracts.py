"""Shapes shared by crawling, extraction, the checks and the command line.

A ``Fact`` serialises to exactly the fields of the fact contract, docs/facts.md (plus the optional
ones it names): this is what ``cchc facts`` prints and what ``raw.facts`` stores.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Locality:
    name: str
    type: str  # one of vocabulary.LOCALITY_TYPES
    province: str | None = None


@dataclass(frozen=True)
class Evidence:
    """The sentence a number came from; ``start``/``end`` are character offsets into the
    article text as given (the file's text, or the text extracted from HTML)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    metric: str
    value: float | int
    unit: str
    qualifier: str
    locality: Locality
    tier: str
    period_start: date
    period_end: date
    evidence: Evidence
    # Optional fields of the contract (docs/facts.md): for debugging and for the marts' tracing.
    value_text: str | None = None  # the number as written, e.g. "1.130"
    value_start: int | None = None  # offset of value_text in the article
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["period_start"] = self.period_start.isoformat()
        d["period_end"] = self.period_end.isoformat()
        if isinstance(self.value, float) and self.value.is_integer() and self.unit == "count":
            d["value"] = int(self.value)
        return {k: v for k, v in d.items() if v is not None or k in _REQUIRED}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


_REQUIRED = {"metric", "value", "unit", "qualifier", "locality", "tier", "period_start", "period_end", "evidence"}


@dataclass(frozen=True)
class Violation:
    """One broken identity of the dossier arithmetic for one report (article x locality x tier x period)."""

    rule: str  # vocabulary.RULES
    severity: str  # "error" | "warning"
    locality: Locality
    tier: str
    period_start: date
    period_end: date
    terms: dict[str, float]  # metric -> stated value
    expected: float | None
    detail: str = ""
    repair: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["period_start"] = self.period_start.isoformat()
        d["period_end"] = self.period_end.isoformat()
        if d["repair"] is None:
            del d["repair"]
        if not d["extra"]:
            del d["extra"]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
