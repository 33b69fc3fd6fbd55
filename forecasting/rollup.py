"""Daily roll-ups of hourly forecasts, for plans made a day at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.series import Forecast


def daily_rollup(forecast: Forecast) -> Forecast:
    """Sum a served forecast's hours into calendar days (a model's own lower bounds may
    reach below zero until served); a partial first or last day sums the hours it has.

    Interval half-widths combine as if hourly errors were independent (root of the sum of
    squares): summing bounds instead would assume every hour misses the same way at once.
    """
    frame = pd.DataFrame(
        {
            "day": forecast.ds.normalize(),
            "yhat": forecast.yhat,
            "below": (forecast.yhat - forecast.lower) ** 2,
            "above": (forecast.upper - forecast.yhat) ** 2,
        }
    )
    days = frame.groupby("day", sort=True).sum()
    yhat = days["yhat"].to_numpy()
    lower = yhat - np.sqrt(days["below"].to_numpy())
    if forecast.lower.min() >= 0:
        lower = np.maximum(lower, 0.0)
    upper = yhat + np.sqrt(days["above"].to_numpy())
    ds = pd.DatetimeIndex(days.index)
    return Forecast(forecast.series_id, forecast.model, ds, yhat, lower, upper, forecast.level)
