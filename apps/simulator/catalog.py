"""The city the simulation runs in, read once from the store: zones, merchants, customers,
and how many orders each zone sees at each hour of the week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer, DemandObservation, Merchant, Zone


class CatalogError(LookupError):
    """The store lacks what a simulation needs; the message says what."""


@dataclass(frozen=True)
class Place:
    id: int
    lat: float
    lon: float
    prep_minutes: int = 0  # merchants
    category: str = ""  # merchants
    address: str = ""  # customers


@dataclass(frozen=True)
class Catalog:
    zone_ids: tuple[int, ...]
    zone_centres: dict[int, tuple[float, float]]
    merchants: dict[int, tuple[Place, ...]]  # by zone
    customers: dict[int, tuple[Place, ...]]  # by zone
    rates: NDArray  # expected orders, shape (168 local hours of the week, zones)
    timezone: str

    def expected(self, hour_start: datetime) -> NDArray:
        """Expected orders per zone in the hour that starts at ``hour_start``."""
        local = hour_start.astimezone(ZoneInfo(self.timezone))
        return self.rates[local.weekday() * 24 + local.hour]


def read_catalog(session: Session, now: datetime, timezone: str, history_days: int) -> Catalog:
    zones = session.scalars(select(Zone).order_by(Zone.id)).all()
    if not zones:
        raise CatalogError("zones: the store holds no city; run `longcat seed` first")
    merchants: dict[int, list[Place]] = {z.id: [] for z in zones}
    for m in session.scalars(select(Merchant).order_by(Merchant.id)):
        merchants[m.zone_id].append(Place(m.id, m.lat, m.lon, m.prep_minutes, m.category))
    customers: dict[int, list[Place]] = {z.id: [] for z in zones}
    for c in session.scalars(select(Customer).order_by(Customer.id)):
        customers[c.zone_id].append(Place(c.id, c.lat, c.lon, address=c.address))
    zone_ids = tuple(z.id for z in zones)
    return Catalog(
        zone_ids=zone_ids,
        zone_centres={z.id: (z.center_lat, z.center_lon) for z in zones},
        merchants={z: tuple(p) for z, p in merchants.items()},
        customers={z: tuple(p) for z, p in customers.items()},
        rates=_hour_of_week_rates(session, zone_ids, now, timezone, history_days),
        timezone=timezone,
    )


def _hour_of_week_rates(
    session: Session, zone_ids: tuple[int, ...], now: datetime, timezone: str, days: int
) -> NDArray:
    """Mean orders per zone at each local hour of the week over the last ``days`` days:
    the same zone-hour pattern the forecasts learn from."""
    since = now - timedelta(days=days)
    rows = session.execute(
        select(DemandObservation.zone_id, DemandObservation.hour, DemandObservation.orders).where(
            DemandObservation.hour >= since, DemandObservation.hour < now
        )
    ).all()
    if not rows:
        raise CatalogError(
            f"demand history: no demand observations in the {days} days before {now:%Y-%m-%d}; "
            "seed or import a history first"
        )
    frame = pd.DataFrame(rows, columns=["zone_id", "hour", "orders"])
    grid = pd.date_range(since, now, freq="h", inclusive="left", tz="UTC").floor("h").unique()
    table = (
        frame.assign(hour=pd.to_datetime(frame["hour"], utc=True))
        .pivot_table(index="hour", columns="zone_id", values="orders", aggfunc="sum")
        .reindex(index=grid, columns=list(zone_ids))
        .fillna(0.0)
    )
    local = pd.DatetimeIndex(table.index).tz_convert(timezone)
    how = np.asarray(local.dayofweek * 24 + local.hour)
    rates = np.zeros((168, len(zone_ids)))
    for h in range(168):
        picked = table.to_numpy()[how == h]
        if len(picked):
            rates[h] = picked.mean(axis=0)
    return rates
