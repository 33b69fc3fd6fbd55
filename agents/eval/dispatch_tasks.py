"""Dispatch tasks for operators: the numbers in the reply are the services' numbers, and a
plan is committed only after the operator's yes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from agents.dispatch import insight
from agents.eval import world
from agents.eval.tasks import Script, Task
from agents.eval.world import SEEDED_NOW

OPERATOR = "ops-eval"
TOMORROW = (SEEDED_NOW + timedelta(hours=8)).date() + timedelta(days=1)


def _zone_with_unassigned(s: Session) -> int:
    return world.sole_open_order(s, "confirmed").zone_id


def unassigned(zone: bool) -> Task:
    def build(s: Session) -> Script:
        zone_id = _zone_with_unassigned(s) if zone else None
        ids = insight.unassigned_orders(s, zone_id)
        ask = (
            f"which orders are unassigned in zone {zone_id}?"
            if zone
            else "list the unassigned orders"
        )
        return Script(OPERATOR, (ask,), facts=tuple(str(i) for i in ids) or ("No unassigned",))

    return Task(
        f"unassigned-{'zone' if zone else 'city'}", "dispatch", build, ("read",), fast=not zone
    )


def assign(agree: bool | None) -> Task:
    def build(s: Session) -> Script:
        zone_id = _zone_with_unassigned(s)
        ask = f"assign the unassigned orders in zone {zone_id}"
        if agree is None:
            return Script(OPERATOR, (ask,), facts=("Reply yes",))
        if not agree:
            return Script(OPERATOR, (ask, "no"), facts=("not committed",))
        return Script(
            OPERATOR, (ask, "yes"), plans=1, free_zone=zone_id, facts=("Committed plan version 2",)
        )

    name = {None: "assign-preview-only", True: "assign-commit", False: "assign-declined"}[agree]
    return Task(name, "dispatch", build, ("plan",), fast=agree is True)


def assign_unknown_zone() -> Task:
    return Task(
        "assign-unknown-zone",
        "dispatch",
        lambda s: Script(OPERATOR, ("assign the orders in zone 42", "yes"), facts=()),
        ("plan", "refusal"),
    )


def late(kind: str) -> Task:
    def build(s: Session) -> Script:
        if kind == "unknown":
            return Script(
                OPERATOR, ("why is order 987654321 late?",), facts=("no order 987654321",)
            )
        order = world.delivered_order(s, late=kind == "late", min_late=5)
        result = insight.explain_late(s, order, SEEDED_NOW)
        fact = f"is {result['late_min']} min late" if kind == "late" else "is not late"
        return Script(OPERATOR, (f"why is order {order.id} late?",), facts=(str(order.id), fact))

    return Task(f"explain-{kind}", "dispatch", build, ("read",), fast=kind == "late")


def _window(day: date, start: int, end: int) -> insight.Window:
    return insight.Window(day, start, end)


def demand(zone_id: int | None, ask: str, day: date, hours: tuple[int, int]) -> Task:
    def build(s: Session) -> Script:
        result = insight.expected_demand(s, zone_id, _window(day, *hours))
        return Script(OPERATOR, (ask,), facts=(f"{result['total']} orders", "fallback"))

    return Task(
        f"demand-{zone_id or 'city'}-{hours[0]}-{day:%a}",
        "dispatch",
        build,
        ("read",),
        fast=zone_id == 2,
    )


def staffing(zone_id: int | None, ask: str, day: date, hours: tuple[int, int]) -> Task:
    def build(s: Session) -> Script:
        result = insight.couriers_needed(s, zone_id, _window(day, *hours))
        return Script(OPERATOR, (ask,), facts=(f"{result['peak']} at peak",))

    return Task(f"staffing-{zone_id or 'city'}-{hours[0]}", "dispatch", build, ("read",))


def replan(kind: str) -> Task:
    def build(s: Session) -> Script:
        if kind == "unknown":
            return Script(OPERATOR, ("re-plan courier 4040",), facts=("no courier 4040",))
        if kind == "no-id":
            return Script(OPERATOR, ("re-plan the courier please",), facts=("Which courier?",))
        order = world.sole_open_order(s, "assigned")
        # Whether the solver moves anything is its business: the plan is shown, not written.
        ask = f"re-plan courier {order.courier_id}"
        return Script(OPERATOR, (ask,), facts=(f"Plan for courier {order.courier_id}",))

    return Task(f"replan-{kind}", "dispatch", build, ("plan",))


def chit_chat(kind: str) -> Task:
    messages = {"yes": ("yes",), "off-topic": ("tell me a joke about penguins",)}[kind]
    facts = {"yes": ("Nothing is waiting",), "off-topic": ("I can list unassigned orders",)}[kind]
    return Task(
        f"chat-{kind}", "dispatch", lambda s: Script(OPERATOR, messages, facts=facts), ("read",)
    )


TASKS = [
    unassigned(zone=False),
    unassigned(zone=True),
    assign(True),
    assign(False),
    assign(None),
    assign_unknown_zone(),
    late("late"),
    late("on-time"),
    late("unknown"),
    demand(2, "what demand do we expect in zone 2 tomorrow at lunch?", TOMORROW, (11, 14)),
    demand(None, "how many orders do we expect tomorrow from 18 to 20?", TOMORROW, (18, 20)),
    demand(3, "明天晚餐3区预计多少单？", TOMORROW, (17, 21)),
    staffing(None, "how many couriers do we need tomorrow from 11 to 13?", TOMORROW, (11, 13)),
    staffing(1, "how many couriers do we need in zone 1 tomorrow at dinner?", TOMORROW, (17, 21)),
    replan("preview"),
    replan("unknown"),
    replan("no-id"),
    chit_chat("yes"),
    chit_chat("off-topic"),
]
