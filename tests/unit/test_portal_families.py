"""Portal families (include/cchc/registry/families.yaml): a registry entry is its portal's
id, family, base_url and locality, plus what it does differently; the family holds the rest.
The crawler, the sample server and the sample site builder read that one definition."""
from __future__ import annotations

import dataclasses
import textwrap
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import yaml

from cchc.crawl.crawler import crawl_portal
from cchc.registry.registry import (
    ENTRY_KEYS,
    FAMILIES_PATH,
    RegistryError,
    load_families,
    load_registry,
    merge,
)
from cchc.samples.archive import ArchiveServer, article_html
from cchc.samples.server import SampleServer, load_manifest
from cchc.settings import REAL_REGISTRY, SAMPLE_REGISTRY, get_settings

FAMILIES = load_families()
MANIFEST = load_manifest()
SAMPLE_FAMILIES = {pid: p["family"] for pid, p in MANIFEST["portals"].items()}  # portal id -> family
THOXUAN_LOCALITY = '{name: "Thọ Xuân", type: huyen, province: "Thanh Hóa"}'


@pytest.fixture
def impolite(monkeypatch):
    monkeypatch.setenv("CCHC_POLITE", "0")
    monkeypatch.setenv("CCHC_MAX_RETRIES", "0")


def four_lines(pid: str, family: str, base_url: str, locality: str = THOXUAN_LOCALITY) -> str:
    return f'  - id: {pid}\n    family: {family}\n    base_url: "{base_url}"\n    locality: {locality}\n'


def registry_with(tmp_path, text: str, base: str | None = None):
    """A registry file: ``base`` (default: an empty portals list) followed by ``text``."""
    path = tmp_path / "portals.yaml"
    path.write_text((base if base is not None else "portals:\n") + text, encoding="utf-8")
    return load_registry(path)


def articles(result) -> set[str]:
    return {urlsplit(r["url"]).path for r in result.log if r["page_kind"] == "article" and r["outcome"] == "new"}


# ----------------------------------------------------------------------------- (a) every family
def test_every_family_is_used_by_an_entry_and_a_bare_entry_of_it_is_valid(tmp_path):
    used = {p.family for path in (REAL_REGISTRY, SAMPLE_REGISTRY) for p in load_registry(path).portals.values()}
    with ArchiveServer(articles=1) as archive:
        used.add(archive.registry_entry()["family"])
    assert set(FAMILIES) == used
    entries = "".join(four_lines(f"p_{name}", name, "https://example.org") for name in FAMILIES)
    registry = registry_with(tmp_path, entries)
    assert not registry.errors, registry.errors
    for name, values in FAMILIES.items():
        portal = registry.get(f"p_{name}")
        assert portal.family == name and portal.name == f"p_{name}"
        disc = values["discovery"]
        assert (portal.sitemap, portal.feeds) == (disc.get("sitemap"), tuple(disc.get("feeds") or ()))
        assert [dataclasses.asdict(x) for x in portal.listings] == disc.get("listings", [])
        assert (portal.date_line, portal.charset_in_header) == (values["date_line"], values["charset_in_header"])
        assert portal.sitemap or portal.feeds or portal.listings


def test_sample_entries_are_bare_their_layout_is_their_familys():
    doc = yaml.safe_load(SAMPLE_REGISTRY.read_text(encoding="utf-8"))
    for entry in doc["portals"]:
        assert set(entry) <= set(ENTRY_KEYS), entry["id"]
    assert set(SAMPLE_FAMILIES.values()) == set(FAMILIES) - {"archive_sample"}


@pytest.mark.parametrize("pid", list(SAMPLE_FAMILIES), ids=lambda pid: SAMPLE_FAMILIES[pid])
def test_the_family_definition_crawls_its_sample_portal(pid, sample_server, impolite):
    """Per family: its sample portal, crawled through the family's discovery, keep rules, date
    line and charset, as the sample server serves it."""
    family = FAMILIES[SAMPLE_FAMILIES[pid]]
    portal = load_registry(SAMPLE_REGISTRY).get(pid)
    result = crawl_portal(portal, get_settings(), "r1")
    assert not result.fatal_error
    base = sample_server.base_url(pid)
    log = {(r["page_kind"], r["url"]): r["outcome"] for r in result.log}
    disc = family["discovery"]
    if disc.get("sitemap"):
        assert log[("sitemap", base + disc["sitemap"])] == "new"
    for feed in disc.get("feeds") or []:
        assert log[("feed", base + feed)] == "new"
    for listing in disc.get("listings") or []:
        for n in range(1, listing["max_pages"] + 1):
            url = listing["url"] if n == 1 else listing["next_page"].replace("{page}", str(n))
            assert log[("listing", base + url)] == "new"
    pages = {(p["portal_id"], p["path"]): p for p in MANIFEST["pages"]}
    seed = next(p["path"] for p in MANIFEST["pages"] if p["portal_id"] == pid and p["seed"])
    assert seed in articles(result)
    fetched = [r for r in result.pages if r["page_kind"] == "article"]
    assert fetched
    for row in fetched:
        page = pages[(pid, urlsplit(row["url"]).path)]
        when = page.get("published_text") or datetime.fromisoformat(page["published"]).strftime(family["date_line"])
        assert when in row["html"], row["url"]
        assert ("charset=" in row["content_type"]) is family["charset_in_header"], row["content_type"]
    off_topic = [r for r in result.log if r["outcome"] == "skipped_filter"]
    assert off_topic  # the family's keep rules drop the sample's off-topic articles


