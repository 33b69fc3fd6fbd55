"""Serving: the best model by backtest is served and Prophet is always returned beside it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import SeriesError
from forecasting.models import Combination
from forecasting.prophet_model import HOURLY_DEMAND
from forecasting.selection import ServingPlan, default_plan, serve
from forecasting.series import Series
from forecasting.synthetic import demand_series

START = pd.Timestamp("2026-03-02")
# The race's single best serves (``blend=1``), so the tests below see its choice itself.
QUICK = ServingPlan(
    candidates=("seasonal_naive", "seasonal_naive_168", "prophet"),
    combinations=(Combination("prophet+snaive168", ("prophet", "seasonal_naive_168")),),
    blend=1,
)


def test_a_weekly_pattern_is_served_by_weekly_seasonal_naive() -> None:
    """A repeating week with little noise is best forecast by the weekly naive, which wins;
    Prophet is still returned beside it, and every candidate appears in the table."""
    rng = np.random.default_rng(0)
    week = rng.uniform(5, 50, 168)
    y = np.tile(week, 4) + rng.normal(0, 0.01, 168 * 4)
    served = serve(Series("weekly", START, y), 24, QUICK)
    assert served.chosen == "seasonal_naive_168"
    assert np.allclose(served.served.yhat, week[:24], atol=0.1)
    assert served.prophet is not None and served.prophet.model == "prophet"
    assert served.table[0].model == "seasonal_naive_168"
    assert {row.model for row in served.table} >= {"prophet", "prophet+snaive168"}


def test_a_failing_prophet_is_reported_and_the_others_serve() -> None:
    """Prophet configured with a regressor the series lacks cannot forecast: its error is
    reported with the reason, and the weekly naive serves."""
    week = np.random.default_rng(0).uniform(5, 50, 168)
    plan = replace(QUICK, prophet=replace(HOURLY_DEMAND, regressors=("rain_mm",)))
    served = serve(Series("exact", START, np.tile(week, 4)), 24, plan)
    assert served.prophet is None and served.prophet_error is not None
    assert "series 'exact': regressor 'rain_mm' is configured but missing" in served.prophet_error
    assert served.chosen == "seasonal_naive_168"


def test_the_table_is_sorted_by_score_and_names_the_winner() -> None:
    """Scores rise down the table and the served model is its first row."""
    history, _ = demand_series("zone", days=28, seed=6)
    served = serve(history, 24, QUICK)
    scores = [row.score for row in served.table]
    assert scores == sorted(scores) and served.chosen == served.table[0].model
    assert "by backtest over 2 cutoffs" in served.reason
    assert served.served.yhat.min() >= 0


def test_forcing_prophet_serves_prophet() -> None:
    """With force='prophet' the served forecast is Prophet's, whatever the backtest says."""
    history, _ = demand_series("zone", days=14, seed=2)
    served = serve(history, 24, default_plan("h", force="prophet"))
    assert served.chosen == "prophet" and served.prophet is not None
    assert np.array_equal(served.served.yhat, served.prophet.yhat)
    assert served.table == ()


def test_short_histories_fall_back_and_say_so_and_tiny_ones_are_refused() -> None:
    """Three days cannot be backtested over 48 hours: the plan's first fallback (seasonal
    naive) is served and the reason says why; under a day is refused."""
    history, _ = demand_series("zone", days=3, seed=2)
    served = serve(history, 48, QUICK)
    assert served.chosen == "seasonal_naive" and served.table == ()
    assert served.reason == "history too short to backtest (72 values): seasonal_naive served"
    with pytest.raises(
        SeriesError, match="'zone': too little history: 20 values, need at least 24"
    ):
        serve(history.head(20), 48, QUICK)


