"""Accuracy measures as the M4 competition defines them, and interval coverage."""

from __future__ import annotations

import numpy as np


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE on the 0-200 scale; a step where both are zero counts as no error."""
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(
        np.abs(actual - forecast),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return float(200.0 * ratio.mean())


def seasonal_scale(history: np.ndarray, m: int) -> float:
    """Mean absolute ``m``-step difference of the history: MASE's denominator."""
    history = np.asarray(history, float)
    if len(history) <= m:
        raise ValueError(f"MASE needs more than {m} history values, got {len(history)}")
    return float(np.mean(np.abs(history[m:] - history[:-m])))


def mase(actual: np.ndarray, forecast: np.ndarray, history: np.ndarray, m: int) -> float:
    """Mean absolute error scaled by the in-sample seasonal naive error (infinite if that is 0)."""
    error = float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(forecast, float))))
    scale = seasonal_scale(history, m)
    if scale == 0:
        return 0.0 if error == 0 else float("inf")
    return error / scale


def owa(smape_value: float, mase_value: float, naive2_smape: float, naive2_mase: float) -> float:
    """Overall weighted average: the mean of sMAPE and MASE relative to Naive2's."""
    return 0.5 * (smape_value / naive2_smape + mase_value / naive2_mase)


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actual values inside ``[lower, upper]``."""
    actual = np.asarray(actual, float)
    inside = (actual >= np.asarray(lower, float)) & (actual <= np.asarray(upper, float))
    return float(inside.mean())


def msis(
    actual: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    history: np.ndarray,
    m: int,
    level: int = 80,
) -> float:
    """M4's mean scaled interval score at ``level`` percent: the interval's width plus
    2/alpha times each miss, scaled as MASE is. Lower is better: an interval is rewarded for
    being narrow only as long as it still holds the values."""
    actual = np.asarray(actual, float)
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    alpha = 1 - level / 100
    penalty = (2 / alpha) * (np.maximum(lower - actual, 0) + np.maximum(actual - upper, 0))
    score = float(np.mean(upper - lower + penalty))
    scale = seasonal_scale(history, m)
    if scale == 0:
        return 0.0 if score == 0 else float("inf")
    return score / scale
