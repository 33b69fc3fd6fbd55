"""sMAPE, MASE, OWA, interval coverage and MSIS against cases worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecasting import metrics


def test_smape_on_the_0_to_200_scale() -> None:
    """sMAPE is 200 x mean(|a - f| / (|a| + |f|)): 10/210 and 20/380 average to 10.025."""
    value = metrics.smape(np.array([100.0, 200.0]), np.array([110.0, 180.0]))
    assert value == pytest.approx(100 * (10 / 210 + 20 / 380))
    assert metrics.smape(np.array([1.0]), np.array([-1.0])) == pytest.approx(200.0)


def test_smape_counts_zero_actual_and_forecast_as_no_error() -> None:
    """A step where both the actual and the forecast are zero adds nothing."""
    assert metrics.smape(np.array([0.0, 10.0]), np.array([0.0, 10.0])) == 0.0


def test_mase_scales_by_the_seasonal_naive_error_in_sample() -> None:
    """History 1..6 with m=2 has seasonal differences of 2; an MAE of 1.5 gives MASE 0.75."""
    history = np.arange(1.0, 7.0)
    assert metrics.seasonal_scale(history, 2) == 2.0
    assert metrics.mase(np.array([7.0, 8.0]), np.array([6.0, 10.0]), history, 2) == 0.75


def test_mase_with_a_perfectly_seasonal_history() -> None:
    """A history with no seasonal change makes any error infinitely large, and no error 0."""
    history = np.array([1.0, 2.0, 1.0, 2.0, 1.0, 2.0])
    assert math.isinf(metrics.mase(np.array([1.0]), np.array([2.0]), history, 2))
    assert metrics.mase(np.array([1.0]), np.array([1.0]), history, 2) == 0.0


def test_mase_needs_more_history_than_one_season() -> None:
    """The scale is undefined on a history of one season or less."""
    with pytest.raises(ValueError, match="more than 4"):
        metrics.seasonal_scale(np.arange(4.0), 4)


def test_owa_is_the_mean_of_the_ratios_to_naive2() -> None:
    """Half of Naive2's sMAPE and half of its MASE give OWA 0.5; Naive2 itself gives 1."""
    assert metrics.owa(9.0, 1.2, 18.0, 2.4) == pytest.approx(0.5)
    assert metrics.owa(18.383, 2.395, 18.383, 2.395) == pytest.approx(1.0)


def test_coverage_counts_actuals_inside_the_bounds_inclusive() -> None:
    """Two of four actuals fall inside [lower, upper] (one on the edge)."""
    actual = np.array([1.0, 2.0, 3.0, 4.0])
    assert metrics.coverage(actual, np.full(4, 1.5), np.full(4, 3.0)) == 0.5


def test_msis_adds_the_width_and_ten_times_each_miss_at_80_percent() -> None:
    """Bounds [1, 3] around actuals 2, 5 and 0: widths 2 each; misses of 2 above and 1
    below cost 2/0.2 = 10 times, so (2 + 2 + 2 + 20 + 10) / 3 = 12, over the history's
    mean absolute one-step change 2."""
    history = np.array([0.0, 2.0, 4.0, 6.0])
    actual = np.array([2.0, 5.0, 0.0])
    score = metrics.msis(actual, np.ones(3), np.full(3, 3.0), history, 1)
    assert score == pytest.approx(12 / 2)


def test_msis_prefers_the_narrower_interval_that_still_holds_the_values() -> None:
    """Two intervals that both hold every value: the narrower scores lower; one too
    narrow to hold them scores worse than both."""
    history = np.arange(10.0)
    actual = np.array([10.0, 11.0, 12.0])
    wide = metrics.msis(actual, actual - 5, actual + 5, history, 1)
    snug = metrics.msis(actual, actual - 1, actual + 1, history, 1)
    missed = metrics.msis(actual, actual + 1, actual + 2, history, 1)
    assert snug < wide < missed
