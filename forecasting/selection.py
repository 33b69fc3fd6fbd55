"""Serving: backtest the candidates, serve the best, and always show Prophet beside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from forecasting.backtest import Backtest, BacktestConfig, Fold, run_backtest
from forecasting.errors import ForecastingError, SeriesError
from forecasting.models import Combination, ModelFn, catalogue
from forecasting.prophet_model import HOURLY_DEMAND, ProphetConfig
from forecasting.series import Forecast, Series

REFERENCE = "seasonal_naive"
MIN_SEASONS = 2


@dataclass(frozen=True)
class ServingPlan:
    """Which models compete for a series, how they are backtested, and how Prophet is set up."""

    candidates: tuple[str, ...] = ("seasonal_naive", "seasonal_naive_168", "mstl", "prophet")
    combinations: tuple[Combination, ...] = (
        Combination("mstl+prophet", ("mstl", "prophet")),
        Combination("mstl+prophet+snaive168", ("mstl", "prophet", "seasonal_naive_168")),
    )
    folds: int = 2
    prophet: ProphetConfig = HOURLY_DEMAND
    force: str | None = None


@dataclass(frozen=True)
class ModelScore:
    """A model's backtest means; ``score`` is its sMAPE and MASE relative to seasonal naive."""

    model: str
    smape: float
    mase: float
    coverage: float
    score: float


@dataclass(frozen=True, eq=False)
class Served:
    series_id: str
    served: Forecast
    prophet: Forecast | None
    chosen: str
    reason: str
    table: tuple[ModelScore, ...] = field(default=())


def default_plan(freq: str, force: str | None = None) -> ServingPlan:
    """The hourly plan races daily and weekly seasonal naive; daily data has one season."""
    if freq == "h":
        return ServingPlan(force=force)
    return ServingPlan(
        candidates=("seasonal_naive", "auto_ets", "mstl", "prophet"),
        combinations=(Combination("mstl+prophet", ("mstl", "prophet")),),
        force=force,
    )


def with_combinations(fold: Fold, combinations: tuple[Combination, ...]) -> Fold:
    forecasts = dict(fold.forecasts)
    for combination in combinations:
        if all(member in forecasts for member in combination.members):
            forecasts[combination.name] = combination.combine(
                [forecasts[m] for m in combination.members]
            )
    return replace(fold, forecasts=forecasts)


def score_table(backtest: Backtest, m: int) -> tuple[ModelScore, ...]:
    """Mean scores of the models that forecast every fold, best first."""
    scores = backtest.scores(m)
    reference = {s.cutoff: s for s in scores if s.model == REFERENCE}
    rows = []
    for model in dict.fromkeys(s.model for s in scores):
        mine = [s for s in scores if s.model == model]
        if len(mine) < len(backtest.folds):
            continue
        relative = [
            0.5
            * (
                s.smape / max(reference[s.cutoff].smape, 1e-9)
                + s.mase / max(reference[s.cutoff].mase, 1e-9)
            )
            for s in mine
        ]
        rows.append(
            ModelScore(
                model,
                float(np.mean([s.smape for s in mine])),
                float(np.mean([s.mase for s in mine])),
                float(np.mean([s.coverage for s in mine])),
                float(np.mean(relative)),
            )
        )
    return tuple(sorted(rows, key=lambda row: row.score))


def fit(
    name: str, series: Series, horizon: int, plan: ServingPlan, models: Mapping[str, ModelFn]
) -> Forecast:
    combination = next((c for c in plan.combinations if c.name == name), None)
    if combination is None:
        return models[name](series, horizon)
    return combination.combine([models[m](series, horizon) for m in combination.members])


def serve(series: Series, horizon: int, plan: ServingPlan = ServingPlan()) -> Served:
    """The served forecast (best by backtest, or ``plan.force``) and Prophet's, for one series."""
    min_train = MIN_SEASONS * series.season_length
    if len(series.y) < min_train:
        raise SeriesError(
            series.series_id, f"too little history: {len(series.y)} values, need {min_train}"
        )
    if np.ptp(series.y) == 0:
        raise SeriesError(series.series_id, f"constant values ({series.y[0]:g}) cannot be forecast")
    series.require_regressors(horizon)
    models = catalogue(plan.prophet)
    prophet = models["prophet"](series, horizon)
    if plan.force is not None:
        served = (
            prophet if plan.force == "prophet" else fit(plan.force, series, horizon, plan, models)
        )
        return Served(series.series_id, served, prophet, plan.force, "forced")
    config = BacktestConfig(horizon=horizon, folds=plan.folds)
    try:
        backtest = run_backtest(series, {n: models[n] for n in plan.candidates}, config, min_train)
    except SeriesError:
        return Served(
            series.series_id, prophet, prophet, "prophet", "history too short to backtest"
        )
    backtest = replace(
        backtest, folds=tuple(with_combinations(f, plan.combinations) for f in backtest.folds)
    )
    table = score_table(backtest, series.season_length)
    for row in table:
        try:
            served = (
                prophet if row.model == "prophet" else fit(row.model, series, horizon, plan, models)
            )
        except ForecastingError:
            continue
        reason = f"best of {len(table)} by backtest over {len(backtest.folds)} cutoffs"
        return Served(series.series_id, served, prophet, row.model, reason, table)
    return Served(series.series_id, prophet, prophet, "prophet", "every other model failed", table)