def test_the_archive_family_crawls_the_archive_sample(tmp_path, impolite):
    family = FAMILIES["archive_sample"]
    with ArchiveServer(articles=30) as site:
        path = tmp_path / "portals.yaml"
        path.write_text(yaml.safe_dump({"portals": [site.registry_entry(max_pages=2, delay=0.0)]}, allow_unicode=True), encoding="utf-8")
        result = crawl_portal(load_registry(path).get("maudon"), get_settings(), "r1")
    assert not result.fatal_error and site.requests[:3] == ["/robots.txt", "/tin-tuc", "/tin-tuc?trang=2"]
    fetched = [r for r in result.pages if r["page_kind"] == "article"]
    assert len(fetched) == 30  # two listing pages of twenty and ten, every one kept
    for row in fetched:
        n = int(row["url"].rsplit("-", 1)[1].removesuffix(".html"))
        assert article_html(n)[1] == row["html"]
        published = datetime(2021, 1, 4, 8, 0) + timedelta(weeks=n)  # the Monday after its week, 08:00
        assert published.strftime(family["date_line"]) in row["html"]
        assert ("charset=" in row["content_type"]) is family["charset_in_header"]


# ----------------------------------------------------------------------------- (b) four lines
def test_a_second_portal_of_an_existing_family_is_a_four_line_entry(tmp_path, sample_server, impolite):
    """thoxuan's snapshot served again on another host stands for a second portal of the
    thanhhoa_egov family: four lines appended to the sample registry crawl it as thoxuan is
    crawled, through the family's sitemap and listing pages."""
    with SampleServer(port=0, hosts={"thoxuan": "127.0.0.21"}) as second:
        entry = four_lines("thoxuan_b", "thanhhoa_egov", second.base_url("thoxuan"))
        assert len(entry.splitlines()) == 4
        registry = registry_with(tmp_path, entry, base=SAMPLE_REGISTRY.read_text(encoding="utf-8") + "\n")
        assert not registry.errors and registry.entry_keys[-1] == "thoxuan_b"
        new, old = registry.get("thoxuan_b"), registry.get("thoxuan")
        assert dataclasses.replace(new, id=old.id, name=old.name, base_url=old.base_url) == old
        result = crawl_portal(new, get_settings(), "r1")
        requested = [r.path for r in second.requests]
    assert not result.fatal_error
    listing = FAMILIES["thanhhoa_egov"]["discovery"]["listings"][0]
    pages = [listing["url"]] + [listing["next_page"].replace("{page}", str(n)) for n in range(2, listing["max_pages"] + 1)]
    assert requested[:2] == ["/robots.txt", FAMILIES["thanhhoa_egov"]["discovery"]["sitemap"]]
    assert requested[2 : 2 + len(pages)] == pages
    assert all(r["url"].startswith(second.base_url("thoxuan")) for r in result.log)
    assert {r["outcome"] for r in result.log if r["page_kind"] in ("sitemap", "listing")} == {"new"}
    assert any(r["listing_title"] for r in result.pages)  # titles read off the family's listing pages
    fetched = articles(result)
    seed = next(p["path"] for p in MANIFEST["pages"] if p["portal_id"] == "thoxuan" and p["seed"])
    assert seed in fetched and len(fetched) >= 3 and articles(crawl_portal(old, get_settings(), "r1")) == fetched

    # The family decides where discovery looks: the same four lines naming another family find
    # nothing on this site.
    with SampleServer(port=0, hosts={"thoxuan": "127.0.0.21"}) as again:
        wrong = registry_with(tmp_path, four_lines("thoxuan_c", "sonla_portal", again.base_url("thoxuan")),
                              base=SAMPLE_REGISTRY.read_text(encoding="utf-8") + "\n")
        result = crawl_portal(wrong.get("thoxuan_c"), get_settings(), "r2")
    assert articles(result) == set()
    assert {r["outcome"] for r in result.log if r["page_kind"] in ("feed", "listing")} == {"failed"}


