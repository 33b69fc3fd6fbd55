"""The closed-form ARIMA (``fast_arima``) behind the catalogue's series-in, forecast-out call."""

from __future__ import annotations

import numpy as np

from forecasting import fast_arima
from forecasting.baselines import season_index
from forecasting.errors import ModelError
from forecasting.series import Forecast, Series
from forecasting.stats_models import to_forecast

NAME = "arima"


def arima(series: Series, horizon: int, level: int = 80) -> Forecast:
    """The differencing the KPSS test asks for, then the orders by AutoARIMA's stepwise
    search, every cutoff afresh: a search takes milliseconds, so nothing is kept across
    cutoffs (keeping the first cutoff's differencing made no difference on M4 Weekly).

    The ARIMA fits no season; where M4's 90% test finds one in a series above zero with
    three seasons of history (three years of weeks), it is fitted to the series less its
    classical multiplicative season, and the forecast and its bounds are seasonalised again
    (as Theta and Naive2 do): otherwise a strong yearly shape is forecast as a flat line,
    and pulls every mean it is part of towards one. A shorter history, or one that touches
    zero, is fitted as it is."""
    y = series.y
    past, future = season_index(y, series.season_length, horizon)
    try:
        fit = fast_arima.search(y / past, fast_arima.differencing(y / past))
    except fast_arima.ArimaError as error:
        raise ModelError(NAME, series.series_id, str(error)) from error
    output = {
        key: np.asarray(values) * future for key, values in fit.forecast(horizon, level).items()
    }
    return to_forecast(series, NAME, output, horizon, level)
