"""Prophet for hourly delivery demand, and Prophet as it comes, both pure.

Prophet and cmdstanpy are imported inside the functions: importing them costs seconds
and the command line must start fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from forecasting.errors import ModelError, SeriesError
from forecasting.series import Forecast, Series

if TYPE_CHECKING:
    from prophet import Prophet

Transform = Literal["none", "log1p", "sqrt"]
# How the daily profile may differ between days: one for all, weekday/weekend, or per weekday.
DailySplit = Literal["none", "weekend", "weekday"]
HOURS_PER_DAY = 24
WEEK_HOURS = 168


@dataclass(frozen=True)
class ProphetConfig:
    """How Prophet is set up; ``plain=True`` means ``Prophet()`` with nothing changed."""

    plain: bool = False
    transform: Transform = "sqrt"
    daily_order: int = 11
    weekly_order: int = 10
    daily_split: DailySplit = "weekend"
    seasonality_mode: Literal["additive", "multiplicative"] = "additive"
    yearly_after_days: int = 730
    # The lag regressors carry the recent level, so a sloped trend only adds drift.
    growth: Literal["linear", "flat"] = "flat"
    changepoint_prior_scale: float = 0.05
    changepoint_range: float = 0.9
    seasonality_prior_scale: float = 10.0
    history_days: int | None = None
    country_holidays: str | None = "CN"
    regressors: tuple[str, ...] = ()
    uncertainty_samples: int = 300
    lags: bool = True


PLAIN = ProphetConfig(plain=True, transform="none", country_holidays=None)
HOURLY_DEMAND = ProphetConfig()
# M4 series carry synthetic dates: calendar holidays and weekends would be noise.
M4_HOURLY = ProphetConfig(country_holidays=None, daily_split="none")


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


def forward(y: np.ndarray, transform: Transform) -> np.ndarray:
    if transform == "log1p":
        return np.log1p(y)
    if transform == "sqrt":
        return np.sqrt(y)
    return y


def backward(z: np.ndarray, transform: Transform) -> np.ndarray:
    if transform == "log1p":
        return np.expm1(z)
    if transform == "sqrt":
        return np.square(np.maximum(z, 0.0))
    return z


def seasonal_lags(series: Series, horizon: int) -> list[int]:
    """Lags of whole seasons, each at least the horizon so its future values are known.

    The nearest such lag lets the fit follow the recent level and phase, which Prophet's
    global trend and seasonality otherwise miss; a week back adds the weekly shape.
    """
    m = series.season_length
    lags = {m * -(-horizon // m)}
    if series.freq == "h" and horizon <= WEEK_HOURS:
        lags.add(WEEK_HOURS)
    return sorted(lag for lag in lags if len(series.y) >= lag + 2 * m)


def design(
    series: Series, horizon: int, config: ProphetConfig, transform: Transform
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The training and future frames, with regressor, lag and condition columns."""
    n = len(series.y)
    frame = pd.DataFrame(
        {
            "ds": series.ds.append(series.future_ds(horizon)),
            "y": np.r_[forward(series.y, transform), np.full(horizon, np.nan)],
        }
    )
    for name in config.regressors:
        if name not in series.regressors:
            raise SeriesError(series.series_id, f"regressor {name!r} is configured but missing")
        frame[name] = series.regressors[name][: n + horizon]
    lags = seasonal_lags(series, horizon) if config.lags else []
    extra = list(config.regressors)
    for lag in lags:
        frame[f"lag{lag}"] = frame["y"].shift(lag)
        extra.append(f"lag{lag}")
    if series.freq == "h" and config.daily_split != "none":
        frame = add_conditions(frame, config.daily_split)
    history = frame.iloc[max(lags, default=0) : n]
    if config.history_days is not None:
        history = history.iloc[
            -config.history_days * (HOURS_PER_DAY if series.freq == "h" else 1) :
        ]
    return history, frame.iloc[n:].drop(columns="y"), extra


def build_model(
    series: Series, config: ProphetConfig, span_days: float, extra: list[str]
) -> Prophet:
    from prophet import Prophet

    if config.plain:
        return Prophet()
    hourly = series.freq == "h"
    # Daily data has seven points a week: more than three harmonics only fit noise.
    weekly_order = config.weekly_order if hourly else min(config.weekly_order, 3)
    model = Prophet(
        daily_seasonality=hourly and config.daily_split == "none",
        seasonality_mode=config.seasonality_mode,
        weekly_seasonality=weekly_order if span_days >= 14 else False,
        yearly_seasonality=span_days >= config.yearly_after_days,
        growth=config.growth,
        changepoint_prior_scale=config.changepoint_prior_scale,
        changepoint_range=config.changepoint_range,
        seasonality_prior_scale=config.seasonality_prior_scale,
        interval_width=0.8,
        uncertainty_samples=config.uncertainty_samples,
    )
    if hourly and config.daily_split != "none":
        # Weekend meals peak later and flatter than weekday lunch and dinner rushes.
        for name in condition_names(config.daily_split):
            model.add_seasonality(f"daily_{name}", 1, config.daily_order, condition_name=name)
    elif hourly:
        model.daily_seasonality = config.daily_order
    if config.country_holidays:
        model.add_country_holidays(country_name=config.country_holidays)
    for name in extra:
        model.add_regressor(name)
    return model


def condition_names(split: DailySplit) -> list[str]:
    return ["weekday", "weekend"] if split == "weekend" else [f"day{d}" for d in range(7)]


def add_conditions(frame: pd.DataFrame, split: DailySplit) -> pd.DataFrame:
    day = frame["ds"].dt.dayofweek
    if split == "weekend":
        return frame.assign(weekend=day >= 5, weekday=day < 5)
    return frame.assign(**{f"day{d}": day == d for d in range(7)})


def prophet_forecast(
    series: Series, horizon: int, config: ProphetConfig = HOURLY_DEMAND, name: str | None = None
) -> Forecast:
    """Fit Prophet on the series and forecast ``horizon`` steps with an 80% interval."""
    quiet_stan_logs()
    series.require_regressors(horizon)
    non_negative = series.y.min() >= 0
    transform = config.transform if non_negative else "none"
    if config.plain:
        frame = pd.DataFrame({"ds": series.ds, "y": series.y})
        future = pd.DataFrame({"ds": series.future_ds(horizon)})
        extra: list[str] = []
    else:
        frame, future, extra = design(series, horizon, config, transform)
    span_days = (frame["ds"].iloc[-1] - frame["ds"].iloc[0]).total_seconds() / 86400
    model = build_model(series, config, span_days, extra)
    # Prophet retries a failed L-BFGS fit with Newton's method, which can take minutes on a
    # series the regressors fit exactly; a failure is reported instead, and others serve.
    assert model.stan_backend is not None  # Prophet() loads its backend
    model.stan_backend.newton_fallback = False
    try:
        model.fit(frame)
        predicted = model.predict(future)
    except (RuntimeError, ValueError) as error:
        # cmdstanpy's message starts with the whole command line; its last line says why.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise ModelError(
            "prophet", series.series_id, lines[-1] if lines else repr(error)
        ) from error
    columns = [
        backward(predicted[c].to_numpy(), transform) for c in ("yhat", "yhat_lower", "yhat_upper")
    ]
    if non_negative:
        columns = [np.maximum(c, 0.0) for c in columns]
    yhat, lower, upper = columns
    model_name = name or ("prophet_default" if config.plain else "prophet")
    return Forecast(
        series.series_id, model_name, pd.DatetimeIndex(future["ds"]), yhat, lower, upper
    )
