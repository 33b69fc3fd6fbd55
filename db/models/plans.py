"""Versioned route plans and the assignments of orders to couriers inside them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, one_of

PLAN_STATUSES = ("active", "superseded", "discarded")


class RoutePlan(Base):
    __tablename__ = "route_plans"
    __table_args__ = (one_of("status", PLAN_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    cost: Mapped[float | None]
    details: Mapped[dict[str, Any] | None]


class Assignment(Base):
    """An order placed on a courier's route; at most one active assignment per order."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("sequence >= 0", name="sequence_non_negative"),
        # Enforced by the database so that no code path, however buggy, gives one
        # order to two couriers.
        Index(
            "uq_assignments_active_order",
            "order_id",
            unique=True,
            sqlite_where=text("active = 1"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("route_plans.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    courier_id: Mapped[int] = mapped_column(ForeignKey("couriers.id"), index=True)
    sequence: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    eta_pickup: Mapped[datetime | None]
    eta_dropoff: Mapped[datetime | None]
    created_at: Mapped[datetime]


class PlanProposal(Base):
    """A solved dispatch round waiting for an operator's yes; any process can commit it."""

    __tablename__ = "plan_proposals"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]]
    # Wall time until which automatic rounds leave the proposal's zone alone (None: never
    # held), so the operator looking at it can commit it.
    held_until: Mapped[datetime | None]
