"""Hand-written dispatch tasks for what the data tasks do not cover: refusals (an unknown
zone, order or courier), questions without the id they need, a bare "yes" with nothing
waiting, and a delivered order asked about. Truths come from ``dispatch_json``'s queries,
never from the assistant's tools."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agents.eval import dispatch_json, world
from agents.eval.tasks import Script, Task
from agents.eval.world import SEEDED_NOW

OPERATOR = dispatch_json.OPERATOR


def _fixed(name: str, messages: tuple[str, ...], *facts: str | tuple[str, ...]) -> Task:
    return Task(name, "dispatch", lambda s: Script(OPERATOR, messages, facts=facts), ("refusal",))


def _late_delivered(kind: str) -> Task:
    def build(s: Session) -> Script:
        order = world.delivered_order(s, late=kind == "late", min_late=5)
        minutes = dispatch_json.minutes_late(s, order, SEEDED_NOW)
        fact = f"is {minutes} min late" if kind == "late" else "is not late"
        return Script(OPERATOR, (f"why was order {order.id} late?",), facts=(str(order.id), fact))

    return Task(f"explain-delivered-{kind}", "dispatch", build, ("read",), fast=kind == "late")


def _unassigned_listed() -> Task:
    def build(s: Session) -> Script:
        count = dispatch_json.open_count(s, None, unassigned=True)
        ask = "list the unassigned orders"
        return Script(OPERATOR, (ask,), facts=(dispatch_json.number(count), "the whole city"))

    return Task("unassigned-city", "dispatch", build, ("read",), fast=True)


TASKS = [
    _unassigned_listed(),
    _late_delivered("late"),
    _late_delivered("on-time"),
    _fixed("assign-unknown-zone", ("assign the orders in zone 42",), "no zone 42"),
    _fixed("explain-unknown-order", ("why is order 987654321 late?",), "no order 987654321"),
    _fixed("replan-unknown-courier", ("re-plan courier 4040",), "no courier 4040"),
    _fixed("replan-no-id", ("re-plan the courier please",), "Which courier?"),
    _fixed("move-no-courier", ("move order 8542 please",), "Which order, to which courier?"),
    _fixed("assign-no-zone", ("assign the open orders",), "Which zone?"),
    _fixed("chat-yes", ("yes",), "Nothing is waiting"),
    _fixed("chat-off-topic", ("tell me a joke about penguins",), "I can tell you"),
    _fixed("late-no-id", ("why is this order late?",), "Which order?"),
]
