"""The one read API over what forecasting writes: the served forecast, the newest staffing
plan of a day, and the demand actually observed.

A forecast run stores the served model's rows and, beside them, Prophet's own (for the
backtest page); a day may have several staffing plans. Adding up every row of a run or every
plan of a day double-counts, so every reader (the agents, the API, the dashboard and the
staffing plan itself) reads through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.models import (
    Forecast,
    ForecastRun,
    ForecastSeries,
    Order,
    StaffingPlan,
    StaffingPlanRow,
)
from forecasting.demand_store import CITY, series_key, zone_series_id


@dataclass(frozen=True)
class ServedPoint:
    series_id: str
    zone_id: int | None  # None for the city's own series
    model: str
    ds: datetime  # UTC start of the hour
    yhat: float
    yhat_lower: float
    yhat_upper: float


@dataclass(frozen=True)
class StaffingRow:
    zone_id: int
    hour: datetime  # UTC start of the hour
    forecast_orders: float
    couriers_needed: int
    couriers_on_shift: int
    gap: int  # on shift minus needed


@dataclass(frozen=True)
class StaffingView:
    plan_id: int
    plan_date: date
    created_at: datetime
    forecast_run_id: str | None
    service_level: float
    rows: tuple[StaffingRow, ...]


def latest_run_id(session: Session) -> str | None:
    """The newest finished forecast run, if any."""
    return session.scalar(
        select(ForecastRun.id)
        .where(ForecastRun.status == "finished")
        .order_by(ForecastRun.created_at.desc(), ForecastRun.id.desc())
        .limit(1)
    )


def served_models(session: Session, run_id: str) -> dict[str, str]:
    """Series id -> the model served for it, for the series the run finished."""
    rows = session.execute(
        select(ForecastSeries.series_id, ForecastSeries.served_model).where(
            ForecastSeries.run_id == run_id,
            ForecastSeries.status == "done",
            ForecastSeries.served_model.is_not(None),
        )
    )
    return {series_id: model for series_id, model in rows if model is not None}


def served_forecast(
    session: Session,
    run_id: str | None = None,
    *,
    series_ids: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[ServedPoint]:
    """The served model's forecast of each series of ``run_id`` (default: the newest run),
    optionally for some series and the UTC hours in [start, end), by series then hour."""
    run_id = run_id or latest_run_id(session)
    if run_id is None:
        return []
    served = and_(
        ForecastSeries.run_id == Forecast.run_id,
        ForecastSeries.series_id == Forecast.series_id,
        ForecastSeries.served_model == Forecast.model,
    )
    query = (
        select(Forecast)
        .join(ForecastSeries, served)
        .where(Forecast.run_id == run_id, ForecastSeries.status == "done")
        .order_by(Forecast.series_id, Forecast.ds)
    )
    if series_ids is not None:
        query = query.where(Forecast.series_id.in_(list(series_ids)))
    if start is not None:
        query = query.where(Forecast.ds >= start)
    if end is not None:
        query = query.where(Forecast.ds < end)
    return [
        ServedPoint(
            f.series_id,
            series_key(f.series_id).zone_id,
            f.model,
            f.ds,
            f.yhat,
            f.yhat_lower,
            f.yhat_upper,
        )
        for f in session.scalars(query)
    ]


def served_hourly_total(
    session: Session, zone_ids: Sequence[int] | None, hours: Sequence[datetime]
) -> list[float] | None:
    """The served forecast per UTC hour, summed over ``zone_ids`` (None: the city's own
    series); None when the newest run does not cover every zone and hour asked."""
    series = [CITY] if zone_ids is None else [zone_series_id(z) for z in zone_ids]
    if not hours:
        return []
    end = max(hours) + timedelta(hours=1)
    points = served_forecast(session, series_ids=series, start=min(hours), end=end)
    by_key = {(p.series_id, p.ds): p.yhat for p in points}
    totals = []
    for hour in hours:
        values = [by_key.get((s, hour)) for s in series]
        if any(v is None for v in values):
            return None
        totals.append(float(sum(v for v in values if v is not None)))
    return totals


def _rows(session: Session, plan_id: int) -> tuple[StaffingRow, ...]:
    rows = session.scalars(
        select(StaffingPlanRow)
        .where(StaffingPlanRow.plan_id == plan_id)
        .order_by(StaffingPlanRow.zone_id, StaffingPlanRow.hour)
    )
    return tuple(
        StaffingRow(
            r.zone_id, r.hour, r.forecast_orders, r.couriers_needed, r.couriers_on_shift, r.gap
        )
        for r in rows
    )


def staffing_days(session: Session) -> list[date]:
    """The local days that have a staffing plan, oldest first."""
    return list(
        session.scalars(select(StaffingPlan.plan_date).distinct().order_by(StaffingPlan.plan_date))
    )


def staffing_plan(session: Session, day: date | None = None) -> StaffingView | None:
    """The newest staffing plan for the local ``day`` (default: the newest plan of any day)."""
    query = select(StaffingPlan).order_by(StaffingPlan.created_at.desc(), StaffingPlan.id.desc())
    if day is not None:
        query = query.where(StaffingPlan.plan_date == day)
    plan = session.scalars(query.limit(1)).first()
    if plan is None:
        return None
    return StaffingView(
        plan.id,
        plan.plan_date,
        plan.created_at,
        plan.forecast_run_id,
        plan.service_level,
        _rows(session, plan.id),
    )


def observed_orders(
    session: Session, zone_ids: Sequence[int] | None, start: datetime, end: datetime
) -> int:
    """Orders placed in [start, end) (UTC) in ``zone_ids`` (None: the whole city), from the
    orders themselves, so the hour in progress counts too."""
    query = (
        select(func.count())
        .select_from(Order)
        .where(Order.placed_at >= start, Order.placed_at < end)
    )
    if zone_ids is not None:
        query = query.where(Order.zone_id.in_(list(zone_ids)))
    return int(session.scalar(query) or 0)
