"""Demand series from the store: where they end when the store fell quiet before the run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from db.models import DemandObservation
from forecasting.demand_store import QUIET_HOURS, demand_series

TZ = "Asia/Shanghai"


def _last_hour(engine: Engine) -> datetime:
    with engine.connect() as conn:
        last = conn.scalar(select(func.max(DemandObservation.hour)))
    return last if last.tzinfo else last.replace(tzinfo=UTC)


def _local(moment: datetime) -> pd.Timestamp:
    return pd.Timestamp(moment).tz_convert(TZ).tz_localize(None)


def _read(engine: Engine, ended_by: datetime | None) -> dict:
    with Session(engine) as session:
        return {s.series_id: s for s in demand_series(session, TZ, ended_by=ended_by)}


def test_hours_without_orders_before_the_run_count_as_empty(seeded_engine: Engine) -> None:
    """A feed writes only the hours that had orders: with the store's last three hours
    quiet, a run half an hour after they ended forecasts from the hour under way, its series
    ending with three empty hours, not at the last hour with an order (whose forecast would
    start three hours in the past)."""
    last = _last_hour(seeded_engine)
    before = _read(seeded_engine, None)
    with seeded_engine.begin() as conn:
        conn.execute(
            delete(DemandObservation).where(DemandObservation.hour > last - timedelta(hours=3))
        )
    after = _read(seeded_engine, last + timedelta(minutes=90))
    assert after.keys() == before.keys()
    for series_id, series in after.items():
        assert series.ds[-1] == _local(last), series_id
        assert len(series.y) == len(before[series_id].y)
        assert np.all(series.y[-3:] == 0)
        assert np.array_equal(series.y[:-3], before[series_id].y[:-3])


def test_a_store_quiet_for_longer_than_a_night_ends_at_its_last_hour(
    seeded_engine: Engine,
) -> None:
    """A store read days after its last order (a feed that stopped, a seeded store on the
    wall clock) is not run on in zeros, which would forecast an empty city: its series end
    at the last hour it holds."""
    last = _last_hour(seeded_engine)
    later = last + timedelta(hours=QUIET_HOURS + 2)
    for series_id, series in _read(seeded_engine, later).items():
        assert series.ds[-1] == _local(last), series_id
        assert series.y[-24:].sum() > 0


def test_the_hour_under_way_is_left_out(seeded_engine: Engine) -> None:
    """A run during the store's last hour reads the hours before it only."""
    last = _last_hour(seeded_engine)
    series = _read(seeded_engine, last + timedelta(minutes=20))["city"]
    assert series.ds[-1] == _local(last - timedelta(hours=1))
