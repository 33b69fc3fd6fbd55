"""The holiday calendar and the holiday-week guard: special days from a country and the
operator's own events, and forecasts of weekly-shape models corrected on those days."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.baselines import seasonal_naive
from forecasting.calendar import (
    Calendar,
    Event,
    apply_effects,
    clean_history,
    days_for,
    guard,
    holiday_effects,
    holiday_name,
    joined_breaks,
    moved_working_days,
    normal_values,
    prophet_holidays,
    read_events,
    special_days,
    special_steps,
)
from forecasting.errors import InputFormatError
from forecasting.series import Forecast, Series

ROOT = Path(__file__).resolve().parents[2]
START = pd.Timestamp("2026-03-02")  # a Monday
WEEK = 7 * 24
HISTORY_WEEKS = 6
# Two closures in the middle of the history (their weeks before and after are ordinary),
# one in the week after it, and a holiday the history never saw.
CLOSURE_A = date(2026, 3, 17)
CLOSURE_B = date(2026, 3, 25)
FUTURE_CLOSURE = date(2026, 4, 15)
UNSEEN = date(2026, 4, 17)
DAYS = {
    CLOSURE_A: "Closure",
    CLOSURE_B: "Closure",
    FUTURE_CLOSURE: "Closure",
    UNSEEN: "Dragon Boat",
}


def hourly_shape(ds: pd.DatetimeIndex) -> np.ndarray:
    """Noise-free demand: a lunch and a dinner rush each day, more at weekends."""
    hour = ds.hour.to_numpy()
    rushes = 30 * np.exp(-0.5 * ((hour - 12) / 1.5) ** 2) + 40 * np.exp(
        -0.5 * ((hour - 19) / 2) ** 2
    )
    return (5 + rushes) * np.where(ds.dayofweek.to_numpy() >= 5, 1.3, 1.0)


def hourly_series(factors: dict[date, float], weeks: int = HISTORY_WEEKS) -> Series:
    """Six weeks of hourly demand with a little noise, scaled by ``factors`` on their days."""
    ds = pd.date_range(START, periods=weeks * WEEK, freq="h")
    noise = np.random.default_rng(0).normal(0, 1, len(ds))
    factor = np.array([factors.get(day, 1.0) for day in ds.date])
    rain = np.arange(len(ds) + WEEK, dtype=float) % 3
    return Series("zone-1", START, (hourly_shape(ds) + noise) * factor, "h", {"rain_mm": rain})


def hourly_forecast(series: Series) -> Forecast:
    """A forecast of the week after the history that knows only the ordinary shape."""
    ds = series.future_ds(WEEK)
    yhat = hourly_shape(ds)
    return Forecast(series.series_id, "mstl", ds, yhat, yhat * 0.8, yhat * 1.2, level=90)


def on_day(ds: pd.DatetimeIndex, day: date) -> np.ndarray:
    return np.asarray(ds.date == day)


def test_holiday_effects_recover_the_drop_of_an_event_day() -> None:
    """Two closure days at 30% of normal demand give 'Closure' an effect of about 0.3 and a
    promotion at twice normal about 2.0; '*' is the median over the three days; names with
    no day in the history have no effect."""
    promo = date(2026, 3, 19)
    series = hourly_series({CLOSURE_A: 0.3, CLOSURE_B: 0.3, promo: 2.0})
    effects = holiday_effects(series, {**DAYS, promo: "Promo"})
    assert set(effects) == {"Closure", "Promo", "*"}
    assert effects["Closure"] == pytest.approx(0.3, abs=0.02)
    assert effects["Promo"] == pytest.approx(2.0, abs=0.1)
    assert effects["*"] == pytest.approx(0.3, abs=0.02)


def test_holiday_effects_clip_and_skip() -> None:
    """A day with no demand at all is clipped to 0.05, not 0; a day whose normal weeks had
    no demand says nothing and is skipped."""
    ds = pd.date_range(START, periods=3 * 7, freq="D")
    y = np.full(len(ds), 100.0)
    y[8] = 0.0  # closed: ratio 0, clipped
    y[3] = y[17] = 0.0  # the weeks around day 10 had nothing
    series = Series("s", START, y, "d")
    effects = holiday_effects(series, {ds[8].date(): "Closed", ds[10].date(): "Quiet"})
    assert effects == {"Closed": 0.05, "*": 0.05}


def test_clean_history_restores_the_normal_shape_on_an_event_day() -> None:
    """The closure day's hours become the mean of the same hours a week before and after,
    close to the ordinary shape; every other value, the id, start, frequency and
    regressors are kept."""
    series = hourly_series({CLOSURE_A: 0.3})
    clean = clean_history(series, {CLOSURE_A: "Closure"})
    day = np.flatnonzero(on_day(series.ds, CLOSURE_A))
    assert len(day) == 24
    neighbours = (series.y[day - WEEK] + series.y[day + WEEK]) / 2
    assert np.allclose(clean.y[day], neighbours)
    assert np.allclose(clean.y[day], hourly_shape(series.ds[day]), atol=3.0)
    assert np.array_equal(np.delete(clean.y, day), np.delete(series.y, day))
    assert (clean.series_id, clean.start, clean.freq) == (series.series_id, START, "h")
    assert np.array_equal(clean.regressors["rain_mm"], series.regressors["rain_mm"])


def test_clean_history_uses_only_normal_neighbours() -> None:
    """A special neighbour does not vouch for a special day: with the first two Mondays
    special, the second takes the third Monday alone, and the first (no week before, a
    special week after) keeps its values."""
    series = hourly_series({})
    mondays = {START.date(): "A", (START + pd.Timedelta(days=7)).date(): "B"}
    clean = clean_history(series, mondays)
    first, second = np.arange(24), np.arange(24) + WEEK
    assert np.array_equal(clean.y[first], series.y[first])
    assert np.array_equal(clean.y[second], series.y[second + WEEK])


def test_apply_effects_scales_only_the_future_special_day() -> None:
    """yhat, lower and upper on the future closure's 24 hours are multiplied by the
    closure's effect; every other hour, the dates, model name and level are unchanged."""
    series = hourly_series({CLOSURE_A: 0.3, CLOSURE_B: 0.3})
    forecast = hourly_forecast(series)
    effects = holiday_effects(series, DAYS)
    guarded = apply_effects(forecast, "h", DAYS, effects)
    special = on_day(forecast.ds, FUTURE_CLOSURE)
    assert special.sum() == 24
    for name in ("yhat", "lower", "upper"):
        before, after = getattr(forecast, name), getattr(guarded, name)
        assert np.allclose(after[special], before[special] * effects["Closure"])
        assert np.array_equal(after[~special], before[~special])
    assert (guarded.model, guarded.level, guarded.series_id) == ("mstl", 90, "zone-1")
    assert guarded.ds.equals(forecast.ds)


