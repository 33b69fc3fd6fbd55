"""Queries as functions over a session; entry points call these instead of writing SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Integer, func, select
from sqlalchemy.orm import Session

from db.clock import store_now
from db.domain.status import ORDER_STATUSES, OrderStatus
from db.models import (
    Assignment,
    Base,
    Conversation,
    Courier,
    Customer,
    DemandObservation,
    Merchant,
    Order,
    OrderEvent,
    Ticket,
    Zone,
)
from db.schemas import CourierPosition, OrderOut, StatusStep, StoreStats, TrackItem, TrackOut

# The tables the operator API pages through by id.
Paged = TypeVar("Paged", Courier, Ticket, Conversation)


def _count(session: Session, model: type[Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def store_stats(session: Session) -> StoreStats:
    by_status = dict(
        session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
    )
    delivered = select(Order).where(Order.status == OrderStatus.DELIVERED).subquery()
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


def expected_arrival(session: Session, order: Order) -> tuple[datetime | None, str]:
    """When the order arrives (or did) and where the figure comes from: the delivery itself,
    the active route plan, or the promise; none once cancelled. The tracking page, the
    chat and ``longcat order show`` all tell this one."""
    if order.status == OrderStatus.CANCELLED:
        return None, "cancelled"
    if order.delivered_at is not None:
        return order.delivered_at, "delivered"
    planned = session.scalar(
        select(Assignment.eta_dropoff).where(Assignment.order_id == order.id, Assignment.active)
    )
    if planned is not None and order.status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP):
        return planned, "route_plan"
    return order.promised_at, "promised"


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
        OrderOut.model_validate(
            {
                **_columns(o),
                "status_history": history[o.id],
                "eta": expected_arrival(session, o)[0],
            }
        )
        for o in orders
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


def track_order(
    session: Session, order_id: int, timezone: str = "UTC", now: datetime | None = None
) -> TrackOut | None:
    """The tracking view of an order: timeline, courier position and ETA from the active plan
    (none once cancelled), with the store's now and the city's zone to show it in."""
    row = session.execute(
        select(Order, Merchant, Customer.language)
        .join(Merchant, Merchant.id == Order.merchant_id)
        .join(Customer, Customer.id == Order.customer_id)
        .where(Order.id == order_id)
    ).one_or_none()
    if row is None:
        return None
    order, merchant, language = row
    [detail] = _with_history(session, [order])
    courier = None
    if order.courier_id is not None and order.status in (
        OrderStatus.ASSIGNED,
        OrderStatus.PICKED_UP,
    ):
        c = session.get_one(Courier, order.courier_id)
        courier = CourierPosition(
            id=c.id,
            name=c.name,
            first_name=given_name(c.name),
            vehicle_type=c.vehicle_type,
            lat=c.last_lat,
            lon=c.last_lon,
            seen_at=c.last_seen_at,
        )
    return TrackOut(
        order_id=order.id,
        status=order.status,
        placed_at=order.placed_at,
        promised_at=order.promised_at,
        eta=detail.eta,
        delivered_at=order.delivered_at,
        merchant=merchant.name,
        merchant_lat=merchant.lat,
        merchant_lon=merchant.lon,
        dropoff_address=order.dropoff_address,
        dropoff_lat=order.dropoff_lat,
        dropoff_lon=order.dropoff_lon,
        courier=courier,
        timeline=detail.status_history,
        now=now or store_now(session),
        timezone=timezone,
        language=language or "en",
        items=[
            TrackItem(name=str(i.get("name", "")), qty=int(i.get("qty", 1)))
            for i in order.items or []
            if isinstance(i, dict)
        ],
    )


def given_name(full: str) -> str:
    """The name a customer is told: couriers are named family name first, as in China
    (杨磊, Yang Lei), so it is what follows the family name; a single word is kept."""
    full = full.strip()
    if full and all("\u4e00" <= ch <= "\u9fff" for ch in full):
        return full[1:] if len(full) > 1 else full
    words = full.split()
    return " ".join(words[1:]) if len(words) > 1 else full


def page_orders(
    session: Session, *, status: str | None, zone_id: int | None, limit: int, offset: int
) -> tuple[int, list[OrderOut]]:
    """One page of orders, newest first, and how many match in all."""
    filters = []
    if status is not None:
        filters.append(Order.status == status)
    if zone_id is not None:
        filters.append(Order.zone_id == zone_id)
    total = session.scalar(select(func.count()).select_from(Order).where(*filters)) or 0
    rows = session.scalars(
        select(Order)
        .where(*filters)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return total, _with_history(session, rows)


def page_rows(
    session: Session,
    model: type[Paged],
    *,
    limit: int,
    offset: int,
    filters: Sequence[ColumnElement[bool]] = (),
) -> tuple[int, list[Paged]]:
    """One page of any table by id, and how many rows match in all."""
    total = session.scalar(select(func.count()).select_from(model).where(*filters)) or 0
    rows = session.scalars(
        select(model).where(*filters).order_by(model.id).limit(limit).offset(offset)
    ).all()
    return total, list(rows)
