"""Prophet for delivery demand, and Prophet as it comes, both pure.

A fit is kept as ``FittedProphet``, which forecasts after any later cutoff of the same
series: its lag regressors reach at least the horizon back, so their future values are
known at every cutoff, and the backtest fits once for all its folds.

Prophet and cmdstanpy are imported inside the functions: importing them costs seconds
and the command line must start fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from forecasting.baselines import z_value
from forecasting.calendar import prophet_holidays
from forecasting.errors import ModelError
from forecasting.prophet_config import (
    BY_FREQ,
    DAILY_DEMAND,
    HOURLY_DEMAND,
    M4_HOURLY,
    PLAIN,
    WEEKLY,
    ProphetConfig,
    Transform,
)
from forecasting.prophet_design import (
    add_conditions,
    backward,
    condition_names,
    design,
    seasonal_lags,
)
from forecasting.series import Forecast, Series, floored

if TYPE_CHECKING:
    from prophet import Prophet

__all__ = [
    "BY_FREQ",
    "DAILY_DEMAND",
    "HOURLY_DEMAND",
    "M4_HOURLY",
    "PLAIN",
    "WEEKLY",
    "FittedProphet",
    "ProphetConfig",
    "add_conditions",
    "fit_prophet",
    "prophet_forecast",
    "seasonal_lags",
]


def quiet_stan_logs() -> None:
    """cmdstanpy logs every chain at INFO and a failed fit at ERROR; a failed fit is raised
    as ``ModelError`` here, so its log line is only noise.

    cmdstanpy sets its logger up when first imported, so import it before changing it.
    """
    from cmdstanpy.utils.logging import get_logger

    get_logger().setLevel(logging.CRITICAL)
    logging.getLogger("prophet").setLevel(logging.WARNING)
    # Prophet logs an ERROR on import when plotly (plots only) is absent; no plots are made.
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)


def build_model(
    series: Series, config: ProphetConfig, span_days: float, extra: list[str]
) -> Prophet:
    from prophet import Prophet

    if config.plain:
        return Prophet()
    holidays = prophet_holidays(dict(config.special_days)) if config.special_days else None
    hourly = series.freq == "h"
    # Daily data has seven points a week: more than three harmonics only fit noise.
    weekly_order = config.weekly_order if hourly else min(config.weekly_order, 3)
    model = Prophet(
        daily_seasonality=hourly and config.daily_split == "none",
        seasonality_mode=config.seasonality_mode,
        weekly_seasonality=weekly_order if span_days >= 14 and series.freq != "w" else False,
        yearly_seasonality=config.yearly_order if span_days >= config.yearly_after_days else False,
        growth=config.growth,
        changepoint_prior_scale=config.changepoint_prior_scale,
        changepoint_range=config.changepoint_range,
        seasonality_prior_scale=config.seasonality_prior_scale,
        holidays_prior_scale=config.holidays_prior_scale,
        holidays=holidays,
        interval_width=0.8,
        uncertainty_samples=config.uncertainty_samples,
    )
    if hourly and config.daily_split != "none":
        # Weekend meals peak later and flatter than weekday lunch and dinner rushes.
        for name in condition_names(config.daily_split):
            model.add_seasonality(f"daily_{name}", 1, config.daily_order, condition_name=name)
    elif hourly:
        model.daily_seasonality = config.daily_order
    for name in extra:
        model.add_regressor(name)
    return model


@dataclass(frozen=True, eq=False)
class FittedProphet:
    """A fitted Prophet and how its frames are made, ready to forecast after any cutoff at
    or beyond the one it was fitted at."""

    model: Prophet
    config: ProphetConfig
    transform: Transform
    lags: tuple[int, ...]
    fitted_length: int
    name: str

    @property
    def follows_new_data(self) -> bool:
        """Only the lag regressors carry values newer than the fit into a forecast."""
        return bool(self.lags)

    def forecast(self, series: Series, horizon: int) -> Forecast:
        """``horizon`` steps after the end of ``series`` (which extends the fitted history)."""
        if horizon > min(self.lags, default=horizon) or len(series.y) < self.fitted_length:
            raise ModelError(self.name, series.series_id, "the fit cannot reach this cutoff")
        series.require_regressors(horizon)
        _, future, _ = design(series, horizon, self.config, self.transform, self.lags)
        try:
            predicted = self.model.predict(future)
        except (RuntimeError, ValueError) as error:
            raise ModelError(self.name, series.series_id, str(error)) from error
        columns = [backward(c, self.transform) for c in self.bounds(predicted, series)]
        yhat, lower, upper = floored(series, *columns)
        ds = pd.DatetimeIndex(future["ds"])
        return Forecast(series.series_id, self.name, ds, yhat, lower, upper)

    def bounds(
        self, predicted: pd.DataFrame, series: Series
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The point forecast and 80% bounds on the transformed scale: sampled, or without
        samples the fitted noise widening with each whole season ahead."""
        yhat = predicted["yhat"].to_numpy()
        if self.config.plain or self.config.uncertainty_samples:
            return yhat, predicted["yhat_lower"].to_numpy(), predicted["yhat_upper"].to_numpy()
        sigma = float(np.ravel(self.model.params["sigma_obs"])[0]) * float(self.model.y_scale or 1)
        steps = np.arange(len(yhat))
        half = z_value(80) * sigma * np.sqrt(steps // series.season_length + 1)
        return yhat, yhat - half, yhat + half


def fit_prophet(
    series: Series, horizon: int, config: ProphetConfig = HOURLY_DEMAND, name: str | None = None
) -> FittedProphet:
    """Fit Prophet on the series for forecasts of up to ``horizon`` steps."""
    quiet_stan_logs()
    series.require_regressors(horizon)
    transform = config.transform if series.non_negative and not config.plain else "none"
    lags = tuple(seasonal_lags(series, horizon)) if config.lags and not config.plain else ()
    frame, _, extra = design(series, horizon, config, transform, lags)
    span_days = (frame["ds"].iloc[-1] - frame["ds"].iloc[0]).total_seconds() / 86400
    model_name = name or ("prophet_default" if config.plain else "prophet")
    try:
        model = build_model(series, config, span_days, extra)
        # Prophet retries a failed L-BFGS fit with Newton's method, which can take minutes on
        # a series the regressors fit exactly; a failure is reported instead, others serve.
        assert model.stan_backend is not None  # Prophet() loads its backend
        model.stan_backend.newton_fallback = False
        model.fit(frame if not config.plain else frame[["ds", "y"]])
    except (RuntimeError, ValueError) as error:
        # cmdstanpy's message starts with the whole command line; its last line says why.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        reason = lines[-1] if lines else repr(error)
        raise ModelError(model_name, series.series_id, reason) from error
    return FittedProphet(model, config, transform, lags, len(series.y), model_name)


def prophet_forecast(
    series: Series, horizon: int, config: ProphetConfig = HOURLY_DEMAND, name: str | None = None
) -> Forecast:
    """Fit Prophet on the series and forecast ``horizon`` steps with an 80% interval."""
    return fit_prophet(series, horizon, config, name).forecast(series, horizon)