def test_an_unseen_holiday_is_left_unchanged() -> None:
    """A holiday name the history never showed keeps the model's forecast, even though an
    overall '*' effect is known: its effect is unknown."""
    series = hourly_series({CLOSURE_A: 0.3, CLOSURE_B: 0.3})
    forecast = hourly_forecast(series)
    effects = holiday_effects(series, DAYS)
    assert "Dragon Boat" not in effects and "*" in effects
    guarded = apply_effects(forecast, "h", DAYS, effects)
    unseen = on_day(forecast.ds, UNSEEN)
    assert unseen.sum() == 24
    assert np.array_equal(guarded.yhat[unseen], forecast.yhat[unseen])


def test_guard_is_apply_effects_with_the_history_effects() -> None:
    """guard scales the forecast by the effects its series' history shows."""
    series = hourly_series({CLOSURE_A: 0.3, CLOSURE_B: 0.3})
    forecast = hourly_forecast(series)
    want = apply_effects(forecast, "h", DAYS, holiday_effects(series, DAYS))
    assert np.array_equal(guard(series, forecast, DAYS).yhat, want.yhat)


def test_the_guard_fixes_a_weekly_seasonal_naive_around_a_closure() -> None:
    """A closure in the last week: seasonal naive copies it onto an ordinary day and misses
    the next closure; fit on the cleaned history and guarded, it is within 10% of the truth
    on both days."""
    last_week_closure = date(2026, 4, 10)
    days = {CLOSURE_A: "Closure", last_week_closure: "Closure", FUTURE_CLOSURE: "Closure"}
    truth_factors = {CLOSURE_A: 0.3, last_week_closure: 0.3, FUTURE_CLOSURE: 0.3}
    full = hourly_series(truth_factors, weeks=HISTORY_WEEKS + 1)
    series = full.head(HISTORY_WEEKS * WEEK)
    truth = full.y[HISTORY_WEEKS * WEEK :]
    raw = seasonal_naive(series, WEEK, period=WEEK)
    guarded = guard(series, seasonal_naive(clean_history(series, days), WEEK, period=WEEK), days)
    for day in (last_week_closure + timedelta(days=7), FUTURE_CLOSURE):
        hours = on_day(raw.ds, day)
        assert abs(raw.yhat[hours].sum() / truth[hours].sum() - 1) > 0.5
        assert guarded.yhat[hours].sum() == pytest.approx(truth[hours].sum(), rel=0.1)


