"""The typed series and forecast: frozen, validated, and cut for backtests."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import SeriesError
from forecasting.series import Forecast, Series


def test_series_is_frozen_and_its_values_read_only() -> None:
    """Neither the fields nor the arrays of a series can be changed after it is built."""
    series = Series("s", pd.Timestamp("2026-01-01"), [1, 2, 3])
    with pytest.raises(dataclasses.FrozenInstanceError):
        series.series_id = "t"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        series.y[0] = 5


def test_missing_values_are_refused_with_their_time() -> None:
    """A NaN names the series and the timestamp where it sits."""
    with pytest.raises(
        SeriesError, match=r"series 's': missing or infinite value at 2026-01-01 01:00"
    ):
        Series("s", pd.Timestamp("2026-01-01"), [1.0, np.nan, 3.0])


def test_head_keeps_the_regressor_future() -> None:
    """A shortened series keeps later regressor values as its known future."""
    series = Series(
        "s", pd.Timestamp("2026-01-01"), np.arange(10.0), regressors={"rain_mm": np.arange(12.0)}
    )
    head = series.head(6)
    assert len(head.y) == 6 and len(head.regressors["rain_mm"]) == 12
    head.require_regressors(6)
    with pytest.raises(SeriesError, match="'rain_mm' has 2 future values, the horizon needs 3"):
        series.require_regressors(3)


def test_future_dates_follow_the_history() -> None:
    """The first future date is one step after the last observed one, daily or hourly."""
    daily = Series("d", pd.Timestamp("2026-01-01"), np.arange(5.0), freq="d")
    assert daily.future_ds(2)[0] == pd.Timestamp("2026-01-06")


def test_forecast_frame_has_the_published_columns() -> None:
    """A forecast's frame has series_id,ds,yhat,yhat_lower,yhat_upper,model."""
    ds = pd.date_range("2026-01-01", periods=2, freq="h")
    frame = Forecast("s", "m", ds, [1, 2], [0, 1], [2, 3]).to_frame()
    assert list(frame.columns) == ["series_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]


def test_series_survive_pickling_for_worker_processes() -> None:
    """A series with regressors crosses to a process pool or Dask worker unchanged."""
    import pickle

    series = Series("s", pd.Timestamp("2026-01-01"), [1.0, 2.0], regressors={"rain_mm": [0, 1, 2]})
    copy = pickle.loads(pickle.dumps(series))
    assert copy.series_id == "s" and np.array_equal(copy.y, series.y)
    assert np.array_equal(copy.regressors["rain_mm"], [0, 1, 2])
