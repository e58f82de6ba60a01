"""The portal registry: a YAML file of portals, each of a family (``families.yaml``), validated on load.

An entry names its portal (``id``, ``family``, ``base_url``, ``locality``, optionally ``name``)
and whatever it does differently from its family. Resolving it: the families' ``defaults``, its
family, the registry file's ``defaults``, then the entry; mappings merge key by key, a list or a
value replaces, ``null`` removes (``merge``). The resolved entry is what the crawler reads.

Each entry is validated on its own. A malformed entry does not stop the others: it is kept
as a ``RegistryError`` naming the entry and the field, and the night fails that portal's task
with it while every other portal runs.
"""
from __future__ import annotations

import copy
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from cchc.vocabulary import LOCALITY_TYPE_WORDS, LOCALITY_TYPES

_ID = re.compile(r"^[a-z0-9_]{1,64}$")
_ENV = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")
FAMILIES_PATH = Path(__file__).resolve().with_name("families.yaml")
# An entry's own keys; every other key it may hold is a family key (an override of its family)
# or one of its settings. A family holds family keys only (and notes).
ENTRY_KEYS = ("id", "name", "family", "base_url", "locality", "notes")
FAMILY_KEYS = ("discovery", "keep", "date_line", "charset_in_header")
SETTING_KEYS = ("rate_limit", "allow_private", "verify_tls", "broken_after_nights", "unverified")
_SECTION_KEYS = {  # the keys of the mappings inside an entry
    "locality": ("name", "type", "province"),
    "discovery": ("sitemap", "feeds", "listings"),
    "keep": ("url", "title_keywords"),
    "rate_limit": ("min_delay_seconds",),
}
_LISTING_KEYS = ("url", "next_page", "max_pages", "article_links")


class RegistryError(ValueError):
    """A registry entry, a family, or the registry or families file itself, is malformed."""

    def __init__(self, entry: str, field_name: str | None, message: str, path: Path | None = None, kind: str = "entry"):
        self.entry, self.field, self.path = entry, field_name, path
        where = f"{path}: " if path else ""
        what = f"{kind} {entry}" + (f", field '{field_name}'" if field_name else "")
        super().__init__(f"{where}{what}: {message}")


@dataclass(frozen=True)
class Listing:
    url: str
    article_links: str
    next_page: str | None = None
    max_pages: int = 1


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    family: str
    base_url: str
    locality_name: str
    locality_type: str
    locality_province: str | None
    sitemap: str | None = None
    feeds: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    keep_url: str | None = None
    keep_title_keywords: tuple[str, ...] = ()
    min_delay_seconds: float = 1.0
    allow_private: bool = False
    verify_tls: bool = True
    broken_after_nights: int | None = None
    unverified: bool = False
    date_line: str | None = None  # how an article page prints its date (strftime codes)
    charset_in_header: bool = True  # False: HTML names its charset only in a <meta> tag

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", path_or_url)

    @property
    def locality_hint(self) -> str:
        hint = f"{LOCALITY_TYPE_WORDS[self.locality_type]} {self.locality_name}"
        if self.locality_province and self.locality_type != "tinh":
            hint += f", tỉnh {self.locality_province}"
        return hint


@dataclass
class Registry:
    path: Path
    portals: dict[str, Portal] = field(default_factory=dict)
    errors: dict[str, RegistryError] = field(default_factory=dict)  # entry key -> error
    _order: list[str] = field(default_factory=list)

    @property
    def entry_keys(self) -> list[str]:
        """Every entry, valid or not, in file order: the night maps one task over these."""
        return list(self._order)

    def get(self, key: str) -> Portal:
        """The portal of an entry, or the entry's RegistryError."""
        if key in self.errors:
            raise self.errors[key]
        if key not in self.portals:
            raise RegistryError(key, None, "no such entry in the registry", self.path)
        return self.portals[key]


def expand_env(value: str) -> str:
    """``${VAR:-default}`` and ``${VAR}``, as in docker-compose files."""
    return _ENV.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), value)


