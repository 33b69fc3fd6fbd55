"""The simulation loop over the store, on SQLite and PostgreSQL: the same seed gives the
same day event for event, every order ends somewhere, and a restart changes nothing."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from agents.customer import policy
from agents.customer.context import CustomerContext
from apps.simulator.loop import SimulationError, Simulator
from apps.simulator.movement import SERVICE_S
from apps.simulator.settings import SimSettings
from apps.simulator.tick import UNSERVED_PREFIX
from db.domain.status import OrderStatus
from db.models import Courier, Order, OrderEvent
from tests.apps.simulator.conftest import SETTINGS, TIMEZONE, run_for, simulator, store_state

LIFE = (
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.ASSIGNED,
    OrderStatus.PICKED_UP,
    OrderStatus.DELIVERED,
)


def test_same_seed_and_settings_give_the_same_day(new_city) -> None:
    """Two runs from the same city, seed and settings write the same events, event for event."""
    first, second = new_city(), new_city()
    run_for(first, 60)
    run_for(second, 60)
    a, b = store_state(first), store_state(second)
    assert len(a["events"]) > 100
    assert a == b


def test_another_seed_gives_another_day(new_city) -> None:
    """The seed matters: a different one places different orders."""
    first, second = new_city(), new_city()
    run_for(first, 30)
    run_for(second, 30, SimSettings(seed=SETTINGS.seed + 1))
    assert store_state(first)["orders"] != store_state(second)["orders"]


def test_every_order_ends_delivered_cancelled_or_unserved(new_city) -> None:
    """After the last orders are run to their end, each order of the run is delivered,
    cancelled by its customer or given up with the reason, through a valid life."""
    engine = new_city()
    sim = run_for(engine, 60)
    sim.drain()
    with engine.connect() as conn:
        orders = conn.execute(
            select(Order.id, Order.status, Order.cancel_reason).where(
                Order.placed_at >= sim.started_at
            )
        ).all()
        events = conn.execute(
            select(OrderEvent.order_id, OrderEvent.status, OrderEvent.at, OrderEvent.actor)
            .where(OrderEvent.order_id.in_([o.id for o in orders]))
            .order_by(OrderEvent.at, OrderEvent.id)
        ).all()
    assert len(orders) > 10
    assert {o.status for o in orders} <= {"delivered", "cancelled"}
    assert any(o.status == OrderStatus.DELIVERED for o in orders)
    for o in orders:
        if o.status == OrderStatus.CANCELLED:
            assert o.cancel_reason, f"order {o.id} was cancelled without a reason"
    life = defaultdict(list)
    for e in events:
        life[e.order_id].append(e.status)
    for order_id, steps in life.items():
        if steps[-1] == "delivered":
            # Re-planning may move an order between couriers, never back in its life.
            kept = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
            assert kept == list(LIFE), f"order {order_id}: {steps}"
        else:
            assert steps[-1] == "cancelled" and "delivered" not in steps


def test_no_order_carried_by_two_couriers_nor_a_courier_in_two_places(new_city) -> None:
    """The courier that picks an order up is the one that delivers it, and a courier's
    handovers are at least one service time apart: it is never at two stops at once."""
    engine = new_city()
    with engine.connect() as conn:
        in_bags = conn.execute(
            select(Order.id, Order.courier_id).where(Order.status == OrderStatus.PICKED_UP)
        ).all()
    run_for(engine, 90)
    with engine.connect() as conn:
        events = conn.execute(
            select(OrderEvent.order_id, OrderEvent.status, OrderEvent.at, OrderEvent.actor)
            .where(OrderEvent.actor.like("courier:%"))
            .order_by(OrderEvent.at)
        ).all()
    # Orders already in a bag when the run starts stay with the courier carrying them.
    carrier = {order_id: f"courier:{courier_id}" for order_id, courier_id in in_bags}
    handovers = defaultdict(list)
    for e in events:
        if e.status == OrderStatus.PICKED_UP:
            assert e.order_id not in carrier
            carrier[e.order_id] = e.actor
        else:
            assert carrier.get(e.order_id) == e.actor, f"order {e.order_id}"
        handovers[e.actor].append(e.at)
    assert carrier, "nobody picked anything up"
    for actor, times in handovers.items():
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        assert all(g >= SERVICE_S - 1 for g in gaps), actor


def test_late_customers_complain_through_the_agent(new_city) -> None:
    """With every late customer complaining, late deliveries get one conversation each, and
    the agent grants what the policy allows (what is over the automatic limit waits for a
    person)."""
    engine = new_city()
    # A quarter of the couriers and three times the lunch: some food comes late.
    with engine.begin() as conn:
        conn.execute(
            update(Courier).where(Courier.id % 4 != 0).values(shift_start=None, shift_end=None)
        )
    sim = run_for(engine, 120, replace(SETTINGS, demand_factor=3.0))
    state = store_state(engine)
    late = timedelta(minutes=SETTINGS.complaint_late_min)
    with engine.connect() as conn:
        delivered = conn.execute(
            select(Order.id, Order.delivered_at, Order.promised_at, Order.placed_at).where(
                Order.status == OrderStatus.DELIVERED, Order.placed_at >= sim.started_at
            )
        ).all()
    complained = [c for (c,) in state["complaints"]]
    assert complained, "no late delivery to complain about: the test would prove nothing"
    assert len(complained) == len(set(complained))
    for order_id in complained:
        row = next(d for d in delivered if d.id == order_id)
        assert row.delivered_at > row.promised_at + late
    assert state["compensations"] and {c[0] for c in state["compensations"]} <= set(complained)
    with engine.connect() as conn:
        money = {
            r.id: r
            for r in conn.execute(
                select(Order.id, Order.subtotal_minor, Order.delivery_fee_minor)
            ).all()
        }
    for order_id, amount, status in state["compensations"]:
        row = next(d for d in delivered if d.id == order_id)
        late_min = policy.minutes_late(row.promised_at, row.delivered_at)
        cap = policy.compensation_cap(
            "late", late_min, money[order_id].subtotal_minor, money[order_id].delivery_fee_minor
        )
        # Small payouts are granted at once, larger ones wait for a person.
        expected = "approved" if cap <= CustomerContext.auto_approve_minor else "pending"
        assert (amount, status) == (cap, expected)


def test_restart_in_the_middle_ends_the_same(new_city) -> None:
    """Stopping after 30 minutes and resuming in a new simulator to 60 minutes writes what
    one uninterrupted run to 60 minutes writes."""
    straight, restarted = new_city(), new_city()
    sim = simulator(straight)
    end = sim.clock + timedelta(minutes=60)
    sim.run(end)
    first = simulator(restarted)
    first.run(first.clock + timedelta(minutes=30))
    del first
    simulator(restarted).run(end)
    assert store_state(straight) == store_state(restarted)


def test_resume_with_other_settings_is_refused(new_city) -> None:
    """A simulation resumes only with the settings it started with."""
    engine = new_city()
    run_for(engine, 1)
    with pytest.raises(SimulationError, match="settings"):
        Simulator(engine, SimSettings(seed=99), name="test", timezone=TIMEZONE)


def test_an_empty_store_is_refused(engine) -> None:
    """There is nothing to simulate before a city is seeded; the error says what to do."""
    with pytest.raises(SimulationError, match="run `longcat seed` first"):
        Simulator(engine, SETTINGS, name="test", timezone=TIMEZONE)


def test_unserved_orders_say_why(new_city) -> None:
    """With no courier on shift, orders are given up after their latest time, with reasons."""
    engine = new_city()
    with engine.begin() as conn:
        conn.execute(update(Courier).values(shift_start=None, shift_end=None, status="off_shift"))
    sim = run_for(engine, 150)
    with engine.connect() as conn:
        reasons = conn.scalars(
            select(Order.cancel_reason).where(
                Order.placed_at >= sim.started_at, Order.status == OrderStatus.CANCELLED
            )
        ).all()
    assert any(r.startswith(UNSERVED_PREFIX + "no courier") for r in reasons)


def test_a_stop_at_real_time_speed_comes_within_a_moment(new_city) -> None:
    """At 1x a tick lasts 30 wall seconds; asked to stop, the run ends well before that,
    marked stopped, with the tick it had written kept."""
    import threading
    import time

    from db.models import Simulation

    engine = new_city()
    sim = simulator(engine)
    start = sim.clock
    asked = threading.Event()
    threading.Timer(0.5, asked.set).start()
    began = time.monotonic()
    sim.run(start + timedelta(hours=1), speed=1.0, should_stop=asked.is_set)
    assert time.monotonic() - began < 10
    with engine.connect() as conn:
        row = conn.execute(select(Simulation.status, Simulation.clock)).one()
    assert row.status == "stopped"
    assert row.clock == start + timedelta(seconds=SETTINGS.tick_s)