def daily_series() -> Series:
    """Five weeks of daily demand, busier towards the weekend, closed to 30% on two days."""
    ds = pd.date_range(START, periods=5 * 7, freq="D")
    shape = 100 * np.array([1.0, 1.0, 1.1, 1.1, 1.3, 1.6, 1.4])[ds.dayofweek.to_numpy()]
    y = shape + np.random.default_rng(1).normal(0, 2, len(ds))
    factor = np.array([0.3 if day in (CLOSURE_A, CLOSURE_B) else 1.0 for day in ds.date])
    return Series("city", START, y * factor, "d")


def test_daily_effects_cleaning_and_scaling() -> None:
    """Daily: the closures give an effect of about 0.3, each closure day is cleaned to the
    mean of the same weekday a week before and after, and only the future closure day of
    the forecast is scaled."""
    series = daily_series()
    effects = holiday_effects(series, DAYS)
    assert effects["Closure"] == pytest.approx(0.3, abs=0.02)
    clean = clean_history(series, DAYS)
    at = int(np.flatnonzero(on_day(series.ds, CLOSURE_A))[0])
    assert clean.y[at] == pytest.approx((series.y[at - 7] + series.y[at + 7]) / 2)
    assert clean.y[at] == pytest.approx(100, rel=0.05)
    ds = pd.date_range(FUTURE_CLOSURE - timedelta(days=3), periods=7, freq="D")
    forecast = Forecast("city", "ets", ds, np.full(7, 100.0), np.full(7, 80.0), np.full(7, 120.0))
    guarded = apply_effects(forecast, "d", DAYS, effects)
    assert np.allclose(guarded.yhat, [100, 100, 100, 100 * effects["Closure"], 100, 100, 100])
    assert guarded.upper[3] == pytest.approx(120 * effects["Closure"])


def weekly_series(holiday_weeks: tuple[int, ...]) -> Series:
    """Thirty weeks of a rising weekly total, at 30% in ``holiday_weeks``."""
    start = pd.Timestamp("2025-06-02")
    y = 1000 + 5 * np.arange(30) + np.random.default_rng(2).normal(0, 5, 30)
    y[list(holiday_weeks)] *= 0.3
    return Series("city", start, y, "w")


