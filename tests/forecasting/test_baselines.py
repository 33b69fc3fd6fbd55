"""Seasonal naive and Naive2, the latter against the published M4 Hourly figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting import baselines, metrics
from forecasting.m4 import load_m4_hourly
from forecasting.series import Series

M4_HOURLY = Path(__file__).resolve().parents[3] / "shared" / "data" / "forecasting" / "m4_hourly"
START = pd.Timestamp("2026-01-05")


def test_seasonal_naive_repeats_the_last_season_with_widening_bounds() -> None:
    """Each step copies the value one season back; the interval widens each season ahead."""
    y = np.tile(np.arange(24.0), 3) + np.repeat([0.0, 1.0, 2.0], 24)
    forecast = baselines.seasonal_naive(Series("s", START, y), 48)
    assert np.array_equal(forecast.yhat, np.tile(y[-24:], 2))
    width = forecast.upper - forecast.lower
    assert width[30] > width[0] and width[0] == pytest.approx(width[23])
    assert forecast.ds[0] == START + pd.Timedelta(hours=72)


def test_seasonal_naive_with_a_weekly_period() -> None:
    """period=168 copies the same hour one week back and says so in its name."""
    y = np.arange(400.0)
    forecast = baselines.seasonal_naive(Series("s", START, y), 5, period=168)
    assert forecast.model == "seasonal_naive_168"
    assert np.array_equal(forecast.yhat, y[400 - 168 : 400 - 163])


def test_seasonality_test_tells_a_daily_cycle_from_noise() -> None:
    """A daily sine passes M4's 90% autocorrelation test; white noise does not."""
    hours = np.arange(24 * 20)
    assert baselines.is_seasonal(10 + np.sin(2 * np.pi * hours / 24), 24)
    noise = np.random.default_rng(3).normal(10, 1, len(hours))
    assert not baselines.is_seasonal(noise, 24)


def test_multiplicative_indices_recover_a_known_profile() -> None:
    """A level times a fixed profile decomposes back into that profile (mean 1)."""
    profile = np.array([0.5, 1.0, 1.5, 1.0])
    values = np.tile(profile, 10) * 100
    assert np.allclose(baselines.seasonal_indices(values, 4), profile)


def test_naive2_is_flat_for_a_series_without_seasonality() -> None:
    """Without a significant season Naive2 is the last value repeated."""
    y = np.random.default_rng(5).normal(50, 1, 24 * 10)
    forecast = baselines.naive2(Series("s", START, y), 12)
    assert np.allclose(forecast.yhat, y[-1])


def test_naive2_reproduces_the_published_m4_hourly_scores() -> None:
    """On all 414 M4 Hourly series Naive2 scores sMAPE 18.383 and MASE 2.395, and seasonal
    naive 13.912 and 1.193, as in the organisers' table."""
    cases = load_m4_hourly(M4_HOURLY)
    assert len(cases) == 414
    scores = {"naive2": ([], []), "seasonal_naive": ([], [])}
    for case in cases:
        for name, fn in (
            ("naive2", baselines.naive2),
            ("seasonal_naive", baselines.seasonal_naive),
        ):
            yhat = fn(case.series, 48).yhat
            scores[name][0].append(metrics.smape(case.actual, yhat))
            scores[name][1].append(metrics.mase(case.actual, yhat, case.series.y, 24))
    assert round(float(np.mean(scores["naive2"][0])), 3) == 18.383
    assert round(float(np.mean(scores["naive2"][1])), 3) == 2.395
    assert round(float(np.mean(scores["seasonal_naive"][0])), 3) == 13.912
    assert round(float(np.mean(scores["seasonal_naive"][1])), 3) == 1.193
