"""statsforecast's models behind the series-in, forecast-out call, and MSTL kept across
cutoffs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting import stats_models
from forecasting.errors import ModelError
from forecasting.models import Reusing
from forecasting.series import Series
from forecasting.synthetic import demand_series


def test_mstl_uses_the_weekly_season_only_with_two_weeks_of_history() -> None:
    """Hourly MSTL models days and weeks; under two weeks of history only days."""
    history, _ = demand_series("z", days=15, seed=1)
    assert stats_models.mstl_periods(history) == [24, 168]
    assert stats_models.mstl_periods(history.head(24 * 10)) == [24]


def test_mstl_and_auto_ets_give_non_negative_forecasts_with_intervals() -> None:
    """Both models forecast counts at or above zero with lower <= yhat <= upper; the lower
    bound stays where the model's spread puts it (below zero at night), for the calibration
    to measure, and is clipped only as it is served."""
    history, _ = demand_series("z", days=15, seed=2)
    for forecast in (stats_models.mstl(history, 24), stats_models.auto_ets(history, 24)):
        assert len(forecast.ds) == 24 and forecast.yhat.min() >= 0
        assert forecast.lower.min() < 0  # the quiet night hours, left for the calibration
        assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)
        assert np.any(forecast.upper > forecast.lower)


def test_fitted_mstl_is_statsforecasts_mstl_at_its_cutoff() -> None:
    """The kept decomposition forecasts exactly what statsforecast's MSTL does, given the
    same STL jumps, at the history it was fitted on, bounds included; and the jumps move
    the forecast by less than 2% of the series' range from MSTL's without them."""
    from statsforecast.models import MSTL, AutoETS

    history, _ = demand_series("z", days=21, seed=3)
    ours = stats_models.mstl(history, 24)
    jumps = stats_models.stl_jumps(24)
    assert jumps == {"seasonal_jump": 2, "trend_jump": 5, "low_pass_jump": 3}
    y = np.asarray(history.y)
    theirs = MSTL([24, 168], trend_forecaster=AutoETS(model="ZZN"), stl_kwargs=jumps).forecast(
        y=y, h=24, level=[80]
    )
    assert np.allclose(ours.yhat, np.maximum(theirs["mean"], 0))
    assert np.allclose(ours.upper, np.maximum(theirs["hi-80"], 0))
    plain = MSTL([24, 168], trend_forecaster=AutoETS(model="ZZN")).forecast(y=y, h=24)
    assert np.abs(ours.yhat - np.maximum(plain["mean"], 0)).max() < 0.02 * np.ptp(y)
    assert not np.allclose(ours.yhat, np.maximum(plain["mean"], 0))


def test_a_kept_mstl_forecasts_after_later_cutoffs_from_what_they_know() -> None:
    """Forecasting a day later from the same decomposition follows the new days: after a
    jump in level, the forecast moves with it, and the seasons still repeat."""
    history, _ = demand_series("z", days=21, seed=3)
    fitted = stats_models.fit_mstl(history.head(24 * 20), 24)
    jumped = np.r_[history.y[: 24 * 20], history.y[24 * 20 :] + 30.0]
    later = fitted.forecast(Series("z", history.start, jumped), 24)
    before = fitted.forecast(history.head(24 * 20), 24)
    assert later.yhat.mean() > before.yhat.mean() + 15
    with pytest.raises(ModelError, match="cannot reach this cutoff"):
        fitted.forecast(history.head(24 * 19), 24)


def test_a_kept_mstl_keeps_its_trend_form_and_refits_only_its_parameters() -> None:
    """The ETS form of the trend is searched once, at the fit; a later cutoff fits that
    form's parameters to its own values, which is what a search would have picked there
    on this series, at a tenth of the cost."""
    from statsforecast.models import AutoETS

    history, _ = demand_series("z", days=21, seed=3)
    fitted = stats_models.fit_mstl(history.head(24 * 19), 24)
    assert fitted.trend.form != "ZZN" and len(fitted.trend.form) == 3
    later = history.head(24 * 21)
    trend = later.y - fitted.season_at(0, len(later.y))
    model = AutoETS(model=fitted.trend.form, damped=fitted.trend.damped)
    expected = model.forecast(y=trend, h=24, level=[80])["mean"] + fitted.season_at(
        len(later.y), len(later.y) + 24
    )
    assert np.allclose(fitted.forecast(later, 24).yhat, np.maximum(expected, 0))


def test_reusing_fits_once_for_later_cutoffs_and_afresh_for_earlier_ones() -> None:
    """A backtest's folds and the final forecast share one fit; a shorter history than the
    fit's, or a longer horizon, is fitted again (no forecast sees its own future)."""
    history, _ = demand_series("z", days=21, seed=3)
    fits: list[int] = []

    def fit(series: Series, horizon: int) -> stats_models.FittedMSTL:
        fits.append(len(series.y))
        return stats_models.fit_mstl(series, horizon)

    model = Reusing(fit)
    for days in (19, 20, 21):
        model(history.head(24 * days), 24)
    assert fits == [24 * 19]
    model(history.head(24 * 18), 24)
    model(history.head(24 * 19), 48)
    assert fits == [24 * 19, 24 * 18, 24 * 19]


