"""A seeded small city to simulate, and a way to read the whole store back for comparisons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from apps.simulator.loop import Simulator
from apps.simulator.settings import SimSettings
from db.engine import make_engine
from db.models import Assignment, Compensation, Conversation, Courier, Order, OrderEvent, Simulation

TIMEZONE = "Asia/Shanghai"
SETTINGS = SimSettings(seed=5, complaint_share=1.0, cancel_share=0.05)


@pytest.fixture
def new_city(make_store: Callable[[str], str]) -> Iterator[Callable[[], Engine]]:
    """Each call: a fresh copy of the seeded test city (lunchtime in Shanghai)."""
    engines: list[Engine] = []

    def make() -> Engine:
        engines.append(make_engine(make_store("seeded")))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()


def simulator(engine: Engine, settings: SimSettings = SETTINGS) -> Simulator:
    return Simulator(engine, settings, name="test", timezone=TIMEZONE)


def run_for(engine: Engine, minutes: float, settings: SimSettings = SETTINGS) -> Simulator:
    sim = simulator(engine, settings)
    sim.run(sim.clock + timedelta(minutes=minutes))
    return sim


def store_state(engine: Engine) -> dict[str, Any]:
    """Everything the simulation writes, by natural keys (surrogate ids may differ)."""
    with engine.connect() as conn:

        def rows(query: Any) -> list[tuple]:
            return [tuple(r) for r in conn.execute(query).all()]

        return {
            "orders": rows(
                select(
                    Order.id,
                    Order.status,
                    Order.courier_id,
                    Order.placed_at,
                    Order.confirmed_at,
                    Order.ready_at,
                    Order.promised_at,
                    Order.assigned_at,
                    Order.picked_up_at,
                    Order.delivered_at,
                    Order.cancelled_at,
                    Order.cancel_reason,
                    Order.cancel_fee_minor,
                ).order_by(Order.id)
            ),
            "events": sorted(
                rows(
                    select(OrderEvent.order_id, OrderEvent.status, OrderEvent.at, OrderEvent.actor)
                )
            ),
            "couriers": rows(
                select(
                    Courier.id,
                    Courier.status,
                    Courier.last_lat,
                    Courier.last_lon,
                    Courier.shift_start,
                    Courier.shift_end,
                ).order_by(Courier.id)
            ),
            "active": sorted(
                rows(select(Assignment.order_id, Assignment.courier_id).where(Assignment.active))
            ),
            "compensations": sorted(
                rows(select(Compensation.order_id, Compensation.amount_minor, Compensation.status))
            ),
            "complaints": sorted(
                rows(select(Conversation.order_id).where(Conversation.order_id.is_not(None)))
            ),
            "clock": rows(
                select(
                    Simulation.clock,
                    Simulation.next_dispatch_at,
                    Simulation.busy_until,
                    Simulation.counters,
                )
            ),
        }
