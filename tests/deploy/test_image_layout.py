"""The image's layout, without a Docker engine: the files laid out as the Dockerfile's COPY
lines put them, the DAG imported there with an empty environment. It must parse, and the
dbt project the night would build must be where the code looks for it."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
dag = bag.dags["cchc_nightly"]
from cchc.settings import get_settings
settings = get_settings()
print("TASKS", sorted(dag.task_ids))
print("DBT", settings.dbt_project_dir, (settings.dbt_project_dir / "dbt_project.yml").exists())
import cchc
print("PACKAGE", cchc.__file__)
from cchc.quality.data_docs_assets import DEFAULT_VENDOR_DIR
print("VENDOR", DEFAULT_VENDOR_DIR)
"""


def _copies(dockerfile: Path, stage: str | None = None) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY line of the final stage, from the build context
    (``stage`` None) or from the named build stage (``COPY --from=stage``)."""
    copies = []
    final = dockerfile.read_text(encoding="utf-8").split("\nFROM ")[-1]
    for line in final.splitlines():
        if line.split(" ", 1)[0].upper() == "COPY":
            words = shlex.split(line)
            source_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            if source_stage != stage:
                continue
            args = [w for w in words[1:] if not w.startswith("--")]
            copies.append((args[:-1], args[-1]))
    return copies


def _lay_out(image: Path) -> None:
    for sources, destination in _copies(ROOT / "Dockerfile"):
        target = image / destination.lstrip("/")
        for source in sources:
            src = ROOT / source
            into = target / src.name if destination.endswith("/") or len(sources) > 1 else target
            if src.is_dir():
                shutil.copytree(src, into, ignore=shutil.ignore_patterns("target", "logs", "__pycache__", "*.egg-info"))
            else:
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, into)


def test_the_dag_parses_in_the_images_layout_and_finds_the_dbt_project(tmp_path):
    image = tmp_path / "image"
    _lay_out(image)
    app = image / "opt" / "cchc"
    # `pip install -e /opt/cchc` puts the package's folder on the path; nothing else is set
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(app / "include"), "AIRFLOW_HOME": str(tmp_path / "airflow_home")}
    proc = subprocess.run([sys.executable, "-c", PROBE, str(image / "opt" / "airflow" / "dags")], cwd=image / "opt" / "airflow",
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith(("TASKS", "DBT", "PACKAGE", "VENDOR")))
    assert out["PACKAGE"].startswith(str(app / "include")), "the package came from the image's copy"
    assert out["DBT"] == f"{app / 'dbt_project'} True"
    assert "'dbt_build'" in out["TASKS"] and "'alerts_and_summary'" in out["TASKS"]
    # the Data Docs' assets come from the node stage, to where the code looks for them
    [(_, vendor)] = _copies(ROOT / "Dockerfile", stage="data-docs-assets")
    assert out["VENDOR"] == str(image / vendor.lstrip("/"))
