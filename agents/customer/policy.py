"""The customer-service rules as pure functions; the tools call these and nothing else decides.

Money is in integer minor units (fen).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

CANCELLABLE = ("placed", "confirmed", "assigned")
ADDRESS_CHANGEABLE = ("placed", "confirmed", "assigned")
# Once the merchant accepted (confirmed), food is being made: cancelling costs a share.
MERCHANT_ACCEPTED = ("confirmed", "assigned")
CANCEL_FEE_SHARE = 0.20
# Late compensation: 1 yuan per started minute late, never more than half the order total.
COMPENSATION_PER_LATE_MINUTE = 100
COMPENSATION_MAX_SHARE = 0.5
COMPENSATION_WINDOW = timedelta(days=7)
COMPENSATION_REASONS = ("late", "wrong_items")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Disc:
    lat: float
    lon: float
    radius_km: float


def cancel_fee(status: str, subtotal_minor: int) -> int:
    if status not in MERCHANT_ACCEPTED:
        return 0
    return round(subtotal_minor * CANCEL_FEE_SHARE)


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
        price = int(item.get("price_minor", 0) or 0) * int(item.get("qty", 1) or 1)
        prices.append(int(item.get("price_minor", 0) or 0))
        name = str(item.get("name", "")).casefold()
        words = [w for w in name.split() if len(w) >= 4]
        if name and (name in said or any(w in said for w in words)):
            named += price
    return named or max(prices, default=0)


def auto_approved(reason: str, amount: int, limit: int) -> bool:
    """Lateness is measured, so a small payout is granted at once; anything larger, and any
    wrong order, waits for a person."""
    return reason == "late" and amount <= limit


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def in_delivery_area(lat: float, lon: float, discs: Iterable[Disc]) -> bool:
    """The delivery area is the union of the zones' discs."""
    return any(haversine_km(lat, lon, d.lat, d.lon) <= d.radius_km for d in discs)
