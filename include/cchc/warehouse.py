"""The one door to the warehouse: only this module calls ``duckdb.connect``.

The warehouse is one DuckDB file (``CCHC_WAREHOUSE``). DuckDB takes one writer process at a
time, so the nightly tasks that write it share a one-slot Airflow pool, and tasks that run in
parallel write landing files instead (see ``cchc.landing``).
"""
from __future__ import annotations

import contextlib
import time
from importlib import resources
from pathlib import Path
from typing import Iterator

from cchc.settings import get_settings


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file."""


def schema_sql() -> str:
    return resources.files("cchc").joinpath("warehouse_schema.sql").read_text(encoding="utf-8")


def _connect(path: Path, read_only: bool):
    import duckdb

    return duckdb.connect(str(path), read_only=read_only)


@contextlib.contextmanager
def connect(
    read_only: bool = False,
    path: Path | None = None,
    lock_retries: int = 5,
    lock_backoff: float = 1.0,
) -> Iterator["duckdb.DuckDBPyConnection"]:  # noqa: F821
    """Open the warehouse; a writer also makes sure the raw schema exists.

    A file held by another process is retried with exponential backoff, then reported with
    the holder DuckDB names ("Could not set lock on file ... PID ...").
    """
    import duckdb

    path = Path(path or get_settings().warehouse_path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run the nightly DAG (make demo) first")
    path.parent.mkdir(parents=True, exist_ok=True)
    delay = lock_backoff
    for attempt in range(lock_retries + 1):
        try:
            con = _connect(path, read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if attempt == lock_retries:
                raise WarehouseLockedError(f"warehouse {path} is locked by another process: {exc}") from exc
            time.sleep(delay)
            delay *= 2
    try:
        if not read_only:
            con.execute(schema_sql())
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def scratch() -> Iterator["duckdb.DuckDBPyConnection"]:  # noqa: F821
    """An in-memory DuckDB for work that must not touch the warehouse (writing landing Parquet)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