def merge(base: Any, override: Any) -> Any:
    """``override`` over ``base``: mappings merge key by key; anything else (a list, a value,
    ``None``) replaces. Neither argument is changed."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        merged[key] = merge(merged[key], value) if key in merged else copy.deepcopy(value)
    return merged


def _top_level(doc: Any, body: str, body_type: type, keys: tuple[str, ...], what: str, path: Path) -> dict:
    """The file's ``defaults``, once its top level is checked: a mapping holding ``body`` (a
    list or a mapping) and optional ``defaults`` of ``keys``."""
    kind = "list" if body_type is list else "mapping"
    if not isinstance(doc, dict) or not isinstance(doc.get(body), body_type):
        raise RegistryError("(file)", body, f"the file must hold a mapping with a '{body}' {kind}", path)
    unknown = sorted(set(doc) - {"defaults", body}, key=str)
    if unknown:
        raise RegistryError("(file)", str(unknown[0]), f"unknown field (allowed: defaults, {body})", path)
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise RegistryError("(file)", "defaults", f"must be a mapping of {what}", path)
    _check_keys(defaults, keys, lambda f, m: RegistryError("(file)", f"defaults.{f}", m, path))
    return defaults


def load_families(path: str | Path | None = None) -> dict[str, dict]:
    """The families of ``families.yaml``: name -> its keys, the file's ``defaults`` merged in.
    Raises RegistryError naming the family and field when the file is unusable or a family
    holds a key that is not a family key (values are checked in the entries that use them)."""
    path = Path(path or FAMILIES_PATH)
    doc, _, _ = _read_yaml(path, "families")
    defaults = _top_level(doc, "families", dict, FAMILY_KEYS, "family keys", path)
    families = {}
    for name, values in doc["families"].items():
        def fail(field_name, message, name=name):
            return RegistryError(str(name), field_name, message, path, kind="family")

        if not isinstance(name, str) or not _ID.match(name):
            raise fail(None, "a family's name is lower-case letters, digits and '_' only")
        if not isinstance(values, dict):
            raise fail(None, f"must be a mapping of family keys, got {type(values).__name__}")
        _check_keys(values, FAMILY_KEYS + ("notes",), fail)
        families[name] = merge(defaults, {k: v for k, v in values.items() if k != "notes"})
    return families


def _read_yaml(path: Path, what: str) -> tuple[Any, str, bytes]:
    """(parsed document, text, bytes) of a YAML file. In a registry an undecodable byte becomes
    U+FFFD (it fails only its entry); in the families file it fails the file."""
    import yaml

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError("(file)", None, f"{what} file not found", path) from None
    except IsADirectoryError:
        raise RegistryError("(file)", None, f"is a directory, not a {what} file", path) from None
    text = data.decode("utf-8", errors="replace")
    if what == "families" and (bad := _undecodable(data)):
        line, column, byte = bad[0]
        raise RegistryError("(file)", None, f"line {line}, column {column}: byte 0x{byte:02x} is not valid UTF-8", path)
    try:
        return yaml.safe_load(text), text, data
    except yaml.YAMLError as exc:
        raise RegistryError("(file)", None, f"not valid YAML: {_yaml_problem(exc)}", path) from None


def load_registry(path: str | Path | None = None, families_path: str | Path | None = None) -> Registry:
    """Read, resolve and validate a registry. Raises RegistryError only when the file as a whole
    is unusable (missing, not YAML, no ``portals`` list, bad ``defaults``, or the families file
    is); a bad entry is recorded, not raised."""
    import yaml

    from cchc.settings import get_settings

    path = Path(path or get_settings().registry_path)
    families = load_families(families_path)
    # An undecodable byte spoils the entry it sits in, not the file: it was decoded as U+FFFD,
    # and that entry fails by line and column below.
    doc, text, data = _read_yaml(path, "registry")
    bad_bytes = _undecodable(data)
    spans = _entry_lines(yaml.compose(text))
    defaults = _top_level(doc, "portals", list, FAMILY_KEYS + SETTING_KEYS, "family keys and settings", path)

    registry = Registry(path=path)
    for index, raw in enumerate(doc["portals"]):
        key = _entry_key(raw, index)
        first, last = spans[index] if index < len(spans) else (-1, -1)
        broken = [b for b in bad_bytes if first <= b[0] <= last]
        if broken and key not in registry.errors:
            line, column, byte = broken[0]
            registry._order.append(key)
            registry.errors[key] = RegistryError(key, None, f"line {line}, column {column}: byte 0x{byte:02x} is not valid UTF-8", path)
            continue
        if key in registry.portals or key in registry.errors:
            key = f"{key}#{index + 1}"
            registry.errors[key] = RegistryError(key, "id", "duplicate id", path)
            registry._order.append(key)
            continue
        registry._order.append(key)
        try:
            registry.portals[key] = _parse_entry(_resolve(raw, key, families, defaults), key)
        except RegistryError as exc:
            message = str(exc).split(": ", 1)[1]
            top = re.split(r"[.\[]", exc.field or "")[0]
            if top in FAMILY_KEYS and top not in raw and top not in defaults:
                message += f" (from family {raw['family']})"
            registry.errors[key] = RegistryError(exc.entry, exc.field, message, path)
    return registry


def _yaml_problem(exc) -> str:
    """PyYAML's error in one line: what, and the line and column where it saw it."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def _undecodable(data: bytes) -> list[tuple[int, int, int]]:
    """(line, column, byte), 1-based, of each byte that is not valid UTF-8."""
    found = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        start = 0
        while True:
            try:
                line[start:].decode("utf-8")
                break
            except UnicodeDecodeError as exc:
                at = start + exc.start
                found.append((number, len(line[:at].decode("utf-8", errors="replace")) + 1, line[at]))
                start = at + max(1, exc.end - exc.start)
    return found


