"""What the night's last task reads of its failures: each task's own message, once."""
from __future__ import annotations

import pytest

from cchc import nightly
from cchc.night_failures import read, recorded


def _fail(run_id: str, task: str, exc: BaseException) -> None:
    with pytest.raises(type(exc)):
        with recorded(run_id, task):
            raise exc


def test_a_task_that_failed_then_succeeded_is_no_failure_and_one_that_kept_failing_counts_once():
    _fail("n1", "load", RuntimeError("first try"))
    with recorded("n1", "load"):
        pass
    _fail("n1", "extract", RuntimeError("try 1"))
    _fail("n1", "extract", RuntimeError("try 2: the last word"))
    assert [(f["task"], f["error"]) for f in read("n1")] == [("extract", "try 2: the last word")]


def test_a_mapped_fetch_killed_without_a_record_is_not_hidden_by_another_portals_failure():
    _fail("n2", "fetch[sonla]", nightly.PortalFailed("portal sonla: robots.txt unreachable"))
    failures, not_run = nightly.night_failures("n2", {"fetch_0": "failed", "fetch_1": "failed", "fetch_2": "success",
                                                      "load": "success", "publish": "upstream_failed"})
    assert [f["task"] for f in failures] == ["fetch[sonla]", "fetch"]
    assert failures[1]["error"].startswith("1 fetch task(s) failed without a recorded message")
    assert not_run == ["publish"]
