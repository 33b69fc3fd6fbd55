"""Conformal interval calibration: widen or narrow a model's bounds by the factor that made
them cover the level in its backtest.

A model's own interval assumes its errors are what its fit says; out of sample they rarely
are (Prophet's were too narrow on daily data, MSTL's too wide on hourly). Each backtest error
is expressed in units of the model's half-width on that side, and the level's quantile of
those ratios, with the finite-sample correction of split conformal prediction, scales the
bounds of the final forecast.

The models leave their lower bounds below zero where their errors reach there, even for
counts (``Series.non_negative``; ``series.floored``): a zero under a bound clipped to zero
would score exactly 1 whatever the model's spread, and on a series of mostly empty hours
those ties decided the factor (80% intervals covered 87%). Bounds are clipped once, here,
as they are served.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from forecasting.series import Forecast

FLOOR = 1e-9
# No model's own interval is a hundred times too wide; a factor under this comes from
# values forecast (all but) exactly.
MIN_SCALE = 0.01
# Fewer backtest values than this say nothing reliable of the spread.
MIN_VALUES = 10
# A fold whose typical error is this many of the model's half-widths, and this many times
# the other folds' typical error, saw a break (a level shift inside its horizon), not noise.
BREAK_RATIO = 3.0
BREAK_TIMES = 4.0


def ratios(actual: np.ndarray, forecast: Forecast) -> np.ndarray:
    """Each error over the half-width on its side (above: upper bound, below: lower)."""
    above = actual >= forecast.yhat
    width = np.where(above, forecast.upper - forecast.yhat, forecast.yhat - forecast.lower)
    return np.abs(actual - forecast.yhat) / np.maximum(width, FLOOR)


def without_break(folds: list[np.ndarray]) -> list[np.ndarray]:
    """The folds' ratios without the one fold that saw a break, if one did.

    A fold's values are not independent draws: a level shift inside one fold's horizon
    makes all of its errors large together, and with a quarter of the backtest's values
    there, the pooled quantile sat in them (an 80% interval of [0, 800] around a forecast
    of 150 that the last weeks had met within 20). One break in a few folds says little of
    the next horizon's spread; two say more, so at most one fold is left out, and only
    where at least two others remain to say what the noise is, with enough values to
    calibrate on (else the model's own interval would be served instead).
    """
    if len(folds) < 3:
        return folds
    typical = np.array([np.median(r) if len(r) else 0.0 for r in folds])
    worst = int(np.argmax(typical))
    others = float(np.median(np.delete(typical, worst)))
    kept = folds[:worst] + folds[worst + 1 :]
    broke = typical[worst] > BREAK_RATIO and typical[worst] > BREAK_TIMES * others
    return kept if broke and sum(len(r) for r in kept) >= MIN_VALUES else folds


def factor(pairs: Sequence[tuple[np.ndarray, Forecast]], level: int) -> float | None:
    """The scale that makes the bounds cover ``level`` percent of the backtest's values
    (``pairs``: one per fold), a fold that saw a break left out; None when there are too few
    values to say, or when that many were forecast exactly."""
    if not pairs:
        return None
    folds = without_break([ratios(np.asarray(a, float), f) for a, f in pairs])
    scores = np.concatenate(folds)
    n = len(scores)
    if n < MIN_VALUES:
        return None
    k = min(n, math.ceil((n + 1) * level / 100))
    scale = float(np.sort(scores)[k - 1])
    # The level's share of the values forecast exactly (empty hours forecast empty, or all
    # but empty: ETS leaves a millionth) says nothing of the spread of the rest; such a
    # factor would make every interval its point.
    return scale if scale >= MIN_SCALE else None


def rescale(forecast: Forecast, scale: float | None, non_negative: bool) -> Forecast:
    """The forecast with each bound's distance from the point multiplied by ``scale`` (left
    as it is without one), the lower bound then clipped at zero for ``non_negative`` data."""
    if scale is None and not (non_negative and forecast.lower.min() < 0):
        return forecast
    lower, upper = forecast.lower, forecast.upper
    if scale is not None:
        lower = forecast.yhat - scale * (forecast.yhat - forecast.lower)
        upper = forecast.yhat + scale * (forecast.upper - forecast.yhat)
    if non_negative:
        lower = np.maximum(lower, 0.0)
    return replace(forecast, lower=lower, upper=upper)