@pytest.mark.parametrize(("freq", "n", "last"), [("h", 30, "day"), ("w", 6, "value")])
def test_a_very_short_history_repeats_its_last_season_with_a_wide_interval(
    freq: str, n: int, last: str
) -> None:
    """Under two seasons (thirteen weeks) no fallback can measure its interval: the last
    day of hours is repeated (the last week's value, for weeks), with no trend drawn from so
    few values, an interval that widens with each season ahead, and a reason that says so."""
    history, _ = demand_series("zone", days=3, seed=2)
    series = Series("zone", history.start, history.y[:n], freq)
    served = serve(series, 48, QUICK if freq == "h" else default_plan(freq))
    assert served.chosen == "short_naive" and served.table == ()
    m = 24 if freq == "h" else 1
    assert np.array_equal(served.served.yhat[:m], series.y[n - m :])
    assert np.array_equal(served.served.yhat[m : 2 * m], series.y[n - m :])
    above = served.served.upper - served.served.yhat
    assert above[0] > 0 and above[m] > above[0]
    assert served.reason == (
        f"history too short to backtest ({n} values, a fallback needs "
        f"{48 if freq == 'h' else 13}): short_naive served, the last {last} repeated with an "
        "interval from the step-to-step changes"
    )


def test_a_very_short_history_does_not_repeat_a_closure_into_next_week() -> None:
    """A day the events file marks (a stocktake, shut) in the last week of a ten-day
    history is guarded as the fallbacks are: next week's same weekday is forecast as a
    usual one, not as another closed day."""
    from datetime import date

    from forecasting.calendar import Calendar, Event

    y = np.array([50.0, 52, 48, 51, 49, 60, 58, 50, 0, 50])
    series = Series("store", pd.Timestamp("2026-03-02"), y, "d")
    closed = Calendar(None, events=(Event(date(2026, 3, 10), "stocktake"),))
    served = serve(series, 7, default_plan("d", calendar=closed), beside=False)
    assert served.chosen == "short_naive"
    tuesday = list(served.served.ds).index(pd.Timestamp("2026-03-17"))
    assert served.served.yhat[tuesday] > 30


@pytest.mark.parametrize("beside", [True, False])
def test_constant_series_are_served_as_their_value(beside: bool) -> None:
    """A series that never changed (a product never sold) is forecast as its value, the
    interval that value too, and the reason says so; no model is fitted to it."""
    result = serve(Series("flat", START, np.full(24 * 10, 3.0)), 24, QUICK, beside=beside)
    assert result.chosen == "constant" and result.table == ()
    assert result.reason == "the history never changed (3): constant served"
    for part in (result.served.yhat, result.served.lower, result.served.upper):
        assert np.array_equal(part, np.full(24, 3.0))
    assert result.prophet is None


def test_daily_series_use_the_daily_plan() -> None:
    """Daily data races weekly-seasonal models and gives whole-day dates."""
    days = 84
    y = (
        100
        + 20 * np.sin(np.arange(days) * 2 * np.pi / 7)
        + np.random.default_rng(1).normal(0, 3, days)
    )
    served = serve(Series("city", START, y, "d"), 7, default_plan("d"))
    assert len(served.served.ds) == 7 and served.served.ds[0] == START + pd.Timedelta(days=days)
    assert "seasonal_naive_168" not in {row.model for row in served.table}


def test_the_final_forecasts_come_from_fits_on_the_whole_history() -> None:
    """The backtest's folds share one fit, but the served forecast and Prophet's beside it
    are fitted on every value: the same as fitting each model afresh on the series."""
    from forecasting.prophet_model import prophet_forecast
    from forecasting.stats_models import mstl

    history, _ = demand_series("zone", days=21, seed=4)
    served = serve(history, 24, replace(default_plan("h"), force="mstl", folds=3))
    assert np.allclose(served.served.yhat, mstl(history, 24).yhat)
    assert served.prophet is not None
    fresh = prophet_forecast(history, 24, default_plan("h").prophet)
    assert np.allclose(served.prophet.yhat, fresh.yhat)


