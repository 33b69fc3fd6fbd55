"""Every change of an order's state goes through db.domain.transitions: each is applied
from the statuses it allows, with its history row, and refused from every other status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.orm import Session

from db.domain import transitions as t
from db.domain.status import ALLOWED_FROM, OrderStatus
from db.models import Assignment, Courier, Order, OrderEvent

AT = datetime(2026, 11, 27, 4, 35, tzinfo=UTC)

Change = Callable[[Connection, int, int], object]
CHANGES: dict[str, Change] = {
    "confirm": lambda db, o, c: t.confirm(
        db, o, at=AT, ready_at=AT + timedelta(minutes=9), actor="merchant"
    ),
    "assign": lambda db, o, c: t.assign(db, o, c, at=AT, actor="test"),
    "pick_up": lambda db, o, c: t.pick_up(db, o, c, at=AT, actor="test"),
    "deliver": lambda db, o, c: t.deliver(db, o, at=AT, actor="test"),
    "cancel": lambda db, o, c: t.cancel(db, o, at=AT, reason="test", fee_minor=0, actor="test"),
    "release": lambda db, o, c: t.release(db, [o], at=AT, actor="test"),
    "redispatch": lambda db, o, c: t.redispatch(db, o, at=AT, actor="test"),
}


def _order_and_courier(conn: Connection) -> tuple[int, int]:
    order_id = conn.scalar(select(Order.id).order_by(Order.id).limit(1))
    courier_id = conn.scalar(select(Courier.id).order_by(Courier.id).limit(1))
    assert order_id is not None and courier_id is not None
    return order_id, courier_id


def _expected(action: str, before: OrderStatus) -> OrderStatus:
    if action == "assign":
        return OrderStatus.PLACED if before == OrderStatus.PLACED else OrderStatus.ASSIGNED
    if action == "redispatch":
        return OrderStatus.CONFIRMED if before == OrderStatus.ASSIGNED else before
    return {
        "confirm": OrderStatus.CONFIRMED,
        "assign": OrderStatus.ASSIGNED,
        "pick_up": OrderStatus.PICKED_UP,
        "deliver": OrderStatus.DELIVERED,
        "cancel": OrderStatus.CANCELLED,
        "release": OrderStatus.CONFIRMED,
        "redispatch": OrderStatus.CONFIRMED,
    }[action]


def _apply_from(conn: Connection, action: str, status: OrderStatus, ids: tuple[int, int]) -> None:
    order_id, courier_id = ids
    conn.execute(update(Order).where(Order.id == order_id).values(status=status))
    before = conn.scalar(select(OrderEvent.id).order_by(OrderEvent.id.desc()).limit(1))
    if status not in ALLOWED_FROM[action]:
        with pytest.raises(t.IllegalTransition, match=f"order {order_id}: .* is {status} "):
            CHANGES[action](conn, order_id, courier_id)
        return
    CHANGES[action](conn, order_id, courier_id)
    now = conn.scalar(select(Order.status).where(Order.id == order_id))
    assert now == _expected(action, status), (action, status)
    history = conn.execute(
        select(OrderEvent.status, OrderEvent.at).where(
            OrderEvent.order_id == order_id, OrderEvent.id > before
        )
    ).all()
    quiet = action == "redispatch" and status != OrderStatus.ASSIGNED
    assert [h.status for h in history] == ([] if quiet else [now]), (action, status)
    if action in ("deliver", "cancel", "release", "redispatch"):
        active = select(Assignment.id).where(Assignment.order_id == order_id, Assignment.active)
        assert conn.scalar(active) is None, (action, status)


@pytest.mark.parametrize("action", sorted(CHANGES))
def test_each_change_applies_from_the_statuses_it_allows_and_no_other(
    seeded_engine: Engine, action: str
) -> None:
    """From each of the six statuses the change either applies (the new status, one history
    row, the courier's assignment ended where the order leaves the courier) or raises
    IllegalTransition naming the order and the status it is in."""
    assert set(CHANGES) == set(ALLOWED_FROM)
    with seeded_engine.connect() as conn:
        ids = _order_and_courier(conn)
        conn.rollback()
        for status in OrderStatus:
            with conn.begin() as tx:
                _apply_from(conn, action, status, ids)
                tx.rollback()


def test_a_missing_order_is_refused(seeded_engine: Engine) -> None:
    """A change to an order that does not exist says so."""
    with seeded_engine.begin() as conn, pytest.raises(t.IllegalTransition, match="not exist"):
        t.deliver(conn, 10**9, at=AT, actor="test")


def test_changes_through_an_orm_session_update_the_loaded_order(seeded_engine: Engine) -> None:
    """Agent tools hold the order as an ORM object: after a cancel through the session, the
    object shows the new status without a reload, and the commit keeps it."""
    with Session(seeded_engine) as session, session.begin():
        order = session.scalars(select(Order).where(Order.status == OrderStatus.ASSIGNED)).first()
        assert order is not None
        t.cancel(session, order.id, at=AT, reason="by the customer", fee_minor=120, actor="c")
        assert (order.status, order.cancel_fee_minor, order.courier_id) == ("cancelled", 120, None)
        # A plain string, not the enum: it travels on into tool results and checkpoints.
        assert type(order.status) is str
        order_id = order.id
    with seeded_engine.connect() as conn:
        assert conn.scalar(select(Order.status).where(Order.id == order_id)) == "cancelled"


def test_a_release_of_several_orders_refuses_all_when_one_is_not_assigned(
    seeded_engine: Engine,
) -> None:
    """Handing back several orders where one is already picked up raises, and the caller's
    transaction leaves every order as it was."""
    with seeded_engine.connect() as conn:
        assigned = list(
            conn.scalars(select(Order.id).where(Order.status == OrderStatus.ASSIGNED).limit(3))
        )
        carried = conn.scalar(select(Order.id).where(Order.status == OrderStatus.PICKED_UP))
    assert len(assigned) == 3 and carried is not None
    with pytest.raises(t.IllegalTransition, match=f"order {carried}"), seeded_engine.begin() as c:
        t.release(c, [*assigned, carried], at=AT, actor="test")
    with seeded_engine.connect() as conn:
        statuses = conn.scalars(select(Order.status).where(Order.id.in_(assigned)))
        assert set(statuses) == {"assigned"}
