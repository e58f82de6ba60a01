"""Every command answers input it cannot use with one line on standard error naming the input
and what is wrong, exit 2, and no traceback; a warehouse another process holds is one line
naming that process, exit 1. A real bug still shows its traceback."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest

from cchc.cli import main
from cchc.settings import get_settings

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
NOISE = random.Random(14).randbytes(4096)
ARTICLE = "Trong quý I/2025, huyện Ngàn Sương tiếp nhận 1.234 hồ sơ.\n"  # invented


def refused(capsys, argv, status=2):
    """The one line ``cchc argv`` wrote on standard error, after checking it refused with
    ``status`` and printed nothing else."""
    assert main(argv) == status
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    return err.strip()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "image.png").write_bytes(PNG)
    (tmp_path / "noise.bin").write_bytes(NOISE)
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.mark.parametrize("command", ["facts", "check"])
@pytest.mark.parametrize("name", ["image.png", "noise.bin"])
def test_a_binary_article_is_refused_naming_the_file(files, capsys, command, name):
    line = refused(capsys, [command, str(files / name)])
    assert line == f"cchc {command}: cannot read '{files / name}': binary file, not text"


@pytest.mark.parametrize("command", ["facts", "check"])
def test_a_missing_article_and_a_folder_are_refused_alike(files, capsys, command):
    assert refused(capsys, [command, str(files / "missing.txt")]) == \
        f"cchc {command}: cannot read '{files / 'missing.txt'}': No such file or directory"
    assert refused(capsys, [command, str(files / "folder")]) == \
        f"cchc {command}: cannot read '{files / 'folder'}': Is a directory"


def test_binary_standard_input_is_refused(files, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", open(files / "noise.bin", encoding="latin-1"))
    assert refused(capsys, ["check", "-"]) == "cchc check: cannot read '-': binary file, not text"


@pytest.mark.parametrize("argv, names", [
    (["facts", "ARTICLE", "--published", "20/11/2025"], ["cchc facts", "--published", "20/11/2025"]),
    (["check", "ARTICLE", "--format", "xml"], ["cchc check", "--format", "xml"]),
    (["sample-portals", "serve", "--port", "99999"], ["cchc sample-portals serve", "--port", "99999"]),
    (["sample-portals", "serve", "--port", "tám"], ["--port", "tám"]),
    (["check"], ["cchc check", "file"]),
    (["no-such-command"], ["cchc:", "no-such-command"]),
])
def test_a_bad_option_value_is_one_line_naming_the_option(files, capsys, argv, names):
    line = refused(capsys, [str(files / "article.txt") if a == "ARTICLE" else a for a in argv])
    assert all(n in line for n in names), line


def test_a_registry_that_is_not_text_is_refused_with_its_line(files, capsys):
    registry = files / "portals.yaml"
    registry.write_bytes("portals:\n  - id: ngan_suong\n    name: Ngàn Sương\n".encode("utf-8") + b"    family: \xff\xfe\n")
    assert refused(capsys, ["registry", "validate", str(registry)]) == \
        f"cchc registry: cannot read '{registry}': line 4 is not UTF-8 (byte 0xff)"
    assert refused(capsys, ["registry", "validate", str(files / "folder")]) == \
        f"cchc registry: cannot read '{files / 'folder'}': Is a directory"


def test_crawling_a_portal_the_registry_does_not_hold_names_it(capsys):
    assert "no_such_portal" in refused(capsys, ["crawl", "no_such_portal"])


def test_loading_a_night_that_never_landed_names_the_run(capsys):
    line = refused(capsys, ["load", "--run-id", "night-that-never-was"])
    assert line.startswith("cchc load: --run-id 'night-that-never-was': no landing folder ")


def test_a_summary_without_a_warehouse_names_the_file(capsys):
    assert str(get_settings().warehouse_path) in refused(capsys, ["summary"])


def test_a_summary_of_a_night_the_warehouse_does_not_hold_names_the_run(capsys):
    from cchc import warehouse

    with warehouse.connect():
        pass  # an empty warehouse, its schema made
    assert refused(capsys, ["summary", "--run-id", "night-that-never-was"]) == \
        "cchc summary: --run-id 'night-that-never-was': no such night in the warehouse"


def test_a_warehouse_that_is_not_duckdb_is_refused_naming_it(files, capsys, monkeypatch):
    monkeypatch.setenv("CCHC_WAREHOUSE", str(files / "noise.bin"))
    line = refused(capsys, ["summary"])
    assert line.startswith("cchc summary: ") and str(files / "noise.bin") in line


def test_gold_facts_that_are_not_utf8_or_not_json_name_the_file_and_line(files, capsys):
    gold, texts = files / "gold", files / "texts"
    gold.mkdir()
    texts.mkdir()
    (texts / "001.txt").write_text("URL: unknown\n---\n" + ARTICLE, encoding="utf-8")
    (gold / "001.jsonl").write_bytes(b'{"metric": "dossiers_received"}\n\x81\x82\n')
    assert refused(capsys, ["score", "--gold", str(gold), "--texts", str(texts)]) == \
        f"cchc score: cannot read '{gold / '001.jsonl'}': line 2 is not UTF-8 (byte 0x81)"
    (gold / "001.jsonl").write_text('{"metric": "dossiers_received"}\n{"metric": \n', encoding="utf-8")
    assert f"{gold / '001.jsonl'}:2: not valid JSON" in refused(capsys, ["score", "--gold", str(gold), "--texts", str(texts)])


def test_a_report_folder_that_is_a_file_is_refused_and_left_alone(files, capsys):
    line = refused(capsys, ["report", "--out", str(files / "image.png")])
    assert line.startswith(f"cchc report: --out '{files / 'image.png'}': not a folder")
    assert (files / "image.png").read_bytes() == PNG


def test_a_warehouse_held_by_another_process_is_one_line_naming_it(capsys, monkeypatch):
    monkeypatch.setenv("CCHC_LOCK_RETRIES", "0")  # refuse at once rather than wait for the holder
    settings = get_settings()
    (settings.landing_dir / "night-1").mkdir(parents=True)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.readline()",
         str(settings.warehouse_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        line = refused(capsys, ["load", "--run-id", "night-1"], status=1)
    finally:
        holder.kill()
        holder.wait()
    assert line.startswith("cchc load: ") and f"PID {holder.pid}" in line and str(settings.warehouse_path) in line


def test_a_bug_still_shows_its_traceback(files, monkeypatch):
    import cchc.extract.command

    def broken(args):
        raise KeyError("a bug, not bad input")

    monkeypatch.setattr(cchc.extract.command, "run_facts", broken)
    with pytest.raises(KeyError):
        main(["facts", str(files / "article.txt")])


def test_the_installed_command_prints_no_traceback(files):
    done = subprocess.run([sys.executable, "-m", "cchc", "check", str(files / "image.png")],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"cchc check: cannot read '{files / 'image.png'}': binary file, not text\n"
