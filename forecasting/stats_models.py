"""statsforecast models (AutoETS, AutoARIMA, Theta, MSTL) behind the same series-in,
forecast-out call.

statsforecast compiles with numba on first use, so it is imported inside the functions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from forecasting.errors import ModelError
from forecasting.prophet_config import WEEK_HOURS
from forecasting.series import Forecast, Series

# statsforecast's ETS and ARIMA refuse or crawl on seasons this long; weekly data (52) is
# fitted without a season by them, as the M4 entries did.
LONGEST_FITTED_SEASON = 24


def to_forecast(
    series: Series, name: str, output: dict, horizon: int, level: int, clip: bool = True
) -> Forecast:
    if f"lo-{level}" not in output:
        raise ModelError(name, series.series_id, f"returned no {level}% interval")
    yhat = np.asarray(output["mean"], float)
    lower = np.asarray(output[f"lo-{level}"], float)
    upper = np.asarray(output[f"hi-{level}"], float)
    if not (np.isfinite(yhat).all() and np.isfinite(lower).all() and np.isfinite(upper).all()):
        raise ModelError(name, series.series_id, "produced non-finite forecasts")
    if clip and series.y.min() >= 0:
        yhat, lower, upper = (np.maximum(a, 0.0) for a in (yhat, lower, upper))
    return Forecast(series.series_id, name, series.future_ds(horizon), yhat, lower, upper, level)


@contextmanager
def model_errors(name: str, series_id: str) -> Iterator[None]:
    """statsforecast's failures as this model's ``ModelError``, its search warnings quiet."""
    try:
        with warnings.catch_warnings():
            # The searches warn of each candidate they give up on (a failed optimisation, a
            # zero variance); they go on with the others, and a real failure raises.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            yield
    except Exception as error:
        # statsforecast signals a series no model fits with bare Exception and RuntimeError
        # alike; each becomes this model's failure on this series, and the race goes on.
        raise ModelError(name, series_id, str(error) or repr(error)) from error


def run(
    series: Series, name: str, model: Any, horizon: int, level: int, clip: bool = True
) -> Forecast:
    """Fit ``model`` on the series and forecast, every numerical failure a ``ModelError``."""
    with model_errors(name, series.series_id):
        output = model.forecast(y=series.y, h=horizon, level=[level])
    return to_forecast(series, name, output, horizon, level, clip)


def fitted_season(series: Series) -> int:
    """The season ETS and ARIMA fit: the frequency's, when two of them are in the history."""
    m = series.season_length
    return m if m <= LONGEST_FITTED_SEASON and len(series.y) >= 2 * m else 1


def auto_ets(series: Series, horizon: int, level: int = 80) -> Forecast:
    """statsforecast's AutoETS with the frequency's season length."""
    from statsforecast.models import AutoETS

    return run(series, "auto_ets", AutoETS(season_length=fitted_season(series)), horizon, level)


def auto_arima(series: Series, horizon: int, level: int = 80) -> Forecast:
    """AutoARIMA with the search bounded (orders, models tried) so one fit stays short."""
    from statsforecast.models import AutoARIMA

    model = AutoARIMA(
        season_length=fitted_season(series),
        max_p=3,
        max_q=3,
        max_P=1,
        max_Q=1,
        max_order=4,
        nmodels=30,
        stepwise=True,
        approximation=len(series.y) > 300,
    )
    return run(series, "auto_arima", model, horizon, level)


def theta_season(series: Series) -> int:
    m = series.season_length
    return m if len(series.y) >= 2 * m else 1


def theta(series: Series, horizon: int, level: int = 80) -> Forecast:
    """The M3 winner as statsforecast has it: a seasonality test, then SES with drift."""
    from statsforecast.models import Theta

    return run(series, "theta", Theta(season_length=theta_season(series)), horizon, level)


def optimized_theta(series: Series, horizon: int, level: int = 80) -> Forecast:
    """Dynamic optimised Theta: the theta line and smoothing fitted rather than fixed."""
    from statsforecast.models import DynamicOptimizedTheta

    model = DynamicOptimizedTheta(season_length=theta_season(series))
    return run(series, "optimized_theta", model, horizon, level)


def mstl_periods(series: Series) -> list[int]:
    """Daily and weekly seasons for hourly data, the week for daily data and the year for
    weekly data, dropping those the history cannot show twice."""
    periods = {"h": [24, WEEK_HOURS], "d": [7], "w": [52]}[series.freq]
    return [p for p in periods if len(series.y) >= 2 * p] or [1]


