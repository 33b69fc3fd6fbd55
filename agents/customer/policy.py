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


def compensation_cap(reason: str, late_minutes: int, subtotal: int, delivery_fee: int) -> int:
    """The most that may be given for this order and reason."""
    total = subtotal + delivery_fee
    if reason == "wrong_items":
        return subtotal
    return min(late_minutes * COMPENSATION_PER_LATE_MINUTE, int(total * COMPENSATION_MAX_SHARE))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def in_delivery_area(lat: float, lon: float, discs: Iterable[Disc]) -> bool:
    """The delivery area is the union of the zones' discs."""
    return any(haversine_km(lat, lon, d.lat, d.lon) <= d.radius_km for d in discs)
