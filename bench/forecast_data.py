"""The forecasting benchmark's cases: M4 Hourly and Weekly, and daily rolling origins on
Prophet's daily example series and on the seeded city's daily order totals.

A case is one forecast to score: a history, the values that followed it, and what the
frequency's table measures it with (MASE's season, Naive2's season, the calendar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.calendar import Calendar
from forecasting.m4 import M4_HORIZON, M4_WEEKLY_HORIZON, load_m4_hourly, load_m4_weekly
from forecasting.series import PANDAS_FREQ, Freq, Series
from forecasting.tables import series_from_table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "forecasting"
DAILY_HORIZON = 14
DAILY_ORIGINS = 8
CITY_SEED = 7
# The seeded history ends here; its growth and holidays (CN) are those of the city's demand.
CITY_NOW = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


@dataclass(frozen=True, eq=False)
class Case:
    source: str
    series: Series
    actual: np.ndarray
    calendar: Calendar

    @property
    def horizon(self) -> int:
        return len(self.actual)


@dataclass(frozen=True)
class Frequency:
    """What a frequency's table is scored with: M4's seasons for MASE and Naive2 (Weekly:
    1, as M4 scored it), and the horizon."""

    name: str
    horizon: int
    mase_season: int
    naive2_season: int


FREQUENCIES = {
    "h": Frequency("M4 Hourly", M4_HORIZON, 24, 24),
    "w": Frequency("M4 Weekly", M4_WEEKLY_HORIZON, 1, 1),
    "d": Frequency("daily rolling origins", DAILY_HORIZON, 7, 7),
}


def m4_cases(freq: str) -> list[Case]:
    if freq == "h":
        cases = load_m4_hourly(DATA / "m4_hourly")
    else:
        cases = load_m4_weekly(DATA / "m4_weekly")
    source = "m4_hourly" if freq == "h" else "m4_weekly"
    return [Case(source, c.series, c.actual, Calendar()) for c in cases]


def origins(source: str, series: Series, calendar: Calendar, step: int) -> list[Case]:
    """``DAILY_ORIGINS`` forecasts of ``DAILY_HORIZON`` days, ``step`` days apart, the last
    ending with the series."""
    n = len(series.y)
    cuts = [n - DAILY_HORIZON - i * step for i in range(DAILY_ORIGINS)][::-1]
    return [
        Case(source, series.head(cut), series.y[cut : cut + DAILY_HORIZON], calendar)
        for cut in cuts
    ]


def peyton_manning() -> Series:
    """Prophet's daily example (log page views); its few missing days interpolated."""
    table = pd.read_csv(DATA / "prophet_examples" / "example_wp_log_peyton_manning.csv", dtype=str)
    return series_from_table(table, "d", fill="interpolate")[0]


def city_totals(freq: Freq = "d") -> list[Series]:
    """Orders placed per local day (or hour) in each zone of the seeded city, and in the
    whole city; the first and last, which the history only partly covers, are left out."""
    from apps.city.build import build_city
    from apps.city.scales import SCALES
    from db.domain.rules import CITY_TIMEZONE

    city = build_city(SCALES["city"], CITY_SEED, CITY_NOW)
    placed = pd.to_datetime(city.past.placed, unit="s", utc=True).tz_convert(CITY_TIMEZONE)
    step = placed.tz_localize(None).floor("D" if freq == "d" else "h")
    frame = pd.DataFrame({"step": step, "zone": city.past.zone})
    counts = frame.groupby(["zone", "step"]).size().unstack(fill_value=0)
    full = pd.date_range(counts.columns[0], counts.columns[-1], freq=PANDAS_FREQ[freq])
    counts = counts.reindex(columns=full, fill_value=0).iloc[:, 1:-1]
    series = [
        Series(f"zone-{zone}", counts.columns[0], row.to_numpy(float), freq)
        for zone, row in counts.iterrows()
    ]
    total = counts.sum(axis=0)
    return [*series, Series("city", total.index[0], total.to_numpy(float), freq)]


def daily_cases() -> list[Case]:
    cases = origins("peyton_manning", peyton_manning(), Calendar("US"), DAILY_HORIZON)
    for series in city_totals("d"):
        cases += origins("city", series, Calendar("CN"), 7)
    return cases


def cases_for(freq: str) -> list[Case]:
    return daily_cases() if freq == "d" else m4_cases(freq)