def test_weekly_steps_are_the_seven_days_from_each_date() -> None:
    """A weekly step is special when any day of [ds, ds + 7 days) is, named by the first;
    the day seven days on belongs to the next step."""
    ds = pd.date_range("2025-09-29", periods=3, freq="7D")
    days = {
        date(2025, 10, 2): "Second",
        date(2025, 10, 1): "National Day",
        date(2025, 10, 13): "Next week",
    }
    assert special_steps(ds, "w", days) == {0: "National Day", 2: "Next week"}


def day_by_day(ds: pd.DatetimeIndex, freq: str, days: dict[date, str]) -> dict[int, str]:
    """The definition, one step and one day at a time."""
    width = 7 if freq == "w" else 1
    steps = {}
    for position, first in enumerate(ds.date):
        for offset in range(width):
            if first + timedelta(days=offset) in days:
                steps[position] = days[first + timedelta(days=offset)]
                break
    return steps


@pytest.mark.parametrize("freq", ["h", "d", "w"])
def test_special_steps_follow_the_day_by_day_definition(freq: str) -> None:
    """On random calendars, starts (before 1970 too, hours after midnight) and time zones
    (a zone's local date counts), the steps found are the day-by-day definition's."""
    rng = np.random.default_rng(7)
    step = {"h": "h", "d": "D", "w": "7D"}[freq]
    for trial in range(60):
        start = pd.Timestamp("1969-11-01") + pd.Timedelta(
            days=int(rng.integers(0, 400)), hours=int(rng.integers(0, 24))
        )
        ds = pd.date_range(start, periods=int(rng.integers(0, 300)), freq=step)
        if trial % 3 == 0:
            ds = ds.tz_localize("Asia/Shanghai")
        offsets = rng.integers(-10, 2500 if freq == "w" else 500, int(rng.integers(0, 60)))
        days = {
            (pd.Timestamp("1969-11-01") + pd.Timedelta(days=int(d))).date(): f"day {d % 5}"
            for d in offsets
        }
        assert special_steps(ds, freq, days) == day_by_day(ds, freq, days)


def neighbour_by_neighbour(series: Series, steps: dict[int, str]) -> np.ndarray:
    """The definition: the mean of the neighbours that are not special themselves, a week
    away (hours, days) or the nearest normal week on each side (weeks)."""
    normal = np.full(len(series.y), np.nan)
    for position in steps:
        if series.freq == "w":
            before = [p for p in range(position - 1, -1, -1) if p not in steps][:1]
            after = [p for p in range(position + 1, len(series.y)) if p not in steps][:1]
            neighbours = before + after
        else:
            lag = 7 * 24 if series.freq == "h" else 7
            neighbours = [position - lag, position + lag]
        found = [series.y[n] for n in neighbours if 0 <= n < len(series.y) and n not in steps]
        if found:
            normal[position] = np.mean(found)
    return normal


