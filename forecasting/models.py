"""The model catalogue: a name for every way the suite can forecast a series."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np

from forecasting import baselines, stats_models
from forecasting.prophet_model import HOURLY_DEMAND, PLAIN, ProphetConfig, prophet_forecast
from forecasting.series import Forecast, Series

ModelFn = Callable[[Series, int], Forecast]


@dataclass(frozen=True)
class Combination:
    """The mean or median of member forecasts, point and bounds alike.

    Combinations won M4; the median of three also shrugs off one member that goes astray.
    """

    name: str
    members: tuple[str, ...]
    how: Literal["mean", "median"] = "mean"

    def combine(self, forecasts: Sequence[Forecast]) -> Forecast:
        first = forecasts[0]
        reduce = np.mean if self.how == "mean" else np.median
        yhat, lower, upper = (
            reduce([getattr(f, part) for f in forecasts], axis=0)
            for part in ("yhat", "lower", "upper")
        )
        return Forecast(first.series_id, self.name, first.ds, yhat, lower, upper, first.level)


def catalogue(prophet_config: ProphetConfig = HOURLY_DEMAND) -> dict[str, ModelFn]:
    """Every single model by name; ``prophet`` uses the given configuration."""
    return {
        "seasonal_naive": baselines.seasonal_naive,
        "seasonal_naive_168": partial(baselines.seasonal_naive, period=168),
        "naive2": baselines.naive2,
        "auto_ets": stats_models.auto_ets,
        "mstl": stats_models.mstl,
        "prophet_default": partial(prophet_forecast, config=PLAIN),
        "prophet": partial(prophet_forecast, config=prophet_config),
    }
