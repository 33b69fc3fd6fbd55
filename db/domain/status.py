"""Order statuses, and which status each change of state may start from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum


class OrderStatus(StrEnum):
    """An order's status, spelled as the store spells it."""

    PLACED = "placed"
    CONFIRMED = "confirmed"  # the merchant accepted it: food is being made
    ASSIGNED = "assigned"
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class CourierStatus(StrEnum):
    OFF_SHIFT = "off_shift"
    AVAILABLE = "available"
    BUSY = "busy"  # carrying or heading to a pickup


ORDER_STATUSES = tuple(OrderStatus)
COURIER_STATUSES = tuple(CourierStatus)
OPEN = (OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)
CLOSED = (OrderStatus.DELIVERED, OrderStatus.CANCELLED)
# Not yet in a courier's bag: it can still be cancelled, re-addressed or given up.
NOT_PICKED = (OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.ASSIGNED)
# Cancelling after the merchant accepted costs a share of the food.
MERCHANT_ACCEPTED = (OrderStatus.CONFIRMED, OrderStatus.ASSIGNED)
# What a courier has: on the way to the merchant, or in the bag.
WITH_COURIER = (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)

# Each change of state, and the statuses it may start from.
ALLOWED_FROM: dict[str, tuple[OrderStatus, ...]] = {
    "confirm": (OrderStatus.PLACED,),
    # A placed order may be given a courier ahead of the merchant; it stays placed until then.
    "assign": (OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.ASSIGNED),
    "pick_up": (OrderStatus.ASSIGNED,),
    "deliver": (OrderStatus.PICKED_UP,),
    "cancel": NOT_PICKED,
    "release": (OrderStatus.ASSIGNED,),
    "redispatch": NOT_PICKED,
}

# The column that records when an order reached each status.
STATUS_TIME: dict[OrderStatus, str] = {
    OrderStatus.PLACED: "placed_at",
    OrderStatus.CONFIRMED: "confirmed_at",
    OrderStatus.ASSIGNED: "assigned_at",
    OrderStatus.PICKED_UP: "picked_up_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.CANCELLED: "cancelled_at",
}


def history(times: Mapping[str, datetime | None]) -> list[tuple[OrderStatus, datetime]]:
    """The status history an order's times tell (a row with ``placed_at`` and the rest),
    oldest first: how imported and seeded orders get theirs."""
    steps = [(status, times.get(column)) for status, column in STATUS_TIME.items()]
    return sorted(((s, at) for s, at in steps if at is not None), key=lambda step: step[1])
