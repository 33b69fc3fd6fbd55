"""A dispatcher's own move: previewed by the routing model, committed compare-and-set and
audited; two dispatchers moving the same order at once: one wins, the other is told why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from db.domain.status import OrderStatus
from db.domain.transitions import IllegalTransition
from db.models import Assignment, AuditEntry, Courier, Order
from routing.service.dispatch import PlanConflictError
from routing.service.manual import ManualMove, commit_move, preview_move, unassign
from tests.conftest import TEST_NOW

NOW = TEST_NOW + timedelta(minutes=1)
ZONE = "Asia/Shanghai"


def _assigned_and_others(engine: Engine) -> tuple[Order, list[int]]:
    """An assigned order and the other on-shift couriers of its zone."""
    with engine.connect() as conn:
        order = conn.execute(
            select(Order).where(Order.status == OrderStatus.ASSIGNED).order_by(Order.id)
        ).first()
        assert order is not None
        others = conn.scalars(
            select(Courier.id)
            .where(Courier.zone_id == order.zone_id, Courier.status != "off_shift")
            .where(Courier.id != order.courier_id, Courier.shift_end > NOW + timedelta(hours=1))
            .order_by(Courier.id)
        ).all()
    return order, list(others)


def _feasible(engine: Engine, order_id: int, couriers: list[int]) -> list[ManualMove]:
    moves = [preview_move(engine, order_id, c, now=NOW, timezone=ZONE) for c in couriers]
    return [m for m in moves if m.feasible]


def test_a_previewed_move_commits_and_is_audited(seeded_engine: Engine) -> None:
    """The preview lists the courier's route with the order's pickup and drop-off in it;
    the commit puts the order on that courier and names the operator in the audit log."""
    order, others = _assigned_and_others(seeded_engine)
    move = _feasible(seeded_engine, order.id, others)[0]
    kinds = [(s.order_id, s.kind) for s in move.stops]
    assert (order.id, "pickup") in kinds and (order.id, "dropoff") in kinds
    assert kinds.index((order.id, "pickup")) < kinds.index((order.id, "dropoff"))
    result = commit_move(seeded_engine, move, "wang.fang")
    assert result.version is not None
    with seeded_engine.connect() as conn:
        now_on = conn.scalar(
            select(Assignment.courier_id).where(Assignment.order_id == order.id, Assignment.active)
        )
        actor = conn.scalar(select(AuditEntry.actor).order_by(AuditEntry.id.desc()))
    assert now_on == move.courier_id and actor == "dashboard:wang.fang"


def test_two_dispatchers_moving_one_order_exactly_one_wins(seeded_engine: Engine) -> None:
    """Both preview on the same plan; the first commit wins, the second is refused with the
    plan version that overtook it, and the order stays where the winner put it."""
    order, others = _assigned_and_others(seeded_engine)
    first, second = _feasible(seeded_engine, order.id, others)[:2]
    won = commit_move(seeded_engine, first, "wang.fang")
    with pytest.raises(PlanConflictError, match=f"plan version {won.version} was committed"):
        commit_move(seeded_engine, second, "li.lei")
    with seeded_engine.connect() as conn:
        holder = conn.scalar(select(Order.courier_id).where(Order.id == order.id))
    assert holder == first.courier_id


def test_a_closed_order_is_refused_before_any_solve(seeded_engine: Engine) -> None:
    """A delivered order cannot be sent to a courier; the preview says why, and a commit
    of it is refused naming the field."""
    with seeded_engine.connect() as conn:
        done = conn.scalar(select(Order.id).where(Order.status == OrderStatus.DELIVERED))
        courier = conn.scalar(select(Courier.id).where(Courier.status != "off_shift"))
    assert done is not None and courier is not None
    move = preview_move(seeded_engine, done, courier, now=NOW, timezone=ZONE)
    assert not move.feasible and f"order {done} is delivered" in (move.refusal or "")
    with pytest.raises(ValueError, match="order_id: "):
        commit_move(seeded_engine, move, "wang.fang")


def test_unassign_frees_an_assigned_order_and_refuses_a_carried_one(
    seeded_engine: Engine,
) -> None:
    """Unassign returns an assigned order to the queue with its assignment ended; an order
    already in a bag is refused with its status."""
    order, _ = _assigned_and_others(seeded_engine)
    unassign(seeded_engine, order.id, "wang.fang", NOW)
    with seeded_engine.connect() as conn:
        status = conn.scalar(select(Order.status).where(Order.id == order.id))
        active = conn.scalar(
            select(Assignment.id).where(Assignment.order_id == order.id, Assignment.active)
        )
        carried = conn.scalar(select(Order.id).where(Order.status == OrderStatus.PICKED_UP))
    assert (status, active) == (OrderStatus.CONFIRMED, None)
    with pytest.raises(IllegalTransition, match="picked_up"):
        unassign(seeded_engine, carried, "wang.fang", NOW)