def stl_jumps(period: int, seasonal: int = 11) -> dict[str, int]:
    """Evaluate each LOESS at every tenth of its window and interpolate between, as R's
    ``stl()`` does (statsmodels evaluates at every point: on eight weeks of hours a quarter
    of a second, against a twentieth). statsforecast takes one set for every season, so
    these are the shortest season's: finer than R's for the longer ones.

    ``seasonal`` is the shortest season's window (R's and statsforecast's 7 + 4); the
    trend and low-pass windows are statsmodels' defaults for it.
    """
    trend = math.floor(1.5 * period / (1 - 1.5 / seasonal)) + 1
    trend += trend % 2 == 0
    low_pass = period + 1 + period % 2
    return {
        "seasonal_jump": math.ceil(seasonal / 10),
        "trend_jump": math.ceil(trend / 10),
        "low_pass_jump": math.ceil(low_pass / 10),
    }


@dataclass(frozen=True)
class TrendModel:
    """The ETS form statsforecast's MSTL picks for the trend (``ZZN`` searched), kept so a
    later cutoff refits its parameters without searching again: a tenth of the time."""

    form: str = "ZZN"
    damped: bool | None = None

    def model(self) -> Any:
        from statsforecast.models import AutoETS

        return AutoETS(model=self.form, damped=self.damped)


def trend_model(trend: Series) -> TrendModel:
    """The form AutoETS chooses for the deseasonalised series."""
    with model_errors("mstl", trend.series_id):
        components = TrendModel().model().fit(trend.y).model_["components"]
    return TrendModel(components[:3], components[3] != "N")


@dataclass(frozen=True, eq=False)
class FittedMSTL:
    """An MSTL decomposition, kept to forecast after any later cutoff: the seasonal parts
    repeat their last season, and only the trend model's parameters are refitted on the
    series less them.

    At the cutoff it was decomposed at, this is statsforecast's MSTL forecast exactly, given
    ``stl_jumps``.
    """

    periods: tuple[int, ...]
    seasonal: np.ndarray  # one row per period, over the decomposed history
    fitted_length: int
    trend: TrendModel = TrendModel()
    follows_new_data: bool = True  # the trend model is refitted on every cutoff's values

    def season_at(self, start: int, stop: int) -> np.ndarray:
        """The summed seasonal parts at steps [start, stop), repeated past the fit."""
        steps = np.arange(start, stop)
        total = np.zeros(len(steps))
        for row, period in zip(self.seasonal, self.periods, strict=True):
            n = self.fitted_length
            known = np.where(steps < n, steps, n - period + (steps - n) % period)
            total += row[known]
        return total

    def forecast(self, series: Series, horizon: int, level: int = 80) -> Forecast:
        n = len(series.y)
        if n < self.fitted_length:
            raise ModelError("mstl", series.series_id, "the fit cannot reach this cutoff")
        trend = Series(series.series_id, series.start, series.y - self.season_at(0, n), series.freq)
        ahead = run(trend, "mstl", self.trend.model(), horizon, level, clip=False)
        season = self.season_at(n, n + horizon)
        return to_forecast(
            series,
            "mstl",
            {
                "mean": ahead.yhat + season,
                f"lo-{level}": ahead.lower + season,
                f"hi-{level}": ahead.upper + season,
            },
            horizon,
            level,
        )


def fit_mstl(series: Series, horizon: int) -> FittedMSTL:
    """Decompose the series into its seasons (``mstl_periods``) and keep them."""
    from statsforecast.mstl import mstl as decompose

    periods = mstl_periods(series)
    if periods == [1]:
        return FittedMSTL((), np.zeros((0, len(series.y))), len(series.y), trend_model(series))
    try:
        parts = decompose(np.asarray(series.y), periods, stl_kwargs=stl_jumps(min(periods)))
    except (ValueError, np.linalg.LinAlgError) as error:
        raise ModelError("mstl", series.series_id, str(error)) from error
    names = ["seasonal"] if len(periods) == 1 else [f"seasonal{p}" for p in sorted(periods)]
    seasonal = np.vstack([parts[name].to_numpy(float) for name in names])
    trend = Series(series.series_id, series.start, series.y - seasonal.sum(axis=0), series.freq)
    return FittedMSTL(tuple(sorted(periods)), seasonal, len(series.y), trend_model(trend))


def mstl(series: Series, horizon: int, level: int = 80) -> Forecast:
    """MSTL decomposition, its trend forecast by AutoETS without seasonality."""
    return fit_mstl(series, horizon).forecast(series, horizon, level)


def naive(series: Series, horizon: int, level: int = 80) -> Forecast:
    """The last value carried forward (random walk), with its widening interval."""
    from statsforecast.models import Naive

    return run(series, "naive", Naive(), horizon, level)
