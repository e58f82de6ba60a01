"""Benchmark the dbt project: ``dbt build`` wall time on the demo warehouse and on a warehouse
with 10^6 generated facts (the full build), again with nothing new, then a night that adds
``--night`` facts (new articles, a newer extraction and a new page version of older ones) and
builds again (the incremental build) with the second, selected build of the night
(``source:dq+``); the slowest models, and the five analyst queries of
``dbt_project/analyses/`` on the latter.

    .venv/bin/python tests/benchmarks/bench_dbt.py [--facts 1000000] [--night 10000] [--keep DIR]

Prints figures against the goals of issue 16 (full build <= 60 s, a night <= 10 s, on 10^7
facts) and the machine's load average beside each; asserts nothing (benchmarks print, tests
assert). dbt runs with one thread (the warehouse takes one writer), as in the nightly DAG.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "include"))

ANALYSES = ROOT / "dbt_project" / "analyses"
GOAL_FULL_S = 60
GOAL_NIGHT_S = 10
NIGHT_EXTRACTOR = "text-9+facts-9"


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def build(warehouse: Path, target: Path, select: str | None = None) -> dict:
    from cchc.dbt_runner import dbt_build

    before = load()
    started = time.monotonic()
    result = dbt_build(target, select=select, warehouse_path=warehouse)
    result["wall_s"] = time.monotonic() - started
    result["load"] = f"{before} before, {load()} after"
    timings, tests = [], 0.0
    for r in json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]:
        if r["unique_id"].startswith(("model.", "seed.")):
            timings.append((r["execution_time"], r["unique_id"].split(".")[-1]))
        else:
            tests += r["execution_time"]
    result["slowest"] = sorted(timings, reverse=True)[:6]
    result["models_s"] = sum(t for t, _ in timings)
    result["tests_s"] = tests
    return result


def add_night(warehouse: Path, n: int, first_article: int) -> dict:
    """One night's extraction: 80 % of ``n`` facts in new articles (after the last one), 10 % a
    newer extraction of the first articles, 10 % a new page version of the next ones."""
    from cchc.demo_data import generate_facts

    per_article = 20
    n_new, n_reextracted = n * 8 // 10, n // 10
    n_versions = n - n_new - n_reextracted
    generate_facts(warehouse, n_new, first_article=first_article)
    generate_facts(warehouse, n_reextracted, extractor_version=NIGHT_EXTRACTOR, days_later=400)
    return generate_facts(warehouse, n_versions, first_article=n_reextracted // per_article, page_version=1,
                          days_later=400)


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


def report(label: str, result: dict, goal_s: float | None = None) -> None:
    counts = ", ".join(f"{k}={v}" for k, v in sorted(result["counts"].items()))
    goal = ""
    if goal_s is not None:
        goal = f" [goal <= {goal_s} s: {'met' if result['wall_s'] <= goal_s else 'NOT met'}]"
    print(f"{label}: dbt build {result['wall_s']:.1f} s wall ({result['elapsed_s_dbt']:.1f} s inside dbt: "
          f"models {result['models_s']:.1f} s, tests {result['tests_s']:.1f} s){goal}; {result['load']}")
    print(f"  {result['by_type']}; {counts}")
    print("  slowest: " + ", ".join(f"{name} {t:.1f} s" for t, name in result["slowest"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--night", type=int, default=10_000, help="facts a night adds")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)

    from cchc.demo_data import generate_facts, seed_demo_warehouse

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_dbt_"))
    work.mkdir(parents=True, exist_ok=True)
    demo = work / "demo.duckdb"
    big = work / "big.duckdb"
    for f in (demo, big):
        f.unlink(missing_ok=True)

    print(f"{os.cpu_count()} cores; {load()}")
    seed_demo_warehouse(demo)
    # the demo data: what dbt costs whatever the data (parsing, 30-odd models, 230-odd tests)
    report("demo data", build(demo, work / "target_demo"))

    seed_demo_warehouse(big)
    started = time.monotonic()
    gen = generate_facts(big, args.facts)
    print(f"generate_facts({args.facts:,}): {time.monotonic() - started:.1f} s; {gen}")
    report(f"{gen['facts_total']:,} facts, full build", build(big, work / "target_big"), GOAL_FULL_S)
    # a second build: what the nightly pays when nothing changed upstream
    report(f"{gen['facts_total']:,} facts, nothing new", build(big, work / "target_big"))

    started = time.monotonic()
    night = add_night(big, args.night, first_article=gen["articles"])
    print(f"a night: {args.night:,} facts ({args.night * 8 // 10:,} in new articles, {args.night // 10:,} re-extracted, "
          f"{args.night - args.night * 8 // 10 - args.night // 10:,} in new page versions) in "
          f"{time.monotonic() - started:.1f} s; {night['facts_total']:,} facts in raw")
    report(f"{night['facts_total']:,} facts, the night's incremental build", build(big, work / "target_big"),
           GOAL_NIGHT_S)
    report("  and its second build (source:dq+, no checks run)",
           build(big, work / "target_big", select="source:dq+"))

    print(f"analyst queries on {night['facts_total']:,} facts (median of 3, read-only connection):")
    for name, seconds, rows in time_queries(big):
        print(f"  {name}: {seconds * 1000:.0f} ms, {rows} rows")
    if not args.keep:
        print(f"(work folder {work} left for inspection; remove it when done)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
