"""Publishing the analysts' snapshot: time and size against the warehouse's, on a warehouse of
10^6 generated facts built by dbt (or on one you name).

    .venv/bin/python tests/benchmarks/bench_publish.py [--facts 1000000] [--warehouse PATH]

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    from cchc import warehouse
    from cchc.dbt_runner import dbt_build
    from cchc.demo_data import generate_facts

    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--warehouse", type=Path, help="an existing warehouse with marts (skips generation and dbt)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.warehouse
        if source is None:
            source = Path(tmp) / "warehouse.duckdb"
            started = time.monotonic()
            generate_facts(source, args.facts)
            dbt_build(Path(tmp) / "target", warehouse_path=source)
            print(f"generated {args.facts} facts and built the marts in {time.monotonic() - started:.1f} s")
        target = Path(tmp) / "analysts.duckdb"
        runs = []
        for i in range(3):
            result = warehouse.publish_analyst_copy(f"bench-{i}", source=source, target=target)
            runs.append(result["seconds"])
        mib = 1024 * 1024
        print(f"publish: {min(runs):.2f} s best of 3 ({', '.join(f'{r:.2f}' for r in runs)}), "
              f"{result['tables']} tables; snapshot {result['bytes'] / mib:.1f} MiB vs warehouse "
              f"{result['warehouse_bytes'] / mib:.1f} MiB ({100 * result['bytes'] / result['warehouse_bytes']:.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
