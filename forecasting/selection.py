"""Serving: backtest the candidates, serve the best, and show Prophet beside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial

import numpy as np
import pandas as pd

from forecasting import baselines, calibration
from forecasting.backtest import Backtest, BacktestConfig, Fold, run_backtest
from forecasting.calendar import (
    apply_effects,
    clean_history,
    days_for,
    holiday_effects,
    special_steps,
)
from forecasting.errors import ForecastingError, ModelError, SeriesError
from forecasting.models import Combination, ModelFn, catalogue
from forecasting.plans import ServingPlan, default_plan
from forecasting.series import FALLBACK_HISTORY, Forecast, Series, check_usable, steps_in_days
from forecasting.stats_models import FormKept

__all__ = ["ModelScore", "Served", "ServingPlan", "default_plan", "serve"]
# Percentage points added to the level the backtest calibrates intervals to.
WINNERS_CURSE = 4
# A form the backtest found is kept for the final forecast (``ServingPlan.keep_forms``) only
# when the oldest cutoff's history is at least this share of the whole: a form found on a
# third of a short series is searched for again.
KEPT_SHARE = 2 / 3


@dataclass(frozen=True)
class ModelScore:
    """A model's backtest means; ``score`` is its sMAPE and MASE relative to the reference."""

    model: str
    smape: float
    mase: float
    coverage: float
    score: float


@dataclass(frozen=True, eq=False)
class Served:
    """The forecast served for a series, Prophet's beside it (or why it failed; neither when
    it was not asked for, unless its backtest failed), and the backtest table the choice was
    made from, best first."""

    series_id: str
    served: Forecast
    prophet: Forecast | None
    chosen: str
    reason: str
    table: tuple[ModelScore, ...] = field(default=())
    prophet_error: str | None = None


def with_combinations(fold: Fold, combinations: tuple[Combination, ...]) -> Fold:
    forecasts = dict(fold.forecasts)
    for combination in combinations:
        if all(member in forecasts for member in combination.members):
            forecasts[combination.name] = combination.combine(
                [forecasts[m] for m in combination.members]
            )
    return replace(fold, forecasts=forecasts)


