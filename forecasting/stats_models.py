"""statsforecast models (AutoETS, MSTL) behind the same series-in, forecast-out call.

statsforecast compiles with numba on first use, so it is imported inside the functions.
"""

from __future__ import annotations

import numpy as np

from forecasting.errors import ModelError
from forecasting.series import Forecast, Series

WEEK_HOURS = 168


def to_forecast(series: Series, name: str, output: dict, horizon: int, level: int) -> Forecast:
    if f"lo-{level}" not in output:
        raise ModelError(name, series.series_id, f"returned no {level}% interval")
    yhat = np.asarray(output["mean"], float)
    lower = np.asarray(output[f"lo-{level}"], float)
    upper = np.asarray(output[f"hi-{level}"], float)
    if not (np.isfinite(yhat).all() and np.isfinite(lower).all() and np.isfinite(upper).all()):
        raise ModelError(name, series.series_id, "produced non-finite forecasts")
    if series.y.min() >= 0:
        yhat, lower, upper = (np.maximum(a, 0.0) for a in (yhat, lower, upper))
    return Forecast(series.series_id, name, series.future_ds(horizon), yhat, lower, upper, level)


def auto_ets(series: Series, horizon: int, level: int = 80) -> Forecast:
    """statsforecast's AutoETS with the frequency's season length."""
    from statsforecast.models import AutoETS

    m = series.season_length if len(series.y) >= 2 * series.season_length else 1
    try:
        output = AutoETS(season_length=m).forecast(y=series.y, h=horizon, level=[level])
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as error:
        raise ModelError("auto_ets", series.series_id, str(error)) from error
    return to_forecast(series, "auto_ets", output, horizon, level)


def mstl_periods(series: Series) -> list[int]:
    """Daily and weekly seasons for hourly data, dropping those the history cannot show twice."""
    periods = [24, WEEK_HOURS] if series.freq == "h" else [7]
    return [p for p in periods if len(series.y) >= 2 * p] or [1]


def mstl(series: Series, horizon: int, level: int = 80) -> Forecast:
    """MSTL decomposition, its trend forecast by AutoETS without seasonality."""
    from statsforecast.models import MSTL, AutoETS

    model = MSTL(season_length=mstl_periods(series), trend_forecaster=AutoETS(model="ZZN"))
    try:
        output = model.forecast(y=series.y, h=horizon, level=[level])
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as error:
        raise ModelError("mstl", series.series_id, str(error)) from error
    return to_forecast(series, "mstl", output, horizon, level)