@pytest.mark.parametrize("freq", ["h", "d", "w"])
def test_normal_values_follow_the_neighbour_by_neighbour_definition(freq: str) -> None:
    """On random series and special steps (runs of them, at both ends too), each special
    step's normal value is the definition's, and every other step's is NaN."""
    rng = np.random.default_rng(11)
    for _ in range(60):
        size = int(rng.integers(1, 500))
        series = Series("s", START, rng.gamma(2.0, 50.0, size), freq)
        picked = rng.integers(0, size, int(rng.integers(0, size // 3 + 2)))
        steps = {int(p): "day" for p in picked}
        np.testing.assert_array_equal(
            normal_values(series, steps), neighbour_by_neighbour(series, steps)
        )


def test_weekly_effects_cleaning_and_scaling() -> None:
    """Weekly: a holiday week at 30% gives an effect of about 0.3; it is cleaned to the mean
    of the nearest normal weeks, skipping a special neighbour; a future holiday week is
    scaled."""
    series = weekly_series((10, 11))
    week = series.ds
    days = {week[10].date() + timedelta(days=2): "Golden Week", week[11].date(): "Golden Week"}
    effects = holiday_effects(series, days)
    assert effects["Golden Week"] == pytest.approx(0.3, abs=0.02)
    clean = clean_history(series, days)
    assert clean.y[10] == pytest.approx((series.y[9] + series.y[12]) / 2)
    assert clean.y[11] == pytest.approx((series.y[9] + series.y[12]) / 2)
    assert np.array_equal(np.delete(clean.y, [10, 11]), np.delete(series.y, [10, 11]))
    future = series.future_ds(4)
    ahead = {**days, future[2].date() + timedelta(days=6): "Golden Week"}
    ones = np.ones(4)
    guarded = apply_effects(Forecast("city", "ets", future, ones, ones, ones), "w", ahead, effects)
    assert np.allclose(guarded.yhat, [1, 1, effects["Golden Week"], 1])


def test_special_days_of_a_country() -> None:
    """China's 2025 holidays include National Day on 1 October and the United States'
    Independence Day on 4 July; the range is inclusive and the code case-insensitive."""
    china = special_days(Calendar.parse("cn"), date(2025, 1, 1), date(2025, 12, 31))
    assert "National Day" in china[date(2025, 10, 1)]
    us = special_days(Calendar.parse(" US "), date(2025, 7, 4), date(2025, 7, 4))
    assert us == {date(2025, 7, 4): "Independence Day"}


def test_holiday_names_are_the_same_every_year() -> None:
    """Notes in brackets are dropped so a day's effect can be learnt from other years: an
    observed Dragon Boat Festival is the Dragon Boat Festival, a substituted day off is
    'Day off' (before it joins its break)."""
    china = special_days(Calendar.parse("CN"), date(2025, 6, 2), date(2025, 10, 8))
    assert china[date(2025, 6, 2)] == "Dragon Boat Festival"
    assert holiday_name("Day off (substituted from 09/28/2025)") == "Day off"


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        (date(2025, 1, 29), date(2025, 2, 4), "Chinese New Year"),
        (date(2026, 2, 17), date(2026, 2, 23), "Chinese New Year"),
        (date(2024, 10, 1), date(2024, 10, 7), "National Day"),
        (date(2025, 5, 1), date(2025, 5, 5), "Labor Day"),
    ],
)
def test_a_break_made_whole_by_moved_days_is_one_holiday(
    first: date, last: date, name: str
) -> None:
    """China's Spring Festival, Golden Week and May Day breaks: the moved days off and the
    weekend inside are named as the break's holiday, every day from its first to its
    last, so the guard learns one effect for the break and applies it to all of it."""
    china = special_days(Calendar.parse("CN"), first - timedelta(days=3), last)
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    assert [china.get(d) for d in days] == [name] * len(days)


def test_a_break_keeps_its_other_holidays_and_its_eve() -> None:
    """A festival inside a break keeps its name (Mid-Autumn in 2025's Golden Week), and so
    does the Eve before the Spring Festival; only moved days and the weekend inside are
    renamed."""
    china = special_days(Calendar.parse("CN"), date(2025, 1, 27), date(2025, 10, 8))
    assert china[date(2025, 10, 6)] == "Mid-Autumn Festival"
    assert china[date(2025, 10, 4)] == china[date(2025, 10, 8)] == "National Day"
    assert china[date(2025, 1, 28)] == "Chinese New Year's Eve"
    assert date(2025, 1, 27) not in china


def test_a_break_takes_the_weekend_days_next_to_it_unless_they_are_worked() -> None:
    """2026's Spring Festival break opens on Sunday 15 February, the day after a worked
    Saturday; 2024's closes on Saturday 17 February, the day before a worked Sunday. The
    weekend days next to a break join it, the worked ones (noted by the package on the
    moved days off) do not."""
    china = special_days(Calendar.parse("CN"), date(2024, 2, 1), date(2026, 3, 1))
    assert china[date(2026, 2, 15)] == china[date(2024, 2, 17)] == "Chinese New Year"
    assert date(2026, 2, 14) not in china and date(2024, 2, 18) not in china
    assert date(2026, 2, 28) not in china


def test_a_break_keeps_its_name_in_a_year_that_lists_its_eve_twice() -> None:
    """2012 lists the Eve on 22 January and again, observed, on the 25th, as often as the
    festival itself: the moved days are named as the festival, as in every other year,
    and a late-December day off joins the New Year whatever range asks for it."""
    china = special_days(Calendar.parse("CN"), date(2012, 1, 20), date(2012, 1, 31))
    assert china[date(2012, 1, 26)] == china[date(2012, 1, 27)] == "Chinese New Year"
    december = special_days(Calendar.parse("CN"), date(2018, 12, 1), date(2018, 12, 31))
    whole = special_days(Calendar.parse("CN"), date(2018, 12, 1), date(2019, 1, 5))
    assert december[date(2018, 12, 31)] == whole[date(2018, 12, 31)] == "New Year's Day"


def test_moved_working_days_are_read_from_the_package_notes() -> None:
    """ "Day off (substituted from 02/14/2026)" says Saturday 14 February 2026 is worked."""
    notes = [
        "Day off (substituted from 02/14/2026)",
        "National Day",
        "A; Day off (substituted from 09/28/2025)",
    ]
    assert moved_working_days(notes) == {date(2026, 2, 14), date(2025, 9, 28)}


def test_holidays_without_moved_days_are_left_as_listed() -> None:
    """Good Friday and Easter Monday with a weekend between are two holidays, not a break:
    without a moved day off nothing joins them, and the weekend stays ordinary."""
    australia = special_days(Calendar.parse("AU"), date(2025, 4, 17), date(2025, 4, 22))
    assert australia == {date(2025, 4, 18): "Good Friday", date(2025, 4, 21): "Easter Monday"}


def test_joined_breaks_bridges_weekends_only() -> None:
    """A run of days off joins across a Saturday and Sunday, never across a weekday; a run
    of moved days alone, with no holiday to name it by, stays 'Day off' and takes no
    weekend."""
    listed = {
        date(2030, 1, 3): "Festival",  # Thursday
        date(2030, 1, 4): "Day off",  # Friday
        date(2030, 1, 7): "Day off",  # Monday, after a weekend
        date(2030, 1, 9): "Day off",  # Wednesday, after a working Tuesday
    }
    joined = joined_breaks(listed, working={date(2030, 1, 12)})
    assert [joined.get(date(2030, 1, d)) for d in range(3, 10)] == [
        "Festival",
        "Festival",
        "Festival",
        "Festival",
        "Festival",
        None,
        "Day off",
    ]


def test_an_event_overrides_a_holiday_and_falls_in_the_range() -> None:
    """An event on a holiday gives the day its name; events outside the range are left
    out; days come in date order."""
    events = (
        Event(date(2025, 7, 4), "Fireworks promo"),
        Event(date(2025, 7, 1), "Summer sale"),
        Event(date(2025, 8, 1), "Too late"),
    )
    days = special_days(Calendar.parse("US", events), date(2025, 6, 30), date(2025, 7, 31))
    assert list(days.items()) == [
        (date(2025, 7, 1), "Summer sale"),
        (date(2025, 7, 4), "Fireworks promo"),
    ]


@pytest.mark.parametrize("code", [None, "", "none", " NONE "])
def test_no_country_means_only_the_events(code: str | None) -> None:
    """None, "" and "none" (any case) mean no country: only the events are special."""
    calendar = Calendar.parse(code, [Event(date(2025, 10, 1), "Promo")])
    assert calendar.country is None
    assert special_days(calendar, date(2025, 1, 1), date(2025, 12, 31)) == {
        date(2025, 10, 1): "Promo"
    }


def test_an_unknown_country_code_is_refused() -> None:
    """An unknown code is an input error that says which codes to use."""
    with pytest.raises(InputFormatError) as caught:
        Calendar.parse("XX")
    assert str(caught.value) == (
        "holidays: unknown country code 'XX' (use a holidays-package code such as CN, US, "
        "GB, DE, or none)"
    )


def test_days_for_a_weekly_series_cover_the_last_week_ahead() -> None:
    """The days of a series run from its start to the last day of the last step ahead: a
    weekly step's six days after its date included."""
    series = Series("s", pd.Timestamp("2025-09-01"), np.ones(4), "w")
    events = [Event(date(2025, 8, 31), "before"), Event(date(2025, 10, 5), "last day")]
    events.append(Event(date(2025, 10, 6), "after"))
    assert days_for(Calendar(events=tuple(events)), series, 1) == {date(2025, 10, 5): "last day"}


def test_read_events_reads_a_good_file(tmp_path: Path) -> None:
    """A spreadsheet export with a byte-order mark, a ds column, an extra column, a blank
    line, padding and a timestamp reads as the events in file order."""
    path = tmp_path / "events.csv"
    path.write_text(
        "\ufeffDS,name,note\n2025-10-01,Golden Week promo,x\n\n2025-12-24 00:00:00, Closed ,\n",
        encoding="utf-8",
    )
    assert read_events(path) == (
        Event(date(2025, 10, 1), "Golden Week promo"),
        Event(date(2025, 12, 24), "Closed"),
    )


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        (
            "date,name\n2025-10-01,ok\n2025-13-01,bad\n",
            "line 3, field 'date'",
            "unparsable date '2025-13-01'",
        ),
        ("ds,name\n\nsoon,Promo\n", "line 3, field 'ds'", "unparsable date 'soon'"),
        ("date,name\n,Promo\n", "line 2, field 'date'", "empty date"),
        ("date,name\n2025-10-01,ok\n2025-10-02,  \n", "line 3, field 'name'", "empty name"),
        ("date,name\n2025-10-01\n", "line 2, field 'name'", "empty name"),
        ("date,label\n2025-10-01,x\n", "line 1, field 'name'", "missing column"),
        ("\nday,name\n", "line 2, field 'date'", "missing column"),
        ("", "line 1, header", "empty file"),
    ],
)
def test_read_events_names_the_line_field_and_reason(
    tmp_path: Path, text: str, where: str, reason: str
) -> None:
    """Each bad file is refused in one line naming the file, the line, the field and why."""
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFormatError) as caught:
        read_events(path)
    message = str(caught.value)
    assert str(path) in message and where in message and reason in message
    assert "\n" not in message


