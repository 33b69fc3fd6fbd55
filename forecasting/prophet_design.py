"""The frames Prophet is fitted on and predicts: transforms, lag columns, conditions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.errors import SeriesError
from forecasting.prophet_config import WEEK_HOURS, DailySplit, ProphetConfig, Transform
from forecasting.series import Series


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
        # Signed, so a lower bound below zero on the root's scale stays below zero (and its
        # distance measurable by the calibration) rather than folding back above it.
        return z * np.abs(z)
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
    series: Series,
    horizon: int,
    config: ProphetConfig,
    transform: Transform,
    lags: tuple[int, ...],
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
    extra = list(config.regressors)
    for lag in lags:
        frame[f"lag{lag}"] = frame["y"].shift(lag)
        extra.append(f"lag{lag}")
    if series.freq == "h" and config.daily_split != "none":
        frame = add_conditions(frame, config.daily_split)
    history = frame.iloc[max(lags, default=0) : n]
    return history, frame.iloc[n:].drop(columns="y"), extra


def condition_names(split: DailySplit) -> list[str]:
    return ["weekday", "weekend"] if split == "weekend" else [f"day{d}" for d in range(7)]


def add_conditions(frame: pd.DataFrame, split: DailySplit) -> pd.DataFrame:
    day = frame["ds"].dt.dayofweek
    if split == "weekend":
        return frame.assign(weekend=day >= 5, weekday=day < 5)
    return frame.assign(**{f"day{d}": day == d for d in range(7)})
