"""The day's figures from the store: counts by outcome, on-time share, delivery time
percentiles, utilisation from the counters and compensation in yuan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert

from apps.simulator.kpis import kpis
from apps.simulator.tick import UNSERVED_PREFIX
from db.models import Compensation, Order
from tests.conftest import TEST_NOW

START = TEST_NOW + timedelta(days=2)


def order(i: int, status: str, deliver_min: float | None, promise_min: float = 40, **extra):
    placed = START + timedelta(minutes=i)
    return {
        "id": 900_000 + i,
        "customer_id": 1,
        "merchant_id": 1,
        "zone_id": 1,
        "status": status,
        "items": [],
        "subtotal_minor": 3000,
        "delivery_fee_minor": 500,
        "dropoff_address": "1 Road",
        "dropoff_lat": 31.2,
        "dropoff_lon": 121.4,
        "placed_at": placed,
        "promised_at": placed + timedelta(minutes=promise_min),
        "delivered_at": None if deliver_min is None else placed + timedelta(minutes=deliver_min),
        # Every row names every column: an executemany takes its columns from the first row.
        "cancelled_at": None,
        "cancel_reason": None,
        **extra,
    }


def test_figures_of_a_known_window(seeded_engine: Engine) -> None:
    """Four orders: two delivered (30 and 50 minutes, one late), one cancelled by its
    customer, one given up by dispatch; a 9 yuan compensation granted and a 20 yuan one
    rejected (which costs nothing); work half of shift time."""
    cancelled_at = {"cancelled_at": START + timedelta(minutes=20)}
    rows = [
        order(0, "delivered", 30),
        order(1, "delivered", 50),
        order(2, "cancelled", None, cancel_reason="customer changed mind", **cancelled_at),
        order(3, "cancelled", None, cancel_reason=UNSERVED_PREFIX + "no courier", **cancelled_at),
    ]
    with seeded_engine.begin() as conn:
        conn.execute(insert(Order), rows)
        conn.execute(
            insert(Compensation),
            [{"order_id": 900_001, "customer_id": 1, "amount_minor": 900, "reason": "late",
              "status": "approved", "created_at": START + timedelta(hours=1)},
             {"order_id": 900_000, "customer_id": 1, "amount_minor": 2000, "reason": "late",
              "status": "rejected", "created_at": START + timedelta(hours=1)}],
        )  # fmt: skip
    counters = {"d": {"on_shift_s": 7200.0, "busy_s": 3600.0}}
    got = kpis(seeded_engine, START, START + timedelta(hours=1), counters)
    assert (got.orders, got.delivered, got.cancelled, got.unserved, got.open) == (4, 2, 1, 1, 0)
    assert got.on_time_rate == 0.5
    assert got.avg_delivery_min == 40.0
    assert got.p90_delivery_min == pytest.approx(48.0)
    assert got.courier_utilisation == 0.5
    assert got.compensation_total == 9.0


def test_an_empty_window_has_no_rates(seeded_engine: Engine) -> None:
    """Without deliveries there is no on-time rate or delivery time to report, not a zero."""
    got = kpis(seeded_engine, START, START + timedelta(hours=1), {})
    assert got.orders == 0 and got.on_time_rate is None and got.avg_delivery_min is None
    assert got.courier_utilisation is None and got.compensation_total == 0.0
