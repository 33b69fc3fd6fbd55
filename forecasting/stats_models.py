"""statsforecast models (AutoETS, AutoARIMA, Theta, MSTL) behind the same series-in,
forecast-out call.

statsforecast compiles with numba on first use, so it is imported inside the functions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from forecasting.errors import ModelError
from forecasting.prophet_config import WEEK_HOURS
from forecasting.series import Forecast, Series, floored

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
    if clip:
        yhat, lower, upper = floored(series, yhat, lower, upper)
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


@dataclass(frozen=True)
class EtsForm:
    """An ETS form (error, trend and season letters; damped) and its season length; ``Z``
    letters and a ``damped`` of None leave them to AutoETS's search."""

    form: str = "ZZZ"
    damped: bool | None = None
    season: int = 1

    def fits(self, y: np.ndarray) -> bool:
        """Any values: the smoothing parameters fitted to them follow a shifted level."""
        return True

    def model(self) -> Any:
        from statsforecast.models import AutoETS

        return AutoETS(season_length=self.season, model=self.form, damped=self.damped)


def ets_form(fitted: Any) -> EtsForm:
    """The form a fitted AutoETS chose."""
    components = fitted.model_["components"]
    return EtsForm(components[:3], components[3] != "N", fitted.season_length)


@dataclass(frozen=True)
class ArimaOrder:
    """The orders and constants of an ARIMA, as AutoARIMA found them."""

    order: tuple[int, int, int]
    seasonal_order: tuple[int, int, int]
    season: int
    include_mean: bool
    include_drift: bool

    def fits(self, y: np.ndarray) -> bool:
        """Whether the values still call for this differencing, by the KPSS test AutoARIMA
        chose it by: after a level shift since the search, a form without differencing would
        forecast the mean of both levels."""
        from statsforecast.arima import diff, ndiffs

        big_d = self.seasonal_order[1]
        return bool(ndiffs(diff(y, self.season, big_d) if big_d else y) == self.order[1])

    def model(self) -> Any:
        from statsforecast.models import ARIMA

        return ARIMA(
            order=self.order,
            seasonal_order=self.seasonal_order,
            season_length=self.season,
            include_mean=self.include_mean,
            include_drift=self.include_drift,
        )


def arima_order(fitted: Any) -> ArimaOrder:
    """The orders a fitted AutoARIMA chose (statsforecast's ``arma``: p, q, P, Q, m, d, D)."""
    p, q, big_p, big_q, m, d, big_d = fitted.model_["arma"]
    coef = fitted.model_["coef"]
    return ArimaOrder((p, d, q), (big_p, big_d, big_q), m, "intercept" in coef, "drift" in coef)


def ets_search(series: Series) -> Any:
    """statsforecast's AutoETS with the frequency's season length."""
    return EtsForm(season=fitted_season(series)).model()


def arima_search(series: Series) -> Any:
    """AutoARIMA with the search bounded (orders, models tried) so one fit stays short."""
    from statsforecast.models import AutoARIMA

    return AutoARIMA(
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


def auto_ets(series: Series, horizon: int, level: int = 80) -> Forecast:
    """One AutoETS search, fitted and forecast (the serving plans keep its form: ``FormKept``)."""
    return run(series, "auto_ets", ets_search(series), horizon, level)


def auto_arima(series: Series, horizon: int, level: int = 80) -> Forecast:
    """One bounded AutoARIMA search, fitted and forecast (kept by ``FormKept`` in plans)."""
    return run(series, "auto_arima", arima_search(series), horizon, level)


class FormKept:
    """AutoETS or AutoARIMA searched once per series, at the first history a backtest asks
    about; its later, longer cutoffs fit the form found there (an ETS form, ARIMA orders)
    without searching again. The search tries up to thirty models, the form is one: it
    halved the daily and weekly pipelines' time with the same accuracy (bench/README.md).
    A shorter history, or one long enough for another season length, is searched afresh.
    A plan that keeps forms (weekly) fits the form kept here for its final forecast too
    (``final``), unless the whole history calls for other (non-seasonal) differencing than
    the form's (a level that shifted since the search): that one is searched. Checked at
    every cutoff, the test flipped on borderline series and cost accuracy and time on M4
    Weekly."""

    def __init__(
        self,
        name: str,
        search: Callable[[Series], Any],
        form: Callable[[Any], EtsForm | ArimaOrder],
    ) -> None:
        self.name, self.search, self.form = name, search, form
        self.kept: EtsForm | ArimaOrder | None = None
        self.length = 0

    def __call__(
        self, series: Series, horizon: int, level: int = 80, final: bool = False
    ) -> Forecast:
        kept, n = self.kept, len(series.y)
        if (
            kept is not None
            and n >= self.length
            and kept.season == fitted_season(series)
            and (not final or self.still_fits(kept, series))
        ):
            try:
                return run(series, self.name, kept.model(), horizon, level)
            except ModelError:
                # The newer values can rule the form out (a zero under a multiplicative
                # season): the search finds one that fits them.
                pass
        model = self.search(series)
        with model_errors(self.name, series.series_id):
            output = model.fit(series.y).predict(h=horizon, level=[level])
            # A constant history (a zone before it opened) shows no form to keep: the next
            # one is searched (a plan that keeps forms would fit it to the whole history).
            self.kept = self.form(model) if np.ptp(series.y) > 0 else None
        self.length = n
        return to_forecast(series, self.name, output, horizon, level)

    def still_fits(self, kept: EtsForm | ArimaOrder, series: Series) -> bool:
        """Whether the kept form suits the whole history; a test that fails says it does not."""
        try:
            with model_errors(self.name, series.series_id):
                return kept.fits(series.y)
        except ModelError:
            return False


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


def trend_model(trend: Series) -> EtsForm:
    """The form AutoETS chooses for the deseasonalised series, without a season: MSTL's
    trend model, kept so a later cutoff refits its parameters without searching again (a
    tenth of the time)."""
    with model_errors("mstl", trend.series_id):
        return ets_form(EtsForm("ZZN").model().fit(trend.y))


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
    trend: EtsForm = EtsForm("ZZN")
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
