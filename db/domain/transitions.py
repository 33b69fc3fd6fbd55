"""Every change of an order's state, each one function that checks and applies it in the
caller's transaction (a Connection or an ORM Session) and writes the status history.

A change from a status it does not allow raises IllegalTransition. A call about several
orders may have changed some before it raises; every writer runs inside a transaction that
the exception rolls back, so nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, delete, insert, select, update
from sqlalchemy.orm import Session

from db.bulk import sync_sequences, upsert
from db.domain.status import ALLOWED_FROM, OrderStatus, history
from db.models import Assignment, Order, OrderEvent

Db = Connection | Session


class IllegalTransition(ValueError):
    """The order is not in a status the change may start from."""

    def __init__(self, action: str, order_id: int, status: str | None) -> None:
        now = f"is {status}" if status is not None else "does not exist"
        allowed = ", ".join(ALLOWED_FROM[action])
        super().__init__(f"order {order_id}: cannot {action.replace('_', ' ')} it: it {now} "
                         f"(allowed from {allowed})")  # fmt: skip
        self.action, self.order_id, self.status = action, order_id, status


def place(db: Db, rows: list[dict[str, Any]], *, actor: str) -> None:
    """New orders (rows of the orders table with their ids), placed at their ``placed_at``."""
    if not rows:
        return
    db.execute(insert(Order), [{**row, "status": OrderStatus.PLACED.value} for row in rows])
    sync_sequences(db.connection() if isinstance(db, Session) else db, [Order.__table__])
    db.execute(
        insert(OrderEvent),
        [{"order_id": r["id"], "status": OrderStatus.PLACED, "at": r["placed_at"], "actor": actor}
         for r in rows],
    )  # fmt: skip


def record(db: Connection, rows: list[dict[str, Any]], *, actor: str) -> None:
    """Orders as a record states them (a CSV import): each row written as given, by id, so
    importing the same file twice changes nothing, with the status history its times tell
    in place of the one before."""
    if not rows:
        return
    db.execute(delete(OrderEvent).where(OrderEvent.order_id.in_([r["id"] for r in rows])))
    upsert(db, Order.__table__, rows, keys=["id"])
    events = [
        {"order_id": r["id"], "status": status, "at": at, "actor": actor}
        for r in rows
        for status, at in history(r)
    ]
    db.execute(insert(OrderEvent), events)


def confirm(db: Db, order_id: int, *, at: datetime, ready_at: datetime, actor: str) -> None:
    """The merchant accepted the order; the food is ready at ``ready_at``."""
    _apply(db, "confirm", [order_id], at, actor,
           status=OrderStatus.CONFIRMED, confirmed_at=at, ready_at=ready_at)  # fmt: skip


def assign(db: Db, order_id: int, courier_id: int, *, at: datetime, actor: str) -> None:
    """Give the order to a courier (or another one). A placed order stays placed: the
    merchant has not accepted it yet."""
    placed = Order.status == OrderStatus.PLACED
    status = case((placed, OrderStatus.PLACED.value), else_=OrderStatus.ASSIGNED.value)
    _apply(db, "assign", [order_id], at, actor,
           status=status, courier_id=courier_id, assigned_at=at)  # fmt: skip


def pick_up(db: Db, order_id: int, courier_id: int, *, at: datetime, actor: str) -> None:
    _apply(db, "pick_up", [order_id], at, actor,
           status=OrderStatus.PICKED_UP, picked_up_at=at, courier_id=courier_id)  # fmt: skip


def deliver(db: Db, order_id: int, *, at: datetime, actor: str) -> None:
    _apply(db, "deliver", [order_id], at, actor, status=OrderStatus.DELIVERED, delivered_at=at)
    _end_assignments(db, [order_id])


def cancel(db: Db, order_id: int, *, at: datetime, reason: str, fee_minor: int, actor: str) -> None:
    """Cancel an order not yet picked up; its courier, if any, is freed."""
    _apply(db, "cancel", [order_id], at, actor,
           status=OrderStatus.CANCELLED, cancelled_at=at, cancel_reason=reason,
           cancel_fee_minor=fee_minor, courier_id=None, assigned_at=None)  # fmt: skip
    _end_assignments(db, [order_id])


def release(db: Db, order_ids: Iterable[int], *, at: datetime, actor: str) -> None:
    """Assigned orders lose their courier and wait for the next round, as when a courier
    gives an order up or a plan leaves it unserved."""
    ids = list(order_ids)
    _apply(db, "release", ids, at, actor,
           status=OrderStatus.CONFIRMED, courier_id=None, assigned_at=None)  # fmt: skip
    _end_assignments(db, ids)


def redispatch(db: Db, order_id: int, *, at: datetime, actor: str) -> OrderStatus:
    """The order's drop-off changed: its planned route goes to the old address, so it is
    freed for the next round (an assigned order goes back to confirmed). Returns the status
    it has now."""
    status = _status(db, order_id)
    if status not in ALLOWED_FROM["redispatch"]:
        raise IllegalTransition("redispatch", order_id, status)
    if status == OrderStatus.ASSIGNED:
        release(db, [order_id], at=at, actor=actor)
        return OrderStatus.CONFIRMED
    _end_assignments(db, [order_id])
    return OrderStatus(status)


def _apply(
    db: Db, action: str, order_ids: list[int], at: datetime, actor: str, **values: Any
) -> None:
    if not order_ids:
        return
    allowed = ALLOWED_FROM[action]
    # Plain strings go into the row: a loaded ORM object takes these values, and an enum
    # member there would travel on into tool results and checkpoints.
    values = {k: v.value if isinstance(v, OrderStatus) else v for k, v in values.items()}
    changed = db.execute(
        update(Order)
        .where(Order.id.in_(order_ids), Order.status.in_(allowed))
        .values(**values)
        .returning(Order.id, Order.status)
        .execution_options(synchronize_session="fetch")
    ).all()
    if len(changed) != len(set(order_ids)):
        done = {row[0] for row in changed}
        refused = min(i for i in order_ids if i not in done)
        raise IllegalTransition(action, refused, _status(db, refused))
    db.execute(
        insert(OrderEvent),
        [{"order_id": i, "status": str(s), "at": at, "actor": actor} for i, s in changed],
    )


def _status(db: Db, order_id: int) -> str | None:
    return db.execute(select(Order.status).where(Order.id == order_id)).scalar_one_or_none()


def _end_assignments(db: Db, order_ids: list[int]) -> None:
    db.execute(
        update(Assignment)
        .where(Assignment.active, Assignment.order_id.in_(order_ids))
        .values(active=False)
        .execution_options(synchronize_session="fetch")
    )
