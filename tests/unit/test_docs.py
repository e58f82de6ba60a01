"""The repository's own documents (docs/) against the code that cites them: the metric table of
docs/facts.md is the vocabulary's, every labelling rule and phrasing structure the code cites is
written down, every document cited is in the repository, and every link between the docs lands.

Run as a script, it rewrites the generated metric table of docs/facts.md from
include/cchc/vocabulary.py: `.venv/bin/python tests/unit/test_docs.py`."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from cchc.vocabulary import LOCALITY_TYPES, METRICS, QUALIFIERS, RULES, TIERS, UNITS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FACTS = DOCS / "facts.md"
TABLE_START = "<!-- metric table: generated from include/cchc/vocabulary.py; do not edit by hand -->"
TABLE_END = "<!-- end of metric table -->"
# Where the project cites its documents: code, tests, the dbt project, the README and build files.
CITING = ("include", "dags", "tests", "dbt_project/models", "dbt_project/macros", "dbt_project/tests",
          "dbt_project/analyses", "dbt_project/scripts")
CITING_FILES = ("README.md", "Makefile", "Dockerfile", "docker-compose.yaml", "pyproject.toml", "dbt_project/dbt_project.yml")
SUFFIXES = {".py", ".md", ".yml", ".yaml", ".sql", ".j2", ".toml", ".txt"}
SKIP = ("include/cchc/samples/site/",)


def metric_table() -> str:
    rows = ["| metric | unit | group | Vietnamese label | English label |", "|---|---|---|---|---|"]
    rows += [f"| `{m.name}` | {m.unit} | {m.group} | {m.label_vi} | {m.label_en} |" for m in METRICS]
    return "\n".join(rows)


def _table_span(text: str) -> tuple[int, int]:
    start = text.index(TABLE_START) + len(TABLE_START) + 1
    return start, text.index(TABLE_END)


def citing_files() -> list[tuple[str, str]]:
    """(path relative to the root, text) of every file that may cite a document."""
    paths = [ROOT / f for f in CITING_FILES if (ROOT / f).exists()]
    for folder in CITING:
        paths += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    out = []
    for p in sorted(set(paths)):
        rel = p.relative_to(ROOT).as_posix()
        if rel.startswith(SKIP) or p == Path(__file__).resolve():
            continue
        out.append((rel, p.read_text(encoding="utf-8", errors="replace")))
    return out


def _numbered(text: str, heading_pattern: str) -> set[int]:
    return {int(n) for n in re.findall(heading_pattern, text, flags=re.M)}


def labelling_rules() -> set[int]:
    section = FACTS.read_text(encoding="utf-8").split("## Labelling rules", 1)[1].split("\n## ", 1)[0]
    return _numbered(section, r"^(\d+)\. \*\*")


def test_the_metric_table_of_facts_md_is_the_vocabulary():
    text = FACTS.read_text(encoding="utf-8")
    start, end = _table_span(text)
    assert text[start:end].strip() == metric_table(), \
        "docs/facts.md's metric table differs from include/cchc/vocabulary.py: run `.venv/bin/python tests/unit/test_docs.py`"


def test_facts_md_names_every_value_a_fact_field_may_take():
    text = FACTS.read_text(encoding="utf-8") + (DOCS / "arithmetic.md").read_text(encoding="utf-8")
    missing = [v for v in (*UNITS, *QUALIFIERS, *TIERS, *LOCALITY_TYPES) if f"`{v}`" not in text]
    missing += [r for r in RULES if f"| {r} |" not in text]
    assert not missing, f"not documented in docs/facts.md or docs/arithmetic.md: {missing}"


def test_every_labelling_rule_the_code_cites_is_written_down():
    defined = labelling_rules()
    assert defined == set(range(1, max(defined) + 1)), f"the labelling rules are not numbered 1..n: {sorted(defined)}"
    cited = {}
    for rel, text in citing_files():
        for m in re.finditer(r"(?i)\brules?\s+(\d+(?:(?:\s*,\s*|\s+and\s+)\d+)*)\b", text):
            for n in re.findall(r"\d+", m.group(1)):
                cited.setdefault(int(n), rel)
    assert cited, "no rule citation found: the pattern no longer matches how the code cites rules"
    unknown = {n: rel for n, rel in cited.items() if n not in defined}
    assert not unknown, f"cited but not in docs/facts.md's labelling rules: {unknown}"


def test_every_phrasing_structure_and_section_the_code_cites_is_written_down():
    text = (DOCS / "phrasings.md").read_text(encoding="utf-8")
    structures = _numbered(text, r"^\*\*S(\d+)\. ")
    sections = _numbered(text, r"^## (\d+)\. ")
    assert structures == set(range(1, 16)) and sections == set(range(1, 8)), (sorted(structures), sorted(sections))
    for rel, body in citing_files():
        if not rel.startswith(("include/cchc/extract/", "tests/unit/test_extract")):
            continue
        cited = {int(n) for n in re.findall(r"\bS(\d{1,2})\b", body)}
        cited |= {int(n) for n in re.findall(r"(?i)phrasings(?:\.md)?,? sections? (\d+)", body)}
        assert cited <= structures | sections, f"{rel} cites {sorted(cited - structures - sections)}"


def test_no_file_cites_a_document_the_repository_does_not_hold():
    wrong = []
    for rel, text in citing_files():
        for m in re.finditer(r"(?<![\w/.-])(?:docs/)?(domain|architecture|style|phrasings|facts|arithmetic|layout)\.md\b", text):
            path = DOCS / f"{m.group(1)}.md"
            if not path.exists():
                wrong.append(f"{rel}: {m.group(0)}")
    assert not wrong, "citations of documents not in docs/: " + "; ".join(wrong)


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def test_links_between_the_docs_land_on_a_file_and_heading():
    broken = []
    for doc in sorted(DOCS.glob("*.md")):
        for target, anchor in re.findall(r"\]\(([\w-]*\.md)?(?:#([\w-]+))?\)", doc.read_text(encoding="utf-8")):
            path = DOCS / target if target else doc
            if not path.exists():
                broken.append(f"{doc.name} -> {target}")
            elif anchor and anchor not in _anchors(path.read_text(encoding="utf-8")):
                broken.append(f"{doc.name} -> {target}#{anchor}")
    assert not broken, broken


if __name__ == "__main__":  # rewrite the generated table
    text = FACTS.read_text(encoding="utf-8")
    start, end = _table_span(text)
    FACTS.write_text(text[:start] + metric_table() + "\n" + text[end:], encoding="utf-8")
    print(f"rewrote the metric table of {FACTS.relative_to(ROOT)}", file=sys.stderr)
