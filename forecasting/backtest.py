"""Rolling-origin backtests: refit at several cutoffs and score the next ``horizon`` steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from forecasting import metrics
from forecasting.errors import ForecastingError, SeriesError
from forecasting.models import ModelFn
from forecasting.series import Forecast, Series


@dataclass(frozen=True)
class BacktestConfig:
    """``folds`` cutoffs ``step`` apart (default: horizon), the last ``horizon`` from the end."""

    horizon: int
    folds: int = 2
    step: int | None = None
    min_train: int | None = None


@dataclass(frozen=True, eq=False)
class Fold:
    cutoff: int
    actual: np.ndarray
    scale_history: np.ndarray
    forecasts: Mapping[str, Forecast]
    failures: Mapping[str, str]


@dataclass(frozen=True)
class Score:
    model: str
    cutoff: int
    smape: float
    mase: float
    coverage: float


@dataclass(frozen=True, eq=False)
class Backtest:
    series_id: str
    folds: tuple[Fold, ...]

    @property
    def cutoffs(self) -> tuple[int, ...]:
        return tuple(fold.cutoff for fold in self.folds)

    def scores(self, m: int) -> list[Score]:
        return [
            Score(
                name,
                fold.cutoff,
                metrics.smape(fold.actual, forecast.yhat),
                metrics.mase(fold.actual, forecast.yhat, fold.scale_history, m),
                metrics.coverage(fold.actual, forecast.lower, forecast.upper),
            )
            for fold in self.folds
            for name, forecast in fold.forecasts.items()
        ]


def cutoffs(length: int, config: BacktestConfig, min_train: int) -> tuple[int, ...]:
    """Training lengths, oldest first; cutoffs that would leave too little history are dropped."""
    step = config.step or config.horizon
    ends = [length - config.horizon - i * step for i in range(config.folds)]
    return tuple(sorted(end for end in ends if end >= max(min_train, config.min_train or 0)))


def run_backtest(
    series: Series, models: Mapping[str, ModelFn], config: BacktestConfig, min_train: int
) -> Backtest:
    """Forecast from every cutoff with every model; a model that fails is recorded, not fatal."""
    folds = []
    for cutoff in cutoffs(len(series.y), config, min_train):
        train = series.head(cutoff)
        forecasts: dict[str, Forecast] = {}
        failures: dict[str, str] = {}
        for name, model in models.items():
            try:
                forecasts[name] = model(train, config.horizon)
            except ForecastingError as error:
                failures[name] = str(error)
        actual = series.y[cutoff : cutoff + config.horizon]
        folds.append(Fold(cutoff, actual, train.y, forecasts, failures))
    if not folds:
        raise SeriesError(series.series_id, "too little history for a backtest")
    return Backtest(series.series_id, tuple(folds))
