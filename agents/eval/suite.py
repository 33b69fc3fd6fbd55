"""All tasks, and the fast subset the test suite runs."""

from __future__ import annotations

from agents.eval import customer_care_tasks, customer_tasks, dispatch_tasks
from agents.eval.tasks import Task

CUSTOMER_TASKS: list[Task] = [*customer_tasks.TASKS, *customer_care_tasks.TASKS]
DISPATCH_TASKS: list[Task] = list(dispatch_tasks.TASKS)
ALL_TASKS: list[Task] = CUSTOMER_TASKS + DISPATCH_TASKS


def fast_subset() -> list[Task]:
    return [t for t in ALL_TASKS if t.fast]