def test_weekly_series_are_served_from_their_last_five_years() -> None:
    """A weekly series forecasts the same whatever came before its last five years (a
    market long gone at ten times the level), and the year's shape MSTL finds is raced."""
    weeks = 261 + 150
    rng = np.random.default_rng(2)
    y = 100 + 15 * np.sin(np.arange(weeks) * 2 * np.pi / 52) + rng.normal(0, 2, weeks)
    y[:150] *= 10
    long = serve(Series("fuel", START, y, "w"), 13, default_plan("w"))
    recent = serve(Series("fuel", START, y, "w").tail(261), 13, default_plan("w"))
    assert np.allclose(long.served.yhat, recent.served.yhat)
    assert long.served.yhat.max() < 200
    assert {"mstl", "mean(arima,theta,dotm,mstl)"} <= {row.model for row in long.table}
    assert "prophet" not in {row.model for row in long.table}


def weekly_with_closures(weeks: int, closed: list[int]) -> Series:
    """Daily orders with a weekly shape; on the given days a closure cuts demand to 30%."""
    rng = np.random.default_rng(3)
    days = pd.date_range("2025-01-06", periods=weeks * 7, freq="D")
    y = 100 + 30 * (days.dayofweek >= 5) + rng.normal(0, 3, len(days))
    y[closed] *= 0.3
    return Series("shop", days[0], y, "d")


def test_an_event_the_history_shows_is_forecast_on_its_next_day() -> None:
    """A 'stocktake' that cut demand to 30% on three past days cuts the forecast on the
    next stocktake day too, whichever model serves; other days stay normal."""
    from forecasting.calendar import Calendar, Event

    history = weekly_with_closures(12, [16, 37, 58])
    past = [Event(history.ds[i].date(), "stocktake") for i in (16, 37, 58)]
    ahead = history.future_ds(14)[9].date()
    calendar = Calendar(None, (*past, Event(ahead, "stocktake")))
    served = serve(history, 14, default_plan("d", calendar=calendar))
    yhat = served.served.yhat
    assert yhat[9] < 0.5 * np.median(yhat)
    assert np.all(np.delete(yhat, 9) > 80)
    without = serve(history, 14, default_plan("d"))
    assert without.served.yhat[9] > 80


def test_served_intervals_are_calibrated_on_the_backtest() -> None:
    """The served 80% interval is rescaled by the factor that made it cover 80% in the
    backtest: over many later days it covers between 65% and 95% of them."""
    rng = np.random.default_rng(8)
    days = pd.date_range("2025-01-06", periods=140, freq="D")
    y = 200 + 40 * (days.dayofweek >= 5) + rng.normal(0, 15, 140)
    inside = []
    for cut in range(84, 140 - 7, 7):
        served = serve(Series("c", days[0], y[:cut], "d"), 7, default_plan("d"))
        actual = y[cut : cut + 7]
        inside += list((actual >= served.served.lower) & (actual <= served.served.upper))
    assert 0.65 <= np.mean(inside) <= 0.95


def test_the_holiday_guard_learns_only_from_before_its_cutoff() -> None:
    """In a backtest fold, an event seen only after the fold's cutoff changes nothing; once
    the history holds it, the next such day is scaled by what it did."""
    from forecasting.calendar import Calendar, Event, days_for
    from forecasting.selection import Guard, guarded
    from forecasting.stats_models import theta

    history = weekly_with_closures(12, [70])
    days = days_for(Calendar(None, (Event(history.ds[70].date(), "stocktake"),)), history, 14)
    model = guarded(theta, Guard(history, days))
    before = history.head(63)
    assert np.allclose(model(before, 14).yhat, theta(before, 14).yhat)
    ahead = history.future_ds(14)[3].date()
    days = {**days, ahead: "stocktake"}
    later = guarded(theta, Guard(history, days))(history, 14).yhat
    assert later[3] < 0.5 * np.median(later)


