"""Rolling-origin backtests: where the cutoffs fall and what each fold holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import BacktestConfig, cutoffs, run_backtest
from forecasting.baselines import seasonal_naive
from forecasting.errors import ModelError, SeriesError
from forecasting.series import Forecast, Series


def test_cutoffs_step_back_from_the_end_oldest_first() -> None:
    """Three folds of horizon 10 over 100 values train on 70, 80 and 90 values."""
    assert cutoffs(100, BacktestConfig(horizon=10, folds=3), min_train=20) == (70, 80, 90)
    assert cutoffs(100, BacktestConfig(horizon=10, folds=3, step=5), min_train=20) == (80, 85, 90)


def test_cutoffs_that_leave_too_little_history_are_dropped() -> None:
    """A fold is only kept when its training part reaches the minimum."""
    assert cutoffs(100, BacktestConfig(horizon=30, folds=3), min_train=30) == (40, 70)
    assert cutoffs(40, BacktestConfig(horizon=30, folds=3), min_train=30) == ()


def failing(series: Series, horizon: int) -> Forecast:
    raise ModelError("broken", series.series_id, "always fails")


def test_folds_score_the_actuals_after_each_cutoff_and_record_failures() -> None:
    """Each fold holds the next ``horizon`` actuals; a failing model is noted, not fatal."""
    y = np.tile(np.arange(24.0), 6) + 1
    series = Series("s", pd.Timestamp("2026-01-01"), y)
    backtest = run_backtest(
        series, {"seasonal_naive": seasonal_naive, "broken": failing}, BacktestConfig(24, 2), 48
    )
    assert backtest.cutoffs == (96, 120)
    for fold in backtest.folds:
        assert np.array_equal(fold.actual, y[fold.cutoff : fold.cutoff + 24])
        assert "always fails" in fold.failures["broken"]
    scores = backtest.scores(24)
    assert [s.model for s in scores] == ["seasonal_naive", "seasonal_naive"]
    assert all(s.smape == 0 and s.coverage == 1.0 for s in scores)


def test_a_series_too_short_for_any_fold_is_refused() -> None:
    """No cutoff fits: the backtest names the series and says why."""
    series = Series("short", pd.Timestamp("2026-01-01"), np.arange(50.0))
    with pytest.raises(SeriesError, match="'short': too little history for a backtest"):
        run_backtest(series, {"seasonal_naive": seasonal_naive}, BacktestConfig(24, 2), 48)
