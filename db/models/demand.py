"""Demand history, forecast runs with their ledger, forecasts and staffing plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, non_negative, one_of

RUN_STATUSES = ("running", "finished", "failed")
SERIES_STATUSES = ("pending", "done", "failed")


class DemandObservation(Base):
    """Orders placed in one zone during one hour (UTC), with the weather of that hour."""

    __tablename__ = "demand_observations"
    __table_args__ = (
        UniqueConstraint("zone_id", "hour"),
        non_negative("orders"),
        non_negative("rain_mm"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    hour: Mapped[datetime]
    orders: Mapped[int]
    rain_mm: Mapped[float] = mapped_column(default=0.0)


class ForecastRun(Base):
    __tablename__ = "forecast_runs"
    __table_args__ = (
        one_of("status", RUN_STATUSES),
        CheckConstraint("horizon_hours > 0", name="horizon_positive"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    horizon_hours: Mapped[int]
    params: Mapped[dict[str, Any]]


class ForecastSeries(Base):
    """The run ledger: one row per series of a run, so a killed run can be resumed."""

    __tablename__ = "forecast_series"
    __table_args__ = (one_of("status", SERIES_STATUSES),)

    run_id: Mapped[str] = mapped_column(ForeignKey("forecast_runs.id"), primary_key=True)
    series_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    input_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(400))
    # Room for a blend of two combinations' names (the hourly plan serves such means).
    served_model: Mapped[str | None] = mapped_column(String(128))
    metrics: Mapped[dict[str, Any] | None]


class Forecast(Base):
    __tablename__ = "forecasts"
    __table_args__ = (UniqueConstraint("run_id", "series_id", "model", "ds"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("forecast_runs.id"))
    series_id: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(128))
    ds: Mapped[datetime]
    yhat: Mapped[float]
    yhat_lower: Mapped[float]
    yhat_upper: Mapped[float]


class StaffingPlan(Base):
    __tablename__ = "staffing_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_date: Mapped[date]
    created_at: Mapped[datetime]
    forecast_run_id: Mapped[str | None] = mapped_column(ForeignKey("forecast_runs.id"))
    service_level: Mapped[float]


class StaffingPlanRow(Base):
    __tablename__ = "staffing_plan_rows"
    __table_args__ = (
        UniqueConstraint("plan_id", "zone_id", "hour"),
        non_negative("couriers_needed"),
        non_negative("couriers_on_shift"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("staffing_plans.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    hour: Mapped[datetime]
    forecast_orders: Mapped[float]
    couriers_needed: Mapped[int]
    couriers_on_shift: Mapped[int]
    gap: Mapped[int]
