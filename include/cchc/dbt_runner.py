"""Run the dbt project (``dbt_project/``) on the warehouse: one ``dbt build``, the docs site, or a
Cosmos task group that shows each model as a task.

dbt writes the DuckDB file, so whoever calls these holds the warehouse pool's one slot and the
profile runs with ``threads: 1``. dbt runs as a subprocess of this virtual environment's ``dbt``:
its state (adapters, flags, the environment its profile reads) stays out of the caller's
process, and the warehouse path is passed as ``CCHC_WAREHOUSE`` explicitly. Target and log
folders default to the data folder, so the project folder can stay read-only.

Nothing here imports dbt or Cosmos at module level.
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

from cchc.settings import PROJECT_ROOT, WAREHOUSE_POOL, get_settings

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


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
    project = Path(project_dir or DBT_PROJECT_DIR)
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
        raise DbtBuildError(f"dbt build failed (exit {proc.returncode}, {len(summary['failures'])} failed "
                            f"node(s)); logs in {target / 'logs'}:\n{detail}", result)
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


def cosmos_task_group(group_id: str = "dbt", pool: str = WAREHOUSE_POOL, *, project_dir: str | Path | None = None,
                      execution_mode: str = "watcher", manifest_path: str | Path | None = None,
                      operator_args: dict[str, Any] | None = None, **task_group_kwargs: Any):
    """A Cosmos ``DbtTaskGroup`` for the project: by default in ``ExecutionMode.WATCHER``, where
    one producer task runs a single ``dbt build`` and each model shows as a sensor task that
    succeeds or fails with its model (and its tests).

    Call it inside a DAG definition. In ``WATCHER`` mode the producer takes ``pool`` (the
    warehouse's one slot: it writes the DuckDB file) and the per-model sensors take no slot; they
    defer to Airflow's triggerer, so the deployment needs one. In ``execution_mode="local"`` (one
    dbt process per model) every task takes the pool, since each writes the file.

    - The DAG file must not be named ``dbt_*.py``: dbt loads every importable top-level module
      named ``dbt_*`` as a plugin, and Airflow puts the DAGs folder on ``sys.path``.
    - ``project_dir`` defaults to ``dbt_project/`` beside the installed package. With a versioned
      DAG bundle (Airflow 3), pass a path computed from the DAG file
      (``Path(__file__).parent / ...``) instead of a fixed absolute path, which would point at the
      version the DAG was parsed from.
    - ``manifest_path`` (a ``manifest.json`` from ``dbt parse``/``dbt build``) renders the group
      without running ``dbt ls`` at parse time.
    - The profile reads ``CCHC_WAREHOUSE`` from the task's environment at run time (nothing is
      read at parse time).
    - Cosmos sends telemetry unless ``AIRFLOW__COSMOS__ENABLE_TELEMETRY=False`` (or
      ``DO_NOT_TRACK=1``); offline it only logs a connection error per task.

    Measured on the demo warehouse (tests/benchmarks/bench_dbt.py --airflow): one ``dbt build``
    task 53-61 s; WATCHER 91-100 s (46 tasks: the producer's build, then sensors polling every 10 s);
    LOCAL 790-821 s (65 tasks, one dbt process each, serialised by the pool). Recommended for the nightly:
    :func:`dbt_build` as one task; this group is for when the per-model view is worth about 40 s.
    """
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode

    project = Path(project_dir or DBT_PROJECT_DIR)
    mode = ExecutionMode(execution_mode)
    project_config = ProjectConfig(
        dbt_project_path=project,
        manifest_path=str(manifest_path) if manifest_path else None,
        install_dbt_deps=False,  # no packages: generic tests are in tests/generic
    )
    profile_config = ProfileConfig(profile_name="cchc", target_name="dev", profiles_yml_filepath=project / "profiles.yml")
    args: dict[str, Any] = dict(operator_args or {})
    if mode == ExecutionMode.WATCHER:
        # Only the producer runs dbt and writes the file: it alone takes the warehouse slot. The
        # per-model sensors only read the producer's XCom (deferred to the triggerer by default);
        # in the pool they would wait for a producer queued behind them.
        producer_args = {"pool": pool}
    else:
        producer_args = None
        args.setdefault("pool", pool)
    execution_config = ExecutionConfig(
        execution_mode=mode,
        dbt_executable_path=dbt_executable(),
        invocation_mode=InvocationMode.SUBPROCESS,
        setup_operator_args=producer_args,
    )
    render_config = RenderConfig(
        load_method=LoadMode.DBT_MANIFEST if manifest_path else LoadMode.DBT_LS,
        # `dbt ls` in a subprocess of this environment's dbt, not inside the DAG processor
        dbt_executable_path=dbt_executable(),
        invocation_mode=InvocationMode.SUBPROCESS,
        # per-model modes run a model's tests right after it: a relationships test also needs
        # its other parent, so such tests get their own task after both (the watcher's one
        # dbt build orders them itself)
        should_detach_multiple_parents_tests=mode != ExecutionMode.WATCHER,
    )
    return DbtTaskGroup(
        group_id=group_id,
        project_config=project_config,
        profile_config=profile_config,
        execution_config=execution_config,
        render_config=render_config,
        operator_args=args,
        **task_group_kwargs,
    )

