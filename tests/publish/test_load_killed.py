"""A load killed with SIGKILL at any point leaves nothing partial, and the next load lands
every page once.

The landing folder holds one generated portal night of many pages, so that `cchc load` is
still inside its transaction when it is killed at several points of its run.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc import warehouse
from cchc.landing import run_dir
from cchc.settings import get_settings

RUN = "night-killed"
PAGES = 40_000
KILL_AT = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)  # fractions of an uninterrupted load's wall time


def _land(folder: Path) -> None:
    folder.mkdir(parents=True)
    with warehouse.scratch() as con:
        con.execute(warehouse.schema_sql())
        con.execute(
            f"""insert into raw.pages select
                   'v' || i, 'http://127.0.0.11/bai-viet/' || i, 'http://127.0.0.11/bai-viet/' || i, 'mau', 'article',
                   '{RUN}', timestamp '2026-11-30 01:00:00', 200, 'text/html', 'utf-8', 'utf-8', null, null,
                   'h' || i, 2000, true, null, repeat('<p>Tiếp nhận ' || i || ' hồ sơ.</p>', 60)
                from range({PAGES}) t(i)"""
        )
        con.execute(
            f"""insert into raw.fetch_log (fetch_id, run_id, portal_id, url, page_kind, requested_at, attempts, outcome, page_version_id)
                select 'f' || i, '{RUN}', 'mau', 'http://127.0.0.11/bai-viet/' || i, 'article',
                       timestamp '2026-11-30 01:00:00', 1, 'new', 'v' || i
                from range({PAGES}) t(i)"""
        )
        con.execute(f"copy raw.pages to '{folder / 'pages.parquet'}' (format parquet)")
        con.execute(f"copy raw.fetch_log to '{folder / 'fetch_log.parquet'}' (format parquet)")
    (folder / "portal_run.json").write_text(json.dumps({"entry": "mau", "portal_id": "mau", "run_id": RUN,
                                                        "started_at": None, "finished_at": None, "error": None}))


def _counts() -> tuple[int, int, int]:
    with warehouse.connect(read_only=True) as con:
        return con.execute(
            "select (select count(*) from raw.pages), (select count(distinct page_version_id) from raw.pages),"
            " (select count(*) from raw.fetch_log)"
        ).fetchone()


def _load(kill_after: float | None = None, **env: str) -> subprocess.CompletedProcess | bool:
    """Run `cchc load`; with ``kill_after``, SIGKILL it that many seconds after it started and
    say whether it was still running then."""
    cmd = [str(Path(sys.executable).with_name("cchc")), "load", "--run-id", RUN]
    env = {**os.environ, **env}
    if kill_after is None:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(kill_after)
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return running


@pytest.mark.e2e
def test_a_load_killed_at_any_point_leaves_nothing_partial_and_the_rerun_lands_each_page_once():
    _land(run_dir(get_settings().landing_dir, RUN) / "mau")
    with warehouse.connect():  # the schema exists before the first kill
        pass
    started = time.monotonic()
    assert _load(None, CCHC_WAREHOUSE=str(get_settings().data_dir / "timing.duckdb")).returncode == 0
    wall = time.monotonic() - started
    killed = 0
    for fraction in KILL_AT:
        killed += _load(wall * fraction)
        pages, versions, logs = _counts()
        assert pages == versions and pages in (0, PAGES) and logs in (0, PAGES), (fraction, pages, logs)
    assert killed, "every load finished before its kill: nothing was tested"
    done = _load(None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _counts() == (PAGES, PAGES, PAGES)
    again = _load(None)
    assert again.returncode == 0 and _counts() == (PAGES, PAGES, PAGES)
