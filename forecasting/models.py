"""The model catalogue: a name for every way the suite can forecast a series.

Each call gives fresh models: MSTL and Prophet keep their fit for the series they serve,
AutoETS and AutoARIMA the form their search found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal, Protocol

import numpy as np

from forecasting import arima_model, baselines, stats_models
from forecasting.prophet_model import (
    HOURLY_DEMAND,
    PLAIN,
    ProphetConfig,
    fit_prophet,
    prophet_forecast,
)
from forecasting.series import Forecast, Series

ModelFn = Callable[[Series, int], Forecast]


class Fitted(Protocol):
    @property
    def fitted_length(self) -> int: ...

    @property
    def follows_new_data(self) -> bool:
        """Whether a forecast after a later cutoff uses the values since the fit."""
        ...

    def forecast(self, series: Series, horizon: int) -> Forecast: ...


class Reusing:
    """A model fitted once, on the first history it is asked about, then asked again after
    later cutoffs of the same series: a backtest's folds share the one fit (the final
    forecast has a model of its own, fitted on the whole history). A shorter history or a
    longer horizon than the fit's gets a fresh fit, so no forecast ever comes from a fit
    that saw its future; so does any later cutoff when the fit cannot take in the values
    since (Prophet without lags would forecast as if they had not happened).
    """

    def __init__(self, fit: Callable[[Series, int], Fitted]) -> None:
        self.fit = fit
        self.fitted: Fitted | None = None
        self.horizon = 0

    def __call__(self, series: Series, horizon: int) -> Forecast:
        fitted = self.fitted
        stale = fitted is not None and not fitted.follows_new_data
        if (
            fitted is None
            or stale
            or len(series.y) < fitted.fitted_length
            or horizon > self.horizon
        ):
            fitted = self.fitted = self.fit(series, horizon)
            self.horizon = horizon
        return fitted.forecast(series, horizon)


@dataclass(frozen=True)
class Combination:
    """The mean or median of member forecasts, point and bounds alike.

    Combinations won M4; the median of three also shrugs off one member that goes astray.
    """

    name: str
    members: tuple[str, ...]
    how: Literal["mean", "median"] = "mean"

    def combine(self, forecasts: Sequence[Forecast]) -> Forecast:
        first = forecasts[0]
        reduce = np.mean if self.how == "mean" else np.median
        yhat, lower, upper = (
            reduce([getattr(f, part) for f in forecasts], axis=0)
            for part in ("yhat", "lower", "upper")
        )
        return Forecast(first.series_id, self.name, first.ds, yhat, lower, upper, first.level)


def catalogue(prophet_config: ProphetConfig = HOURLY_DEMAND) -> dict[str, ModelFn]:
    """Every single model by name; ``prophet`` uses the given configuration."""
    return {
        "seasonal_naive": baselines.seasonal_naive,
        "seasonal_naive_168": partial(baselines.seasonal_naive, period=168),
        "naive2": baselines.naive2,
        "naive": stats_models.naive,
        "short_naive": baselines.short_naive,
        "auto_ets": stats_models.FormKept(
            "auto_ets", stats_models.ets_search, stats_models.ets_form
        ),
        "auto_arima": stats_models.FormKept(
            "auto_arima", stats_models.arima_search, stats_models.arima_order
        ),
        "arima": arima_model.arima,
        "theta": stats_models.theta,
        "optimized_theta": stats_models.optimized_theta,
        "mstl": Reusing(stats_models.fit_mstl),
        "prophet_default": partial(prophet_forecast, config=PLAIN),
        "prophet": Reusing(partial(fit_prophet, config=prophet_config)),
    }