# ----------------------------------------------------------------------------- (c) overrides
def test_an_override_replaces_the_familys_value_and_leaves_the_rest(tmp_path):
    family = FAMILIES["thanhhoa_egov"]
    overrides = textwrap.indent(textwrap.dedent("""\
        discovery:
          listings:
            - {url: /tin, next_page: "/tin?p={page}", max_pages: 9, article_links: '^/tin/'}
        keep: {url: 'thu-tuc'}
        date_line: "Ngày: %d/%m/%Y"
    """), "    ")
    registry = registry_with(tmp_path, four_lines("a", "thanhhoa_egov", "https://a.example") + overrides
                             + four_lines("b", "thanhhoa_egov", "https://b.example")
                             + "    discovery: {sitemap: null}\n    keep: {title_keywords: [một cửa]}\n")
    a, b = registry.get("a"), registry.get("b")
    # a list replaces the family's list; a mapping merges key by key
    assert [(x.url, x.max_pages) for x in a.listings] == [("/tin", 9)] and a.sitemap == family["discovery"]["sitemap"]
    assert a.keep_url == "thu-tuc" and a.keep_title_keywords == tuple(family["keep"]["title_keywords"])
    assert a.date_line == "Ngày: %d/%m/%Y" and a.charset_in_header is family["charset_in_header"]
    # null removes; the untouched keys stay the family's
    assert b.sitemap is None and len(b.listings) == 1 and b.listings[0].url == family["discovery"]["listings"][0]["url"]
    assert b.keep_title_keywords == ("một cửa",) and b.keep_url == family["keep"]["url"]
    assert b.date_line == family["date_line"]


def test_registry_defaults_sit_between_the_family_and_the_entry(tmp_path):
    base = "defaults:\n  rate_limit: {min_delay_seconds: 3}\n  keep: {url: 'hanh-chinh'}\nportals:\n"
    registry = registry_with(tmp_path, four_lines("a", "sonla_portal", "https://a.example")
                             + four_lines("b", "sonla_portal", "https://b.example") + "    keep: {url: 'x'}\n", base=base)
    a, b = registry.get("a"), registry.get("b")
    assert a.min_delay_seconds == 3 == b.min_delay_seconds and a.keep_url == "hanh-chinh" and b.keep_url == "x"
    assert a.feeds == tuple(FAMILIES["sonla_portal"]["discovery"]["feeds"])


def test_merge_merges_mappings_and_replaces_everything_else():
    base = {"d": {"a": 1, "l": [1, 2], "m": {"x": 1}}, "v": 1}
    assert merge(base, {"d": {"l": [3], "m": {"y": 2}, "a": None}}) == {"d": {"a": None, "l": [3], "m": {"x": 1, "y": 2}}, "v": 1}
    assert base == {"d": {"a": 1, "l": [1, 2], "m": {"x": 1}}, "v": 1}  # unchanged


# ----------------------------------------------------------------------------- (d) clear errors
@pytest.mark.parametrize("extra, field, words", [
    ("", "family", "unknown family 'egov'"),
    ("    discovery: {sitemaps: /s.xml}\n", "discovery.sitemaps", "unknown field"),
    ("    layout: sharepoint\n", "layout", "unknown field"),
])
def test_an_unknown_family_or_override_key_is_one_error_naming_entry_and_field(tmp_path, extra, field, words):
    family = "egov" if not extra else "thanhhoa_egov"
    registry = registry_with(tmp_path, four_lines("good", "sonla_portal", "https://g.example")
                             + four_lines("bad", family, "https://b.example") + extra)
    assert list(registry.portals) == ["good"] and list(registry.errors) == ["bad"]
    error = registry.errors["bad"]
    assert (error.entry, error.field) == ("bad", field)
    assert f"entry bad, field '{field}': {words}" in str(error) and str(error).count("\n") == 0
    with pytest.raises(RegistryError, match=field.replace(".", r"\.")):
        registry.get("bad")


def test_a_bad_family_is_named_in_the_families_file_or_in_each_entry_using_it(tmp_path):
    families = yaml.safe_load(FAMILIES_PATH.read_text(encoding="utf-8"))
    broken = merge(families, {"families": {"thanhhoa_egov": {"discovery": {"listing": []}}}})
    path = tmp_path / "families.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError) as unknown:
        load_families(path)
    assert "family thanhhoa_egov, field 'discovery.listing': unknown field" in str(unknown.value)

    bad_regex = merge(families, {"families": {"sonla_portal": {"discovery": {"listings": [
        {"url": "/l", "article_links": "(("}]}}}})
    path.write_text(yaml.safe_dump(bad_regex, allow_unicode=True), encoding="utf-8")
    registry_file = tmp_path / "portals.yaml"
    registry_file.write_text("portals:\n" + four_lines("s", "sonla_portal", "https://s.example")
                             + four_lines("t", "thanhhoa_egov", "https://t.example"), encoding="utf-8")
    registry = load_registry(registry_file, families_path=path)
    assert list(registry.portals) == ["t"]
    error = registry.errors["s"]
    assert error.field == "discovery.listings[0].article_links" and str(error).endswith("(from family sonla_portal)")
