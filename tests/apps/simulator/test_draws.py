"""Random choices are drawn from their own keys: the same hour gives the same orders however
the run got there, and over many hours arrivals follow the expected rates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from apps.simulator import draws
from apps.simulator.catalog import Catalog, Place

HOUR = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def catalog(rate: float = 6.0) -> Catalog:
    merchants = tuple(Place(i, 31.2 + i / 1000, 121.4, 12, "noodles") for i in (1, 2, 3))
    customers = tuple(Place(10 + i, 31.21, 121.41 + i / 1000, address=f"{i} Road") for i in (1, 2))
    return Catalog(
        zone_ids=(1, 2),
        zone_centres={1: (31.2, 121.4), 2: (31.3, 121.5)},
        merchants={1: merchants, 2: merchants},
        customers={1: customers, 2: customers},
        rates=np.full((168, 2), rate),
        timezone="Asia/Shanghai",
    )


def test_an_hour_draws_the_same_orders_whenever_it_is_drawn() -> None:
    """Drawing other hours first changes nothing: each hour has its own key."""
    first = draws.arrivals(catalog(), HOUR, seed=3, factor=1.0)
    draws.arrivals(catalog(), HOUR + timedelta(hours=1), seed=3, factor=1.0)
    again = draws.arrivals(catalog(), HOUR, seed=3, factor=1.0)
    assert first == again
    assert [a.placed_at for a in first] == sorted(a.placed_at for a in first)
    assert all(HOUR <= a.placed_at < HOUR + timedelta(hours=1) for a in first)


def test_arrivals_follow_the_expected_rate() -> None:
    """Over 200 hours of two zones at 6 orders an hour, about 2,400 orders arrive."""
    total = sum(
        len(draws.arrivals(catalog(), HOUR + timedelta(hours=h), seed=1, factor=1.0))
        for h in range(200)
    )
    assert abs(total - 2400) < 4 * np.sqrt(2400)


def test_orders_are_promised_after_they_are_placed_and_priced() -> None:
    """Every drawn order has a promise after placing, a fee and items that add up."""
    for arrival in draws.arrivals(catalog(20.0), HOUR, seed=2, factor=1.0):
        row = arrival.row
        assert row["promised_at"] > row["placed_at"]
        assert row["delivery_fee_minor"] >= 300
        assert row["subtotal_minor"] == sum(i["qty"] * i["price_minor"] for i in row["items"])


def test_per_order_choices_depend_only_on_seed_and_order() -> None:
    """The merchant's timing, a cancellation and a complaint are fixed by (seed, order)."""
    assert draws.merchant_timing(1, 42, 15) == draws.merchant_timing(1, 42, 15)
    assert draws.merchant_timing(1, 42, 15) != draws.merchant_timing(2, 42, 15)
    cancels = [draws.cancel_after(1, i, 0.1) is not None for i in range(4000)]
    assert abs(np.mean(cancels) - 0.1) < 0.02
    assert draws.complaint_after(1, 7, 0.0) is None
