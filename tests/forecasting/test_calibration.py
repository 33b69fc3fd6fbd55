"""Conformal calibration: bounds scaled so the backtest's errors fall inside at the level."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting import calibration
from forecasting.series import Forecast

DS = pd.date_range("2026-01-01", periods=50, freq="D")


def forecast(yhat: np.ndarray, half: float) -> Forecast:
    return Forecast("s", "m", DS[: len(yhat)], yhat, yhat - half, yhat + half)


def test_the_factor_makes_the_bounds_cover_the_level() -> None:
    """Errors of spread 3 against bounds of half-width 1: the factor is the 80% quantile of
    the absolute errors, so the rescaled bounds cover 80% of them (and 80% of new ones)."""
    rng = np.random.default_rng(0)
    pairs = []
    for _ in range(8):
        yhat = np.full(50, 10.0)
        pairs.append((yhat + rng.normal(0, 3, 50), forecast(yhat, 1.0)))
    scale = calibration.factor(pairs, 80)
    assert scale is not None and 3.4 < scale < 4.4  # 1.28 x 3 = 3.84
    fresh = np.full(50, 10.0)
    rescaled = calibration.rescale(forecast(fresh, 1.0), scale, non_negative=False)
    actual = fresh + rng.normal(0, 3, (200, 50))
    inside = (actual >= rescaled.lower) & (actual <= rescaled.upper)
    assert 0.75 <= inside.mean() <= 0.85


def test_each_side_is_measured_against_its_own_bound() -> None:
    """An error above the point is measured in units of the upper distance, below in the
    lower: a forecast whose upper bound is twice as far needs half the scale above."""
    yhat = np.full(10, 10.0)
    skewed = Forecast("s", "m", DS[:10], yhat, yhat - 1.0, yhat + 2.0)
    ratios = calibration.ratios(np.r_[np.full(5, 12.0), np.full(5, 9.0)], skewed)
    assert np.allclose(ratios, 1.0)


def test_too_few_values_leave_the_bounds_alone() -> None:
    """Under ten backtest values say nothing reliable: no factor, the forecast unchanged."""
    yhat = np.full(5, 10.0)
    pair = (yhat + 5, forecast(yhat, 1.0))
    assert calibration.factor([pair], 80) is None and calibration.factor([], 80) is None
    original = forecast(yhat, 1.0)
    assert calibration.rescale(original, None, non_negative=True) is original


def test_rescaled_lower_bounds_stay_at_or_above_zero_for_counts() -> None:
    """Widening the bounds of a count forecast never takes the lower bound below zero."""
    rescaled = calibration.rescale(forecast(np.full(5, 1.0), 1.0), 3.0, non_negative=True)
    assert rescaled.lower.min() == 0.0 and np.allclose(rescaled.upper, 4.0)


def test_a_zero_under_a_bound_below_zero_scores_its_own_distance_not_a_tie() -> None:
    """A model's lower bound is left below zero for counts: an empty hour then scores how
    far into the bound it fell (0.5 here, 0.25 there), where a bound clipped to zero made
    every empty hour score exactly 1, and the factor sat on that tie, covering them all."""
    yhat = np.array([2.0, 1.0])
    raw = Forecast("s", "m", DS[:2], yhat, np.array([-2.0, -3.0]), yhat + 4.0)
    assert np.allclose(calibration.ratios(np.zeros(2), raw), [0.5, 0.25])


def test_served_bounds_of_counts_are_clipped_even_without_a_factor() -> None:
    """Without a factor the bounds keep their width, but a count's lower bound is served at
    zero, never below it."""
    raw = Forecast("s", "m", DS[:3], np.ones(3), np.full(3, -1.0), np.full(3, 3.0))
    served = calibration.rescale(raw, None, non_negative=True)
    assert served.lower.min() == 0.0 and np.allclose(served.upper, 3.0)


def test_a_backtest_mostly_forecast_exactly_keeps_the_models_own_bounds() -> None:
    """Mostly empty hours forecast 0 where they were 0: nine errors in ten are exactly zero,
    so the level's quantile of the ratios is 0, which would shrink every interval to its
    point (a forecast of 1 claiming exactly 1, where a 1 is rare). Such a backtest says
    nothing of the spread, so the model's own bounds stand; one error more in ten and the
    factor is measured again."""
    yhat = np.zeros(50)
    actual = np.zeros(50)
    actual[::10] = 1.0
    assert calibration.factor([(actual, forecast(yhat, 0.5))], 80) is None
    assert calibration.factor([(actual, forecast(yhat + 1e-6, 0.5))], 80) is None
    actual[5::10] = 1.0
    assert calibration.factor([(actual, forecast(yhat, 0.5))], 80) == 2.0


def _folds(spreads: list[float], n: int = 14, seed: int = 0) -> list:
    """One fold per spread: errors of that spread against bounds of half-width 1."""
    rng = np.random.default_rng(seed)
    yhat = np.full(n, 100.0)
    return [(yhat + rng.normal(0, s, n), forecast(yhat, 1.0)) for s in spreads]


def test_a_fold_that_saw_a_level_shift_is_left_out() -> None:
    """Four folds, one of which forecast the old level while the series had jumped: its
    errors are twenty half-widths. Pooled with the others, a quarter of the values sat
    there and the factor came from them (over 10); left out, it is the other folds' (about
    1.28 for errors of spread 1)."""
    folds = _folds([1.0, 1.0, 1.0, 1.0])
    shift = folds[1][1]
    folds[1] = (shift.yhat + 20 + np.random.default_rng(1).normal(0, 1, 14), shift)
    assert 0.9 < calibration.factor(folds, 80) < 1.9
    pooled = np.concatenate([calibration.ratios(a, f) for a, f in folds])
    assert np.quantile(pooled, 0.8) > 10  # what the factor was with the fold in


def test_two_folds_with_large_errors_keep_the_interval_wide() -> None:
    """Two of four folds far out say the breaks recur: one is left out, the other still
    widens the interval past what the quiet folds alone would give."""
    folds = _folds([1.0, 20.0, 1.0, 20.0])
    assert calibration.factor(folds, 80) > 5


def test_bounds_too_narrow_on_every_fold_are_widened_in_full() -> None:
    """Errors five times the model's half-width on every fold are the model's error, not a
    break: nothing is left out and the factor is about 1.28 x 5."""
    assert 5.0 < calibration.factor(_folds([5.0, 5.0, 5.0, 5.0]), 80) < 8.0


def test_with_two_folds_nothing_is_left_out() -> None:
    """Two folds cannot say which is the odd one: both count."""
    assert calibration.factor(_folds([1.0, 20.0], n=24), 80) > 10


def test_a_fold_a_little_worse_than_the_rest_still_counts() -> None:
    """A fold with errors of twice the others' spread is noise, not a break: it stays in,
    and the factor is wider than the quiet folds' alone."""
    folds = _folds([1.0, 2.0, 1.0, 1.0])
    assert len(calibration.without_break([calibration.ratios(a, f) for a, f in folds])) == 4
    quiet = calibration.factor([folds[0], folds[2], folds[3]], 80)
    assert calibration.factor(folds, 80) > quiet


def test_a_break_is_kept_where_leaving_it_out_leaves_too_few_values() -> None:
    """Four folds of three values: without the odd one nine remain, too few to calibrate
    on, so it stays in and the interval is widened rather than left uncalibrated."""
    scale = calibration.factor(_folds([1.0, 1.0, 20.0, 1.0], n=3), 80)
    assert scale is not None and scale > 5
