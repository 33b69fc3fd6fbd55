"""The schedule of a courier's route: drop-offs as early as possible, pickups held back
so that food does not ride while the courier waits for the next merchant."""

from __future__ import annotations

from datetime import UTC, datetime

from routing.live.network import build_network, simulate
from routing.live.problem import Courier, DispatchPolicy, Order
from routing.travel.providers import HaversineProvider, Location, VehicleType

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def at(km_north: float) -> Location:
    return Location(31.23 + km_north / 111.0, 121.47)


def _network(b_ready_s: float):
    courier = Courier("c", at(0.0), VehicleType.EBIKE, 4, 4 * 3600)
    orders = (
        Order("a", at(0.5), at(3.0), ready_s=0.0, promised_s=5000.0, latest_s=6000.0),
        Order("b", at(1.0), at(3.2), ready_s=b_ready_s, promised_s=5000.0, latest_s=6000.0),
    )
    return build_network((courier,), orders, DispatchPolicy(), HaversineProvider(), NOW)


def test_first_pickup_waits_at_its_counter_for_the_second_merchant() -> None:
    """Picking a up at once and waiting 50 minutes for b would break a's 45-minute ride;
    holding a at its counter keeps the route feasible without delaying any drop-off."""
    net = _network(b_ready_s=3000.0)
    route = [int(net.pickup[0]), int(net.pickup[1]), int(net.dropoff[0]), int(net.dropoff[1])]
    visits, ok = simulate(net, 0, route)
    assert ok
    pick_a, pick_b, drop_a, _ = visits
    assert pick_b.start == 3000 and pick_b.arrival == pick_b.start  # no wait left at b
    assert pick_a.start > pick_a.arrival  # the wait moved to a's counter
    assert pick_a.departure + net.travel[net.vehicle[0], route[0], route[1]] == pick_b.arrival
    assert drop_a.start - pick_a.start <= DispatchPolicy().max_ride_s


def test_drop_offs_are_not_delayed_and_unneeded_waits_stay_put() -> None:
    """With both meals ready the schedule is the earliest one: nothing is held back."""
    net = _network(b_ready_s=0.0)
    route = [int(net.pickup[0]), int(net.pickup[1]), int(net.dropoff[0]), int(net.dropoff[1])]
    visits, ok = simulate(net, 0, route)
    assert ok
    assert all(v.start == v.arrival for v in visits)


def test_a_ride_too_long_however_the_pickups_are_timed_is_refused() -> None:
    """Moving waits helps only until the drop-offs themselves are too far from the pickups."""
    loose = _network(b_ready_s=3000.0)
    tight = build_network(loose.couriers, loose.orders, DispatchPolicy(max_ride_s=300.0),
                          HaversineProvider(), NOW)  # fmt: skip
    route = [int(loose.pickup[0]), int(loose.pickup[1]), int(loose.dropoff[1]),
             int(loose.dropoff[0])]  # fmt: skip
    assert simulate(loose, 0, route)[1]
    assert not simulate(tight, 0, route)[1]
