"""Benchmark the dbt project: ``dbt build`` wall time on the demo warehouse and on a warehouse
with 10^6 generated facts, the slowest models, and the five analyst queries of
``dbt_project/analyses/`` on the latter.

    .venv/bin/python tests/benchmarks/bench_dbt.py [--facts 1000000] [--keep DIR]

Prints figures; asserts nothing (benchmarks print, tests assert). dbt runs with one thread (the
warehouse takes one writer), as in the nightly DAG.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "include"))

ANALYSES = ROOT / "dbt_project" / "analyses"


def build(warehouse: Path, target: Path) -> dict:
    from cchc.dbt_runner import dbt_build

    started = time.monotonic()
    result = dbt_build(target, warehouse_path=warehouse)
    result["wall_s"] = time.monotonic() - started
    timings = []
    for r in json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]:
        if r["unique_id"].startswith(("model.", "seed.")):
            timings.append((r["execution_time"], r["unique_id"].split(".")[-1]))
    result["slowest"] = sorted(timings, reverse=True)[:6]
    return result


def render_analysis(sql: str) -> str:
    """The analyses use ref(); every model they name is a mart."""
    return re.sub(r"\{\{\s*ref\('([a-z_]+)'\)\s*\}\}", r"marts.\1", sql)


def time_queries(warehouse: Path, repeats: int = 3) -> list[tuple[str, float, int]]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    out = []
    try:
        for path in sorted(ANALYSES.glob("*.sql")):
            sql = render_analysis(path.read_text(encoding="utf-8"))
            times, rows = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                times.append(time.perf_counter() - started)
            out.append((path.stem, statistics.median(times), rows))
    finally:
        con.close()
    return out


def report(label: str, result: dict) -> None:
    counts = ", ".join(f"{k}={v}" for k, v in sorted(result["counts"].items()))
    print(f"{label}: dbt build {result['wall_s']:.1f} s wall ({result['elapsed_s_dbt']:.1f} s inside dbt); "
          f"{result['by_type']}; {counts}")
    print("  slowest: " + ", ".join(f"{name} {t:.1f} s" for t, name in result["slowest"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)

    from cchc.demo_data import generate_facts, seed_demo_warehouse

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_dbt_"))
    work.mkdir(parents=True, exist_ok=True)
    demo = work / "demo.duckdb"
    big = work / "big.duckdb"
    for f in (demo, big):
        f.unlink(missing_ok=True)

    seed_demo_warehouse(demo)
    report("demo data", build(demo, work / "target_demo"))

    seed_demo_warehouse(big)
    started = time.monotonic()
    gen = generate_facts(big, args.facts)
    print(f"generate_facts({args.facts:,}): {time.monotonic() - started:.1f} s; {gen}")
    report(f"{gen['facts_total']:,} facts", build(big, work / "target_big"))
    # a second build: what the nightly pays when nothing changed upstream
    report(f"{gen['facts_total']:,} facts, rebuild", build(big, work / "target_big"))

    print(f"analyst queries on {gen['facts_total']:,} facts (median of 3, read-only connection):")
    for name, seconds, rows in time_queries(big):
        print(f"  {name}: {seconds * 1000:.0f} ms, {rows} rows")
    if not args.keep:
        print(f"(work folder {work} left for inspection; remove it when done)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