def test_read_events_of_a_missing_file(tmp_path: Path) -> None:
    """A file that is not there is an input error naming it, not a traceback."""
    path = tmp_path / "nope.csv"
    with pytest.raises(InputFormatError, match=r"nope\.csv: cannot read it"):
        read_events(path)


def test_prophet_holidays_frame() -> None:
    """Prophet's holidays frame: ds, holiday and zero windows, one row per day in order, each
    name prefixed so none can be a name Prophet reserves."""
    frame = prophet_holidays({date(2025, 10, 2): "B", date(2025, 10, 1): "A"})
    assert list(frame.columns) == ["ds", "holiday", "lower_window", "upper_window"]
    assert list(frame["ds"]) == [pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-02")]
    assert list(frame["holiday"]) == ["day: A", "day: B"]
    assert (frame["lower_window"] == 0).all() and (frame["upper_window"] == 0).all()
    assert pd.api.types.is_datetime64_any_dtype(frame["ds"])
    assert list(prophet_holidays({}).columns) == list(frame.columns)


def test_importing_the_module_does_not_import_holidays() -> None:
    """The CLI imports this module and must start fast: holidays loads only when used."""
    code = "import sys, forecasting.calendar; print('holidays' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_holiday_names_are_english_without_a_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process without LANG (a container, a service) still names China's days in English,
    as the notes and the tests read them."""
    for name in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    china = special_days(Calendar.parse("CN"), date(2025, 10, 1), date(2025, 10, 1))
    assert "National Day" in china[date(2025, 10, 1)]