@pytest.mark.parametrize(
    "model",
    [
        stats_models.auto_arima,
        stats_models.theta,
        stats_models.optimized_theta,
        stats_models.naive,
    ],
)
def test_every_statsforecast_candidate_gives_ordered_bounds(model) -> None:
    """Each candidate forecasts the horizon with lower <= yhat <= upper, not all equal."""
    history, _ = demand_series("z", days=10, seed=5)
    forecast = model(history, 24)
    assert len(forecast.yhat) == 24 and np.all(forecast.lower <= forecast.yhat)
    assert np.all(forecast.yhat <= forecast.upper) and np.any(forecast.upper > forecast.lower)


def test_weekly_series_shorter_than_two_years_get_mstls_trend_alone() -> None:
    """Fewer than 104 weeks cannot show the year twice: MSTL is its trend model alone, and
    ETS and ARIMA fit no season longer than 24 steps."""
    rng = np.random.default_rng(1)
    weekly = Series("w", pd.Timestamp("2024-01-07"), 100 + rng.normal(0, 5, 80).cumsum(), "w")
    assert stats_models.mstl_periods(weekly) == [1]
    assert stats_models.fitted_season(weekly) == 1
    assert len(stats_models.mstl(weekly, 13).yhat) == 13


def test_a_fit_that_cannot_follow_new_values_is_refitted_at_every_cutoff() -> None:
    """Prophet without lags learns nothing from values after its fit, so each later cutoff
    gets its own fit rather than a stale one."""
    from forecasting.prophet_model import BY_FREQ, fit_prophet

    rng = np.random.default_rng(2)
    days = pd.date_range("2025-01-06", periods=90, freq="D")
    series = Series("d", days[0], 50 + 10 * (days.dayofweek >= 5) + rng.normal(0, 2, 90), "d")
    fits: list[int] = []

    def fit(history: Series, horizon: int):
        fits.append(len(history.y))
        return fit_prophet(history, horizon, BY_FREQ["d"])

    model = Reusing(fit)
    for n in (76, 83, 90):
        model(series.head(n), 7)
    assert fits == [76, 83, 90]


def counted(
    name: str = "auto_ets", search=stats_models.ets_search, form=stats_models.ets_form
) -> tuple[stats_models.FormKept, list[int]]:
    """A kept-form model and the history lengths its search was run on."""
    calls: list[int] = []

    def counting(series: Series):
        calls.append(len(series.y))
        return search(series)

    return stats_models.FormKept(name, counting, form), calls


