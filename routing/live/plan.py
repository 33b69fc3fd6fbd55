"""What a dispatch round returns: courier routes with ETAs, unserved orders with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StopKind(StrEnum):
    PICKUP = "pickup"
    DROPOFF = "dropoff"


class UnservedReason(StrEnum):
    """Why an order was left out of the plan."""

    CAPACITY = "capacity"  # no courier's bag can take it
    RIDE_TIME = "ride_time"  # merchant to customer takes longer than the maximum ride
    NO_COURIER_IN_TIME = "no_courier_in_time"  # nobody can deliver it before its latest time
    SHIFT_END = "shift_end"  # couriers that could make it in time are off shift by then
    FLEET_BUSY = "fleet_busy"  # one courier could serve it alone, but none fits it in this plan


REASON_TEXT = {
    UnservedReason.CAPACITY: "no courier has room in the bag for it",
    UnservedReason.RIDE_TIME: "the ride from merchant to customer exceeds the maximum ride time",
    UnservedReason.NO_COURIER_IN_TIME: "no courier can reach it in time",
    UnservedReason.SHIFT_END: "the couriers who could make it in time end their shift first",
    UnservedReason.FLEET_BUSY: "every courier who could serve it is busy with other orders",
}


@dataclass(frozen=True)
class Stop:
    """A visit, times in seconds from the round's now; `start_s` is when service begins."""

    order_id: str
    kind: StopKind
    arrival_s: float
    start_s: float
    departure_s: float
    late_s: float = 0.0  # past the promised time (drop-offs only)


@dataclass(frozen=True)
class CourierRoute:
    courier_id: str
    stops: tuple[Stop, ...]

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.order_id for s in self.stops))


@dataclass(frozen=True)
class Unserved:
    order_id: str
    reason: UnservedReason

    @property
    def detail(self) -> str:
        return REASON_TEXT[self.reason]


@dataclass(frozen=True)
class DispatchPlan:
    """The round's plan: every courier's stops, the orders left out and what it all costs."""

    routes: tuple[CourierRoute, ...]
    unserved: tuple[Unserved, ...]
    travel_s: float
    late_s: float
    cost: float  # travel + priced lateness, without drop penalties
    elapsed_s: float
    clusters: int = 1  # in the first pass
    passes: int = 1  # over the whole city, with the cluster borders moved each time

    @property
    def assigned(self) -> int:
        return sum(len(r.order_ids) for r in self.routes)

    def route_of(self, courier_id: str) -> CourierRoute:
        return next(r for r in self.routes if r.courier_id == courier_id)
