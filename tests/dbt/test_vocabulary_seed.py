"""The dbt seeds that mirror other sources of truth stay equal to them
(regenerate with ``.venv/bin/python dbt_project/scripts/build_seeds.py``)."""
from __future__ import annotations

import csv
import json

import yaml

from cchc.settings import PACKAGE_DIR, PROJECT_ROOT
from cchc.vocabulary import METRIC_NAMES, METRICS

DBT = PROJECT_ROOT / "dbt_project"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DBT / "seeds" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_metric_vocabulary_seed_equals_vocabulary_module():
    seed = [(r["metric"], r["unit"], r["metric_group"], r["label_vi"], r["label_en"]) for r in _rows("metric_vocabulary.csv")]
    assert seed == [(m.name, m.unit, m.group, m.label_vi, m.label_en) for m in METRICS]


def test_metric_columns_var_lists_the_vocabulary_in_order():
    project = yaml.safe_load((DBT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert tuple(project["vars"]["metric_names"]) == METRIC_NAMES


def test_wide_marts_document_one_column_per_metric():
    for model in ("fct_dossier_reports", "ts_dossier_kpis"):
        spec = yaml.safe_load((DBT / "models" / "marts" / f"{model}.yml").read_text(encoding="utf-8"))
        columns = {c["name"] for c in spec["models"][0]["columns"]}
        assert set(METRIC_NAMES) <= columns, f"{model}.yml lacks {set(METRIC_NAMES) - columns}"


def test_portals_seed_lists_every_registry_portal():
    seeded = {r["portal_id"] for r in _rows("portals.csv")}
    real = yaml.safe_load((PACKAGE_DIR / "registry" / "portals.yaml").read_text(encoding="utf-8"))
    ids = {p["id"] for p in real.get("portals") or [] if p.get("id")}
    sample_yaml = PACKAGE_DIR / "samples" / "portals.yaml"
    if sample_yaml.exists():
        sample = yaml.safe_load(sample_yaml.read_text(encoding="utf-8")) or {}
        ids |= {p["id"] for p in sample.get("portals") or [] if p.get("id")}
    else:
        ids |= set(json.loads((PACKAGE_DIR / "samples" / "manifest.json").read_text(encoding="utf-8"))["portals"])
    assert ids <= seeded, f"portals.csv lacks {sorted(ids - seeded)}: run dbt_project/scripts/build_seeds.py"


def test_admin_units_seed_holds_both_eras():
    counts: dict[tuple[str, str], int] = {}
    for r in _rows("admin_units.csv"):
        counts[(r["era"], r["level"])] = counts.get((r["era"], r["level"]), 0) + 1
    assert counts[("pre2025", "province")] == 63
    assert counts[("from2025", "province")] == 34
    assert counts[("from2025", "commune")] == 3321
    assert ("from2025", "district") not in counts
