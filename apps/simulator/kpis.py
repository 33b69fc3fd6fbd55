"""The figures an operations manager judges a day by, read back from the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from apps.simulator.tick import UNSERVED_PREFIX
from db.domain.status import OrderStatus
from db.models import Compensation, Order

KPI_NAMES = (
    "orders",
    "delivered",
    "cancelled",
    "unserved",
    "on_time_rate",
    "avg_delivery_min",
    "p90_delivery_min",
    "courier_utilisation",
    "compensation_total",
)


@dataclass(frozen=True)
class Kpis:
    orders: int
    delivered: int
    cancelled: int  # by the customer
    unserved: int  # given up by dispatch, with the reason in cancel_reason
    open: int  # still under way when the figures were taken
    on_time_rate: float | None  # share of delivered orders at or before the promise
    avg_delivery_min: float | None  # placed to delivered
    p90_delivery_min: float | None
    courier_utilisation: float | None  # courier-time with work over courier-time on shift
    compensation_total: float  # yuan granted for orders of the window

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def kpis(
    engine: Engine, start: datetime, end: datetime, counters: dict[str, dict[str, float]]
) -> Kpis:
    """Figures for the orders placed in [start, end); utilisation from the day counters."""
    with Session(engine) as session:
        rows = session.execute(
            select(
                Order.status, Order.placed_at, Order.promised_at, Order.delivered_at,
                Order.cancel_reason,
            ).where(Order.placed_at >= start, Order.placed_at < end)
        ).all()  # fmt: skip
        paid = session.execute(
            select(func.coalesce(func.sum(Compensation.amount_minor), 0))
            .join(Order, Order.id == Compensation.order_id)
            .where(Order.placed_at >= start, Order.placed_at < end)
            # Granted or still to be decided; a rejected claim costs nothing.
            .where(Compensation.status != "rejected")
        ).scalar_one()
    delivered = [r for r in rows if r.status == OrderStatus.DELIVERED]
    unserved = sum(
        r.status == OrderStatus.CANCELLED and (r.cancel_reason or "").startswith(UNSERVED_PREFIX)
        for r in rows
    )
    cancelled = sum(r.status == OrderStatus.CANCELLED for r in rows) - unserved
    minutes = np.array([(r.delivered_at - r.placed_at).total_seconds() / 60 for r in delivered])
    on_time = sum(r.delivered_at <= r.promised_at for r in delivered)
    on_shift = sum(c.get("on_shift_s", 0.0) for c in counters.values())
    busy = sum(c.get("busy_s", 0.0) for c in counters.values())
    return Kpis(
        orders=len(rows),
        delivered=len(delivered),
        cancelled=cancelled,
        unserved=unserved,
        open=len(rows) - len(delivered) - cancelled - unserved,
        on_time_rate=round(on_time / len(delivered), 4) if delivered else None,
        avg_delivery_min=round(float(minutes.mean()), 2) if delivered else None,
        p90_delivery_min=round(float(np.percentile(minutes, 90)), 2) if delivered else None,
        courier_utilisation=round(busy / on_shift, 4) if on_shift else None,
        compensation_total=round(int(paid) / 100, 2),
    )
