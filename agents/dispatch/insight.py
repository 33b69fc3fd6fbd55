"""Read-only answers for operators, straight from the store.

Demand and staffing prefer the forecasting service's output (``forecasts``,
``staffing_plans``); when no run covers the window they fall back to averages of the
same weekday and hours in the recent history, and say so in ``source``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.dispatch.intents import LOCAL_TZ
from db.models import (
    Assignment,
    DemandObservation,
    Forecast,
    ForecastRun,
    Order,
    StaffingPlan,
    StaffingPlanRow,
    Zone,
)

HISTORY_WEEKS = 4
# Fallback productivity when no staffing plan exists: orders one courier delivers per hour
# at peak in the seeded city (an assumption, shown with every answer that uses it).
ORDERS_PER_COURIER_HOUR = 2.5
HISTORY_SOURCE = f"history average of the same weekday, last {HISTORY_WEEKS} weeks (fallback)"


@dataclass(frozen=True)
class Window:
    day: date
    start_hour: int
    end_hour: int

    def utc_hours(self) -> list[datetime]:
        first = datetime.combine(self.day, time(self.start_hour), LOCAL_TZ)
        return [
            (first + timedelta(hours=h)).astimezone(UTC)
            for h in range(self.end_hour - self.start_hour)
        ]


def zone_ids(session: Session, zone_id: int | None) -> list[int]:
    ids = list(session.scalars(select(Zone.id).order_by(Zone.id)))
    return ids if zone_id is None else [z for z in ids if z == zone_id]


def unassigned_orders(session: Session, zone_id: int | None) -> list[int]:
    active = select(Assignment.order_id).where(Assignment.active)
    query = (
        select(Order.id)
        .where(Order.status.in_(("placed", "confirmed")), Order.id.not_in(active))
        .order_by(Order.id)
    )
    if zone_id is not None:
        query = query.where(Order.zone_id == zone_id)
    return list(session.scalars(query))


def _minutes(later: datetime | None, earlier: datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 60)


def explain_late(session: Session, order: Order, now: datetime) -> dict[str, object]:
    """How late the order is or will be, and which step took the time."""
    assignment = session.scalars(
        select(Assignment).where(Assignment.order_id == order.id, Assignment.active)
    ).first()
    arrival = order.delivered_at or (assignment.eta_dropoff if assignment else None)
    late_by = _minutes(arrival or now, order.promised_at)
    steps = {
        "accept_min": _minutes(order.confirmed_at, order.placed_at),
        "assign_min": _minutes(order.assigned_at, order.confirmed_at),
        "wait_for_food_min": _minutes(order.picked_up_at, order.ready_at),
        "ride_min": _minutes(order.delivered_at, order.picked_up_at),
    }
    reasons = []
    if steps["accept_min"] is not None and steps["accept_min"] > 5:
        reasons.append(f"the merchant took {steps['accept_min']} min to accept")
    if order.ready_at and order.ready_at > order.promised_at - timedelta(minutes=10):
        reasons.append(f"the food was ready only at {order.ready_at.astimezone(LOCAL_TZ):%H:%M}")
    if steps["assign_min"] is not None and steps["assign_min"] > 5:
        reasons.append(f"finding a courier took {steps['assign_min']} min")
    if order.status in ("placed", "confirmed") and assignment is None:
        reasons.append("it has no courier yet")
    if steps["ride_min"] is not None and steps["ride_min"] > 25:
        reasons.append(f"the ride took {steps['ride_min']} min")
    if assignment is not None and assignment.sequence > 0:
        reasons.append(
            f"it is stop {assignment.sequence + 1} on courier {assignment.courier_id}'s route"
        )
    return {
        "order_id": order.id,
        "order_status": order.status,
        "late_min": late_by if late_by and late_by > 0 else 0,
        "arrival": arrival.isoformat() if arrival else None,
        "arrival_source": "delivered"
        if order.delivered_at
        else ("route_plan" if arrival else None),
        "steps": steps,
        "reasons": reasons,
    }


def _forecast(session: Session, zones: list[int], hours: list[datetime]) -> list[float] | None:
    run = session.scalars(
        select(ForecastRun)
        .where(ForecastRun.status == "finished")
        .order_by(ForecastRun.created_at.desc())
    ).first()
    if run is None:
        return None
    totals = []
    for hour in hours:
        rows = session.scalars(
            select(Forecast.yhat).where(
                Forecast.run_id == run.id,
                Forecast.ds == hour,
                Forecast.series_id.in_([f"zone-{z}" for z in zones]),
            )
        ).all()
        if len(rows) < len(zones):
            return None
        totals.append(float(sum(rows)))
    return totals


def _history(session: Session, zones: list[int], hours: list[datetime]) -> list[float]:
    totals = []
    for hour in hours:
        same = [hour - timedelta(weeks=w) for w in range(1, HISTORY_WEEKS + 1)]
        rows = session.scalars(
            select(DemandObservation.orders).where(
                DemandObservation.zone_id.in_(zones), DemandObservation.hour.in_(same)
            )
        ).all()
        totals.append(sum(rows) / HISTORY_WEEKS)
    return totals


def expected_demand(session: Session, zone_id: int | None, window: Window) -> dict[str, object]:
    zones = zone_ids(session, zone_id)
    hours = window.utc_hours()
    per_hour = _forecast(session, zones, hours)
    source = "forecast"
    if per_hour is None:
        per_hour, source = _history(session, zones, hours), HISTORY_SOURCE
    return {
        "zone_id": zone_id,
        "day": window.day.isoformat(),
        "hours": f"{window.start_hour:02d}:00-{window.end_hour:02d}:00",
        "per_hour": [round(v, 1) for v in per_hour],
        "total": round(sum(per_hour)),
        "source": source,
    }


def couriers_needed(session: Session, zone_id: int | None, window: Window) -> dict[str, object]:
    zones = zone_ids(session, zone_id)
    hours = window.utc_hours()
    rows = session.scalars(
        select(StaffingPlanRow)
        .join(StaffingPlan, StaffingPlan.id == StaffingPlanRow.plan_id)
        .where(StaffingPlanRow.zone_id.in_(zones), StaffingPlanRow.hour.in_(hours))
        .order_by(StaffingPlan.created_at.desc())
    ).all()
    if len({(r.zone_id, r.hour) for r in rows}) == len(zones) * len(hours):
        needed = [sum(r.couriers_needed for r in rows if r.hour == h) for h in hours]
        source = "staffing plan"
    else:
        demand = expected_demand(session, zone_id, window)
        per_hour = demand["per_hour"]
        assert isinstance(per_hour, list)
        needed = [math.ceil(v / ORDERS_PER_COURIER_HOUR) for v in per_hour]
        source = f"{demand['source']}; {ORDERS_PER_COURIER_HOUR} orders per courier-hour"
    return {
        "zone_id": zone_id,
        "day": window.day.isoformat(),
        "hours": f"{window.start_hour:02d}:00-{window.end_hour:02d}:00",
        "per_hour": needed,
        "peak": max(needed) if needed else 0,
        "source": source,
    }
