"""One tick's demand counts: each zone's hour holds the orders placed in it, and every zone
has a row for each hour the simulation reached, a quiet one as zero."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import Engine, select

from apps.simulator.settings import SimSettings
from db.models import DemandObservation, Order, Zone

from .conftest import run_for


def _hours(engine: Engine, since) -> dict[tuple[int, object], int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                DemandObservation.zone_id, DemandObservation.hour, DemandObservation.orders
            ).where(DemandObservation.hour >= since)
        ).all()
    return {(r.zone_id, r.hour): r.orders for r in rows}


def test_a_quiet_hour_is_an_observed_zero_for_every_zone(new_city) -> None:
    """With (next to) no orders arriving, every zone still gets a row for each hour the
    simulation went through, so a forecast's history runs to the last hour that ended."""
    engine = new_city()
    sim = run_for(engine, 150, SimSettings(seed=5, demand_factor=1e-9))
    with engine.connect() as conn:
        zones = set(conn.scalars(select(Zone.id)))
    start = sim.clock - timedelta(minutes=150)
    first = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    hours = _hours(engine, first)
    expected = {first, first + timedelta(hours=1)}  # both ended within the 150 minutes
    assert {(z, h) for z in zones for h in expected} <= set(hours)
    assert set(hours.values()) == {0}


def test_each_zone_hour_counts_the_orders_placed_in_it(new_city) -> None:
    """After the seeded history, a zone's hour holds exactly the orders placed in it."""
    engine = new_city()
    sim = run_for(engine, 150)
    start = sim.clock - timedelta(minutes=150)
    first = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    with engine.connect() as conn:
        placed = Counter(
            (zone_id, at.replace(minute=0, second=0, microsecond=0))
            for zone_id, at in conn.execute(
                select(Order.zone_id, Order.placed_at).where(Order.placed_at >= first)
            )
        )
    hours = _hours(engine, first)
    assert sum(placed.values()) > 0
    assert {key: n for key, n in hours.items() if n} == dict(placed)
