"""The OR-Tools cluster model's helpers: a start plan is kept and extended, and a route
that breaks a hard limit loses the fewest orders."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import numpy as np

from routing.live.greedy import greedy_routes, route_cost
from routing.live.model import _repair, solve_network
from routing.live.network import build_network
from routing.live.problem import Courier, DispatchPolicy, Order
from routing.travel.providers import HaversineProvider, Location, VehicleType

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def at(km_north: float, km_east: float = 0.0) -> Location:
    return Location(31.23 + km_north / 111.0, 121.47 + km_east / 95.0)


def _network(capacity: int = 4):
    couriers = (
        Courier("c0", at(0.0), VehicleType.EBIKE, capacity, 4 * 3600),
        Courier("c1", at(0.0, 3.0), VehicleType.EBIKE, capacity, 4 * 3600),
    )
    times = {"ready_s": 0.0, "promised_s": 2400.0, "latest_s": 3600.0}
    orders = tuple(Order(f"o{i}", at(0.3 * i), at(2.0, 0.5 * i), **times) for i in range(4))
    net = build_network(couriers, orders, DispatchPolicy(), HaversineProvider(), NOW)
    return net, [np.array([0, 1]) for _ in orders]


def test_greedy_keeps_the_start_routes_and_inserts_the_rest() -> None:
    """The start's stops stay on their courier in their order; every order gets placed."""
    net, cands = _network()
    start = [[int(net.pickup[2]), int(net.dropoff[2])], []]
    routes = greedy_routes(net, cands, start)
    assert [n for n in routes[0] if n in start[0]] == start[0]
    assert sorted(n for r in routes for n in r) == sorted(
        [*net.pickup.tolist(), *net.dropoff.tolist()]
    )


def test_repair_takes_out_the_fewest_orders_to_keep_the_bag() -> None:
    """Two meals in a bag of one: one order leaves the route, the other stays."""
    net, _ = _network(capacity=1)
    route = [int(net.pickup[0]), int(net.pickup[1]), int(net.dropoff[0]), int(net.dropoff[1])]
    assert route_cost(net, 0, route) is None
    fixed = _repair(net, 0, route)
    assert route_cost(net, 0, fixed) is not None and len(fixed) == 2


def test_the_search_never_returns_worse_than_its_start() -> None:
    """Given a start plan, the cluster model returns one serving as many orders, no dearer."""
    net, cands = _network()
    start = greedy_routes(net, cands)
    plan = solve_network(net, cands, time.monotonic() + 1.0, start=start)

    def total(routes):
        return sum(route_cost(net, v, r) for v, r in enumerate(routes))

    assert sum(map(len, plan)) >= sum(map(len, start))
    assert total(plan) <= total(start)
