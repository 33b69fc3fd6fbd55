"""Serving: backtest the candidates, serve the best, and always show Prophet beside it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from forecasting.backtest import Backtest, BacktestConfig, Fold, run_backtest
from forecasting.errors import ForecastingError, ModelError, SeriesError
from forecasting.models import Combination, catalogue
from forecasting.prophet_model import HOURLY_DEMAND, ProphetConfig
from forecasting.series import Forecast, Series

REFERENCE = "seasonal_naive"
MIN_SEASONS = 2


HOURLY_COMBINATIONS = (
    Combination("median(mstl,prophet,snaive)", ("mstl", "prophet", "seasonal_naive"), "median"),
    Combination("mean(mstl,prophet,snaive)", ("mstl", "prophet", "seasonal_naive")),
    Combination("mean(mstl,prophet)", ("mstl", "prophet")),
)


@dataclass(frozen=True)
class ServingPlan:
    """Which models compete for a series, how they are backtested, and how Prophet is set up."""

    candidates: tuple[str, ...] = ("seasonal_naive", "mstl", "prophet")
    combinations: tuple[Combination, ...] = HOURLY_COMBINATIONS
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
    """The forecast served for a series, Prophet's beside it (or why it failed), and the
    backtest table the choice was made from, best first."""

    series_id: str
    served: Forecast
    prophet: Forecast | None
    chosen: str
    reason: str
    table: tuple[ModelScore, ...] = field(default=())
    prophet_error: str | None = None


def default_plan(freq: str, force: str | None = None) -> ServingPlan:
    """Hourly: seasonal naive, MSTL, Prophet and their combinations (the M4 Hourly winner
    here); daily data has one season and is short, so AutoETS joins and one mean combines."""
    if freq == "h":
        return ServingPlan(force=force)
    return ServingPlan(
        candidates=("seasonal_naive", "auto_ets", "mstl", "prophet"),
        combinations=(Combination("mean(mstl,prophet)", ("mstl", "prophet")),),
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


class Finals:
    """Forecasts from the whole history, each model fitted at most once."""

    def __init__(self, series: Series, horizon: int, plan: ServingPlan) -> None:
        self.series, self.horizon = series, horizon
        self.models = catalogue(plan.prophet)
        self.combinations = {c.name: c for c in plan.combinations}
        self.done: dict[str, Forecast] = {}

    def get(self, name: str) -> Forecast:
        if name not in self.done:
            combination = self.combinations.get(name)
            if combination is None:
                self.done[name] = self.models[name](self.series, self.horizon)
            else:
                self.done[name] = combination.combine([self.get(m) for m in combination.members])
        return self.done[name]


def check(series: Series, horizon: int) -> None:
    min_train = MIN_SEASONS * series.season_length
    if len(series.y) < min_train:
        raise SeriesError(
            series.series_id, f"too little history: {len(series.y)} values, need {min_train}"
        )
    if np.ptp(series.y) == 0:
        raise SeriesError(series.series_id, f"constant values ({series.y[0]:g}) cannot be forecast")
    series.require_regressors(horizon)


def serve(series: Series, horizon: int, plan: ServingPlan = ServingPlan()) -> Served:
    """The served forecast (best by backtest, or ``plan.force``) and Prophet's, for one series.

    A model that fails on the series is left out of the race; only a forced model's failure,
    or every model failing, is raised.
    """
    check(series, horizon)
    finals = Finals(series, horizon, plan)
    prophet, prophet_error = None, None
    try:
        prophet = finals.get("prophet")
    except ForecastingError as error:
        if plan.force == "prophet":
            raise
        prophet_error = str(error)
    ident = series.series_id
    if plan.force is not None:
        return Served(
            ident, finals.get(plan.force), prophet, plan.force, "forced", (), prophet_error
        )
    config = BacktestConfig(horizon=horizon, folds=plan.folds)
    models = {name: finals.models[name] for name in plan.candidates}
    try:
        backtest = run_backtest(series, models, config, MIN_SEASONS * series.season_length)
    except SeriesError:
        fallback = prophet or finals.get(REFERENCE)
        reason = "history too short to backtest"
        return Served(ident, fallback, prophet, fallback.model, reason, (), prophet_error)
    folds = tuple(with_combinations(fold, plan.combinations) for fold in backtest.folds)
    table = score_table(replace(backtest, folds=folds), series.season_length)
    errors = []
    for row in table:
        try:
            served = finals.get(row.model)
        except ForecastingError as error:
            errors.append(str(error))
            continue
        reason = f"best of {len(table)} by backtest over {len(folds)} cutoffs"
        return Served(ident, served, prophet, row.model, reason, table, prophet_error)
    raise ModelError("every model", ident, "; ".join(errors) or "no model forecast every cutoff")
