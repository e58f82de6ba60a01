"""Run the dbt project (``dbt_project/``) on the warehouse: one ``dbt build``, or the docs site.

dbt writes the DuckDB file, so whoever calls these holds the warehouse pool's one slot and the
profile runs with ``threads: 1``. dbt runs as a subprocess of this virtual environment's ``dbt``:
its state (adapters, flags, the environment its profile reads) stays out of the caller's
process, and the warehouse path is passed as ``CCHC_WAREHOUSE`` explicitly. Target and log
folders default to the data folder, so the project folder can stay read-only.

Nothing here imports dbt.

The night runs the build as one task. Measured on the demo data on a real scheduler
(LocalExecutor, PostgreSQL): one ``dbt build`` task 53-61 s; a Cosmos task group in WATCHER mode
(each model a sensor task) 91-100 s, and its sensors waited forever when the build never ran;
LOCAL mode (one dbt process per model) 790-821 s. A failed node fails the one task, and its
message (node and dbt's error) reaches the night's alert.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cchc.settings import get_settings

log = logging.getLogger(__name__)


class DbtBuildError(RuntimeError):
    """``dbt build`` (or ``dbt docs generate``) failed; the message names what failed and why."""

    def __init__(self, message: str, result: dict[str, Any] | None = None):
        super().__init__(message)
        self.result = result or {}


def dbt_executable() -> str:
    """The ``dbt`` of this interpreter's environment, else whatever ``dbt`` is on the PATH."""
    exe = Path(sys.executable).with_name("dbt")
    return str(exe) if exe.exists() else "dbt"


def _dbt_env(warehouse_path: Path | None) -> dict[str, str]:
    settings = get_settings()
    env = dict(os.environ)
    env["CCHC_WAREHOUSE"] = str(warehouse_path or settings.warehouse_path)
    return env


def _default_target(kind: str) -> Path:
    return get_settings().data_dir / "dbt" / kind


def _run(args: list[str], target_path: Path, warehouse_path: Path | None, project_dir: Path | None,
         timeout: float) -> tuple[subprocess.CompletedProcess, float]:
    project = Path(project_dir or get_settings().dbt_project_dir)
    target_path = Path(target_path)
    target_path.mkdir(parents=True, exist_ok=True)
    cmd = [
        dbt_executable(), *args,
        "--project-dir", str(project),
        "--profiles-dir", str(project),
        "--target-path", str(target_path),
        "--log-path", str(target_path / "logs"),
    ]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=project, env=_dbt_env(warehouse_path), capture_output=True, text=True,
                          timeout=timeout, check=False)
    return proc, time.monotonic() - started


def summarise_run_results(run_results: dict[str, Any]) -> dict[str, Any]:
    """Counts by status and resource type, and the failures and warnings, from ``run_results.json``."""
    counts: dict[str, int] = {}
    by_type: dict[str, int] = {}
    failures, warnings = [], []
    for r in run_results.get("results", []):
        status = str(r.get("status"))
        counts[status] = counts.get(status, 0) + 1
        uid = r.get("unique_id", "")
        kind = uid.split(".", 1)[0]
        by_type[kind] = by_type.get(kind, 0) + 1
        item = {"unique_id": uid, "status": status, "message": (r.get("message") or "")[:500],
                "failures": r.get("failures")}
        if status in {"error", "fail", "runtime error"}:
            failures.append(item)
        elif status == "warn":
            warnings.append(item)
    return {"counts": counts, "by_type": by_type, "failures": failures, "warnings": warnings,
            "elapsed_s_dbt": run_results.get("elapsed_time")}


def dbt_build(target_path: str | Path | None = None, *, select: str | None = None,
              warehouse_path: str | Path | None = None, project_dir: str | Path | None = None,
              timeout: float = 3600) -> dict[str, Any]:
    """Run one ``dbt build`` (seeds, models, tests, unit tests) on the warehouse.

    Returns ``{"ok", "elapsed_s", "counts" (status -> n), "by_type" (model/test/seed/unit_test ->
    n), "failures", "warnings", "target_path"}``. Raises :class:`DbtBuildError` naming the
    failing nodes and dbt's messages when anything fails (warnings do not fail).
    """
    target = Path(target_path) if target_path else _default_target("target")
    args = ["build"] + (["--select", select] if select else [])
    proc, elapsed = _run(args, target, Path(warehouse_path) if warehouse_path else None,
                         Path(project_dir) if project_dir else None, timeout)
    results_file = target / "run_results.json"
    summary: dict[str, Any] = {"counts": {}, "by_type": {}, "failures": [], "warnings": []}
    if results_file.exists() and results_file.stat().st_mtime >= time.time() - elapsed - 5:
        summary = summarise_run_results(json.loads(results_file.read_text(encoding="utf-8")))
    result = {"ok": proc.returncode == 0, "returncode": proc.returncode, "elapsed_s": round(elapsed, 2),
              **summary, "target_path": str(target)}
    if proc.returncode != 0:
        if summary["failures"]:
            lines = [f"  {f['status']}: {f['unique_id']}: {f['message']}" for f in summary["failures"][:20]]
            more = len(summary["failures"]) - 20
            detail = "\n".join(lines) + (f"\n  ... and {more} more" if more > 0 else "")
        else:  # dbt stopped before running anything: parse or connection error
            detail = _tail(proc.stdout + proc.stderr)
        # the first line names the first failed node, so an alert's title says what broke
        first = summary["failures"][0]["unique_id"] if summary["failures"] else "before any node ran"
        raise DbtBuildError(f"dbt build failed at {first} ({len(summary['failures'])} failed node(s), exit "
                            f"{proc.returncode}); logs in {target / 'logs'}:\n{detail}", result)
    log.info("dbt build: %s in %.1f s", summary["counts"], elapsed)
    return result


def dbt_docs_generate(target_dir: str | Path, *, no_compile: bool = False, warehouse_path: str | Path | None = None,
                      project_dir: str | Path | None = None, timeout: float = 1800) -> dict[str, Any]:
    """Write the dbt docs site (``index.html``, ``manifest.json``, ``catalog.json``) to ``target_dir``.

    Run after a build: the catalog reads the tables' columns from the warehouse. With
    ``no_compile`` (``target_dir`` being the build's target path, whose manifest already holds
    the compiled SQL) dbt skips compiling every node again: about 8 s instead of 20 s here.
    """
    target = Path(target_dir)
    args = ["docs", "generate"] + (["--no-compile"] if no_compile else [])
    proc, elapsed = _run(args, target, Path(warehouse_path) if warehouse_path else None,
                         Path(project_dir) if project_dir else None, timeout)
    index = target / "index.html"
    if proc.returncode != 0 or not index.exists():
        raise DbtBuildError(f"dbt docs generate failed (exit {proc.returncode}):\n{_tail(proc.stdout + proc.stderr)}")
    return {"ok": True, "elapsed_s": round(elapsed, 2), "index_html": str(index), "target_path": str(target)}


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
