"""Operator replies, built from the tool results so every number is the tool's number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agents.dispatch.intents import LOCAL_TZ

MENU = (
    "I can list unassigned orders, assign them in a zone, explain why an order is late, "
    "forecast demand, estimate couriers needed, or re-plan a courier."
)


def _where(zone_id: int | None) -> str:
    return f"zone {zone_id}" if zone_id is not None else "the whole city"


def unassigned(result: dict[str, Any]) -> str:
    ids = result["order_ids"]
    listed = ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
    if not ids:
        return f"No unassigned orders in {_where(result['zone_id'])}."
    return f"{result['count']} unassigned orders in {_where(result['zone_id'])}: {listed}."


def late(result: dict[str, Any]) -> str:
    order_id, minutes = result["order_id"], result["late_min"]
    if minutes <= 0:
        head = f"Order {order_id} ({result['order_status']}) is not late"
    else:
        head = f"Order {order_id} ({result['order_status']}) is {minutes} min late"
    if result.get("arrival"):
        arrival = datetime.fromisoformat(result["arrival"]).astimezone(LOCAL_TZ)
        head += f", arrival {arrival:%H:%M} ({result['arrival_source']})"
    reasons = result["reasons"]
    return head + (": " + "; ".join(reasons) + "." if reasons else ".")


def demand(result: dict[str, Any]) -> str:
    per_hour = ", ".join(f"{v:g}" for v in result["per_hour"])
    return (
        f"Expected demand in {_where(result['zone_id'])} on {result['day']} "
        f"{result['hours']}: {result['total']} orders (per hour: {per_hour}). "
        f"Source: {result['source']}."
    )


def staffing(result: dict[str, Any]) -> str:
    per_hour = ", ".join(str(v) for v in result["per_hour"])
    return (
        f"Couriers needed in {_where(result['zone_id'])} on {result['day']} {result['hours']}: "
        f"{result['peak']} at peak (per hour: {per_hour}). Source: {result['source']}."
    )


def preview(result: dict[str, Any]) -> str:
    moves = result["assigned"]
    left = result["unassigned"]
    scope = (
        f"courier {result['courier_id']} (zone {result['zone_id']})"
        if result.get("courier_id")
        else _where(result["zone_id"])
    )
    listed = ", ".join(f"{o}->courier {c}" for o, c in list(moves.items())[:12])
    text = f"Plan for {scope}: {len(moves)} orders to (re)assign"
    text += f" ({listed})" if listed else ""
    text += f", {result['kept']} kept, {len(left)} left without a courier."
    if not moves:
        return text + " Nothing to commit."
    return text + " Commit this plan? Reply yes to confirm."


def committed(result: dict[str, Any]) -> str:
    return f"Committed plan version {result['version']}: {result['changed']} orders changed."


def refusal(result: dict[str, Any]) -> str:
    return f"I can't do that: {result.get('message', result.get('reason'))}."
