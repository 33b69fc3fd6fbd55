"""The business constants: lateness, money, vehicles and the city's time zone.

Money is in integer minor units (fen). The seeded city, the simulator, the planner and the
agents all read these, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType

from db.domain.status import MERCHANT_ACCEPTED

# The seeded city's zone; deployments set LONGCAT_TIMEZONE, and every part below the entry
# points takes the zone as an argument.
CITY_TIMEZONE = "Asia/Shanghai"

# Past its promise by this much, an order nobody picked up is given up and needs a person.
HARD_LATE = timedelta(minutes=45)
UNSERVED_PREFIX = "unserved: "

# Once the merchant accepted, food is being made: cancelling costs a share of it.
CANCEL_FEE_SHARE = 0.20
# Late compensation: 1 yuan a started minute late, never more than half the order total.
COMPENSATION_PER_LATE_MINUTE = 100
COMPENSATION_MAX_SHARE = 0.5
COMPENSATION_WINDOW = timedelta(days=7)
COMPENSATION_REASONS = ("late", "wrong_items")


@dataclass(frozen=True)
class Vehicle:
    speed_kmh: float  # typical city speed; cars are slowed most by traffic
    bag: int  # orders carried at once


VEHICLES = MappingProxyType(
    {
        "bicycle": Vehicle(speed_kmh=14.0, bag=3),
        "ebike": Vehicle(speed_kmh=20.0, bag=5),
        "scooter": Vehicle(speed_kmh=24.0, bag=6),
        "car": Vehicle(speed_kmh=26.0, bag=10),
    }
)


def cancel_fee(status: str, subtotal_minor: int) -> int:
    """What cancelling costs the customer: nothing before the merchant accepted."""
    if status not in MERCHANT_ACCEPTED:
        return 0
    return round(subtotal_minor * CANCEL_FEE_SHARE)
