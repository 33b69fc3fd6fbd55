"""Generated city snapshots: reproducible, valid, one courier per three orders."""

from __future__ import annotations

from routing.live.synthetic_city import city_snapshot


def test_same_seed_same_snapshot() -> None:
    """A seed fixes the round, so benchmark runs compare like with like."""
    assert city_snapshot(60, seed=11) == city_snapshot(60, seed=11)
    assert city_snapshot(60, seed=11) != city_snapshot(60, seed=12)


def test_fleet_is_one_courier_per_three_orders_with_some_bags_full() -> None:
    """300 orders come with 100 couriers; some orders are carried, some pinned."""
    problem = city_snapshot(300)
    assert (len(problem.orders), len(problem.couriers)) == (300, 100)
    assert any(o.carried_by for o in problem.orders)
    assert any(o.pinned_to for o in problem.orders)
