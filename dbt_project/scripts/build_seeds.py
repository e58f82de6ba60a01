"""Regenerate the dbt seeds that mirror other sources of truth.

    .venv/bin/python dbt_project/scripts/build_seeds.py

- ``metric_vocabulary.csv`` from ``cchc.vocabulary.METRICS`` (a test keeps them equal);
- ``portals.csv`` from the real registry (``include/cchc/registry/portals.yaml``) and the sample
  portals (``include/cchc/samples/portals.yaml``, else the sample site's ``manifest.json``);
- ``admin_units.csv``, Vietnam's official administrative units before and after the
  reorganisation of 1 July 2025, from the MIT-licensed package ``vietnamadminunits`` (needed only
  here, never at run time): 63 provinces, their districts and communes (era ``pre2025``), and 34
  provinces with their communes (era ``from2025``), each new unit with the former units it was
  formed from (``converter_2025.json`` of the package).

Deterministic: rows are sorted, so a rerun on the same inputs changes nothing.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "include"))

# Vietnamese unit words -> the locality types of cchc.vocabulary.LOCALITY_TYPES
TYPE_CODES = {
    "Tỉnh": "tinh", "Thành phố": "thanh_pho", "Huyện": "huyen", "Quận": "quan", "Thị xã": "thi_xa",
    "Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran", "Đặc khu": "dac_khu",
}


def write_csv(name: str, header: list[str], rows: list[list]) -> Path:
    path = SEEDS / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def metric_vocabulary_rows() -> tuple[list[str], list[list]]:
    from cchc.vocabulary import METRICS

    return ["metric", "unit", "metric_group", "label_vi", "label_en"], [
        [m.name, m.unit, m.group, m.label_vi, m.label_en] for m in METRICS
    ]


def portals_rows() -> tuple[list[str], list[list]]:
    import yaml

    pkg = ROOT / "include" / "cchc"
    entries: dict[str, dict] = {}

    def add(portal: dict, registry: str) -> None:
        pid = portal.get("id")
        if not pid:
            return
        row = entries.setdefault(pid, {"portal_id": pid, "in_real_registry": False, "in_sample_registry": False})
        row[f"in_{registry}_registry"] = True
        if registry == "real" or "portal_name" not in row:  # the real registry describes a portal best
            loc = portal.get("locality") or {}
            row.update(portal_name=portal.get("name"), family=portal.get("family"), base_url=portal.get("base_url"),
                       locality_name=loc.get("name"), locality_type=loc.get("type"), locality_province=loc.get("province"))

    real = yaml.safe_load((pkg / "registry" / "portals.yaml").read_text(encoding="utf-8")) or {}
    for p in real.get("portals") or []:
        add(p, "real")
    sample_yaml = pkg / "samples" / "portals.yaml"
    if sample_yaml.exists():
        for p in (yaml.safe_load(sample_yaml.read_text(encoding="utf-8")) or {}).get("portals") or []:
            add(p, "sample")
    else:
        manifest = json.loads((pkg / "samples" / "manifest.json").read_text(encoding="utf-8"))
        for pid, p in manifest.get("portals", {}).items():
            add({"id": pid, **p}, "sample")
    header = ["portal_id", "portal_name", "family", "base_url", "locality_name", "locality_type", "locality_province",
              "in_real_registry", "in_sample_registry"]
    rows = [[e.get(h) for h in header] for _, e in sorted(entries.items())]
    return header, [[str(v).lower() if isinstance(v, bool) else v for v in r] for r in rows]


def _type_of(full_name: str) -> tuple[str, str, str]:
    """(type word, type code, full name with the type word in its usual case: the package writes
    a few as "Thành Phố", "Thị Xã", "Thị Trấn")."""
    for word in sorted(TYPE_CODES, key=len, reverse=True):
        if full_name.lower().startswith(word.lower() + " "):
            return word, TYPE_CODES[word], word + full_name[len(word):]
    raise ValueError(f"unknown unit type in {full_name!r}")


def admin_units_rows() -> tuple[list[str], list[list]]:
    import vietnamadminunits
    from vietnamadminunits.database import query

    data_dir = Path(vietnamadminunits.__file__).parent / "data"
    conv = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    legacy = query(
        "select province, provinceShort, provinceCode, provinceKey, district, districtShort, districtCode, districtKey,"
        " ward, wardShort, wardCode, wardKey from admin_units_legacy"
    )
    new = query("select province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardCode, wardKey from admin_units")
    rows: dict[tuple[str, str], list] = {}

    def add(era, level, code, full_name, short, prov_code, prov_short, dist_code=None, dist_name=None,
            former_units=None, former_districts=None, unchanged=None):
        word, type_code, full_name = _type_of(full_name)
        rows[(era, code)] = [era, level, code, word, type_code, short, full_name, prov_code, prov_short,
                             dist_code, dist_name, former_units, former_districts,
                             None if unchanged is None else str(unchanged).lower()]

    legacy_by_key: dict[str, dict] = {}
    legacy_prov_by_key: dict[str, dict] = {}
    for r in legacy:
        add("pre2025", "province", r["provinceCode"], r["province"], r["provinceShort"], r["provinceCode"], r["provinceShort"])
        legacy_prov_by_key[r["provinceKey"]] = r
        add("pre2025", "district", r["districtCode"], r["district"], r["districtShort"], r["provinceCode"], r["provinceShort"])
        if r["wardCode"]:
            add("pre2025", "commune", r["wardCode"], r["ward"], r["wardShort"], r["provinceCode"], r["provinceShort"],
                r["districtCode"], r["districtShort"])
            legacy_by_key[f'{r["provinceKey"]}_{r["districtKey"]}_{r["wardKey"]}'] = r

    # new ward key -> former legacy wards (whole ones, then parts of divided ones)
    formed_from: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for prov_key, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            formed_from.setdefault((prov_key, ward_key), []).extend((o, True) for o in olds)
    for prov_key, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            for t in targets:
                formed_from.setdefault((prov_key, t["newWardKey"]), []).append((old, False))

    for r in new:
        prov_formers = conv["DICT_PROVINCE"].get(r["provinceKey"], [])
        prov_names = [legacy_prov_by_key[k]["province"] for k in prov_formers if k in legacy_prov_by_key]
        add("from2025", "province", r["provinceCode"], r["province"], r["provinceShort"], r["provinceCode"], r["provinceShort"],
            former_units="; ".join(sorted(prov_names)), former_districts=None,
            unchanged=prov_formers == [r["provinceKey"]])
        formers = formed_from.get((r["provinceKey"], r["wardKey"]), [])
        units, districts = [], set()
        for key, whole in formers:
            old = legacy_by_key.get(key)
            if old is None:
                continue
            units.append(f'{old["ward"]} ({old["district"]}, {old["provinceShort"]}){"" if whole else " (một phần)"}')
            districts.add(f'{old["district"]} ({old["provinceShort"]})')
        only = legacy_by_key.get(formers[0][0]) if len(formers) == 1 and formers[0][1] else None
        unchanged = bool(only and only["ward"] == r["ward"] and only["provinceCode"] == r["provinceCode"])
        add("from2025", "commune", r["wardCode"], r["ward"], r["wardShort"], r["provinceCode"], r["provinceShort"],
            former_units="; ".join(sorted(units)) or None, former_districts="; ".join(sorted(districts)) or None,
            unchanged=unchanged)

    header = ["era", "level", "unit_code", "unit_type_vi", "locality_type", "name", "full_name", "province_code",
              "province_name", "district_code", "district_name", "former_units", "former_districts", "territory_unchanged"]
    level_order = {"province": 0, "district": 1, "commune": 2}
    ordered = sorted(rows.values(), key=lambda x: (x[0] != "pre2025", level_order[x[1]], x[2]))
    return header, ordered


def main() -> int:
    SEEDS.mkdir(parents=True, exist_ok=True)
    for name, build in (("metric_vocabulary.csv", metric_vocabulary_rows), ("portals.csv", portals_rows),
                        ("admin_units.csv", admin_units_rows)):
        header, rows = build()
        print(f"{write_csv(name, header, rows)}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