def _entry_lines(node) -> list[tuple[int, int]]:
    """The first and last line (1-based) of each item of the top-level ``portals`` list."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "portals" and isinstance(value, yaml.SequenceNode):
            starts = [item.start_mark.line + 1 for item in value.value]
            # an item's end mark sits on the next item's "- " line: stop short of it
            ends = [min(item.end_mark.line + (item.end_mark.column > 0), nxt - 1)
                    for item, nxt in zip(value.value, starts[1:] + [1 << 30])]
            return list(zip(starts, ends))
    return []


def _entry_key(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and _ID.match(raw["id"]):
        return raw["id"]
    return f"#{index + 1}"


def _check_keys(values: dict, allowed: tuple[str, ...], fail) -> None:
    """Every key of ``values`` known: its own against ``allowed``, those of the mappings inside
    (locality, discovery and its listings, keep, rate_limit) against theirs."""
    def check(mapping: dict, keys: tuple[str, ...], prefix: str) -> None:
        unknown = sorted(set(mapping) - set(keys), key=str)
        if unknown:
            raise fail(f"{prefix}{unknown[0]}", f"unknown field (allowed: {', '.join(sorted(keys))})")

    check(values, allowed, "")
    for section, keys in _SECTION_KEYS.items():
        if isinstance(values.get(section), dict):
            check(values[section], keys, f"{section}.")
    listings = values["discovery"].get("listings") if isinstance(values.get("discovery"), dict) else None
    for i, item in enumerate(listings if isinstance(listings, list) else []):
        if isinstance(item, dict):
            check(item, _LISTING_KEYS, f"discovery.listings[{i}].")


def _resolve(raw: Any, key: str, families: dict[str, dict], defaults: dict) -> dict:
    """An entry over the registry's defaults over its family: the entry as the crawler reads it."""
    def fail(field_name: str | None, message: str) -> RegistryError:
        return RegistryError(key, field_name, message)

    if not isinstance(raw, dict):
        raise fail(None, f"must be a mapping, got {type(raw).__name__}")
    _check_keys(raw, ENTRY_KEYS + FAMILY_KEYS + SETTING_KEYS, fail)
    if not isinstance(raw.get("id"), str) or not _ID.match(raw["id"]):
        raise fail("id", "required, lower-case letters, digits and '_' only")
    family = _required_str(raw, "family", fail)
    if family not in families:
        raise fail("family", f"unknown family {family!r} (families.yaml defines {', '.join(sorted(families))})")
    return merge(merge(families[family], defaults), raw)


