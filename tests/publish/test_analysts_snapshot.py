"""The analysts' snapshot: a new file renamed over the last, so an open session never blocks
the night and keeps reading the night it opened; a stray writer makes the night fail by name."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from cchc import nightly, warehouse
from cchc.settings import get_settings


def make_marts(run_label: str) -> None:
    """A stand-in for dbt's output: two marts whose content names the night."""
    with warehouse.connect() as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.fct_dossier_reports as select ? as night, 1 as dossiers_received", [run_label])
        con.execute("create or replace table marts.fct_dq_violations as select ? as night, 'intake' as rule", [run_label])


def hold_for_writing(path):
    """A stray process that opens the warehouse for writing and keeps it until killed."""
    stray = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('held', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert stray.stdout.readline().strip() == "held"
    return stray


HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select run_id from meta.snapshot").fetchone()[0], flush=True)
    sys.stdin.readline()            # hold the file open until told to read again
    print(con.execute("select run_id from meta.snapshot").fetchone()[0], flush=True)
    print(con.execute("select night from marts.fct_dossier_reports").fetchone()[0], flush=True)
""")


def test_publishing_under_an_open_session_keeps_old_readers_on_the_old_night():
    make_marts("night-1")
    first = nightly.publish("run-1")
    assert first["tables"] == 2 and first["bytes"] > 0
    analysts = get_settings().analysts_path
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(analysts)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "run-1"
        make_marts("night-2")
        nightly.publish("run-2")  # must not be blocked by the open read-only session
        out, _ = holder.communicate("\n", timeout=30)
    finally:
        holder.kill()
    assert out.split() == ["run-1", "night-1"], "the open session still reads the night it opened"
    with warehouse.connect(read_only=True, path=analysts) as con:
        assert con.execute("select run_id from meta.snapshot").fetchone()[0] == "run-2"
        assert con.execute("select night from marts.fct_dossier_reports").fetchone()[0] == "night-2"
    assert not list(analysts.parent.glob(".analysts.duckdb.*")), "no temporary file left behind"


def test_a_night_without_marts_publishes_nothing_and_keeps_the_last_snapshot():
    make_marts("night-1")
    nightly.publish("run-1")
    with warehouse.connect() as con:
        con.execute("drop schema marts cascade")
    with pytest.raises(RuntimeError, match="no marts"):
        nightly.publish("run-2")
    with warehouse.connect(read_only=True, path=get_settings().analysts_path) as con:
        assert con.execute("select run_id from meta.snapshot").fetchone()[0] == "run-1"


def test_a_stray_process_holding_the_warehouse_fails_the_writer_naming_it():
    make_marts("night-1")
    path = get_settings().warehouse_path
    stray = hold_for_writing(path)
    try:
        started = time.monotonic()
        with pytest.raises(warehouse.WarehouseLockedError) as err:
            with warehouse.connect(lock_retries=2, lock_backoff=0.2):
                pass
        waited = time.monotonic() - started
    finally:
        stray.kill()
    assert f"PID {stray.pid}" in str(err.value) and str(path) in str(err.value)
    assert waited >= 0.2 + 0.4, "it retried with backoff before giving up"


def test_the_nights_alert_names_the_process_holding_the_warehouse(receiver):
    make_marts("night-1")
    path = get_settings().warehouse_path
    stray = hold_for_writing(path)
    try:
        with pytest.raises(nightly.NightFailed, match=f"PID {stray.pid}"):
            nightly.finish_night("run-locked", task_states={"load": "failed", "extract": "upstream_failed"})
    finally:
        stray.kill()
    message = json.dumps(receiver, ensure_ascii=False)
    assert f"PID {stray.pid}" in message and "load" in message
