"""Couriers riding their planned routes through one tick: pure, positions in, events out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from routing.travel.providers import Location

SERVICE_S = 120.0  # at the counter or the door, as the dispatch model assumes


@dataclass(frozen=True)
class Stop:
    order_id: int
    pickup: bool
    place: Location
    ready_s: float = 0.0  # epoch seconds the food is ready (pickups)


@dataclass(frozen=True)
class Done:
    order_id: int
    pickup: bool
    at_s: float  # epoch seconds the handover started


@dataclass(frozen=True)
class Ride:
    position: Location
    busy_until_s: float | None  # still at a stop after the tick ends
    done: list[Done] = field(default_factory=list)


# (from, to) -> seconds of riding for this courier at this hour.
TravelFn = Callable[[Location, Location], float]


def ride(
    position: Location,
    stops: list[Stop],
    start_s: float,
    end_s: float,
    travel: TravelFn,
    busy_until_s: float | None = None,
) -> Ride:
    """Follow ``stops`` in order from ``position`` between ``start_s`` and ``end_s``.

    A courier waits at a merchant until the food is ready, spends SERVICE_S at each stop,
    and stops partway along a leg when the tick ends, to go on from there next tick.
    """
    now = max(start_s, busy_until_s or start_s)
    if now >= end_s:
        return Ride(position, busy_until_s, [])
    done: list[Done] = []
    for stop in stops:
        leg = travel(position, stop.place)
        if now + leg > end_s:
            share = (end_s - now) / leg
            between = Location(
                position.lat + share * (stop.place.lat - position.lat),
                position.lon + share * (stop.place.lon - position.lon),
            )
            return Ride(between, None, done)
        now += leg
        position = stop.place
        if stop.pickup and stop.ready_s > now:
            if stop.ready_s > end_s:
                return Ride(position, None, done)
            now = stop.ready_s
        done.append(Done(stop.order_id, stop.pickup, now))
        now += SERVICE_S
        if now > end_s:
            return Ride(position, now, done)
    return Ride(position, None, done)
