"""The registry: validated on load, one malformed entry never hides the others.
(Families and overrides: test_portal_families.py.)"""
from __future__ import annotations

import textwrap

import pytest

from cchc.registry.registry import RegistryError, load_registry, run_validate
from cchc.settings import REAL_REGISTRY, SAMPLE_REGISTRY

GOOD = """
  - id: good
    name: Good portal
    family: thanhhoa_egov
    base_url: "http://127.0.0.11:${CCHC_TEST_PORT:-9999}"
    locality: {name: "Thọ Xuân", type: huyen, province: "Thanh Hóa"}
    discovery: {sitemap: /sitemap.xml}
    allow_private: true
"""


def write(tmp_path, entries: str):
    path = tmp_path / "portals.yaml"
    path.write_text("portals:\n" + textwrap.dedent(entries), encoding="utf-8")
    return path


def test_a_malformed_entry_is_named_with_its_field_and_the_others_load(tmp_path):
    path = write(tmp_path, GOOD + """
  - id: broken
    name: Broken
    family: thanhhoa_egov
    base_url: "ftp://example.org"
    locality: {name: X, type: huyen}
    discovery: {sitemap: /s.xml}
""")
    registry = load_registry(path)
    assert list(registry.portals) == ["good"]
    error = registry.errors["broken"]
    assert error.entry == "broken" and error.field == "base_url"
    assert "entry broken, field 'base_url'" in str(error) and str(path) in str(error)
    with pytest.raises(RegistryError, match="base_url"):
        registry.get("broken")
    assert registry.entry_keys == ["good", "broken"]


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"locality": "{name: X, type: village}"}, "locality.type"),
        ({"discovery": "{sitemap: null, listings: []}"}, "discovery"),
        ({"discovery": "{sitemaps: /s.xml}"}, "discovery.sitemaps"),
        ({"discovery": "{listings: [{url: /l, article_links: x, pages: 2}]}"}, "discovery.listings[0].pages"),
        ({"keep": "{title_keyword: [x]}"}, "keep.title_keyword"),
        ({"date_line": "'Ngày đăng'"}, "date_line"),
        ({"charset_in_header": "'no'"}, "charset_in_header"),
        ({"family": "sharepoint"}, "family"),
        ({"discovery": "{listings: [{url: /l, article_links: '(('}]}"}, "discovery.listings[0].article_links"),
        ({"discovery": "{listings: [{url: /l, article_links: x, next_page: '/l?p=2'}]}"}, "discovery.listings[0].next_page"),
        ({"rate_limit": "{min_delay_seconds: -1}"}, "rate_limit.min_delay_seconds"),
        ({"allow_private": "'yes'"}, "allow_private"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_each_field_is_validated(tmp_path, patch, field):
    lines = {"id": "p", "name": "P", "family": "thanhhoa_egov", "base_url": "http://example.org",
             "locality": "{name: X, type: huyen}", "discovery": "{sitemap: /s.xml}"}
    lines.update(patch)
    entry = "\n".join(f"    {k}: {v}" if i else f"  - {k}: {v}" for i, (k, v) in enumerate(lines.items()))
    registry = load_registry(write(tmp_path, entry + "\n"))
    assert registry.errors["p"].field == field


def test_an_entry_without_a_usable_id_is_named_by_its_position(tmp_path):
    registry = load_registry(write(tmp_path, GOOD + "  - name: no id\n"))
    assert registry.errors["#2"].field == "id"


def test_environment_variables_expand_in_base_url(tmp_path, monkeypatch):
    path = write(tmp_path, GOOD)
    assert load_registry(path).portals["good"].base_url == "http://127.0.0.11:9999"
    monkeypatch.setenv("CCHC_TEST_PORT", "1234")
    assert load_registry(path).portals["good"].base_url == "http://127.0.0.11:1234"


def test_a_file_that_is_not_a_registry_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("portals: {not: a list}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="'portals' list"):
        load_registry(path)
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "missing.yaml")
    path.write_text("portals:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError) as not_yaml:
        load_registry(path)
    assert "\n" not in str(not_yaml.value) and str(not_yaml.value).endswith("(line 4, column 1)")


def test_shipped_registries_are_valid_and_only_the_sample_allows_private_targets():
    sample, real = load_registry(SAMPLE_REGISTRY), load_registry(REAL_REGISTRY)
    assert not sample.errors and not real.errors
    assert len(sample.portals) == 5 and len(real.portals) == 5
    assert all(p.allow_private for p in sample.portals.values())
    assert not any(p.allow_private for p in real.portals.values())
    assert all(p.unverified and p.base_url.startswith("https://") for p in real.portals.values())


def test_validate_command_exits_1_and_lists_the_bad_entry(tmp_path, capsys):
    path = write(tmp_path, GOOD + "  - id: bad\n    name: B\n")
    assert run_validate(str(path)) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and "entry bad, field" in out and "1 valid, 1 invalid" in out


def test_an_undecodable_byte_fails_its_entry_by_line_and_column_and_the_others_load(tmp_path):
    path = write(tmp_path, GOOD + GOOD.replace("id: good", "id: other").replace("Good portal", "Other portal"))
    data = path.read_bytes()
    at = data.index(b"Other portal") + len(b"Other ")
    path.write_bytes(data[:at] + b"\xff" + data[at:])  # a stray Latin-1 byte in the second entry's name
    line = data[:at].count(b"\n") + 1
    column = at - data.rindex(b"\n", 0, at)
    registry = load_registry(path)
    assert list(registry.portals) == ["good"] and registry.entry_keys == ["good", "other"]
    assert str(registry.errors["other"]).endswith(f"entry other: line {line}, column {column}: byte 0xff is not valid UTF-8")


def test_validate_names_an_undecodable_byte_in_one_line_without_a_traceback(tmp_path, capsys):
    path = write(tmp_path, GOOD)
    path.write_bytes(path.read_bytes().replace(b"Good portal", b"Good \xc3 portal"))
    assert run_validate(str(path)) == 1
    out = capsys.readouterr()
    assert "INVALID" in out.out and "byte 0xc3 is not valid UTF-8" in out.out and "Traceback" not in out.out + out.err


def test_a_bad_byte_on_an_entrys_first_line_fails_that_entry_only(tmp_path):
    path = write(tmp_path, GOOD + GOOD.replace("id: good", "id: other"))
    data = path.read_bytes()
    at = data.index(b"id: other") + len(b"id: ot")
    path.write_bytes(data[:at] + b"\xe9" + data[at:])
    registry = load_registry(path)
    assert list(registry.portals) == ["good"] and list(registry.errors) == ["#2"]
