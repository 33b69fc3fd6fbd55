"""The city's demand: expected orders per zone and hour, with the shape real delivery has.

Lunch and dinner peaks, smaller breakfast and late-night bumps, weekends that differ
by neighbourhood, public holidays, rain that brings more orders, and steady growth.
The generator draws the history from this model and the simulator draws live orders
from it, so the forecasts learn the same pattern the live city follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import holidays as holiday_calendars
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apps.city.geography import COUNTRY_CODE, LOCAL_TZ, ZoneSpec


@dataclass(frozen=True)
class Bump:
    """One peak of the day (local hours), with its height on weekdays and at weekends."""

    name: str
    centre: float
    centre_weekend: float
    width: float
    height: float
    height_weekend: float


BUMPS = (
    Bump("night", 0.0, 0.5, 1.6, 0.25, 0.35),
    Bump("breakfast", 8.0, 9.5, 1.0, 0.35, 0.25),
    Bump("lunch", 12.0, 12.4, 0.9, 2.6, 2.1),
    Bump("tea", 15.5, 15.5, 1.3, 0.45, 0.6),
    Bump("dinner", 18.6, 18.4, 1.2, 2.3, 2.7),
    Bump("late", 22.0, 22.3, 1.3, 0.6, 0.75),
)
FLOOR = 0.04

# How each kind of neighbourhood bends the city-wide shape.
KIND_BUMP_FACTORS: dict[str, dict[str, float]] = {
    "cbd": {"lunch": 1.9, "breakfast": 1.4, "dinner": 0.7, "late": 0.6, "night": 0.5},
    "residential": {"lunch": 0.75, "dinner": 1.35, "late": 1.1},
    "university": {"night": 2.2, "late": 2.0, "breakfast": 1.4},
    "mixed": {},
}
KIND_WEEKEND_FACTOR = {"cbd": 0.55, "residential": 1.2, "university": 1.0, "mixed": 1.08}
HOLIDAY_FACTOR = 0.9
RAIN_UPLIFT_PER_MM = 0.04
RAIN_UPLIFT_CAP_MM = 10.0


def daily_shape(local_hour: NDArray, weekend: NDArray, kind: str) -> NDArray:
    """Relative demand at each local hour (0-24, fractional), before scaling."""
    factors = KIND_BUMP_FACTORS[kind]
    shape = np.full(np.shape(local_hour), FLOOR, dtype=float)
    for bump in BUMPS:
        centre = np.where(weekend, bump.centre_weekend, bump.centre)
        height = np.where(weekend, bump.height_weekend, bump.height) * factors.get(bump.name, 1.0)
        # Distance on the 24-hour circle, so the midnight bump wraps around.
        delta = np.abs(local_hour - centre)
        delta = np.minimum(delta, 24.0 - delta)
        shape = shape + height * np.exp(-0.5 * (delta / bump.width) ** 2)
    return shape * np.where(weekend, KIND_WEEKEND_FACTOR[kind], 1.0)


def weekday_total(kind: str) -> float:
    hours = np.arange(24) + 0.5
    return float(daily_shape(hours, np.zeros(24, dtype=bool), kind).sum())


def rain_series(n_hours: int, rng: np.random.Generator) -> NDArray:
    """Hourly rain in mm from a two-state weather chain: showers come in spells."""
    rain = np.zeros(n_hours)
    raining = False
    starts = rng.uniform(size=n_hours)
    intensity = rng.gamma(shape=1.4, scale=2.2, size=n_hours)
    for i in range(n_hours):
        raining = starts[i] < (0.78 if raining else 0.025)
        if raining:
            rain[i] = round(float(intensity[i]), 1)
    return rain


def public_holidays(start: date, end: date) -> frozenset[date]:
    """The days the ``holidays`` package lists, not whole breaks (``forecasting.calendar``
    joins those): the seeded world the tests, the agents' benchmarks and the demo share was
    built on these days, and moving it would move every figure measured on it."""
    calendar = holiday_calendars.country_holidays(
        COUNTRY_CODE, years=range(start.year, end.year + 1)
    )
    return frozenset(d for d in calendar if start <= d <= end)


@dataclass(frozen=True)
class DemandModel:
    """Expected orders per zone-hour: base volume x shape x growth x holidays x rain."""

    zones: tuple[ZoneSpec, ...]
    daily_orders: tuple[float, ...]  # a typical weekday per zone at `origin`
    origin: datetime
    growth_per_day: float
    holidays: frozenset[date]

    def expected(self, hours: pd.DatetimeIndex, rain_mm: NDArray) -> NDArray:
        """Expected orders, shape (len(hours), len(zones)), for UTC hour starts."""
        local = hours.tz_convert(LOCAL_TZ)
        local_hour = np.asarray(local.hour, dtype=float) + 0.5
        local_dates = local.date
        holiday = np.array([d in self.holidays for d in local_dates], dtype=bool)
        weekend = np.asarray(local.dayofweek >= 5) | holiday
        days = np.asarray((hours - pd.Timestamp(self.origin)).total_seconds()) / 86_400
        growth = np.exp(self.growth_per_day * days)
        uplift = 1.0 + RAIN_UPLIFT_PER_MM * np.minimum(rain_mm, RAIN_UPLIFT_CAP_MM)
        level = growth * uplift * np.where(holiday, HOLIDAY_FACTOR, 1.0)
        columns = [
            self.daily_orders[z]
            * daily_shape(local_hour, weekend, zone.kind)
            / weekday_total(zone.kind)
            for z, zone in enumerate(self.zones)
        ]
        return np.stack(columns, axis=1) * level[:, None]
