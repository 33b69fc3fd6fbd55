"""The closed-form ARIMA (``fast_arima``) behind the catalogue's series-in, forecast-out call."""

from __future__ import annotations

from forecasting import fast_arima
from forecasting.errors import ModelError
from forecasting.series import Forecast, Series
from forecasting.stats_models import to_forecast

NAME = "arima"


def arima(series: Series, horizon: int, level: int = 80) -> Forecast:
    """The differencing the KPSS test asks for, then the orders by AutoARIMA's stepwise
    search, every cutoff afresh: a search takes milliseconds, so nothing is kept across
    cutoffs (keeping the first cutoff's differencing made no difference on M4 Weekly)."""
    try:
        fit = fast_arima.search(series.y, fast_arima.differencing(series.y))
    except fast_arima.ArimaError as error:
        raise ModelError(NAME, series.series_id, str(error)) from error
    return to_forecast(series, NAME, fit.forecast(horizon, level), horizon, level)
