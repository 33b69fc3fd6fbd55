"""The customer-service rules as pure functions; the tools call these and nothing else decides.

Money is in integer minor units (fen).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from db.domain.rules import (
    COMPENSATION_MAX_SHARE,
    COMPENSATION_PER_LATE_MINUTE,
)
from db.domain.status import ALLOWED_FROM
from routing.travel.distance import haversine_km

# The policy reads the business's rules; it adds only what the customer may ask for.
CANCELLABLE = ALLOWED_FROM["cancel"]
ADDRESS_CHANGEABLE = ALLOWED_FROM["redispatch"]


@dataclass(frozen=True)
class Disc:
    lat: float
    lon: float
    radius_km: float


def minutes_late(promised_at: datetime, delivered_at: datetime) -> int:
    """Started minutes past the promise; 0 when on time."""
    seconds = (delivered_at - promised_at).total_seconds()
    return max(0, math.ceil(seconds / 60))


def compensation_cap(
    reason: str,
    late_minutes: int,
    subtotal: int,
    delivery_fee: int,
    items_concerned: int | None = None,
) -> int:
    """The most that may be given for this order and reason: for wrong or missing items,
    what those items cost (``items_concerned``), never the whole order unless every item
    was; for lateness, a yuan a started minute up to half the total."""
    total = subtotal + delivery_fee
    if reason == "wrong_items":
        return min(subtotal, items_concerned if items_concerned is not None else subtotal)
    return min(late_minutes * COMPENSATION_PER_LATE_MINUTE, int(total * COMPENSATION_MAX_SHARE))


def items_concerned(items: Iterable[dict[str, object]], complaint: str) -> int:
    """What the items a complaint names cost; naming none, the dearest single item (one
    item's worth, until the customer says which others)."""
    said = complaint.casefold()
    prices = []
    named = 0
    for item in items:
        each = int(str(item.get("price_minor", 0) or 0))
        price = each * int(str(item.get("qty", 1) or 1))
        prices.append(each)
        name = str(item.get("name", "")).casefold()
        words = [w for w in name.split() if len(w) >= 4]
        if name and (name in said or any(w in said for w in words)):
            named += price
    return named or max(prices, default=0)


def auto_approved(reason: str, amount: int, limit: int) -> bool:
    """Lateness is measured, so a small payout is granted at once; anything larger, and any
    wrong order, waits for a person."""
    return reason == "late" and amount <= limit


def in_delivery_area(lat: float, lon: float, discs: Iterable[Disc]) -> bool:
    """The delivery area is the union of the zones' discs."""
    return any(float(haversine_km(lat, lon, d.lat, d.lon)) <= d.radius_km for d in discs)
