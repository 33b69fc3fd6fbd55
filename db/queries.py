"""Queries as functions over a session; entry points call these instead of writing SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from db.models import (
    ORDER_STATUSES,
    Assignment,
    Courier,
    Customer,
    DemandObservation,
    Merchant,
    Order,
    OrderEvent,
    Zone,
)
from db.schemas import OrderOut, StatusStep, StoreStats


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def store_stats(session: Session) -> StoreStats:
    by_status = dict(
        session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
    )
    delivered = select(Order).where(Order.status == "delivered").subquery()
    late = session.scalar(
        select(func.avg(func.cast(delivered.c.delivered_at > delivered.c.promised_at, Integer())))
    )
    first, last = session.execute(
        select(func.min(Order.placed_at), func.max(Order.placed_at))
    ).one()
    return StoreStats(
        zones=_count(session, Zone),
        merchants=_count(session, Merchant),
        customers=_count(session, Customer),
        couriers=_count(session, Courier),
        couriers_on_shift=session.scalar(
            select(func.count()).select_from(Courier).where(Courier.status != "off_shift")
        )
        or 0,
        orders=sum(by_status.values()),
        orders_by_status={s: by_status.get(s, 0) for s in ORDER_STATUSES},
        first_order_at=first,
        last_order_at=last,
        late_share=None if late is None else round(float(late), 4),
        demand_observations=_count(session, DemandObservation),
        active_assignments=session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.active)
        )
        or 0,
    )


def _with_history(session: Session, orders: Sequence[Order]) -> list[OrderOut]:
    history: dict[int, list[StatusStep]] = defaultdict(list)
    if orders:
        events = session.scalars(
            select(OrderEvent)
            .where(OrderEvent.order_id.in_([o.id for o in orders]))
            .order_by(OrderEvent.order_id, OrderEvent.at, OrderEvent.id)
        )
        for event in events:
            history[event.order_id].append(StatusStep.model_validate(event))
    return [
        OrderOut.model_validate({**_columns(o), "status_history": history[o.id]}) for o in orders
    ]


def _columns(order: Order) -> dict[str, object]:
    return {c.key: getattr(order, c.key) for c in Order.__table__.columns}


def get_order(session: Session, order_id: int) -> OrderOut | None:
    order = session.get(Order, order_id)
    return None if order is None else _with_history(session, [order])[0]


def list_orders(
    session: Session,
    *,
    status: str | None = None,
    customer_id: int | None = None,
    limit: int = 50,
) -> list[OrderOut]:
    """Newest orders first, optionally of one status and one customer."""
    query = select(Order).order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Order.status == status)
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    return _with_history(session, session.scalars(query).all())