def test_weekly_prophet_is_given_each_holiday_on_its_weeks_first_day() -> None:
    """Prophet matches a holiday by date, so a weekly series' holiday is put on the first
    day of the week that holds it; hourly and daily series keep the day itself."""
    from datetime import date

    from forecasting.selection import prophet_days

    weekly = Series("w", pd.Timestamp("2025-09-07"), np.arange(20.0) + 1, "w")
    assert prophet_days(weekly, 4, {date(2025, 10, 1): "National Day"}) == (
        (date(2025, 9, 28), "National Day"),
    )
    daily = Series("d", pd.Timestamp("2025-09-07"), np.arange(40.0) + 1, "d")
    assert prophet_days(daily, 4, {date(2025, 10, 1): "National Day"}) == (
        (date(2025, 10, 1), "National Day"),
    )


def test_an_event_named_like_a_prophet_term_is_modelled_not_fatal() -> None:
    """Events called 'trend' or 'weekly' (names Prophet reserves) are modelled like any
    other: Prophet forecasts, and the event day is lower."""
    from forecasting.calendar import Calendar, Event

    history = weekly_with_closures(10, [20, 41, 62])
    events = [Event(history.ds[i].date(), "trend") for i in (20, 41, 62)]
    ahead = history.future_ds(7)[2].date()
    plan = default_plan(
        "d", force="prophet", calendar=Calendar(None, (*events, Event(ahead, "trend")))
    )
    served = serve(history, 7, plan)
    assert served.chosen == "prophet" and served.served.yhat[2] < 0.6 * served.served.yhat[3]


def test_prophet_learns_a_holiday_from_before_its_window() -> None:
    """Hourly Prophet sees only the last 8 weeks; a closure 10 weeks back still cuts its
    forecast on the next closure day, through the guard that reads the whole history."""
    from forecasting.calendar import Calendar, Event

    history, _ = demand_series("zone", days=84, seed=9)
    y = np.array(history.y)
    y[24 * 14 : 24 * 15] *= 0.2
    history = Series("zone", history.start, y)
    ahead = history.future_ds(48)[30].date()
    events = (Event(history.ds[24 * 14].date(), "closure"), Event(ahead, "closure"))
    plan = default_plan("h", force="prophet", calendar=Calendar(None, events))
    served = serve(history, 48, plan).served.yhat
    assert served[24:].sum() < 0.4 * served[:24].sum()
    plain = serve(history, 48, default_plan("h", force="prophet")).served.yhat
    assert plain[24:].sum() > 0.7 * plain[:24].sum()


def widths_scaled(series: Series, plan: ServingPlan, horizon: int, level: int) -> bool:
    """Whether the served upper bound is the model's own scaled by the backtest's conformal
    factor at ``level``."""
    from forecasting.selection import Finals, race

    result = serve(series, horizon, plan)
    finals = Finals(series, horizon, plan)
    contest = race(finals, plan, tuple(dict.fromkeys((*plan.candidates, plan.reference))))
    assert contest is not None
    own = finals.get(result.chosen)
    scale = contest.factor(result.chosen, level)
    assert scale is not None
    expected = own.yhat + scale * (own.upper - own.yhat)
    return bool(np.allclose(result.served.upper, expected, rtol=1e-6))


def test_only_a_model_the_race_chose_is_given_the_winners_allowance() -> None:
    """The plan's combination, served whatever its backtest, is scaled to cover 80% of the
    backtest's values; a model picked as the race's winner is scaled to cover 84%, since its
    backtest flatters it."""
    rng = np.random.default_rng(4)
    days = pd.date_range("2025-01-06", periods=70, freq="D")
    y = 200 + 40 * (days.dayofweek >= 5) + rng.normal(0, 15, 70)
    daily = Series("d", days[0], y, "d")
    plan = replace(default_plan("d"), margin=0.9)  # no model can beat the combination by 90%
    assert serve(daily, 7, plan).chosen == plan.prefer
    assert widths_scaled(daily, plan, 7, 80) and not widths_scaled(daily, plan, 7, 84)
    raced = replace(plan, prefer=None, blend=1)
    assert serve(daily, 7, raced).chosen != plan.prefer
    assert widths_scaled(daily, raced, 7, 84) and not widths_scaled(daily, raced, 7, 80)


