"""Clusters of a dispatch round: every courier and every servable order in exactly one,
orders on a route kept with their courier, and borders that move from pass to pass."""

from __future__ import annotations

from routing.live.cluster import balance, clusters
from routing.live.screen import screen
from routing.live.synthetic_city import city_snapshot
from routing.travel.providers import HaversineProvider


def _round(orders: int = 300):
    problem = city_snapshot(orders, seed=5)
    return problem, screen(problem, HaversineProvider()).candidates


def test_each_courier_and_servable_order_is_in_exactly_one_cluster() -> None:
    problem, candidates = _round()
    groups = clusters(problem, candidates, 40)
    couriers = [v for g in groups for v in g.couriers]
    orders = [k for g in groups for k in g.orders]
    assert len(couriers) == len(set(couriers)) and len(orders) == len(set(orders))
    assert sorted(orders) == [k for k, c in enumerate(candidates) if len(c)]
    assert len(groups) >= 300 // 40
    for g in groups:  # an open order goes to a cluster holding a courier that could serve it
        assert all(set(candidates[k].tolist()) & set(g.couriers) for k in g.orders)


def test_orders_on_a_route_stay_with_their_courier_whatever_the_pass() -> None:
    problem, candidates = _round()
    routes = {int(candidates[k][-1]): [k] for k in range(0, 300, 7) if len(candidates[k])}
    for pass_no in range(3):
        groups = clusters(problem, candidates, 40, routes, pass_no)
        home = {k: g for g in groups for k in g.orders}
        for v, ks in routes.items():
            assert v in home[ks[0]].couriers


def test_borders_move_between_passes() -> None:
    problem, candidates = _round()
    first = {frozenset(g.couriers) for g in clusters(problem, candidates, 40, None, 0)}
    second = {frozenset(g.couriers) for g in clusters(problem, candidates, 40, None, 1)}
    assert first != second


def test_a_small_round_is_one_cluster() -> None:
    problem, candidates = _round(30)
    (group,) = clusters(problem, candidates, 40)
    assert len(group.couriers) == len(problem.couriers)


def test_balance_spreads_orders_evenly_over_workers() -> None:
    problem, candidates = _round()
    groups = clusters(problem, candidates, 40)
    bins = balance(groups, 2)
    loads = sorted(sum(len(g.orders) for g in b) for b in bins)
    assert len(bins) == 2 and loads[1] - loads[0] <= max(len(g.orders) for g in groups)
    assert sorted(k for b in bins for g in b for k in g.orders) == sorted(
        k for g in groups for k in g.orders
    )
