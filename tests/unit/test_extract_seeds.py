"""The five seed articles against their hand-labelled gold (tests/gold), and `cchc facts`."""
import json
from pathlib import Path

import pytest

from cchc.cli import main
from cchc.extract.score import score_seeds

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not here")


@pytest.fixture(scope="module")
def report():
    return score_seeds()


def test_seeds_score_f1_at_least_095_strict(report):
    assert report.overall.f1 >= 0.95, (report.misses, report.spurious)


@pytest.mark.parametrize("stem", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_every_seed_scores_well_on_its_own(report, stem):
    assert report.per_article[stem].f1 >= 0.9


def test_cchc_facts_prints_one_json_object_per_line(capsys):
    path = SEEDS / "001_7e132c740c8fec5b.txt"
    assert main(["facts", str(path), "--locality", "tỉnh Sơn La"]) == 0
    lines = capsys.readouterr().out.splitlines()
    facts = [json.loads(line) for line in lines]
    text = path.read_text(encoding="utf-8")
    assert len(facts) == 30
    for f in facts:
        ev = f["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"]
        assert f["value_text"] in ev["text"]
    assert {(f["locality"]["name"], f["locality"]["province"]) for f in facts} == {("Mai Sơn", "Sơn La")}


def test_cchc_facts_with_published_date(capsys):
    assert main(["facts", str(SEEDS / "004_68e786483381fb0d.txt"), "--published", "2025-11-20"]) == 0
    facts = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {f["period_end"] for f in facts} == {"2025-11-20"}


def test_unreadable_file_exits_non_zero_naming_the_path(capsys, tmp_path):
    missing = tmp_path / "nope.txt"
    assert main(["facts", str(missing)]) != 0
    assert f"cannot read '{missing}'" in capsys.readouterr().err
    assert main(["facts", str(tmp_path)]) != 0
    assert str(tmp_path) in capsys.readouterr().err


def test_binary_file_is_refused(capsys, tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    assert main(["facts", str(blob)]) == 2
    assert "binary" in capsys.readouterr().err


def test_bad_published_date_is_a_clear_error(capsys):
    assert main(["facts", str(SEEDS / "000_1cc8e4c574c50009.txt"), "--published", "26/03/2025"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_article_without_statistics_prints_nothing(capsys, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("Hội nghị cải cách hành chính\nUBND huyện Ngàn Sương tổ chức hội nghị.\n", encoding="utf-8")
    assert main(["facts", str(plain)]) == 0
    assert capsys.readouterr().out == ""


def test_html_article_is_read(capsys, tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<html><head><title>Tin</title></head><body><article><h1>Tin CCHC</h1>"
                    "<p>Đăng lúc: 05/04/2024</p><p>Quý I/2024, UBND huyện Ngàn Sương tiếp nhận 1.200 hồ sơ, "
                    "đã giải quyết 1.150 hồ sơ, trong đó đúng hạn 1.140 hồ sơ, quá hạn 10 hồ sơ. "
                    "Kết quả này cho thấy nhiều nỗ lực của các cơ quan, đơn vị trong việc cải cách hành chính "
                    "và phục vụ người dân, doanh nghiệp trên địa bàn huyện.</p></article></body></html>",
                    encoding="utf-8")
    assert main(["facts", str(page)]) == 0
    metrics = {json.loads(line)["metric"] for line in capsys.readouterr().out.splitlines()}
    assert {"dossiers_received", "dossiers_resolved", "dossiers_resolved_overdue"} <= metrics


def test_cchc_score_prints_the_table(capsys):
    assert main(["score"]) == 0
    assert "OVERALL (strict)" in capsys.readouterr().out