def test_a_plan_that_blends_two_serves_the_mean_of_the_races_two_best() -> None:
    """With ``blend=2`` the served forecast is the mean of the two best models of the
    backtest, named after them, when the second scored within ``blend_within`` times the
    best; a preferred combination that no model beat still serves alone."""
    from forecasting.selection import Finals

    history, _ = demand_series("z", days=21, seed=11)
    plan = replace(QUICK, blend=2)
    served = serve(history, 24, plan)
    assert served.chosen in {row.model for row in served.table}
    raced = [row for row in served.table if row.model != served.chosen]
    first, second = raced[0].model, raced[1].model
    assert served.chosen == f"mean({', '.join(sorted((first, second)))})"
    assert served.reason.startswith("mean of the best 2 of")
    finals = Finals(history, 24, plan)
    expected = (finals.get(first).yhat + finals.get(second).yhat) / 2
    assert np.allclose(served.served.yhat, expected)
    assert np.all(served.served.lower <= served.served.yhat)
    assert np.all(served.served.yhat <= served.served.upper)
    assert raced[1].score <= 2 * raced[0].score
    strict = serve(history, 24, replace(plan, blend_within=1.0))
    assert strict.chosen == first
    rng = np.random.default_rng(4)
    days = pd.date_range("2025-01-06", periods=70, freq="D")
    daily = Series("d", days[0], 200 + 40 * (days.dayofweek >= 5) + rng.normal(0, 15, 70), "d")
    preferring = replace(default_plan("d"), margin=0.9, blend=2)
    assert serve(daily, 7, preferring).chosen == preferring.prefer


def test_a_preferred_combination_that_cannot_forecast_leaves_the_choice_to_the_race() -> None:
    """When the plan's combination backtested well but its final forecast fails (a member
    fails on the whole history), the race's best serve, and the reason does not claim the
    combination served."""
    from forecasting.errors import ModelError
    from forecasting.selection import Finals, best, race

    rng = np.random.default_rng(4)
    days = pd.date_range("2025-01-06", periods=70, freq="D")
    daily = Series("d", days[0], 200 + 40 * (days.dayofweek >= 5) + rng.normal(0, 15, 70), "d")
    plan = replace(default_plan("d"), margin=0.9)
    finals = Finals(daily, 7, plan)
    contest = race(finals, plan, tuple(dict.fromkeys((*plan.candidates, plan.reference))))
    assert contest is not None and plan.prefer in {row.model for row in contest.table}

    def fails(series: Series, horizon: int):
        # A fault the final fit alone meets, which real models raise only on rare data.
        raise ModelError("auto_ets", series.series_id, "did not converge")

    finals.models["auto_ets"] = fails
    served = best(finals, contest, daily, None, None)
    assert served.chosen != plan.prefer and "auto_ets" not in served.chosen
    assert "plan's combination" not in served.reason


def searches_counted(monkeypatch: pytest.MonkeyPatch, search_name: str) -> list[int]:
    """The history lengths a search (``stats_models.ets_search`` or ``arima_search``) runs
    on from here on (the search itself runs)."""
    from forecasting import stats_models

    lengths: list[int] = []
    search = getattr(stats_models, search_name)

    def counting(series: Series):
        lengths.append(len(series.y))
        return search(series)

    monkeypatch.setattr(stats_models, search_name, counting)
    return lengths


