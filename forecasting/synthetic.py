"""Synthetic hourly delivery demand with lunch and dinner rushes, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.series import Series

LUNCH_HOUR = 12
DINNER_HOUR = 19


def daily_profile(hours: np.ndarray, weekend: np.ndarray) -> np.ndarray:
    """Expected orders by local hour: a night trough, a lunch rush and a bigger dinner rush;
    at weekends lunch is flatter and an hour later."""
    lunch_peak = np.where(weekend, LUNCH_HOUR + 1, LUNCH_HOUR)
    lunch = np.where(weekend, 0.7, 1.0) * np.exp(-0.5 * ((hours - lunch_peak) / 1.2) ** 2)
    dinner = 1.3 * np.exp(-0.5 * ((hours - DINNER_HOUR) / 1.5) ** 2)
    return 0.08 + lunch + dinner


def demand_series(
    series_id: str,
    days: int,
    start: str = "2026-03-02",
    level: float = 40.0,
    seed: int = 0,
    rain_effect: float = 0.0,
    future_hours: int = 0,
) -> tuple[Series, np.ndarray]:
    """A Poisson demand series and the ``future_hours`` that follow it (the truth to score).

    With ``rain_effect`` > 0 a ``rain_mm`` regressor raises demand by that share per mm.
    """
    rng = np.random.default_rng(seed)
    total = days * 24 + future_hours
    ds = pd.date_range(start, periods=total, freq="h")
    weekend = ds.dayofweek.to_numpy() >= 5
    mean = level * daily_profile(ds.hour.to_numpy(), weekend) * np.where(weekend, 1.15, 1.0)
    rain = np.where(rng.random(total) < 0.1, rng.gamma(2.0, 2.0, total), 0.0)
    mean = mean * (1 + rain_effect * rain)
    counts = rng.poisson(mean).astype(float)
    regressors = {"rain_mm": rain} if rain_effect > 0 else {}
    history = Series(series_id, ds[0], counts[: days * 24], "h", regressors)
    return history, counts[days * 24 :]
