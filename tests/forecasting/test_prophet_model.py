"""Prophet for delivery demand on generated series with lunch and dinner rushes, its fit kept
across cutoffs, and its daily and weekly set-ups."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from forecasting import metrics
from forecasting.errors import SeriesError
from forecasting.prophet_model import (
    HOURLY_DEMAND,
    PLAIN,
    fit_prophet,
    prophet_forecast,
    seasonal_lags,
)
from forecasting.rollup import daily_rollup
from forecasting.series import Series
from forecasting.synthetic import DINNER_HOUR, LUNCH_HOUR, demand_series


@pytest.fixture(scope="module")
def demand() -> tuple[Series, np.ndarray, object]:
    history, future = demand_series("zone-1", days=28, seed=4, future_hours=48)
    return history, future, prophet_forecast(history, 48)


def test_forecast_is_non_negative_with_ordered_bounds(demand) -> None:
    """Counts cannot go below zero (the point; the lower bound is clipped as it is
    served), and lower <= yhat <= upper at every hour."""
    _, _, forecast = demand
    assert forecast.yhat.min() >= 0
    assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)
    assert forecast.model == "prophet" and len(forecast.ds) == 48


def test_forecast_finds_the_lunch_and_dinner_rushes(demand) -> None:
    """Each forecast day peaks within an hour of lunch and of dinner, over a quiet night."""
    _, _, forecast = demand
    for day in range(2):
        hours = forecast.yhat[day * 24 : (day + 1) * 24]
        assert abs(int(np.argmax(hours[9:16])) + 9 - LUNCH_HOUR) <= 1
        assert abs(int(np.argmax(hours[16:23])) + 16 - DINNER_HOUR) <= 1
        assert hours[3] < 0.25 * hours.max()


def test_interval_covers_about_eighty_percent(demand) -> None:
    """The 80% interval holds between 60% and 100% of the next 48 hours' actual counts."""
    _, future, forecast = demand
    assert 0.6 <= metrics.coverage(future, forecast.lower, forecast.upper) <= 1.0


def test_rain_regressor_raises_the_forecast_when_rain_is_expected() -> None:
    """With rain_mm as a regressor, forecast hours with heavy rain get more orders than dry ones."""
    history, _ = demand_series("zone-2", days=28, seed=9, rain_effect=0.08, future_hours=0)
    rain = np.asarray(history.regressors["rain_mm"])
    config = replace(HOURLY_DEMAND, regressors=("rain_mm",))
    forecasts = {}
    for mm in (0.0, 10.0):
        series = Series(
            "zone-2", history.start, history.y, "h", {"rain_mm": np.r_[rain, np.full(24, mm)]}
        )
        forecasts[mm] = prophet_forecast(series, 24, config).yhat
    assert forecasts[10.0].sum() > 1.2 * forecasts[0.0].sum()


def test_configured_regressor_without_future_values_is_refused() -> None:
    """A regressor that stops at the end of the history cannot drive a forecast."""
    history, _ = demand_series("zone-3", days=21, seed=2, rain_effect=0.05)
    with pytest.raises(SeriesError, match="'rain_mm' has 0 future values"):
        prophet_forecast(history, 24, replace(HOURLY_DEMAND, regressors=("rain_mm",)))


def test_lags_are_whole_days_beyond_the_horizon() -> None:
    """The lag regressors look back whole seasons, never less than the horizon."""
    history, _ = demand_series("zone-4", days=21, seed=1)
    assert seasonal_lags(history, 48) == [48, 168]
    assert seasonal_lags(history, 30) == [48, 168]
    assert seasonal_lags(history, 200) == [216]
    assert seasonal_lags(history.head(24 * 3), 48) == []


def test_default_prophet_and_daily_rollup() -> None:
    """Prophet as it comes runs too; rolling 48 hours up gives two days with the same total."""
    history, _ = demand_series("zone-5", days=21, seed=3)
    forecast = prophet_forecast(history, 48, PLAIN)
    assert forecast.model == "prophet_default"
    days = daily_rollup(forecast)
    assert len(days.ds) == 2 and days.yhat.sum() == pytest.approx(forecast.yhat.sum())
    assert np.all(days.lower <= days.yhat) and np.all(days.yhat <= days.upper)


def test_a_kept_fit_forecasts_a_later_cutoff_from_the_lags_it_now_knows() -> None:
    """One fit serves later cutoffs: at its own cutoff it forecasts what a fresh fit does,
    and a day later it forecasts the next day with the lags that day made known (other
    values on that day give another forecast)."""
    history, _ = demand_series("zone-1", days=21, seed=4)
    early = history.head(24 * 20)
    fitted = fit_prophet(early, 24)
    assert np.allclose(fitted.forecast(early, 24).yhat, prophet_forecast(early, 24).yhat)
    later = fitted.forecast(history, 24)
    assert later.ds[0] == history.future_ds(1)[0]
    doubled = Series("zone-1", history.start, np.r_[early.y, history.y[-24:] * 2])
    assert not np.allclose(fitted.forecast(doubled, 24).yhat, later.yhat)


def test_daily_and_weekly_configurations_fit_their_own_seasons() -> None:
    """Daily data gets a weekly season and no lags; weekly data a yearly season and no
    weekly one, so neither inherits the hourly set-up."""
    from forecasting.prophet_model import BY_FREQ

    rng = np.random.default_rng(0)
    days = pd.date_range("2023-01-02", periods=800, freq="D")
    daily = Series("d", days[0], 50 + 10 * (days.dayofweek >= 5) + rng.normal(0, 1, 800), "d")
    fitted = fit_prophet(daily, 14, BY_FREQ["d"])
    assert fitted.lags == () and "weekly" in fitted.model.seasonalities
    assert "yearly" in fitted.model.seasonalities and "daily" not in fitted.model.seasonalities
    weeks = pd.date_range("2019-01-06", periods=300, freq="7D")
    weekly = Series("w", weeks[0], 100 + 20 * np.sin(2 * np.pi * weeks.dayofyear / 365.25), "w")
    fitted = fit_prophet(weekly, 13, BY_FREQ["w"])
    assert set(fitted.model.seasonalities) == {"yearly"} and fitted.lags == ()
    forecast = fitted.forecast(weekly, 13)
    truth = 100 + 20 * np.sin(2 * np.pi * forecast.ds.dayofyear / 365.25)
    assert np.abs(forecast.yhat - truth).max() < 5