def test_a_plan_that_keeps_forms_fits_the_backtests_form_to_the_whole_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Weekly data: ETS's form is searched once, at the oldest cutoff, and the final
    forecast fits it to every value; a plan that does not keep forms searches again on the
    whole history, and so does one whose oldest cutoff saw under two thirds of it. A forced
    AutoARIMA keeps its orders alike."""
    rng = np.random.default_rng(5)
    y = 100 + 15 * np.sin(np.arange(160) * 2 * np.pi / 52) + rng.normal(0, 3, 160).cumsum()
    series = Series("fuel", START, y, "w")
    plan = default_plan("w")
    lengths = searches_counted(monkeypatch, "ets_search")
    serve(series, 13, replace(plan, force="auto_ets"))
    assert lengths == [160 - 13 * plan.folds]
    lengths.clear()
    serve(series, 13, replace(plan, keep_forms=False, force="auto_ets"))
    assert lengths == [160 - 13 * plan.folds, 160]
    lengths = searches_counted(monkeypatch, "arima_search")
    # Eighty weeks: the oldest cutoff saw half of them, too few to keep its form.
    serve(series.head(80), 13, replace(plan, force="auto_arima"))
    assert lengths == [80 - 13 * plan.folds, 80]
    lengths.clear()
    serve(series, 13, replace(plan, force="auto_arima"))
    assert lengths == [160 - 13 * plan.folds]


@pytest.mark.parametrize("model", ["auto_ets", "auto_arima", "arima"])
def test_a_kept_form_is_fitted_to_the_level_the_last_weeks_jumped_to(model: str) -> None:
    """Demand jumped from 100 to 140 twenty weeks ago, after the oldest cutoff: the weekly
    final forecast follows it. ETS refits the kept form's smoothing to every value; ARIMA's
    kept form, stationary when found, would forecast the mean of both levels (104), so the
    whole history's call for differencing sends it back to the search."""
    rng = np.random.default_rng(3)
    y = 100 + rng.normal(0, 3, 200)
    y[-20:] += 40
    series = Series("store", START, y, "w")
    served = serve(series, 13, replace(default_plan("w"), force=model), beside=False)
    assert served.served.yhat.mean() > 130


