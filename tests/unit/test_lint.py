"""The linters as CI runs them: ruff over the Python (pyproject.toml's [tool.ruff]) and sqlfluff over
the dbt models through dbt's own templater (.sqlfluff). Each check fails with the linter's report."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the virtual environment's executables, pinned in requirements.txt


def run(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300)


def dbt_env(tmp_path: Path) -> dict[str, str]:
    """dbt compiles the project for the templater: its warehouse, target and logs go to a temp folder,
    never to the demo warehouse or dbt_project/target."""
    return {**os.environ, "CCHC_WAREHOUSE": str(tmp_path / "lint.duckdb"),
            "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}


def test_ruff_passes():
    proc = run([str(BIN / "ruff"), "check", "--no-cache", "."])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_sqlfluff_passes_on_the_dbt_models(tmp_path):
    proc = run([str(BIN / "sqlfluff"), "lint", "dbt_project/models"], env=dbt_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_linters_report_what_the_configuration_forbids():
    """The configurations select something: an unused import and upper-case, double-spaced SQL are caught."""
    ruff = run([str(BIN / "ruff"), "check", "--no-cache", "--stdin-filename", "include/cchc/lint_probe.py", "-"],
               stdin="import os\n")
    assert ruff.returncode == 1 and "F401" in ruff.stdout, ruff.stdout + ruff.stderr
    # jinja instead of dbt here: the rules come from the same .sqlfluff, without compiling the project
    sql = run([str(BIN / "sqlfluff"), "lint", "--templater", "jinja", "-"], stdin="SELECT a  from t\n")
    assert sql.returncode == 1, sql.stdout + sql.stderr
    assert "CP01" in sql.stdout and "LT01" in sql.stdout, sql.stdout + sql.stderr
