"""Benchmark the dbt project: ``dbt build`` wall time on the demo warehouse and on a warehouse
with 10^6 generated facts, the slowest models, and the five analyst queries of
``dbt_project/analyses/`` on the latter. With ``--airflow``, also the same build in Airflow three
ways on the demo warehouse: one ``dbt build`` task, Cosmos WATCHER, Cosmos LOCAL (a real
scheduler, LocalExecutor on PostgreSQL, with a triggerer; about 20 minutes, mostly LOCAL).

    .venv/bin/python tests/benchmarks/bench_dbt.py [--facts 1000000] [--keep DIR] [--airflow]

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


AIRFLOW_DAGS = {
    "cchc_bench_single": """
from datetime import datetime, timezone
from airflow.sdk import dag, task

@dag(dag_id="cchc_bench_single", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), catchup=False)
def cchc_bench_single():
    @task(pool="cchc_warehouse")
    def dbt_build() -> dict:
        from cchc.dbt_runner import dbt_build
        return {"counts": dbt_build()["counts"]}
    dbt_build()

cchc_bench_single()
""",
    # not named dbt_*.py: dbt would load it as a plugin
    "cchc_bench_watcher": """
from datetime import datetime, timezone
from airflow.sdk import dag

@dag(dag_id="cchc_bench_watcher", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), catchup=False)
def cchc_bench_watcher():
    from cchc.dbt_runner import cosmos_task_group
    cosmos_task_group("dbt", execution_mode="watcher")

cchc_bench_watcher()
""",
    "cchc_bench_local": """
from datetime import datetime, timezone
from airflow.sdk import dag

@dag(dag_id="cchc_bench_local", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), catchup=False)
def cchc_bench_local():
    from cchc.dbt_runner import cosmos_task_group
    cosmos_task_group("dbt", execution_mode="local")

cchc_bench_local()
""",
}


def bench_airflow(work: Path) -> None:
    """The demo build as one task, as Cosmos WATCHER and as Cosmos LOCAL, on a real Airflow."""
    import subprocess
    import uuid
    from datetime import datetime

    from cchc import airflow_env
    from cchc.demo_data import seed_demo_warehouse
    from cchc.local_airflow import LocalAirflow

    dags = work / "airflow_dags"
    dags.mkdir(parents=True, exist_ok=True)
    for dag_id, code in AIRFLOW_DAGS.items():
        (dags / f"{dag_id}.py").write_text(code.lstrip(), encoding="utf-8")
    data = work / "airflow_data"
    data.mkdir(parents=True, exist_ok=True)
    warehouse = data / "warehouse.duckdb"
    extra = {"AIRFLOW__CORE__DAGS_FOLDER": str(dags), "CCHC_DATA_DIR": str(data), "CCHC_WAREHOUSE": str(warehouse),
             "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False", "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "120"}
    with LocalAirflow(home=work / f"airflow_{uuid.uuid4().hex[:6]}", database=f"cchc_bench_{uuid.uuid4().hex[:8]}",
                      extra_env=extra) as af:
        log = open(af.log_dir / "triggerer.log", "w")  # the watcher's sensors defer to it
        af.processes.append(subprocess.Popen([airflow_env.airflow_executable(), "triggerer"], env=af.env, stdout=log,
                                             stderr=subprocess.STDOUT, start_new_session=True))
        for dag_id in AIRFLOW_DAGS:
            started = time.monotonic()
            af.wait_for_dag(dag_id, timeout=900)
            print(f"  {dag_id}: listed {time.monotonic() - started:.0f} s after the previous one", flush=True)
        for dag_id in AIRFLOW_DAGS:
            warehouse.unlink(missing_ok=True)
            seed_demo_warehouse(warehouse)
            af.cli("dags", "unpause", dag_id)
            af.cli("dags", "trigger", dag_id, "--run-id", "bench")
            run = af.wait_for_run(dag_id, run_id="bench", timeout=3000)
            out = af.cli("tasks", "states-for-dag-run", dag_id, "bench", "-o", "json")
            tis = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("[")))
            starts = [datetime.fromisoformat(t["start_date"]) for t in tis if t.get("start_date")]
            ends = [datetime.fromisoformat(t["end_date"]) for t in tis if t.get("end_date")]
            states: dict[str, int] = {}
            for t in tis:
                states[t["state"]] = states.get(t["state"], 0) + 1
            print(f"  {dag_id}: {run['state']}, first task start to last task end "
                  f"{(max(ends) - min(starts)).total_seconds():.0f} s, {len(tis)} tasks {states}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--airflow", action="store_true", help="also time one dbt build task vs Cosmos WATCHER vs LOCAL")
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
    if args.airflow:
        print("the demo build in Airflow (LocalExecutor on PostgreSQL, one-slot warehouse pool):")
        bench_airflow(work)
    if not args.keep:
        print(f"(work folder {work} left for inspection; remove it when done)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