def score_table(backtest: Backtest, m: int, reference: str) -> tuple[ModelScore, ...]:
    """Mean scores of the models that forecast every fold, best first."""
    scores = backtest.scores(m)
    base = {s.cutoff: s for s in scores if s.model == reference}
    rows = []
    for model in dict.fromkeys(s.model for s in scores):
        mine = [s for s in scores if s.model == model]
        if len(mine) < len(backtest.folds) or len(base) < len(backtest.folds):
            continue
        relative = [
            0.5
            * (s.smape / max(base[s.cutoff].smape, 1e-9) + s.mase / max(base[s.cutoff].mase, 1e-9))
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


class Guard:
    """The holiday guard of one series, shared by every model it guards: each cutoff's
    ordinary-week history and holiday effects are worked out once, however many models
    ask. The effects come from the whole history up to the cutoff: older than the window
    the models see, never later than the cutoff."""

    def __init__(self, history: Series, days: Mapping[date, str]) -> None:
        self.history, self.days = history, days
        self.step = history.future_ds(1)[0] - history.ds[-1]
        self.cleaned: dict[tuple[pd.Timestamp, int], Series] = {}
        self.effects: dict[int, dict[str, float]] = {}

    def forecast(self, model: ModelFn, series: Series, horizon: int) -> Forecast:
        key = (series.start, len(series.y))
        if key not in self.cleaned:
            self.cleaned[key] = clean_history(series, self.days)
        end = round((series.start - self.history.start) / self.step) + len(series.y)
        if end not in self.effects:
            self.effects[end] = holiday_effects(self.history.head(end), self.days)
        result = model(self.cleaned[key], horizon)
        return apply_effects(result, series.freq, self.days, self.effects[end])


def guarded(model: ModelFn, guard: Guard) -> ModelFn:
    """A model that knows no holidays, fitted on the ordinary weeks and then given the
    holiday effects the history showed."""
    return partial(guard.forecast, model)


def prophet_days(series: Series, horizon: int, days: Mapping[date, str]) -> tuple:
    """The special days as Prophet matches them, on the dates of the series' own steps: a
    weekly step stands for the week it starts, so it carries the week's holiday."""
    if series.freq != "w":
        return tuple(days.items())
    steps = pd.DatetimeIndex(series.ds.append(series.future_ds(horizon)))
    found = special_steps(steps, "w", days)
    return tuple((steps[position].date(), name) for position, name in sorted(found.items()))


def models_for(
    series: Series, horizon: int, plan: ServingPlan, window: int | None
) -> tuple[dict[str, ModelFn], dict[str, ModelFn]]:
    """Two catalogues for this series, the backtest's (fits kept across its folds) and the
    final forecasts' (fitted on the whole history; with the plan's ``keep_forms``, ETS and
    ARIMA in the forms the backtest's searches found, where its oldest cutoff saw at least
    ``KEPT_SHARE`` of the history): Prophet given the calendar's days, the other models
    guarded against them by one guard the two share.

    When the window cuts the history, Prophet is guarded too: it would see a year's
    holidays only if they fell in the last weeks, where the guard reads every past one.
    """
    days = days_for(plan.calendar, series, horizon)
    cut = window is not None and window < len(series.y)
    native = () if cut else prophet_days(series, horizon, days)
    guard = Guard(series, days) if days else None

    config = replace(plan.prophet, special_days=native)
    backtest = catalogue(config)
    final = catalogue(config)
    length = min(window or len(series.y), len(series.y))
    if plan.keep_forms and length - plan.folds * horizon >= KEPT_SHARE * length:
        final |= {
            name: partial(model, final=True)
            for name, model in backtest.items()
            if isinstance(model, FormKept)
        }

    def guarding(models: dict[str, ModelFn]) -> dict[str, ModelFn]:
        if guard is None:
            return models
        return {
            name: model if name.startswith("prophet") and not cut else guarded(model, guard)
            for name, model in models.items()
        }

    return guarding(backtest), guarding(final)


def preferred_first(table: tuple[ModelScore, ...], plan: ServingPlan) -> list[ModelScore]:
    """The table's order, but the plan's preferred model first unless the best beats it by
    the plan's margin."""
    rows = list(table)
    preferred = [row for row in rows if row.model == plan.prefer]
    if not preferred or rows[0].score < preferred[0].score * (1 - plan.margin):
        return rows
    return [preferred[0], *(row for row in rows if row is not preferred[0])]


class Finals:
    """Forecasts from the whole (windowed) history, each model fitted at most once.

    The backtest's models keep one fit across its folds (``backtest_models``); the final
    forecasts come from models of their own, fitted on the whole history: a fit kept from
    the oldest cutoff would extrapolate its trend and seasons from weeks before the last
    value (on M4 Hourly, Prophet's OWA 0.54 against 0.48 refitted). Only a form (ETS's
    letters, ARIMA's orders) may be shared, its parameters fitted afresh (``models_for``).
    """

    def __init__(self, series: Series, horizon: int, plan: ServingPlan) -> None:
        self.plan = plan
        window = steps_in_days(plan.window_days, series.freq) if plan.window_days else None
        self.backtest_models, self.models = models_for(series, horizon, plan, window)
        self.series = series.tail(window) if window else series
        self.horizon = horizon
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
    check_usable(series.series_id, series.y, series.freq)
    series.require_regressors(horizon)


@dataclass(frozen=True, eq=False)
class Race:
    """The backtest of a plan's candidates on one series, combinations included."""

    backtest: Backtest
    table: tuple[ModelScore, ...]

    def with_combination(self, combination: Combination, plan: ServingPlan) -> Race:
        """The race with ``combination``'s backtest forecasts in its folds and its scores
        in the table."""
        folds = tuple(with_combinations(fold, (combination,)) for fold in self.backtest.folds)
        backtest = replace(self.backtest, folds=folds)
        return Race(backtest, score_table(backtest, plan.mase_season, plan.reference))

    def failure(self, model: str) -> str | None:
        """Why ``model`` failed the newest cutoff, if it did."""
        return self.backtest.folds[-1].failures.get(model)

    def factor(self, model: str, level: int) -> float | None:
        """The conformal scale of ``model``'s bounds from its backtest errors."""
        pairs = [
            (fold.actual, fold.forecasts[model])
            for fold in self.backtest.folds
            if model in fold.forecasts
        ]
        return calibration.factor(pairs, level)


def race(finals: Finals, plan: ServingPlan, names: tuple[str, ...]) -> Race | None:
    """Backtest ``names`` (and the plan's combinations of them); None when the history is
    too short for a single fold."""
    series, horizon = finals.series, finals.horizon
    config = BacktestConfig(horizon=horizon, folds=plan.folds)
    models = {name: finals.backtest_models[name] for name in names}
    try:
        backtest = run_backtest(series, models, config, plan.min_train)
    except SeriesError:
        return None
    folds = tuple(with_combinations(fold, plan.combinations) for fold in backtest.folds)
    backtest = replace(backtest, folds=folds)
    return Race(backtest, score_table(backtest, plan.mase_season, plan.reference))


def calibrated(
    forecast: Forecast, contest: Race | None, series: Series, raced: bool = False
) -> Forecast:
    """The forecast's bounds scaled to cover their level in the backtest, and a little more
    for a model the race chose (``raced``): the winner's backtest errors understate its
    errors to come (the winner's curse). A model served whatever its backtest (forced, the
    plan's combination, Prophet beside) was not picked for its luck and gets no margin: on
    short daily histories, where the plan's combination serves, the margin made 80%
    intervals cover 85% (bench/README.md)."""
    # ``series`` is the history the models saw (the window): its sign decided their points'
    # clipping, so it decides the lower bound's too.
    target = forecast.level + (WINNERS_CURSE if raced else 0)
    scale = contest.factor(forecast.model, target) if contest else None
    return calibration.rescale(forecast, scale, series.non_negative)


def fallback(finals: Finals, plan: ServingPlan) -> tuple[Forecast, str]:
    """The first fallback model that forecasts, for a history too short to backtest."""
    errors = []
    for name in plan.fallbacks:
        try:
            return finals.get(name), (
                f"history too short to backtest ({len(finals.series.y)} values): {name} served"
            )
        except ForecastingError as error:
            errors.append(str(error))
    raise ModelError("every fallback", finals.series.series_id, "; ".join(errors))


# What ``short_naive`` repeats: a season where the history holds one, else the last value.
REPEATED = {"h": "the last day", "d": "the last week", "w": "the last value"}


def very_short(finals: Finals, beside: bool) -> Served:
    """A history too short for the plan's fallbacks, served its last season repeated
    (``baselines.short_naive``), guarded against the calendar's days as they are."""
    series = finals.series
    forecast = calibrated(finals.get("short_naive"), None, series)
    reason = (
        f"history too short to backtest ({len(series.y)} values, a fallback needs "
        f"{FALLBACK_HISTORY[series.freq]}): {forecast.model} served, {REPEATED[series.freq]} "
        "repeated with an interval from the step-to-step changes"
    )
    return Served(
        series.series_id, forecast, None, forecast.model, reason, (), reason if beside else None
    )


def serve(
    series: Series, horizon: int, plan: ServingPlan | None = None, beside: bool = True
) -> Served:
    """The served forecast (best by backtest, or ``plan.force``) and, with ``beside``,
    Prophet's, for one series, each with its interval calibrated on its backtest errors.

    Without ``beside`` Prophet is fitted only where it serves or races: a caller that shows
    the served forecast alone (``longcat forecast file``) does not wait for a fit it drops.
    A model that fails on the series is left out of the race; only a forced model's failure,
    or every model failing, is raised.
    """
    plan = plan or default_plan(series.freq)
    check(series, horizon)
    if np.ptp(series.y) == 0:
        reason = f"the history never changed ({series.y[0]:g}): constant served"
        served = baselines.constant(series, horizon)
        return Served(
            series.series_id, served, None, "constant", reason, (), reason if beside else None
        )
    finals = Finals(series, horizon, plan)
    if plan.force is None and len(series.y) < FALLBACK_HISTORY[series.freq]:
        return very_short(finals, beside)
    names = (plan.force,) if plan.force else plan.candidates
    contest = race(finals, plan, tuple(dict.fromkeys((*names, plan.reference))))
    prophet, prophet_error = None, None
    if not beside:
        prophet_error = contest.failure("prophet") if contest else None
    else:
        try:
            prophet = calibrated(finals.get("prophet"), contest, finals.series)
        except ForecastingError as error:
            if plan.force == "prophet":
                raise
            prophet_error = str(error)
    ident = series.series_id
    if plan.force is not None:
        served = calibrated(finals.get(plan.force), contest, finals.series)
        return Served(ident, served, prophet, plan.force, "forced", (), prophet_error)
    if contest is None:
        forecast, reason = fallback(finals, plan)
        forecast = calibrated(forecast, None, finals.series)
        return Served(ident, forecast, prophet, forecast.model, reason, (), prophet_error)
    return best(finals, contest, series, prophet, prophet_error)


def blended(finals: Finals, contest: Race, models: list[str]) -> tuple[str, Race]:
    """The mean of ``models`` as a combination the finals and the race both know, the
    blend's own backtest scores in the race's table."""
    members = tuple(sorted(models))  # one name for a set, whichever of it ranked first
    # The space lets a narrow table wrap the name between its members.
    blend = Combination(f"mean({', '.join(members)})", members)
    finals.combinations[blend.name] = blend
    return blend.name, contest.with_combination(blend, finals.plan)


def chosen_rows(finals: Finals, ranked: list[ModelScore], series_id: str) -> list[ModelScore]:
    """The first of ``ranked`` whose final forecast works: alone when it is the plan's
    combination, else joined by the next that work, up to the plan's ``blend``, while they
    score within ``blend_within`` times its score."""
    plan = finals.plan
    errors: list[str] = []
    chosen: list[ModelScore] = []
    for row in ranked:
        if chosen and (
            chosen[0].model == plan.prefer
            or len(chosen) == plan.blend
            or row.score > chosen[0].score * plan.blend_within
        ):
            break
        try:
            finals.get(row.model)
        except ForecastingError as error:
            errors.append(str(error))
            continue
        chosen.append(row)
    if not chosen:
        reason = "; ".join(errors) or "no model forecast every cutoff"
        raise ModelError("every model", series_id, reason)
    return chosen


def best(
    finals: Finals,
    contest: Race,
    series: Series,
    prophet: Forecast | None,
    prophet_error: str | None,
) -> Served:
    """The plan's combination where no model beat it by the margin; else the mean of the
    plan's ``blend`` best models of the race that forecast, those scoring within
    ``blend_within`` times the best's (the best alone when no other is)."""
    plan, table = finals.plan, contest.table
    chosen = chosen_rows(finals, preferred_first(table, plan), series.series_id)
    # A preferred combination that cannot forecast was passed over like any model: the
    # race decided, as if it had lost.
    preferred = chosen[0].model == plan.prefer
    folds = len(contest.backtest.folds)
    name, reason = chosen[0].model, f"best of {len(table)} by backtest over {folds} cutoffs"
    if len(chosen) > 1:
        name, contest = blended(finals, contest, [row.model for row in chosen])
        reason = f"mean of the best {len(chosen)} of {len(table)} by backtest over {folds} cutoffs"
    elif preferred and chosen[0] is not table[0]:
        reason = (
            f"the plan's combination: no model of {len(table)} beat it by "
            f"{plan.margin:.0%} in the backtest over {folds} cutoffs"
        )
    return Served(
        series.series_id,
        calibrated(finals.get(name), contest, finals.series, raced=not preferred),
        prophet,
        name,
        reason,
        contest.table,
        prophet_error,
    )
