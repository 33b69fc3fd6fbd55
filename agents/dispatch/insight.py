"""Read-only answers for operators, straight from the store, for an exact scope: zones
(None for the whole city) and a window of the city's local hours.

Forecasts and staffing plans are read through ``forecasting.reads`` (the served model
only, the newest plan of the day); hours already begun are counted from the orders
themselves. Every answer says where its numbers come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NotRequired, TypedDict, TypeVarTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from db.domain.status import OPEN, OrderStatus
from db.models import Assignment, Courier, Order, Zone
from forecasting import reads

HISTORY_WEEKS = 4
HISTORY_SOURCE = f"history average of the same weekday, last {HISTORY_WEEKS} weeks"

Zones = Sequence[int] | None  # None: the whole city

_Ts = TypeVarTuple("_Ts")


@dataclass(frozen=True)
class Window:
    day: date
    start_hour: int
    end_hour: int
    tz: ZoneInfo

    def utc_hours(self) -> list[datetime]:
        first = datetime.combine(self.day, time(self.start_hour), self.tz)
        return [
            (first + timedelta(hours=h)).astimezone(UTC)
            for h in range(self.end_hour - self.start_hour)
        ]

    def on(self, day: date) -> Window:
        return Window(day, self.start_hour, self.end_hour, self.tz)

    def label(self) -> str:
        return f"{self.day.isoformat()} {self.start_hour:02d}:00-{self.end_hour:02d}:00"


def zone_names(session: Session) -> dict[int, tuple[str, str | None]]:
    return {z.id: (z.name, z.name_zh) for z in session.scalars(select(Zone).order_by(Zone.id))}


def _in(query: Select[*_Ts], column: QueryableAttribute[int], zones: Zones) -> Select[*_Ts]:
    return query if zones is None else query.where(column.in_(list(zones)))


def couriers_on_shift(session: Session, zones: Zones) -> dict[str, object]:
    """Couriers on shift now (available or busy), by status and by zone."""
    query = _in(
        select(Courier.zone_id, Courier.status, func.count())
        .where(Courier.status != "off_shift")
        .group_by(Courier.zone_id, Courier.status),
        Courier.zone_id,
        zones,
    )
    by_status: dict[str, int] = {}
    by_zone: dict[int, int] = {}
    for zone_id, status, count in session.execute(query):
        by_status[status] = by_status.get(status, 0) + count
        by_zone[zone_id] = by_zone.get(zone_id, 0) + count
    return {
        "total": sum(by_status.values()),
        "available": by_status.get("available", 0),
        "busy": by_status.get("busy", 0),
        "by_zone": {str(k): v for k, v in sorted(by_zone.items())},
    }


def orders_today(session: Session, zones: Zones, now: datetime, tz: ZoneInfo) -> dict[str, object]:
    """Orders of the city's day so far: placed, delivered (and how many late), cancelled."""
    start = datetime.combine(now.astimezone(tz).date(), time(0), tz).astimezone(UTC)

    def count(*conditions: ColumnElement[bool]) -> int:
        query = _in(
            select(func.count()).select_from(Order).where(*conditions), Order.zone_id, zones
        )
        return int(session.scalar(query) or 0)

    delivered = (Order.status == OrderStatus.DELIVERED, Order.delivered_at >= start)
    return {
        "day": now.astimezone(tz).date().isoformat(),
        "placed": count(Order.placed_at >= start),
        "delivered": count(*delivered),
        "late": count(*delivered, Order.delivered_at > Order.promised_at),
        "cancelled": count(Order.status == OrderStatus.CANCELLED, Order.cancelled_at >= start),
    }


def unassigned_orders(session: Session, zones: Zones) -> list[int]:
    active = select(Assignment.order_id).where(Assignment.active)
    query = (
        select(Order.id)
        .where(
            Order.status.in_((OrderStatus.PLACED, OrderStatus.CONFIRMED)), Order.id.not_in(active)
        )
        .order_by(Order.id)
    )
    return list(session.scalars(_in(query, Order.zone_id, zones)))


def open_orders(session: Session, zones: Zones) -> dict[str, object]:
    query = _in(
        select(Order.status, func.count()).where(Order.status.in_(OPEN)).group_by(Order.status),
        Order.zone_id,
        zones,
    )
    by_status = {status: count for status, count in session.execute(query)}
    waiting = unassigned_orders(session, zones)
    return {
        "open": sum(by_status.values()),
        "by_status": by_status,
        "unassigned": len(waiting),
        "unassigned_ids": waiting,
    }


def late_orders(session: Session, zones: Zones, now: datetime) -> list[int]:
    """Open orders not yet picked up that are past their promise, or planned to be."""
    eta = dict(
        session.execute(
            select(Assignment.order_id, Assignment.eta_dropoff).where(Assignment.active)
        ).all()
    )
    query = _in(
        select(Order.id, Order.promised_at)
        .where(Order.status.in_((OrderStatus.CONFIRMED, OrderStatus.ASSIGNED)))
        .order_by(Order.id),
        Order.zone_id,
        zones,
    )
    return [
        order_id
        for order_id, promised in session.execute(query)
        if promised < now or ((planned := eta.get(order_id)) is not None and planned > promised)
    ]


def _minutes(later: datetime | None, earlier: datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 60)