def weekly_cycle(days: int, seed: int) -> Series:
    """Positive daily values with a growing level and a weekly cycle that scales with it."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    y = 20 * np.exp(0.01 * t) * (1 + 0.6 * np.sin(2 * np.pi * t / 7)) * rng.lognormal(0, 0.05, days)
    return Series("m", pd.Timestamp("2025-01-06"), y, "d")


@pytest.mark.parametrize(
    ("name", "search", "form"),
    [
        ("auto_arima", stats_models.arima_search, stats_models.arima_order),
        ("auto_ets", stats_models.ets_search, stats_models.ets_form),
    ],
)
def test_ets_and_arima_search_once_and_fit_the_form_found_at_later_cutoffs(
    name, search, form
) -> None:
    """The first cutoff's forecast is the search's own; later, longer cutoffs fit the form
    found there without searching, and forecast as that form fitted on them does; a shorter
    history is searched afresh."""
    history = weekly_cycle(120, 2)
    model, calls = counted(name, search, form)
    first = model(history.head(92), 14)
    searched = stats_models.run(history.head(92), name, search(history.head(92)), 14, 80)
    assert np.allclose(first.yhat, searched.yhat)
    kept = model.kept
    assert kept is not None
    for days in (99, 106):
        later = model(history.head(days), 14)
        expected = stats_models.run(history.head(days), name, kept.model(), 14, 80)
        assert np.allclose(later.yhat, expected.yhat) and np.allclose(later.upper, expected.upper)
    assert calls == [92] and model.kept == kept
    model(history.head(85), 14)
    assert calls == [92, 85]


def test_the_form_found_at_the_fit_reproduces_the_searchs_forecast() -> None:
    """ARIMA with the orders and constants AutoARIMA chose, and ETS with the form AutoETS
    chose, forecast what the searches did on the same values."""
    for seed in range(4):
        series = weekly_cycle(60 + 90 * seed, seed)
        for search, form in (
            (stats_models.arima_search, stats_models.arima_order),
            (stats_models.ets_search, stats_models.ets_form),
        ):
            fitted = search(series).fit(series.y)
            expected = fitted.predict(h=7, level=[80])
            again = form(fitted).model().fit(series.y).predict(h=7, level=[80])
            assert np.allclose(again["mean"], expected["mean"], rtol=1e-4)
            assert np.allclose(again["hi-80"], expected["hi-80"], rtol=1e-4)


def test_a_kept_form_the_newer_values_rule_out_is_searched_again() -> None:
    """A multiplicative ETS form found on positive values cannot fit a later zero: the model
    searches again rather than dropping out of the race."""
    history = weekly_cycle(84, 5)
    model, calls = counted()
    model(history.head(70), 7)
    assert model.kept is not None and model.kept.form[0] == "M"
    y = history.y.copy()
    y[75] = 0.0
    with_zero = Series("m", history.start, y, "d")
    with pytest.raises(ModelError):
        stats_models.run(with_zero, "auto_ets", model.kept.model(), 7, 80)
    forecast = model(with_zero, 7)
    assert calls == [70, 84] and np.all(np.isfinite(forecast.yhat))


def test_a_history_long_enough_for_the_season_is_searched_again() -> None:
    """Ten days cannot show the week twice, so the form found there has no season; at three
    weeks the search runs again with the weekly season."""
    history = weekly_cycle(21, 3)
    model, calls = counted()
    model(history.head(10), 7)
    assert model.kept is not None and model.kept.season == 1
    model(history, 7)
    assert calls == [10, 21] and model.kept.season == 7


@pytest.mark.parametrize(
    ("name", "search", "form"),
    [
        ("auto_arima", stats_models.arima_search, stats_models.arima_order),
        ("auto_ets", stats_models.ets_search, stats_models.ets_form),
    ],
)
def test_a_form_found_on_a_constant_history_is_not_kept(name, search, form) -> None:
    """A series flat until its oldest cutoff (a zone before it opened) tells the search
    nothing: the next, livelier history is searched, not forced into the flat form."""
    lively = weekly_cycle(70, 7)
    y = lively.y.copy()
    y[:42] = 0.0
    history = Series("m", lively.start, y, "d")
    model, calls = counted(name, search, form)
    model(history.head(42), 7)
    assert model.kept is None
    model(history.head(56), 7)
    model(history, 7)
    assert calls == [42, 56] and model.kept is not None


def test_a_kept_arima_form_asks_for_the_differencing_it_was_found_with() -> None:
    """White noise calls for no differencing; the same noise after a level shift calls for
    one: a stationary form kept from before the shift no longer fits the values."""
    rng = np.random.default_rng(3)
    y = 100 + rng.normal(0, 3, 200)
    before = Series("s", pd.Timestamp("2024-01-07"), y[:160], "w")
    form = stats_models.arima_order(stats_models.arima_search(before).fit(before.y))
    assert form.order[1] == 0 and form.fits(before.y)
    y[-20:] += 40
    assert not form.fits(y)
    assert stats_models.EtsForm("ANN").fits(y)


def test_a_differencing_test_that_fails_sends_the_final_forecast_to_the_search() -> None:
    """A kept form whose check raises (the test cannot read the values) is not trusted: the
    final forecast searches rather than failing the series."""
    history = weekly_cycle(84, 5)
    model, calls = counted("auto_arima", stats_models.arima_search, stats_models.arima_order)
    model(history.head(70), 7)

    class Unreadable(stats_models.ArimaOrder):
        def fits(self, y: np.ndarray) -> bool:
            raise ValueError("the test could not read the values")

    assert isinstance(model.kept, stats_models.ArimaOrder)
    model.kept = Unreadable(**model.kept.__dict__)
    forecast = model(history, 7, final=True)
    assert calls == [70, 84] and np.all(np.isfinite(forecast.yhat))
