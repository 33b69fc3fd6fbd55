"""Benchmarks: seasonal naive and the M4 competition's Naive2.

Intervals assume normal errors whose spread grows with the square root of the number
of steps (naive) or of whole seasons (seasonal naive) ahead.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from forecasting.errors import SeriesError
from forecasting.series import Forecast, Series, floored


def z_value(level: int) -> float:
    return NormalDist().inv_cdf(0.5 + level / 200.0)


def bounded(series: Series, model: str, yhat: np.ndarray, half: np.ndarray, level: int) -> Forecast:
    """A forecast with symmetric bounds, its point at zero or above when the history is."""
    yhat, lower, upper = floored(series, yhat, yhat - half, yhat + half)
    return Forecast(series.series_id, model, series.future_ds(len(yhat)), yhat, lower, upper, level)


def constant(series: Series, horizon: int, level: int = 80) -> Forecast:
    """The one value a history that never changed has shown (a product never sold, a zone
    not yet open), its interval that value too: no model learns anything more from it."""
    yhat = np.full(horizon, float(series.y[-1]))
    return Forecast(
        series.series_id, "constant", series.future_ds(horizon), yhat, yhat, yhat, level
    )


def seasonal_naive(
    series: Series, horizon: int, period: int | None = None, level: int = 80
) -> Forecast:
    """Repeat the last full period; ``period`` defaults to the frequency's season."""
    m = period or series.season_length
    if len(series.y) < 2 * m:
        raise SeriesError(
            series.series_id, f"seasonal naive needs {2 * m} values, has {len(series.y)}"
        )
    steps = np.arange(horizon)
    yhat = series.y[len(series.y) - m + steps % m]
    sigma = float(np.sqrt(np.mean((series.y[m:] - series.y[:-m]) ** 2)))
    half = z_value(level) * sigma * np.sqrt(steps // m + 1)
    name = "seasonal_naive" if period is None else f"seasonal_naive_{m}"
    return bounded(series, name, yhat, half, level)


def short_naive(series: Series, horizon: int, level: int = 80) -> Forecast:
    """For a history too short for any fallback: its last season repeated (the last value
    for weeks, whose year it has not seen), no trend drawn from so few values. The interval
    is a random walk's on the step-to-step changes, which hold the season's own swings too,
    so it errs wide rather than claim what two seasons would have to show."""
    y = series.y
    m = series.season_length if len(y) >= series.season_length else 1
    steps = np.arange(horizon)
    yhat = y[len(y) - m + steps % m]
    sigma = float(np.sqrt(np.mean(np.diff(y) ** 2)))
    half = z_value(level) * sigma * np.sqrt(steps // m + 1)
    return bounded(series, "short_naive", yhat, half, level)


def acf(values: np.ndarray, lag: int) -> float:
    centred = values - values.mean()
    return float(np.sum(centred[:-lag] * centred[lag:]) / np.sum(centred**2))


def is_seasonal(values: np.ndarray, m: int) -> bool:
    """M4's test: the lag-``m`` autocorrelation is significant at 90% (one-sided z 1.645)."""
    if m <= 1 or len(values) < 3 * m:
        return False
    squares = sum(acf(values, k) ** 2 for k in range(1, m))
    limit = 1.645 * np.sqrt((1 + 2 * squares) / len(values))
    return abs(acf(values, m)) > limit


def seasonal_indices(values: np.ndarray, m: int) -> np.ndarray:
    """Classical multiplicative decomposition: index per position in the season, mean 1.

    Position 0 is the season position of ``values[0]``.
    """
    # An even season needs the centred 2 x m moving average, as R's decompose() uses.
    weights = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
    trend = np.convolve(values, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    ratios = np.full(len(values), np.nan)
    ratios[offset : offset + len(trend)] = values[offset : offset + len(trend)] / trend
    figure = np.array([np.nanmean(ratios[i::m]) for i in range(m)])
    return figure / figure.mean()


def season_index(values: np.ndarray, m: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """M4's seasonal adjustment: the classical multiplicative index at each value and at
    each of the ``horizon`` steps after, where the 90% test finds a season in values above
    zero; ones otherwise."""
    index = seasonal_indices(values, m) if is_seasonal(values, m) and values.min() > 0 else None
    if index is None:
        return np.ones(len(values)), np.ones(horizon)
    return index[np.arange(len(values)) % m], index[(len(values) + np.arange(horizon)) % m]


def naive2(series: Series, horizon: int, period: int | None = None, level: int = 80) -> Forecast:
    """Naive forecast of the seasonally adjusted series, reseasonalised (M4's Naive2)."""
    y = series.y
    in_sample, future_index = season_index(y, period or series.season_length, horizon)
    adjusted = y / in_sample
    yhat = adjusted[-1] * future_index
    sigma = float(np.sqrt(np.mean(np.diff(adjusted) ** 2)))
    half = z_value(level) * sigma * np.sqrt(np.arange(1, horizon + 1)) * future_index
    return bounded(series, "naive2", yhat, half, level)