def _parse_entry(raw: dict, key: str) -> Portal:
    def fail(field_name: str | None, message: str) -> RegistryError:
        return RegistryError(key, field_name, message)

    pid = raw.get("id")
    if not isinstance(pid, str) or not _ID.match(pid):
        raise fail("id", "required, lower-case letters, digits and '_' only")
    name = pid if raw.get("name") is None else _required_str(raw, "name", fail)
    family = _required_str(raw, "family", fail)
    base_url = expand_env(_required_str(raw, "base_url", fail))
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail("base_url", f"must be an http(s) URL with a host, got {base_url!r}")

    loc = raw.get("locality")
    if not isinstance(loc, dict):
        raise fail("locality", "required mapping with name, type, province")
    if not isinstance(loc.get("name"), str) or not loc["name"].strip():
        raise fail("locality.name", "required")
    if loc.get("type") not in LOCALITY_TYPES:
        raise fail("locality.type", f"must be one of {', '.join(LOCALITY_TYPES)}, got {loc.get('type')!r}")
    province = loc.get("province")
    if province is not None and not isinstance(province, str):
        raise fail("locality.province", "must be a string")

    disc = raw.get("discovery")
    if not isinstance(disc, dict):
        raise fail("discovery", "required mapping with sitemap, feeds and/or listings")
    sitemap = disc.get("sitemap")
    if sitemap is not None and not isinstance(sitemap, str):
        raise fail("discovery.sitemap", "must be a path or URL")
    feeds = disc.get("feeds") or []
    if not isinstance(feeds, list) or not all(isinstance(f, str) for f in feeds):
        raise fail("discovery.feeds", "must be a list of paths or URLs")
    listings = tuple(_parse_listing(item, i, fail) for i, item in enumerate(disc.get("listings") or []))
    if not sitemap and not feeds and not listings:
        raise fail("discovery", "needs at least one of sitemap, feeds, listings")

    keep = raw.get("keep") or {}
    if not isinstance(keep, dict):
        raise fail("keep", "must be a mapping with url and/or title_keywords")
    keep_url = keep.get("url")
    if keep_url is not None:
        _regex(keep_url, "keep.url", fail)
    keywords = keep.get("title_keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise fail("keep.title_keywords", "must be a list of strings")

    rate = raw.get("rate_limit") or {}
    if not isinstance(rate, dict):
        raise fail("rate_limit", "must be a mapping with min_delay_seconds")
    delay = rate.get("min_delay_seconds", 1.0)
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0:
        raise fail("rate_limit.min_delay_seconds", f"must be a number >= 0, got {delay!r}")

    flags = {}
    for flag, default in (("allow_private", False), ("verify_tls", True), ("unverified", False)):
        value = raw.get(flag, default)
        if not isinstance(value, bool):
            raise fail(flag, f"must be true or false, got {value!r}")
        flags[flag] = value
    nights = raw.get("broken_after_nights")
    if nights is not None and (not isinstance(nights, int) or isinstance(nights, bool) or nights < 1):
        raise fail("broken_after_nights", f"must be a whole number >= 1, got {nights!r}")
    date_line = raw.get("date_line")
    if date_line is not None:
        if not isinstance(date_line, str) or "%" not in date_line:
            raise fail("date_line", f"must be a date format with strftime codes (%d/%m/%Y), got {date_line!r}")
        try:
            datetime(2025, 1, 2, 3, 4, 5).strftime(date_line)
        except ValueError as exc:
            raise fail("date_line", f"not a date format: {exc}") from None
    charset_in_header = raw.get("charset_in_header", True)
    if not isinstance(charset_in_header, bool):
        raise fail("charset_in_header", f"must be true or false, got {charset_in_header!r}")

    return Portal(
        id=pid, name=name, family=family, base_url=base_url.rstrip("/"),
        locality_name=loc["name"].strip(), locality_type=loc["type"], locality_province=province,
        sitemap=sitemap, feeds=tuple(feeds), listings=listings,
        keep_url=keep_url, keep_title_keywords=tuple(keywords),
        min_delay_seconds=float(delay), broken_after_nights=nights,
        date_line=date_line, charset_in_header=charset_in_header, **flags,
    )


def _parse_listing(item: Any, i: int, fail) -> Listing:
    where = f"discovery.listings[{i}]"
    if not isinstance(item, dict):
        raise fail(where, "must be a mapping with url and article_links")
    url = item.get("url")
    if not isinstance(url, str) or not url:
        raise fail(f"{where}.url", "required")
    links = item.get("article_links")
    if not isinstance(links, str):
        raise fail(f"{where}.article_links", "required regex on the article link's path")
    _regex(links, f"{where}.article_links", fail)
    next_page = item.get("next_page")
    if next_page is not None and (not isinstance(next_page, str) or "{page}" not in next_page):
        raise fail(f"{where}.next_page", "must be a path template containing {page}")
    max_pages = item.get("max_pages", 1)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or not 1 <= max_pages <= 1000:
        raise fail(f"{where}.max_pages", f"must be a whole number from 1 to 1000, got {max_pages!r}")
    return Listing(url=url, article_links=links, next_page=next_page, max_pages=max_pages)


def _required_str(raw: dict, key: str, fail) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(key, "required, a non-empty string")
    return value.strip()


def _regex(pattern: Any, field_name: str, fail) -> None:
    if not isinstance(pattern, str):
        raise fail(field_name, "must be a regular expression string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise fail(field_name, f"not a valid regular expression: {exc}") from None


def run_validate(path: str | None) -> int:
    """`cchc registry validate`: one line per entry; exit 1 if any entry is malformed."""
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        print(f"cchc registry: {exc}", file=sys.stderr)
        return 2
    for key in registry.entry_keys:
        if key in registry.errors:
            print(f"INVALID {registry.errors[key]}")
        else:
            p = registry.portals[key]
            note = " (unverified)" if p.unverified else ""
            print(f"ok      {key}: {p.base_url} [{p.family}]{note}")
    print(f"{len(registry.portals)} valid, {len(registry.errors)} invalid entries in {registry.path}")
    return 1 if registry.errors else 0
