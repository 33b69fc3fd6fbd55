"""statsforecast's AutoETS and MSTL behind the series-in, forecast-out call."""

from __future__ import annotations

import numpy as np

from forecasting import stats_models
from forecasting.synthetic import demand_series


def test_mstl_uses_the_weekly_season_only_with_two_weeks_of_history() -> None:
    """Hourly MSTL models days and weeks; under two weeks of history only days."""
    history, _ = demand_series("z", days=15, seed=1)
    assert stats_models.mstl_periods(history) == [24, 168]
    assert stats_models.mstl_periods(history.head(24 * 10)) == [24]


def test_mstl_and_auto_ets_give_non_negative_forecasts_with_intervals() -> None:
    """Both models forecast counts at or above zero with lower <= yhat <= upper."""
    history, _ = demand_series("z", days=15, seed=2)
    for forecast in (stats_models.mstl(history, 24), stats_models.auto_ets(history, 24)):
        assert len(forecast.ds) == 24 and forecast.lower.min() >= 0
        assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)
        assert np.any(forecast.upper > forecast.lower)
