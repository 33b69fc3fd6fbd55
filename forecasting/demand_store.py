"""Demand series from the store: one hourly series per zone and one for the whole city.

Series are laid out in the city's local time, so the daily profile and the holidays
line up with the days people actually live; forecasts go back to UTC when written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DemandObservation, Zone
from forecasting.series import Series

CITY = "city"
# A whole store without an order for longer than this is a feed that stopped, or a seeded
# store read later on the wall clock, not a quiet night: its series end at their last hour
# rather than run on in zeros.
QUIET_HOURS = 12


@dataclass(frozen=True)
class SeriesKey:
    """How a series id maps to the store: a zone id, or None for the city total."""

    series_id: str
    zone_id: int | None


def series_key(series_id: str) -> SeriesKey:
    if series_id == CITY:
        return SeriesKey(series_id, None)
    return SeriesKey(series_id, int(series_id.removeprefix("zone-")))


def zone_series_id(zone_id: int) -> str:
    return f"zone-{zone_id}"


def demand_series(
    session: Session,
    timezone: str,
    zones: list[int] | None = None,
    city: bool = True,
    ended_by: datetime | None = None,
) -> list[Series]:
    """Hourly order counts per zone (and the city total), oldest first, in local time.

    With ``ended_by``, only the hours that had ended by that moment: the hour under way
    holds the orders of its first minutes only, and a live store keeps adding to it, so a
    forecast made from it would start low and its input would change as it ran. Hours
    after the store's last order up to that moment (a quiet night: a feed writes only the
    hours that had orders) count as empty, so the series end at the last ended hour and the
    forecast starts at the hour under way, up to ``QUIET_HOURS`` of them."""
    query = select(DemandObservation.zone_id, DemandObservation.hour, DemandObservation.orders)
    if ended_by is not None:
        query = query.where(DemandObservation.hour <= ended_by - timedelta(hours=1))
    frame = pd.DataFrame(session.execute(query).all(), columns=["zone_id", "hour", "orders"])
    known = set(session.scalars(select(Zone.id)).all())
    wanted = sorted(known if zones is None else set(zones))
    missing = sorted(set(wanted) - known)
    if missing:
        raise ValueError(f"zones: no zone with id {', '.join(map(str, missing))}")
    if frame.empty:
        return []
    frame["hour"] = pd.to_datetime(frame["hour"], utc=True)
    table = frame.pivot_table(index="hour", columns="zone_id", values="orders", aggfunc="sum")
    grid = pd.date_range(table.index.min(), last_hour(table.index.max(), ended_by), freq="h")
    # Hours a zone has no row for had no orders: the store writes observations per hour seen.
    table = table.reindex(grid).fillna(0.0)
    start = grid[0].tz_convert(timezone).tz_localize(None)
    series = [
        Series(zone_series_id(z), start, table[z].to_numpy(dtype=float))
        for z in wanted
        if z in table.columns
    ]
    if city and zones is None:
        series.append(Series(CITY, start, table.sum(axis=1).to_numpy(dtype=float)))
    return series


def input_hash(series: Series, horizon: int, settings: str) -> str:
    """Fingerprint of what a forecast depends on, kept in the run ledger."""
    digest = hashlib.sha256()
    digest.update(f"{series.series_id}|{series.start}|{series.freq}|{horizon}|{settings}".encode())
    digest.update(np.ascontiguousarray(series.y).tobytes())
    return digest.hexdigest()


def last_hour(observed: pd.Timestamp, ended_by: datetime | None) -> pd.Timestamp:
    """The series' last hour: the last ended by ``ended_by`` where the store fell quiet for
    no more than ``QUIET_HOURS`` before it, else the last observed."""
    if ended_by is None:
        return observed
    moment = pd.Timestamp(ended_by)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    ended = moment.floor("h") - pd.Timedelta(hours=1)
    if observed < ended <= observed + pd.Timedelta(hours=QUIET_HOURS):
        return ended
    return observed
