"""Demand series from the store: one hourly series per zone and one for the whole city.

Series are laid out in the city's local time, so the daily profile and the holidays
line up with the days people actually live; forecasts go back to UTC when written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
# An hour of the day is quiet where the whole store had no order at it on at least half of
# this many days before (and on at least three of them).
QUIET_DAYS = 7


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
    forecast made from it would start low and its input would change as it ran.

    A feed may write only the hours that had orders: where the hours between the store's
    last row and that moment are ``quiet`` hours of the day (a night), at most
    ``QUIET_HOURS`` of them, they count as empty and the series end at the last ended
    hour, so the forecast starts at the hour under way. Otherwise (a feed that stopped or
    runs late, a seeded store read later) they end at the store's last row, rather than
    make up empty hours where orders would have been."""
    query = select(DemandObservation.zone_id, DemandObservation.hour, DemandObservation.orders)
    if ended_by is not None:
        query = query.where(DemandObservation.hour <= last_ended_hour(ended_by))
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
    # Hours a zone has no row for had no orders: the store writes observations per hour seen.
    first = table.index.min()
    table = table.reindex(pd.date_range(first, table.index.max(), freq="h")).fillna(0.0)
    end = last_hour(table.sum(axis=1), ended_by, timezone)
    table = table.reindex(pd.date_range(first, end, freq="h"), fill_value=0.0)
    start = first.tz_convert(timezone).tz_localize(None)
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


def last_ended_hour(moment: datetime) -> datetime:
    """The start of the last whole hour that had ended by ``moment`` (aware), in UTC."""
    if moment.tzinfo is None:
        raise ValueError(f"ended_by: {moment} has no UTC offset; the store keeps UTC")
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


def last_hour(totals: pd.Series, ended_by: datetime | None, timezone: str) -> pd.Timestamp:
    """The series' last hour: the last ended by ``ended_by`` where every hour after the
    store's last row is a ``quiet`` one in the city's ``timezone`` (``totals``: the whole
    store's orders per UTC hour, on a regular grid), else the store's last row."""
    observed = totals.index.max()
    if ended_by is None:
        return observed
    ended = pd.Timestamp(last_ended_hour(ended_by))
    gap = pd.date_range(observed + pd.Timedelta(hours=1), ended, freq="h")
    if 0 < len(gap) <= QUIET_HOURS and all(quiet(totals, hour, timezone) for hour in gap):
        return ended
    return observed


def quiet(totals: pd.Series, hour: pd.Timestamp, timezone: str) -> bool:
    """Whether the store had no order at this local hour of the day on at least half of the
    last ``QUIET_DAYS`` days it holds, and holds at least three.

    The days are stepped back on the city's clock, not in whole UTC days: across a change to
    or from summer time the same local hour is another UTC hour."""
    seen = totals.reindex(same_local_hour(hour, timezone, QUIET_DAYS)).dropna()
    return len(seen) >= 3 and (seen == 0).sum() * 2 >= len(seen)


def same_local_hour(hour: pd.Timestamp, timezone: str, days: int) -> list[pd.Timestamp]:
    """The UTC hours that were this UTC hour's local clock hour on each of the ``days``
    days before; a clock hour a change to summer time skipped is left out, and one a change
    back repeated is taken at its first. Where summer time moves the clock by half an hour
    (Lord Howe Island) the days before fall off the hourly grid and are not found: no hour
    counts as quiet then, and the series end at the store's last row."""
    wall = hour.tz_convert(timezone).tz_localize(None)
    earlier = pd.DatetimeIndex([wall - pd.Timedelta(days=k) for k in range(1, days + 1)])
    local = earlier.tz_localize(timezone, ambiguous=np.ones(days, dtype=bool), nonexistent="NaT")
    return list(local.dropna().tz_convert("UTC"))