def test_without_beside_prophet_is_fitted_only_where_it_races(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``beside=False`` (what ``longcat forecast file`` asks): a weekly plan, which does not
    race Prophet, fits no Prophet at all; an hourly plan still races it, and a Prophet that
    failed there is still explained."""
    from forecasting import models

    fits: list[int] = []
    fit = models.fit_prophet

    def counting(series: Series, horizon: int, **config):
        fits.append(len(series.y))
        return fit(series, horizon, **config)

    monkeypatch.setattr(models, "fit_prophet", counting)
    rng = np.random.default_rng(6)
    weekly = Series("w", START, 100 + rng.normal(0, 5, 120), "w")
    assert serve(weekly, 13, default_plan("w")).prophet is not None and fits
    fits.clear()
    alone = serve(weekly, 13, default_plan("w"), beside=False)
    assert alone.prophet is None and alone.prophet_error is None and not fits
    history, _ = demand_series("zone", days=21, seed=4)
    assert "prophet" in {row.model for row in serve(history, 24, QUICK, beside=False).table}
    failing = replace(QUICK, prophet=replace(HOURLY_DEMAND, regressors=("rain_mm",)))
    missing = serve(history, 24, failing, beside=False)
    assert missing.prophet is None and "regressor 'rain_mm'" in (missing.prophet_error or "")


def test_served_bounds_of_a_mostly_empty_series_never_go_below_zero() -> None:
    """The models leave their lower bounds below zero on empty night hours (for the
    calibration to measure how far); whatever serves, the race's choice, Prophet beside or a
    fallback on a history too short to backtest, is clipped at zero as it is served."""
    history, _ = demand_series("quiet", days=14, level=1.0, seed=3)
    assert (history.y == 0).mean() > 0.5
    raced = serve(history, 24, QUICK)
    fell_back = serve(history.tail(72), 48, QUICK)
    assert fell_back.reason.startswith("history too short to backtest")
    for forecast in (raced.served, raced.prophet, fell_back.served):
        assert forecast is not None and forecast.lower.min() == 0.0
        assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)


def test_a_negative_value_before_the_window_does_not_let_a_bound_below_zero() -> None:
    """The models see the window and clip their points by its values; the served lower
    bound is clipped by the same values, so a negative reading older than the window (a
    correction, a refund) leaves no bound below zero beside a point at zero."""
    history, _ = demand_series("refunds", days=6, level=1.0, seed=3)
    y = np.r_[np.full(48, -1.0), history.y]
    for days, raced in ((5, True), (3, False)):  # a race, and a window too short for one
        result = serve(Series("refunds", START, y, "h"), 48, replace(QUICK, window_days=days))
        assert result.reason.startswith("best of") == raced
        assert result.served.yhat.min() >= 0 and result.served.lower.min() == 0.0


def test_a_rare_event_series_gets_intervals_not_points() -> None:
    """Six weeks of hours with an order one hour in twenty: most backtest hours are forecast
    exactly (empty where empty), which once shrank every served interval to its point, a 1
    claiming exactly 1. The intervals keep a width wherever the history is not constant."""
    rng = np.random.default_rng(4)
    series = Series("rare", START, rng.poisson(0.05, 6 * 7 * 24).astype(float), "h")
    served = serve(series, 24, default_plan("h"), beside=False).served
    assert (served.upper - served.lower > 0).all()
    assert (served.lower <= served.yhat).all() and (served.yhat <= served.upper).all()


def test_a_level_shift_weeks_back_leaves_a_sane_interval() -> None:
    """80 days at 50, then 41 at 150 with a spread of 12: one backtest fold forecast 50
    while 150 came, which once made the served 80% interval [0, 800] around 150. The fold
    that saw the shift is left out of the calibration: the first day's interval holds the
    forecast within three spreads either side, and still covers the level."""
    rng = np.random.default_rng(3)
    y = np.r_[50 + rng.normal(0, 4, 80), 150 + rng.normal(0, 12, 41)].round()
    served = serve(Series("shift", START, y, "d"), 14, default_plan("d"), beside=False).served
    assert served.lower[0] < 150 < served.upper[0]
    assert served.upper[0] - served.lower[0] < 6 * 12


def test_the_whole_spring_festival_break_is_forecast_low() -> None:
    """Three years of a Chinese city's daily orders, down by half over each Spring
    Festival break as the State Council set it (2023: 21-27 January, 2024: 10-17
    February, 2025: 28 January-4 February). The 2026 forecast is low on every day of the
    break (15-23 February): the moved days off (20 and 23 February), the weekend between
    them and the Sunday that opens it included, where before only the Eve and the three
    festival days were."""
    from forecasting.calendar import Calendar

    days = pd.date_range("2023-01-01", "2026-02-08", freq="D")
    breaks = np.zeros(len(days), bool)
    for first, last in (
        ("2023-01-21", "2023-01-27"),
        ("2024-02-10", "2024-02-17"),
        ("2025-01-28", "2025-02-04"),
    ):
        breaks |= (days >= first) & (days <= last)
    rng = np.random.default_rng(1)
    y = 1000 * (1 + 0.15 * (days.dayofweek >= 5)) * np.where(breaks, 0.45, 1.0)
    y = y * rng.normal(1, 0.03, len(days))
    series = Series("city", days[0], y[:-1], "d")
    plan = default_plan("d", calendar=Calendar("CN"))
    served = serve(series, 21, plan, beside=False).served
    by_day = dict(zip(served.ds, served.yhat, strict=True))
    # The week before the break, weekday by weekday, is the ordinary level to compare with.
    ordinary = {day.dayofweek: by_day[day] for day in pd.date_range("2026-02-08", periods=7)}
    for day in pd.date_range("2026-02-15", "2026-02-23", freq="D"):
        assert by_day[day] < 0.7 * ordinary[day.dayofweek], day


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_hourly_reading_without_a_daily_shape_is_forecast_from_where_it_is(seed: int) -> None:
    """Six weeks of a reading that wanders by 0.3 an hour with a daily swing of 0.2 (a
    temperature, a level, not orders): the served forecast starts within 0.3 of the last
    value, where yesterday's shape or a daily profile would start half a unit or more away."""
    rng = np.random.default_rng(seed)
    hours = np.arange(24 * 42)
    y = 20 + np.cumsum(rng.normal(0, 0.3, len(hours))) + 0.2 * np.sin(2 * np.pi * hours / 24)
    served = serve(Series("sensor", START, y), 48, default_plan("h"), beside=False)
    assert abs(served.served.yhat[0] - y[-1]) < 0.3, served.chosen
