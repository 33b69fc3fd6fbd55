"""Serving: the best model by backtest is served and Prophet is always returned beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import SeriesError
from forecasting.models import Combination
from forecasting.selection import ServingPlan, default_plan, serve
from forecasting.series import Series
from forecasting.synthetic import demand_series

START = pd.Timestamp("2026-03-02")
QUICK = ServingPlan(
    candidates=("seasonal_naive", "seasonal_naive_168", "prophet"),
    combinations=(Combination("prophet+snaive168", ("prophet", "seasonal_naive_168")),),
)


def test_a_weekly_pattern_is_served_by_weekly_seasonal_naive() -> None:
    """A repeating week with little noise is best forecast by the weekly naive, which wins;
    Prophet is still returned beside it, and every candidate appears in the table."""
    rng = np.random.default_rng(0)
    week = rng.uniform(5, 50, 168)
    y = np.tile(week, 4) + rng.normal(0, 0.01, 168 * 4)
    served = serve(Series("weekly", START, y), 24, QUICK)
    assert served.chosen == "seasonal_naive_168"
    assert np.allclose(served.served.yhat, week[:24], atol=0.1)
    assert served.prophet is not None and served.prophet.model == "prophet"
    assert served.table[0].model == "seasonal_naive_168"
    assert {row.model for row in served.table} >= {"prophet", "prophet+snaive168"}


def test_a_failing_prophet_is_reported_and_the_others_serve() -> None:
    """An exactly repeating week makes Prophet's fit degenerate: its error is reported with
    the reason, and the weekly naive serves."""
    week = np.random.default_rng(0).uniform(5, 50, 168)
    served = serve(Series("exact", START, np.tile(week, 4)), 24, QUICK)
    assert served.prophet is None and "model 'prophet' on series 'exact'" in served.prophet_error
    assert served.chosen == "seasonal_naive_168"


def test_the_table_is_sorted_by_score_and_names_the_winner() -> None:
    """Scores rise down the table and the served model is its first row."""
    history, _ = demand_series("zone", days=28, seed=6)
    served = serve(history, 24, QUICK)
    scores = [row.score for row in served.table]
    assert scores == sorted(scores) and served.chosen == served.table[0].model
    assert "by backtest over 2 cutoffs" in served.reason
    assert served.served.yhat.min() >= 0


def test_forcing_prophet_serves_prophet() -> None:
    """With force='prophet' the served forecast is Prophet's and no backtest runs."""
    history, _ = demand_series("zone", days=14, seed=2)
    served = serve(history, 24, default_plan("h", force="prophet"))
    assert served.chosen == "prophet" and served.served is served.prophet
    assert served.table == ()


def test_short_histories_fall_back_to_prophet_and_tiny_ones_are_refused() -> None:
    """Three days cannot be backtested over 48 hours, so Prophet is served; one day is refused."""
    history, _ = demand_series("zone", days=3, seed=2)
    served = serve(history, 48, QUICK)
    assert served.chosen == "prophet" and "too short to backtest" in served.reason
    with pytest.raises(SeriesError, match="'zone': too little history: 24 values, need 48"):
        serve(history.head(24), 48, QUICK)


def test_constant_series_are_refused() -> None:
    """A series that never changes has nothing to learn from and is refused by name."""
    with pytest.raises(SeriesError, match="'flat': constant values"):
        serve(Series("flat", START, np.full(24 * 10, 3.0)), 24, QUICK)


def test_daily_series_use_the_daily_plan() -> None:
    """Daily data races weekly-seasonal models and gives whole-day dates."""
    days = 84
    y = (
        100
        + 20 * np.sin(np.arange(days) * 2 * np.pi / 7)
        + np.random.default_rng(1).normal(0, 3, days)
    )
    served = serve(Series("city", START, y, "d"), 7, default_plan("d"))
    assert len(served.served.ds) == 7 and served.served.ds[0] == START + pd.Timedelta(days=days)
    assert "seasonal_naive_168" not in {row.model for row in served.table}
