"""Staffing plans over the store: forecast need against the roster, per zone and hour.

Productivity (orders per courier-hour) comes from the last weeks of delivered orders;
the roster is each courier's shift, taken to repeat at the same local hours every day.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import SupportsInt, cast
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from db.domain.status import OrderStatus
from db.models import Courier, Order, StaffingPlan, StaffingPlanRow
from forecasting import reads
from forecasting.reads import StaffingRow
from forecasting.staffing import couriers_needed

HISTORY_DAYS = 28
BUSY_QUANTILE = 0.75  # the hours a zone's capacity is measured in: its busiest quarter


class StaffingError(ValueError):
    """A staffing plan cannot be made; the message says what is missing."""


@dataclass(frozen=True)
class StaffingResult:
    plan_id: int
    plan_date: date
    run_id: str
    rows: list[StaffingRow]


def _zone_id(key: Hashable) -> int:
    """A zone id as a pandas group hands it back (typed as any scalar: pandas cannot know
    the column holds integers)."""
    return int(cast(SupportsInt, key))


def productivity(session: Session, now: datetime) -> dict[int, float]:
    """What a courier delivers in a busy hour, per zone, over the last four weeks: orders
    per delivering courier in the zone's busiest quarter of hours.

    In a quiet hour each courier who delivers carries one order or so, whatever they could
    do; averaging those in would make the plan ask for a courier per forecast order.
    """
    rows = session.execute(
        select(Order.zone_id, Order.courier_id, Order.delivered_at).where(
            Order.status == OrderStatus.DELIVERED,
            Order.delivered_at >= now - timedelta(days=HISTORY_DAYS),
        )
    ).all()
    if not rows:
        raise StaffingError("history: no delivered orders in the last four weeks")
    frame = pd.DataFrame(rows, columns=["zone_id", "courier_id", "at"])
    frame["hour"] = pd.to_datetime(frame["at"], utc=True).dt.floor("h")
    per_hour = frame.groupby(["zone_id", "hour"]).agg(
        orders=("courier_id", "size"), couriers=("courier_id", "nunique")
    )
    rates = {}
    for zone_id, hours in per_hour.groupby("zone_id"):
        busy = hours[hours["orders"] >= hours["orders"].quantile(BUSY_QUANTILE)]
        rates[_zone_id(zone_id)] = float(busy["orders"].sum() / busy["couriers"].sum())
    return rates


def roster(session: Session, day: date, tz: ZoneInfo) -> dict[tuple[int, datetime], int]:
    """Couriers on shift per (zone, UTC hour) of the local day, the shifts repeating daily."""
    start = datetime.combine(day, datetime.min.time(), tz)
    counts: dict[tuple[int, datetime], int] = {}
    for c in session.scalars(select(Courier).where(Courier.shift_start.is_not(None))):
        assert c.shift_start is not None and c.shift_end is not None  # both ends, or neither
        local_start = c.shift_start.astimezone(tz)
        length = c.shift_end - c.shift_start
        for offset in (-1, 0):
            begins = datetime.combine(day + timedelta(days=offset), local_start.time(), tz)
            for h in range(24):
                hour = start + timedelta(hours=h)
                if begins <= hour < begins + length:
                    key = (c.zone_id, hour.astimezone(UTC))
                    counts[key] = counts.get(key, 0) + 1
    return counts


def latest_run(session: Session) -> str:
    run_id = reads.latest_run_id(session)
    if run_id is None:
        raise StaffingError("forecast: no finished forecast run; run `longcat forecast run` first")
    return run_id


def served_forecasts(session: Session, run_id: str, start: datetime, end: datetime) -> pd.DataFrame:
    points = [
        p
        for p in reads.served_forecast(session, run_id, start=start, end=end)
        if p.zone_id is not None
    ]
    frame = pd.DataFrame(
        [(p.ds, p.yhat, p.yhat_upper, p.zone_id) for p in points],
        columns=["ds", "yhat", "upper", "zone_id"],
    )
    # A day the run starts in (today, planned at noon) is planned from the run's first hour.
    first = pd.Timestamp(frame["ds"].min()) if not frame.empty else None
    hours = 0 if first is None else (end - max(start, first.to_pydatetime())) // timedelta(hours=1)
    if frame.empty or frame.groupby("zone_id").size().min() < hours:
        raise StaffingError(
            f"forecast: run {run_id} does not cover {start:%Y-%m-%d %H:%M} to "
            f"{end:%Y-%m-%d %H:%M} UTC; run `longcat forecast run` with a longer --horizon"
        )
    return frame


def make_plan(
    engine: Engine,
    day: date,
    timezone: str,
    service_level: float = 0.9,
    run_id: str | None = None,
    now: datetime | None = None,
    orders_per_courier_hour: float | None = None,
) -> StaffingResult:
    """Compute and store the plan for one local day; planning it again from one run replaces it.

    Capacity is ``orders_per_courier_hour`` when given, else measured per zone at busy hours
    (`productivity`)."""
    tz = ZoneInfo(timezone)
    now = now or datetime.now(UTC)
    start = datetime.combine(day, datetime.min.time(), tz).astimezone(UTC)
    end = start + timedelta(hours=24)
    with Session(engine) as session:
        run_id = run_id or latest_run(session)
        frame = served_forecasts(session, run_id, start, end)
        per_courier = productivity(session, now) if orders_per_courier_hour is None else {}
        supply = roster(session, day, tz)
    rows = _plan_rows(frame, supply, per_courier, orders_per_courier_hour, service_level)
    plan_id = _store_plan(engine, day, now, run_id, service_level, rows)
    return StaffingResult(plan_id, day, run_id, rows)


def _plan_rows(
    frame: pd.DataFrame,
    supply: dict[tuple[int, datetime], int],
    per_courier: dict[int, float],
    orders_per_courier_hour: float | None,
    service_level: float,
) -> list[StaffingRow]:
    """Need against the roster per zone and hour; a zone with no measured capacity plans
    with the median zone's."""
    rows = []
    for key, group in frame.groupby("zone_id"):
        zone_id = _zone_id(key)
        group = group.sort_values("ds")
        rate = orders_per_courier_hour or per_courier.get(zone_id)
        rate = rate or float(np.median(list(per_courier.values())))
        needed = couriers_needed(
            group["yhat"].to_numpy(), group["upper"].to_numpy(), rate, service_level
        )
        for ds, yhat, need in zip(group["ds"], group["yhat"], needed, strict=True):
            hour = pd.Timestamp(ds).to_pydatetime()
            on_shift = supply.get((zone_id, hour), 0)
            rows.append(
                StaffingRow(
                    zone_id,
                    hour,
                    round(float(yhat), 2),
                    int(need),
                    on_shift,
                    on_shift - int(need),
                )
            )
    return rows


def _store_plan(
    engine: Engine,
    day: date,
    now: datetime,
    run_id: str,
    service_level: float,
    rows: list[StaffingRow],
) -> int:
    """Write the plan and its rows in one transaction, replacing the day's plan from this run."""
    with Session(engine) as session, session.begin():
        old = session.scalars(
            select(StaffingPlan.id).where(
                StaffingPlan.plan_date == day, StaffingPlan.forecast_run_id == run_id
            )
        ).all()
        if old:
            session.execute(delete(StaffingPlanRow).where(StaffingPlanRow.plan_id.in_(old)))
            session.execute(delete(StaffingPlan).where(StaffingPlan.id.in_(old)))
        plan = StaffingPlan(
            plan_date=day, created_at=now, forecast_run_id=run_id, service_level=service_level
        )
        session.add(plan)
        session.flush()
        session.add_all(
            StaffingPlanRow(
                plan_id=plan.id,
                zone_id=r.zone_id,
                hour=r.hour,
                forecast_orders=r.forecast_orders,
                couriers_needed=r.couriers_needed,
                couriers_on_shift=r.couriers_on_shift,
                gap=r.gap,
            )
            for r in rows
        )
        return plan.id
