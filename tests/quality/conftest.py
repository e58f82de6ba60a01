"""A warehouse holding the five seed articles beside the demo articles (cchc.demo_data), built by a
real ``dbt build`` and checked once ("night-1") per session; tests read it or work on their own
copy in their own data folder (CCHC_DATA_DIR / CCHC_WAREHOUSE)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quality_fixtures import write_seed_articles


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """Seeds + demo articles, after a real dbt build (the marts the checks read)."""
    from cchc.dbt_runner import dbt_build
    from cchc.demo_data import seed_demo_warehouse

    root = tmp_path_factory.mktemp("quality_warehouse")
    path = root / "warehouse.duckdb"
    seed_demo_warehouse(path)
    write_seed_articles(path)
    dbt_build(root / "target", warehouse_path=path)
    return path


@pytest.fixture
def warehouse_copy(built_warehouse, data_dir, monkeypatch) -> Path:
    """This test's own copy of the built warehouse, named by CCHC_WAREHOUSE."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, path)
    monkeypatch.setenv("CCHC_WAREHOUSE", str(path))
    return path


@pytest.fixture(scope="session")
def first_night(built_warehouse, tmp_path_factory):
    """The checks run once ("night-1") on a copy of the built warehouse; (data dir, summary)."""
    from cchc.quality.nightly_checks import run_quality_checks

    data = tmp_path_factory.mktemp("night") / "data"
    data.mkdir()
    shutil.copyfile(built_warehouse, data / "warehouse.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(data))
        mp.setenv("CCHC_WAREHOUSE", str(data / "warehouse.duckdb"))
        summary = run_quality_checks("night-1")
    return data, summary


@pytest.fixture
def night(first_night, monkeypatch):
    """This test reads the first night's warehouse (read only, please: it is shared)."""
    data, summary = first_night
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_WAREHOUSE", str(data / "warehouse.duckdb"))
    return summary


@pytest.fixture
def night_copy(first_night, data_dir, monkeypatch) -> Path:
    """This test's own copy of the first night's data folder (warehouse and gx project)."""
    src, _ = first_night
    shutil.copytree(src, data_dir, dirs_exist_ok=True)
    monkeypatch.setenv("CCHC_WAREHOUSE", str(data_dir / "warehouse.duckdb"))
    return data_dir
