"""Reads scoped to one customer: an order of someone else is simply not found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.customer.policy import Disc
from db.domain.status import OPEN
from db.models import Assignment, Compensation, Merchant, Order, Zone
from db.queries import expected_arrival


def owned_order(session: Session, customer_id: int, order_id: int) -> Order | None:
    order = session.get(Order, order_id)
    return order if order is not None and order.customer_id == customer_id else None


def open_orders(session: Session, customer_id: int) -> list[Order]:
    return list(
        session.scalars(
            select(Order)
            .where(Order.customer_id == customer_id, Order.status.in_(OPEN))
            .order_by(Order.placed_at.desc(), Order.id.desc())
        )
    )


def latest_order(session: Session, customer_id: int, status: str | None = None) -> Order | None:
    query = select(Order).where(Order.customer_id == customer_id)
    if status is not None:
        query = query.where(Order.status == status)
    return session.scalars(query.order_by(Order.placed_at.desc(), Order.id.desc()).limit(1)).first()


def active_assignment(session: Session, order_id: int) -> Assignment | None:
    return session.scalars(
        select(Assignment).where(Assignment.order_id == order_id, Assignment.active)
    ).first()


def eta(session: Session, order: Order) -> tuple[datetime, str]:
    """When the order should arrive and where that figure comes from (the same figure the
    tracking page shows)."""
    when, source = expected_arrival(session, order)
    return (when or order.promised_at), source


def merchant_name(session: Session, order: Order) -> str:
    merchant = session.get(Merchant, order.merchant_id)
    return merchant.name if merchant else ""


def compensation_for(session: Session, order_id: int) -> Compensation | None:
    return session.scalars(select(Compensation).where(Compensation.order_id == order_id)).first()


def delivery_discs(session: Session) -> list[Disc]:
    return [Disc(z.center_lat, z.center_lon, z.radius_km) for z in session.scalars(select(Zone))]


def zone_by_name(session: Session, text: str) -> Zone | None:
    """A zone whose name appears in the text: a coarse location when no pin was sent."""
    lowered = text.lower()
    for zone in session.scalars(select(Zone).order_by(Zone.id)):
        if zone.name.lower() in lowered:
            return zone
    return None
