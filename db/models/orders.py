"""Orders and their status history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.domain.status import ORDER_STATUSES
from db.models.base import Base, latitude, longitude, non_negative, one_of


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        one_of("status", ORDER_STATUSES),
        latitude("dropoff_lat"),
        longitude("dropoff_lon"),
        non_negative("subtotal_minor"),
        non_negative("delivery_fee_minor"),
        non_negative("cancel_fee_minor"),
        CheckConstraint("promised_at > placed_at", name="promised_after_placed"),
        Index("ix_orders_status_placed_at", "status", "placed_at"),
        Index("ix_orders_zone_id_placed_at", "zone_id", "placed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    courier_id: Mapped[int | None] = mapped_column(ForeignKey("couriers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    items: Mapped[list[Any]]
    subtotal_minor: Mapped[int]
    delivery_fee_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    dropoff_address: Mapped[str] = mapped_column(String(400))
    dropoff_lat: Mapped[float]
    dropoff_lon: Mapped[float]
    placed_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    promised_at: Mapped[datetime]
    assigned_at: Mapped[datetime | None]
    picked_up_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancel_fee_minor: Mapped[int | None]


class OrderEvent(Base):
    """One step of an order's status history."""

    __tablename__ = "order_events"
    __table_args__ = (one_of("status", ORDER_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64), default="system")