def explain_late(session: Session, order: Order, now: datetime, tz: ZoneInfo) -> dict[str, object]:
    """How late the order is or will be, and which step took the time."""
    assignment = session.scalars(
        select(Assignment).where(Assignment.order_id == order.id, Assignment.active)
    ).first()
    eta = assignment.eta_dropoff if assignment else None
    arrival = order.delivered_at or max(eta or now, now)
    late_by = _minutes(arrival, order.promised_at) or 0
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
        reasons.append(f"the food was ready only at {order.ready_at.astimezone(tz):%H:%M}")
    if steps["assign_min"] is not None and steps["assign_min"] > 5:
        reasons.append(f"finding a courier took {steps['assign_min']} min")
    if order.status in (OrderStatus.PLACED, OrderStatus.CONFIRMED) and assignment is None:
        reasons.append("it has no courier yet")
    if steps["ride_min"] is not None and steps["ride_min"] > 25:
        reasons.append(f"the ride took {steps['ride_min']} min")
    if assignment is not None and assignment.sequence > 0:
        reasons.append(
            f"it is stop {assignment.sequence + 1} on courier {assignment.courier_id}'s route"
        )
    return {
        "order_id": order.id,
        "zone_id": order.zone_id,
        "order_status": order.status,
        "late_min": max(late_by, 0),
        "promised": order.promised_at.astimezone(tz).strftime("%H:%M"),
        "arrival": arrival.astimezone(tz).strftime("%H:%M"),
        "arrival_source": "delivered"
        if order.delivered_at
        else ("route plan" if eta and eta >= now else "now"),
        "steps": steps,
        "reasons": reasons,
    }


def _history(session: Session, zones: Zones, hour: datetime) -> float:
    same = [hour - timedelta(weeks=w) for w in range(1, HISTORY_WEEKS + 1)]
    counts = [reads.observed_orders(session, zones, h, h + timedelta(hours=1)) for h in same]
    return sum(counts) / HISTORY_WEEKS


def expected_demand(
    session: Session, zones: Zones, window: Window, now: datetime
) -> dict[str, object]:
    """Orders in the window: counted from the orders for hours already begun, the served
    forecast for hours to come (the city's own series for the whole city), or, where no
    forecast covers an hour, the average of the same hour over the last four weeks."""
    per_hour: list[float] = []
    sources: set[str] = set()
    for hour in window.utc_hours():
        if hour < now:
            end = min(hour + timedelta(hours=1), now)
            per_hour.append(float(reads.observed_orders(session, zones, hour, end)))
            sources.add("orders so far")
            continue
        served = reads.served_hourly_total(session, zones, [hour])
        if served is not None:
            per_hour.append(served[0])
            sources.add("served forecast")
        else:
            per_hour.append(_history(session, zones, hour))
            sources.add(HISTORY_SOURCE)
    return {
        "window": window.label(),
        "per_hour": [round(v, 1) for v in per_hour],
        "total": round(sum(per_hour)),
        "source": ", ".join(sorted(sources)),
    }


def observed_window(session: Session, zones: Zones, window: Window) -> dict[str, object]:
    hours = window.utc_hours()
    total = reads.observed_orders(session, zones, hours[0], hours[-1] + timedelta(hours=1))
    return {"window": window.label(), "total": total, "source": "orders placed"}


class NeedHour(TypedDict):
    hour: str  # local, "HH:00"
    needed: int
    on_shift: int


def couriers_needed(session: Session, zones: Zones, window: Window) -> dict[str, object]:
    """Couriers needed per hour from the newest staffing plan of the day, summed over the
    zones, with the couriers rostered; the peak is the busiest hour's need."""
    plan = reads.staffing_plan(session, window.day)
    if plan is None:
        return {"window": window.label(), "plan_id": None, "hours": []}
    wanted = set(zones) if zones is not None else None
    hours: list[NeedHour] = []
    for hour in window.utc_hours():
        rows = [r for r in plan.rows if r.hour == hour and (wanted is None or r.zone_id in wanted)]
        if rows:
            local = hour.astimezone(window.tz).strftime("%H:00")
            need = sum(r.couriers_needed for r in rows)
            hours.append(
                {"hour": local, "needed": need, "on_shift": sum(r.couriers_on_shift for r in rows)}
            )
    peak = max(hours, key=lambda h: h["needed"]) if hours else None
    return {
        "window": window.label(),
        "plan_id": plan.plan_id,
        "hours": hours,
        "peak": None if peak is None else peak["needed"],
        "peak_hour": None if peak is None else peak["hour"],
        "on_shift_at_peak": None if peak is None else peak["on_shift"],
    }


class ShortZone(TypedDict):
    zone_id: int
    hours: list[str]  # local, "HH:00"
    worst_gap: int
    # Filled in by the tool that answers with it.
    name: NotRequired[str]
    name_zh: NotRequired[str | None]


class ShortZones(TypedDict):
    window: str
    plan_id: int | None
    zones: list[ShortZone]


def short_zones(session: Session, window: Window) -> ShortZones:
    """Zones with fewer couriers rostered than needed in some hour of the window."""
    plan = reads.staffing_plan(session, window.day)
    if plan is None:
        return {"window": window.label(), "plan_id": None, "zones": []}
    hours = set(window.utc_hours())
    gaps: dict[int, list[tuple[str, int]]] = {}
    for r in plan.rows:
        if r.hour in hours and r.couriers_on_shift < r.couriers_needed:
            local = r.hour.astimezone(window.tz).strftime("%H:00")
            gaps.setdefault(r.zone_id, []).append((local, r.couriers_needed - r.couriers_on_shift))
    return {
        "window": window.label(),
        "plan_id": plan.plan_id,
        "zones": [
            {
                "zone_id": zone_id,
                "hours": [h for h, _ in short],
                "worst_gap": max(g for _, g in short),
            }
            for zone_id, short in sorted(gaps.items())
        ],
    }
