"""All tasks: the tuning suite (hand-written and written-as-data), the held-out set (never
tuned on), and the fast subset."""

from __future__ import annotations

from agents.eval import (
    customer_care_tasks,
    customer_tasks,
    dispatch_json,
    dispatch_tasks,
    json_tasks,
)
from agents.eval.tasks import Task

CUSTOMER_TASKS: list[Task] = [
    *customer_tasks.TASKS,
    *customer_care_tasks.TASKS,
    *json_tasks.load(json_tasks.TUNING_FILES, "tuning"),
]
CUSTOMER_HELDOUT: list[Task] = json_tasks.load(json_tasks.HELDOUT_FILES, "heldout")
DISPATCH_TASKS: list[Task] = [
    *dispatch_tasks.TASKS,
    *dispatch_json.load(dispatch_json.TUNING_FILES, "tuning"),
]
DISPATCH_HELDOUT: list[Task] = dispatch_json.load(dispatch_json.HELDOUT_FILES, "heldout")
ALL_TASKS: list[Task] = CUSTOMER_TASKS + DISPATCH_TASKS


def fast_subset() -> list[Task]:
    return [t for t in ALL_TASKS if t.fast]
