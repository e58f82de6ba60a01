"""`cchc score --gold DIR --texts DIR`: any folder of gold facts against its article texts,
matched as ../shared/tools/score_facts.py matches (sets, its strict key), with the error table.
The articles are invented; the real dev texts stay out of the repository."""
import json

import pytest

from cchc.cli import main
from cchc.extract.score import fact_key, score, select_articles

LOC = {"name": "Ngàn Sương", "type": "huyen", "province": "Bến Mây"}
Q1 = {"period_start": "2024-01-01", "period_end": "2024-03-31"}

ARTICLE = """URL: https://ngansuong.example.gov.vn/tin-tuc/cchc-quy-i-2024
PUBLISHED: 2024-04-05
LOCALITY: huyện Ngàn Sương, tỉnh Bến Mây
---
Kết quả cải cách hành chính quý I/2024
Quý I/2024, Bộ phận Một cửa huyện Ngàn Sương tiếp nhận 1.200 hồ sơ, đã giải quyết 1.150 hồ sơ, trong đó đúng hạn 1.140 hồ sơ, quá hạn 10 hồ sơ.
"""


def fact(metric, value, tier="all", **kw):
    return {"metric": metric, "value": value, "unit": "count", "qualifier": "exact", "locality": LOC, "tier": tier, **Q1, **kw}


def write_gold(path, facts):
    path.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in facts), encoding="utf-8")


def row(out, label):
    line = next(ln for ln in out.splitlines() if ln.startswith(label))
    return line[len(label):].split()[:3]


@pytest.fixture
def dirs(tmp_path):
    gold, texts = tmp_path / "gold", tmp_path / "texts"
    gold.mkdir()
    texts.mkdir()
    (texts / "001.txt").write_text(ARTICLE, encoding="utf-8")
    # A district's one-stop shop: the district tier (docs/facts.md, rule 13).
    received = fact("dossiers_received", 1200, tier="district", locality={"name": "huyện Ngàn Sương", "type": "huyen"})
    del received["qualifier"]  # the official scorer reads a missing qualifier as exact
    write_gold(gold / "001.jsonl", [
        received,
        received,  # stated twice: sets, so still one gold fact
        fact("dossiers_resolved", 1150, tier="all"),  # a wrong tier
        fact("dossiers_resolved_early_or_on_time", 1140, tier="district"),
        fact("dossiers_in_progress", 50, tier="district"),  # no 50 in the text: missed
    ])  # the extracted "quá hạn 10" has no gold: invented
    (texts / "002.txt").write_text(ARTICLE.replace("1.200", "1.300"), encoding="utf-8")
    write_gold(gold / "002.jsonl", [fact("dossiers_received", 1300, tier="district")])
    return gold, texts


