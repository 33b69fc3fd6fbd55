"""The one read API over forecasts and staffing plans (SQLite and PostgreSQL): only the
served model's rows, only the newest plan of a day, and orders observed from the orders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import Forecast, ForecastSeries, Order, StaffingPlan
from forecasting import reads
from forecasting.demand_store import zone_series_id
from tests.conftest import TEST_NOW


def test_served_forecast_has_one_model_per_series(planned_engine: Engine) -> None:
    """The run also holds Prophet's rows beside the served ones; the read API returns the
    served model's only, one row per series and hour."""
    with Session(planned_engine) as s:
        served = reads.served_models(s, reads.latest_run_id(s) or "")
        points = reads.served_forecast(s)
        models_stored = s.scalar(select(func.count(func.distinct(Forecast.model))))
    assert models_stored and models_stored > 1
    assert points and all(p.model == served[p.series_id] for p in points)
    keys = [(p.series_id, p.ds) for p in points]
    assert len(keys) == len(set(keys))


def test_hourly_total_sums_the_zones_served_rows(planned_engine: Engine) -> None:
    """Zones add up their served rows; the city reads its own series; an hour the run does
    not cover gives None rather than a partial sum."""
    with Session(planned_engine) as s:
        points = reads.served_forecast(s)
        hour = min(p.ds for p in points) + timedelta(hours=5)
        zones = sorted({p.zone_id for p in points if p.zone_id is not None})
        want = sum(p.yhat for p in points if p.ds == hour and p.zone_id in zones[:2])
        city = next(p.yhat for p in points if p.ds == hour and p.zone_id is None)
        assert reads.served_hourly_total(s, zones[:2], [hour]) == [want]
        assert reads.served_hourly_total(s, None, [hour]) == [city]
        assert reads.served_hourly_total(s, zones, [hour - timedelta(days=3)]) is None
        assert set(reads.served_models(s, (points[0].series_id and reads.latest_run_id(s)) or ""))
        assert zone_series_id(zones[0]) in reads.served_models(s, reads.latest_run_id(s) or "")


def test_the_newest_staffing_plan_of_a_day(planned_engine: Engine) -> None:
    """A day's newest plan is returned whole; a day without a plan gives None."""
    day = (TEST_NOW + timedelta(days=1)).date()
    with Session(planned_engine) as s:
        plan = reads.staffing_plan(s, day)
        newest = s.scalar(
            select(StaffingPlan.id)
            .where(StaffingPlan.plan_date == day)
            .order_by(StaffingPlan.created_at.desc(), StaffingPlan.id.desc())
        )
        assert plan is not None and plan.plan_id == newest and len(plan.rows) == 4 * 24
        assert reads.staffing_plan(s, day + timedelta(days=30)) is None
        run = s.scalar(select(ForecastSeries.run_id).limit(1))
        assert plan.forecast_run_id == run


def test_observed_orders_count_the_orders_placed(planned_engine: Engine) -> None:
    """Orders placed in a window, in some zones or the whole city, counted from the orders."""
    start, end = TEST_NOW - timedelta(hours=2), TEST_NOW
    with Session(planned_engine) as s:
        every = s.scalar(
            select(func.count()).where(Order.placed_at >= start, Order.placed_at < end)
        )
        one = s.scalar(
            select(func.count()).where(
                Order.placed_at >= start, Order.placed_at < end, Order.zone_id == 1
            )
        )
        assert reads.observed_orders(s, None, start, end) == every
        assert reads.observed_orders(s, [1], start, end) == one
