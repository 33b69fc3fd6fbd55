"""Live food-delivery dispatch: the problem as immutable data, validated at construction.

Times are whole or fractional seconds counted from the round's `now` (an aware datetime),
so the solver never handles time zones; the service converts at its boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from routing.travel.providers import CoordinateError, Location, VehicleType


class DispatchInputError(ValueError):
    """Input that cannot be dispatched; the message names the record and the field."""


def place(lat: float, lon: float, field: str) -> Location:
    """A Location whose range error names the input field, e.g. "order 'A7': customer"."""
    try:
        return Location(lat, lon)
    except CoordinateError as exc:
        raise DispatchInputError(f"{field}: {exc}") from exc


@dataclass(frozen=True)
class Courier:
    """A courier on shift: where it is now, what it rides and how much its bag holds."""

    id: str
    position: Location
    vehicle: VehicleType
    capacity: int
    shift_end_s: float | None  # None: the courier has no shift, which is an input error
    free_at_s: float = 0.0  # when it can leave `position` (finishing a stop, say)


@dataclass(frozen=True)
class Order:
    """A pickup at the merchant and a drop-off at the customer.

    `carried_by` marks an order already in that courier's bag (only the drop-off is left);
    `pinned_to` commits a pickup that is not yet done to one courier.
    """

    id: str
    merchant: Location
    customer: Location
    ready_s: float  # food ready; the pickup cannot start earlier
    promised_s: float  # soft deadline for the drop-off
    latest_s: float  # hard deadline for the drop-off
    size: int = 1
    pickup_service_s: float = 120.0
    dropoff_service_s: float = 120.0
    carried_by: str | None = None
    pinned_to: str | None = None


@dataclass(frozen=True)
class DispatchPolicy:
    """Prices and limits of a round; the objective is in seconds of travel."""

    max_ride_s: float = 45 * 60.0  # pickup start to drop-off start: food must not go cold
    lateness_cost_per_s: int = 2  # a second late weighs as two seconds of riding
    drop_penalty: int = 1_000_000  # far above any route's cost: serve whatever can be served
    carried_drop_penalty: int = 100_000_000


@dataclass(frozen=True)
class DispatchProblem:
    """One dispatch round, checked at construction."""

    now: datetime
    couriers: tuple[Courier, ...]
    orders: tuple[Order, ...]
    policy: DispatchPolicy = DispatchPolicy()

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise DispatchInputError("now: must be a timezone-aware datetime")
        if not self.orders:
            raise DispatchInputError("orders: empty problem, there is no order to dispatch")
        if not self.couriers:
            raise DispatchInputError("couriers: empty problem, no courier is on shift")
        ids = {c.id for c in self.couriers}
        if len(ids) != len(self.couriers):
            raise DispatchInputError("couriers: courier ids must be unique")
        if len({o.id for o in self.orders}) != len(self.orders):
            raise DispatchInputError("orders: order ids must be unique")
        for courier in self.couriers:
            _check_courier(courier)
        for order in self.orders:
            _check_order(order, ids)
        if self.policy.max_ride_s <= 0:
            raise DispatchInputError("policy.max_ride_s: must be positive")

    def courier(self, courier_id: str) -> Courier:
        return next(c for c in self.couriers if c.id == courier_id)


def _number(value: float, where: str) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise DispatchInputError(f"{where}: {value!r} is not a finite number of seconds")


def _location(value: object, where: str) -> None:
    if not isinstance(value, Location):
        raise DispatchInputError(f"{where}: expected a Location, got {type(value).__name__}")


def _check_courier(c: Courier) -> None:
    where = f"courier {c.id!r}"
    _location(c.position, f"{where}: position")
    if c.shift_end_s is None:
        raise DispatchInputError(f"{where}: shift_end_s: the courier has no shift")
    _number(c.shift_end_s, f"{where}: shift_end_s")
    _number(c.free_at_s, f"{where}: free_at_s")
    if c.shift_end_s <= max(c.free_at_s, 0.0):
        raise DispatchInputError(f"{where}: shift_end_s: the shift is already over")
    if c.capacity < 1:
        raise DispatchInputError(f"{where}: capacity: must be at least 1, got {c.capacity}")
    try:
        VehicleType(c.vehicle)
    except ValueError as exc:
        kinds = ", ".join(v.value for v in VehicleType)
        raise DispatchInputError(f"{where}: vehicle: {c.vehicle!r} is not one of {kinds}") from exc


def _check_order(o: Order, courier_ids: set[str]) -> None:
    where = f"order {o.id!r}"
    _location(o.merchant, f"{where}: merchant")
    _location(o.customer, f"{where}: customer")
    for name in ("ready_s", "promised_s", "latest_s", "pickup_service_s", "dropoff_service_s"):
        _number(getattr(o, name), f"{where}: {name}")
    if o.size < 1:
        raise DispatchInputError(f"{where}: size: must be at least 1, got {o.size}")
    if o.carried_by is not None and o.carried_by not in courier_ids:
        raise DispatchInputError(f"{where}: carried_by: no courier {o.carried_by!r} on shift")
    if o.pinned_to is not None and o.pinned_to not in courier_ids:
        raise DispatchInputError(f"{where}: pinned_to: no courier {o.pinned_to!r} on shift")
    if o.carried_by is not None:
        return  # already in a bag: late or not, it must still be delivered
    if o.latest_s <= 0:
        raise DispatchInputError(f"{where}: latest_s: the window closed {-o.latest_s:.0f} s ago")
    if o.promised_s > o.latest_s:
        raise DispatchInputError(f"{where}: promised_s: after latest_s ({o.latest_s})")
    if o.ready_s > o.latest_s:
        raise DispatchInputError(f"{where}: ready_s: after latest_s ({o.latest_s})")