def test_error_table_counts_a_wrong_tier_a_missed_and_an_invented_value(dirs, capsys):
    gold, texts = dirs
    assert main(["score", "--gold", str(gold), "--texts", str(texts), "--articles", "001", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "article 002" not in out
    assert row(out, "OVERALL (strict)") == ["2", "2", "2"]  # tp fp fn: received and on-time match
    assert row(out, "OVERALL (lenient)") == ["2", "2", "2"]
    assert ("pairs with the right number but a wrong field: 1 (tier 1, period_start 0, period_end 0, metric 0, "
            "locality 0, qualifier 0); missed 1; invented 1; exact 2") in out
    assert "001: dossiers_resolved = 1150 count: tier all -> district" in out
    assert "001: dossiers_in_progress=50" in out.split("missed (")[1].split("invented (")[0]
    assert "001: dossiers_resolved_overdue=10" in out.split("invented (")[1]


def test_articles_by_range_and_list(dirs, capsys):
    gold, texts = dirs
    assert main(["score", "--gold", str(gold), "--texts", str(texts), "--articles", "1-2"]) == 0
    out = capsys.readouterr().out
    assert "article 001" in out and "article 002" in out
    assert select_articles(["001", "005", "023", "024", "031_ab"], "001-023,031") == ["001", "005", "023", "031_ab"]


def test_pairs_the_extracted_fact_with_most_fields_equal():
    gold = [fact("dossiers_resolved", 5, tier="district")]
    far = fact("dossiers_resolved", 5, period_start="2023-01-01", period_end="2023-12-31")
    near = fact("dossiers_resolved", 5)
    report = score([("a", [far, near], gold)])
    assert [(g[4], e[4], e[5]) for _, g, e in report.pairs] == [("district", "all", "2024-01-01")]
    assert report.wrong_fields == {"tier": 1}
    assert [f["period_start"] for _, f in report.invented] == ["2023-01-01"]
    assert report.missed == []


def test_fact_key_normalises_locality_qualifier_and_value():
    a = fact("rate_digitized", 90.26004, unit="percent", locality={"name": "Huyện Ngàn Sương", "type": "HUYEN"})
    b = fact("rate_digitized", 90.26, unit="percent")
    del a["qualifier"]
    assert fact_key(a) == fact_key(b)
    assert fact_key(fact("rate_digitized", 90.2649, unit="percent")) != fact_key(b)


def test_missing_folder_is_exit_2_naming_it(tmp_path, capsys):
    assert main(["score", "--gold", str(tmp_path / "nope"), "--texts", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "nope") in err and len(err.strip().splitlines()) == 1


def test_text_without_header_line_is_exit_2_naming_it(dirs, capsys):
    gold, texts = dirs
    (texts / "002.txt").write_text(ARTICLE.replace("---\n", ""), encoding="utf-8")
    assert main(["score", "--gold", str(gold), "--texts", str(texts)]) == 2
    err = capsys.readouterr().err
    assert f"{texts / '002.txt'}: no '---' line" in err


def test_gold_line_not_json_is_exit_2_naming_file_and_line(dirs, capsys):
    gold, texts = dirs
    (gold / "002.jsonl").write_text('{"metric": "dossiers_received", "value": 1300}\n{"metric": \n', encoding="utf-8")
    assert main(["score", "--gold", str(gold), "--texts", str(texts)]) == 2
    assert f"{gold / '002.jsonl'}:2: not valid JSON" in capsys.readouterr().err


def test_texts_without_gold_is_exit_2(tmp_path, capsys):
    assert main(["score", "--texts", str(tmp_path)]) == 2
    assert "--gold" in capsys.readouterr().err


def test_breaks_of_cchc_check_are_scored_against_the_hand_found_ones(tmp_path, capsys):
    texts = tmp_path / "texts"
    texts.mkdir()
    # 1.200 received against 1.150 resolved + 70 in progress: the balance breaks (an excess, an error).
    (texts / "001.txt").write_text(ARTICLE.replace("quá hạn 10 hồ sơ.", "quá hạn 10 hồ sơ; đang giải quyết 70 hồ sơ."),
                                   encoding="utf-8")
    (texts / "002.txt").write_text(ARTICLE, encoding="utf-8")  # holds every rule ... but see the invented break
    gold = tmp_path / "gold"
    gold.mkdir()
    write_gold(gold / "001.jsonl", [])
    breaks = tmp_path / "breaks.jsonl"
    write_gold(breaks, [
        {"article": "001", "rule": "balance", "severity": "error", "tier": "district", **Q1},
        {"article": "001", "rule": "intake", "severity": "error", "tier": "district", **Q1},  # not found: missed
    ])
    assert main(["score", "--gold", str(gold), "--texts", str(texts), "--breaks", str(breaks), "--verbose"]) == 0
    out = capsys.readouterr().out
    tp, fp, fn = row(out, "BREAKS (strict)")
    assert (tp, fn) == ("1", "1")
    assert "001: ('intake', 'district', 'error'" in out.split("missed breaks:")[1]
    assert fp == str(out.split("invented breaks:")[1].count("\n  "))  # every invented break is listed


def test_breaks_need_a_gold_folder(capsys):
    assert main(["score", "--breaks", "b.jsonl"]) == 2
    assert "--breaks needs --gold" in capsys.readouterr().err
