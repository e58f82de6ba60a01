"""Ordering fix for Cosmos WATCHER task groups (astronomer-cosmos 1.15)."""
from __future__ import annotations


def order_watchers_after_producer(group):
    """Put the producer of a WATCHER task group upstream of the group's root model tasks.

    Cosmos does this for a ``DbtDag`` but not for a ``DbtTaskGroup``, whose root sensors then
    start beside the producer. Under ``airflow dags test``, which runs one task at a time, a
    root sensor that runs first waits for XComs that the producer has not run to push, and the
    night hangs. Downstream of the producer with ``all_done``, every sensor still reports its
    own model's result (failed models fail their task) in any executor.
    """
    producer = next((t for t in group.children.values() if t.task_id.endswith("dbt_producer_watcher")), None)
    if producer is None:
        return group
    in_group = {t.task_id for t in _tasks_of(group)}
    for task in _tasks_of(group):
        if task is producer or task.task_id.endswith("_done") or not hasattr(task, "producer_task_id"):
            continue
        if not (task.upstream_task_ids & in_group):
            producer >> task
            task.trigger_rule = "all_done"
    return group


def _tasks_of(group):
    for child in group.children.values():
        if hasattr(child, "children"):
            yield from _tasks_of(child)
        else:
            yield child
