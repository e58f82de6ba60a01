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
    lock_retries: int | None = None,
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
    lock_retries = get_settings().lock_retries if lock_retries is None else lock_retries
    delay = lock_backoff
    for attempt in range(lock_retries + 1):
        try:
            con = _connect(path, read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if attempt == lock_retries:
                raise WarehouseLockedError(f"{_holder(str(exc))} holds the warehouse {path} ({exc})") from exc
            time.sleep(delay)
            delay *= 2
    try:
        if not read_only:
            con.execute(schema_sql())
        yield con
    finally:
        con.close()


def _holder(duckdb_message: str) -> str:
    """'PID 123 (/usr/bin/python3)' from DuckDB's lock error, so the alert's first words say who."""
    import re

    m = re.search(r"held in (.+?) \(PID (\d+)\)", duckdb_message)
    return f"PID {m.group(2)} ({m.group(1)})" if m else "another process"


# What analysts get: every mart and dimension, the data-quality marts (fct_dq_violations,
# dim_dq_rule, fct_dq_validation_runs) included; the checks' working tables stay behind.
PUBLISHED_SCHEMAS = ("marts",)


def publish_analyst_copy(run_id: str, source: Path | None = None, target: Path | None = None) -> dict:
    """Write the analysts' snapshot as a new file, then rename it over the previous one.

    A session holding the old file keeps reading the old night (its open file is the old
    inode); a new session opens the new night. Nothing is renamed unless the copy is whole.
    """
    import os
    import uuid
    from datetime import datetime, timezone

    import duckdb

    settings = get_settings()
    source = Path(source or settings.warehouse_path)
    target = Path(target or settings.analysts_path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    started = time.monotonic()
    tables = []
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach '{source}' as wh (read_only)")
            found = con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'wh' and schema_name in "
                f"({', '.join(repr(s) for s in PUBLISHED_SCHEMAS)}) order by 1, 2"
            ).fetchall()
            if not any(schema == "marts" for schema, _ in found):
                raise RuntimeError(f"no marts in {source}: nothing to publish (did dbt build run?)")
            for schema, table in found:
                con.execute(f'create schema if not exists "{schema}"')
                con.execute(f'create table "{schema}"."{table}" as select * from wh."{schema}"."{table}"')
                tables.append(f"{schema}.{table}")
            con.execute("create schema meta")
            con.execute(
                "create table meta.snapshot as select ? as run_id, ?::timestamp as published_at, ? as source_file, ? as tables",
                [run_id, datetime.now(timezone.utc).replace(tzinfo=None), str(source), len(tables)],
            )
            con.execute("detach wh")
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return {
        "path": str(target), "tables": len(tables), "seconds": round(time.monotonic() - started, 2),
        "bytes": target.stat().st_size, "warehouse_bytes": source.stat().st_size,
    }


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
