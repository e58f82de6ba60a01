"""`cchc check FILE`: the command's output contract and exit codes.

The wiring is tested with the seeds' hand-labelled facts standing in for the extractor; the
end-to-end seed tests run the real extractor and skip until `cchc.extract.facts` lands."""
from __future__ import annotations

import json
import sys
import types

import pytest

from cchc.cli import main

from fixtures_seed_facts import SEED_PATHS, seed_facts

SEED_ARGS = {
    "000": ["--locality", "huyện Thọ Xuân, tỉnh Thanh Hóa"],
    "001": ["--locality", "tỉnh Sơn La"],
    "002": ["--locality", "tỉnh Đồng Tháp"],
    "003": ["--locality", "tỉnh Hà Nam"],
    "004": ["--published", "2025-11-20", "--locality", "tỉnh Đồng Tháp"],
}

SEED_BREAKS = {  # (rule, severity, locality) as tests/gold/README.md lists them; see test_rules_seeds.py for the numbers
    "000": [],
    "001": [
        ("balance", "warning", "Mai Sơn"),
        ("intake", "error", "Mai Sơn"),
        ("rates", "error", "Mai Sơn"),
        ("tiers", "error", "Mai Sơn"),
        ("tiers", "error", "Mai Sơn"),
    ],
    "002": [("tasks", "error", "Tân Hồng")],
    "003": [],
    "004": [("balance", "error", "Tân Phước 2"), ("balance", "warning", "Tân Phước 1")],
}


def _json_lines(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def labelled_extractor(monkeypatch):
    """Stand-ins for cchc.extract.article/facts that return a seed's hand-labelled facts."""
    calls = {}

    def load_article(path):
        return open(path, encoding="utf-8").read(), None, None

    def extract_facts(text, published=None, url=None, locality_hint=None, fetched_at=None):
        calls.update(published=published, url=url, locality_hint=locality_hint)
        seed = next(s for s, p in SEED_PATHS.items() if p.read_text(encoding="utf-8") == text)
        return seed_facts(seed)

    monkeypatch.setitem(sys.modules, "cchc.extract.article", types.SimpleNamespace(load_article=load_article))
    monkeypatch.setitem(sys.modules, "cchc.extract.facts", types.SimpleNamespace(extract_facts=extract_facts))
    return calls


def test_unreadable_file_exits_2_with_the_reason(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert main(["check", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"cchc check: cannot read '{missing}': No such file or directory"


def test_a_folder_is_unreadable_too(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"cchc check: cannot read '{tmp_path}': ")


def test_malformed_publication_date_exits_2(capsys):
    assert main(["check", str(SEED_PATHS["001"]), "--published", "20/11/2025"]) == 2
    assert "--published" in capsys.readouterr().err


def test_prints_one_json_object_per_break(labelled_extractor, capsys):
    assert main(["check", str(SEED_PATHS["001"])]) == 0
    lines = _json_lines(capsys.readouterr().out)
    assert sorted((d["rule"], d["severity"], d["locality"]["name"]) for d in lines) == SEED_BREAKS["001"]
    intake = next(d for d in lines if d["rule"] == "intake")
    assert intake["locality"] == {"name": "Mai Sơn", "type": "huyen", "province": "Sơn La"}
    assert (intake["expected"], intake["repair"]["stated"], intake["repair"]["suggested"]) == (1103, 1130, 1103)


def test_prints_nothing_when_every_rule_holds(labelled_extractor, capsys):
    assert main(["check", str(SEED_PATHS["000"])]) == 0
    assert capsys.readouterr().out == ""


def test_passes_publication_date_url_and_locality_to_the_extractor(labelled_extractor, capsys):
    main(["check", str(SEED_PATHS["004"]), "--published", "2025-11-20", "--url", "https://example.vn/a", "--locality", "tỉnh Đồng Tháp"])
    assert labelled_extractor["published"].isoformat() == "2025-11-20"
    assert (labelled_extractor["url"], labelled_extractor["locality_hint"]) == ("https://example.vn/a", "tỉnh Đồng Tháp")


def test_text_format_prints_one_line_per_break(labelled_extractor, capsys):
    assert main(["check", str(SEED_PATHS["004"]), "--format", "text"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "warning  balance  xã Tân Phước 1 [commune] 2025-07-01..2025-11-20: dossiers_received 1962 != dossiers_resolved 1931"
        " + dossiers_in_progress 26 = 1957 (shortfall of 5; no suspended, returned or withdrawn count stated)",
        "error  balance  xã Tân Phước 2 [commune] 2025-07-01..2025-11-20: dossiers_received 1619 != dossiers_resolved 1564"
        " + dossiers_in_progress 10 + dossiers_suspended 36 + dossiers_returned 8 = 1618",
    ]


@pytest.mark.parametrize("seed", sorted(SEED_BREAKS))
def test_seed_checked_end_to_end_with_the_real_extractor(seed, capsys):
    pytest.importorskip("cchc.extract.facts")
    pytest.importorskip("cchc.extract.article")
    assert main(["check", str(SEED_PATHS[seed]), *SEED_ARGS[seed]]) == 0
    lines = _json_lines(capsys.readouterr().out)
    assert sorted((d["rule"], d["severity"], d["locality"]["name"]) for d in lines) == SEED_BREAKS[seed]


def test_a_ward_centre_split_by_authority_breaks_the_tiers_rule(tmp_path, capsys):
    """Rule 17 after 1 July 2025, extracted and checked end to end (invented ward)."""
    article = tmp_path / "ward.txt"
    article.write_text("Quý III/2025, Trung tâm Phục vụ hành chính công phường Bến Nguyệt tiếp nhận 3.000 hồ sơ. "
                       "Trong đó, Chi nhánh Văn phòng Đăng ký đất đai tiếp nhận 1.200 hồ sơ; UBND phường tiếp nhận "
                       "1.700 hồ sơ.\n", encoding="utf-8")
    assert main(["check", str(article), "--published", "2025-10-05", "--locality", "phường Bến Nguyệt, tỉnh Sông Biếc"]) == 0
    (got,) = _json_lines(capsys.readouterr().out)
    assert (got["rule"], got["tier"], got["severity"], got["expected"]) == ("tiers", "all", "error", 2900)
