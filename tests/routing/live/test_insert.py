"""Bulk insertion: the numpy scheduler prices routes exactly as simulate does, the cheapest
insertion is the cheapest of all positions, regret serves the order with fewest options
first, and relocation only ever lowers the cost of routes that stay feasible."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from routing.live.greedy import route_cost
from routing.live.insert import INFEASIBLE, Inserter, partners, regret_insert, relocate
from routing.live.network import build_network
from routing.live.problem import Courier, DispatchPolicy, Order
from routing.live.screen import screen
from routing.live.synthetic_city import city_snapshot
from routing.travel.providers import HaversineProvider, Location, VehicleType

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def at(km_north: float, km_east: float = 0.0) -> Location:
    return Location(31.23 + km_north / 111.0, 121.47 + km_east / 95.0)


def _city(orders: int = 24):
    problem = city_snapshot(orders, seed=3)
    net = build_network(problem.couriers, problem.orders, problem.policy,
                        HaversineProvider(), problem.now)  # fmt: skip
    return net, list(screen(problem, HaversineProvider()).candidates)


def _random_route(net, rng, courier: int) -> list[int]:
    """Pickups before their drop-offs, carried drop-offs of this courier, in random order."""
    own = [k for k in range(len(net.orders)) if net.owner(k) == courier and net.pickup[k] < 0]
    free = [k for k in range(len(net.orders)) if net.pickup[k] >= 0]
    chosen = rng.choice(free, size=min(3, len(free)), replace=False).tolist()
    route = [int(net.dropoff[k]) for k in own]
    for k in chosen:
        i = int(rng.integers(len(route) + 1))
        j = int(rng.integers(i, len(route) + 1))
        route = [*route[:i], int(net.pickup[k]), *route[i:j], int(net.dropoff[k]), *route[j:]]
    return route


def test_bulk_schedule_prices_routes_as_simulate_does() -> None:
    """Costs agree route for route, and so do the verdicts on hard limits (both kinds seen)."""
    net, _ = _city()
    rng = np.random.default_rng(0)
    routes = [[] for _ in net.couriers]
    verdicts = set()
    for _ in range(40):
        v = int(rng.integers(len(net.couriers)))
        routes[v] = _random_route(net, rng, v)
        inserter = Inserter(net, routes)
        expected = route_cost(net, v, routes[v])
        verdicts.add(expected is None)
        if expected is None:
            assert inserter.cost[v] == INFEASIBLE
        else:
            assert inserter.cost[v] == pytest.approx(expected)
    assert verdicts == {True, False}


def test_best_insertion_is_the_cheapest_of_every_position() -> None:
    """Brute force over every pickup and drop-off position agrees with the bulk search."""
    net, _ = _city()
    rng = np.random.default_rng(1)
    routes = [_random_route(net, rng, v) if v % 2 else [] for v in range(len(net.couriers))]
    routes = [r if route_cost(net, v, r) is not None else [] for v, r in enumerate(routes)]
    inserter = Inserter(net, routes)
    placed = {n for r in routes for n in r}
    orders = [
        k for k in range(len(net.orders)) if net.pickup[k] >= 0 and net.pickup[k] not in placed
    ]
    pairs = [(k, v) for k in orders[:4] for v in range(len(net.couriers))]
    added, first, second = inserter.best(
        np.array([k for k, _ in pairs]), np.array([v for _, v in pairs])
    )
    for n, (k, v) in enumerate(pairs):
        route, p, d = routes[v], int(net.pickup[k]), int(net.dropoff[k])
        before = route_cost(net, v, route)
        options = [
            route_cost(net, v, [*route[:i], p, *route[i:j], d, *route[j:]])
            for i in range(len(route) + 1)
            for j in range(i, len(route) + 1)
        ]
        feasible = [c - before for c in options if c is not None]
        if not feasible:
            assert added[n] == INFEASIBLE
            continue
        assert added[n] == pytest.approx(min(feasible))
        i, j = int(first[n]), int(second[n])
        chosen = route_cost(net, v, [*route[:i], p, *route[i:j], d, *route[j:]])
        assert chosen - before == pytest.approx(min(feasible))


def test_partners_point_each_drop_off_at_its_pickup() -> None:
    net, _ = _city()
    route = [int(net.pickup[5]), int(net.pickup[6]), int(net.dropoff[5]), int(net.dropoff[6])]
    assert partners(net, route) == [-1, -1, 0, 1]


def _two_couriers_one_chance():
    """Order x can go only to c0; y is cheaper on c0 but can also go to c1. Each courier
    has time for one of them only."""
    couriers = (
        Courier("c0", at(0.0), VehicleType.EBIKE, 4, 800.0),
        Courier("c1", at(0.0, 2.0), VehicleType.EBIKE, 4, 3000.0),
    )
    tight = {"ready_s": 0.0, "promised_s": 1200.0, "latest_s": 1400.0}
    orders = (
        Order("x", at(0.5), at(1.5), **tight),
        Order("y", at(0.2), at(1.0), **tight),
    )
    net = build_network(couriers, orders, DispatchPolicy(), HaversineProvider(), NOW)
    return net, [np.array([0]), np.array([0, 1])]


def test_regret_serves_the_order_with_one_courier_first() -> None:
    """Cheapest-first would give c0 to y and leave x out; regret places both."""
    net, cands = _two_couriers_one_chance()
    inserter = Inserter(net, [[], []])
    added, _, _ = inserter.best(np.array([0, 1]), np.array([0, 0]))
    assert added[1] < added[0]  # y is the cheaper order for c0
    left = regret_insert(inserter, [0, 1], cands)
    assert left == []
    assert set(inserter.routes[0]) == {int(net.pickup[0]), int(net.dropoff[0])}
    assert set(inserter.routes[1]) == {int(net.pickup[1]), int(net.dropoff[1])}


def test_an_order_without_candidates_is_left_out() -> None:
    net, cands = _two_couriers_one_chance()
    inserter = Inserter(net, [[], []])
    assert regret_insert(inserter, [0, 1], [np.array([], dtype=np.int64), cands[1]]) == [0]


def test_relocate_moves_an_order_to_the_courier_it_costs_less() -> None:
    """An order started on a courier 4 km away moves to the one at its merchant."""
    couriers = (
        Courier("near", at(0.0), VehicleType.EBIKE, 4, 4 * 3600),
        Courier("far", at(0.0, 4.0), VehicleType.EBIKE, 4, 4 * 3600),
    )
    times = {"ready_s": 0.0, "promised_s": 2400.0, "latest_s": 3600.0}
    orders = (Order("o", at(0.2), at(1.5), **times),)
    net = build_network(couriers, orders, DispatchPolicy(), HaversineProvider(), NOW)
    inserter = Inserter(net, [[], [int(net.pickup[0]), int(net.dropoff[0])]])
    before = inserter.cost.sum()
    assert relocate(inserter, [np.array([0, 1])]) == 1
    assert inserter.routes == [[int(net.pickup[0]), int(net.dropoff[0])], []]
    assert inserter.cost.sum() < before


def test_relocate_lowers_a_city_plan_and_keeps_every_route_feasible() -> None:
    net, cands = _city(60)
    rng = np.random.default_rng(2)
    routes: list[list[int]] = [[] for _ in net.couriers]
    for k in range(len(net.orders)):  # each order on one of its candidates, at random
        if net.pickup[k] < 0:
            routes[net.owner(k)].insert(0, int(net.dropoff[k]))
    inserter = Inserter(net, routes)
    for k in rng.permutation(len(net.orders)).tolist():
        if net.pickup[k] >= 0 and len(cands[k]):
            v = int(rng.choice(cands[k]))
            added, i, j = inserter.best(np.array([k]), np.array([v]))
            if added[0] < INFEASIBLE:
                inserter.insert(k, v, int(i[0]), int(j[0]))
    before = inserter.cost.sum()
    served = sum(map(len, inserter.routes))
    assert relocate(inserter, cands) > 0
    assert inserter.cost.sum() < before
    assert sum(map(len, inserter.routes)) == served
    for v, route in enumerate(inserter.routes):
        assert route_cost(net, v, route) == pytest.approx(inserter.cost[v])
