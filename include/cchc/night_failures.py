"""What went wrong in a night, in the words of whatever failed.

Airflow keeps a failed task's traceback in that task's log; the night's last task needs the
message itself, to name the first failure in the alert and the summary (the dbt error, the
process holding the warehouse, the registry line). Each task of the night runs inside
``recorded(run_id, task)``, which appends each attempt's outcome, with the exception's message
when it failed, to ``<landing>/<run>/attempts.jsonl`` and re-raises. One JSON line per attempt: a task that
fails and then succeeds on retry is no failure of the night, and a task that fails on every
try counts once, with its last message.
"""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from cchc.landing import run_dir
from cchc.settings import get_settings

log = logging.getLogger(__name__)

MAX_MESSAGE = 4000  # characters kept per failure: enough for dbt's list of failed nodes


def _path(run_id: str) -> Path:
    return run_dir(get_settings().landing_dir, run_id) / "attempts.jsonl"


def _append(run_id: str, row: dict) -> None:
    path = _path(run_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError as exc:  # the failure itself still propagates; its message stays in the task log
        log.error("could not record the failure of %s in %s: %s", row.get("task"), path, exc)


@contextmanager
def recorded(run_id: str | None, task: str) -> Iterator[None]:
    """Run a task's body; on any exception, record its message under ``task`` and re-raise."""
    if not run_id:
        yield
        return
    try:
        yield
    except BaseException as exc:
        message = str(exc).strip() or type(exc).__name__
        _append(run_id, {"run_id": run_id, "task": task, "at": _now(), "exception": type(exc).__name__, "error": message[:MAX_MESSAGE]})
        raise
    _append(run_id, {"run_id": run_id, "task": task, "at": _now(), "ok": True})


def read(run_id: str) -> list[dict]:
    """The night's failures, first first, without those of tasks that later succeeded."""
    path = _path(run_id)
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut by a killed process
            continue
    first: dict[str, str] = {}
    last: dict[str, dict] = {}
    for r in rows:
        if r.get("ok"):
            last.pop(r["task"], None)
            first.pop(r["task"], None)
        else:
            first.setdefault(r["task"], r["at"])
            last[r["task"]] = r
    return sorted(({**r, "first_at": first[t]} for t, r in last.items()), key=lambda r: r["first_at"])


def latest_run(since: float) -> str | None:
    """The run id of the newest night whose tasks ran after ``since`` (a ``time.time()``)."""
    landing = get_settings().landing_dir
    logs = [p for p in landing.glob("*/attempts.jsonl") if p.stat().st_mtime >= since] if landing.exists() else []
    for path in sorted(logs, key=lambda p: p.stat().st_mtime, reverse=True):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                return json.loads(line)["run_id"]
            except (json.JSONDecodeError, KeyError):
                continue
    return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
