"""Serving plans: which models compete for a series of each frequency, and how.

The candidates differ by frequency because the models do: hourly data has two seasons that
MSTL and Prophet's lags follow, and ETS or ARIMA with a 24-step season are slow without being
better; daily data is short and one-seasonal, where ETS, Theta and Prophet set up for days
do best and their mean is steadier than any; weekly data is long and noisy, its year seen by
MSTL alone, where the M4 lesson holds that a combination of simple models is hard to beat. On
daily and weekly data a few short folds pick a single model by luck, so the plan's
combination serves unless another model beats it clearly; where the race decides, the mean
of its two best serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from forecasting.calendar import Calendar
from forecasting.models import Combination
from forecasting.prophet_model import BY_FREQ, HOURLY_DEMAND, ProphetConfig


@dataclass(frozen=True)
class ServingPlan:
    """Which models compete for a series, how they are backtested, and how Prophet is set up.

    ``window_days`` bounds the history the models see (longer did not forecast better, and
    costs time); the holiday guard still learns from the whole history. ``fallbacks`` serve,
    in order, when the history is too short to backtest.
    """

    candidates: tuple[str, ...] = ("seasonal_naive", "mstl", "prophet")
    combinations: tuple[Combination, ...] = ()
    folds: int = 2
    min_train: int = 48
    reference: str = "seasonal_naive"
    mase_season: int = 24
    window_days: float | None = None
    fallbacks: tuple[str, ...] = ("seasonal_naive", "theta")
    # A combination served unless another model beats it in the backtest by ``margin``
    # (relative score): a few short folds pick a single model by luck more often than not.
    prefer: str | None = None
    margin: float = 0.1
    # The mean of this many of the race's best serves, where the preferred combination does
    # not: on both halves of M4 Hourly and of M4 Weekly the mean of the two best chose
    # better than the best alone, and on the daily tuning sets as well (bench/README.md).
    blend: int = 2
    # ... of those within this ratio of the best's score: a pattern one model forecasts
    # almost exactly is not averaged with a model far behind it.
    blend_within: float = 2.0
    # The final forecast fits the forms the backtest's searches found (ETS letters, ARIMA
    # orders) to the whole history rather than searching again: on M4 Weekly as accurate in
    # a third less time; on the daily tuning sets less accurate (bench/README.md).
    keep_forms: bool = False
    prophet: ProphetConfig = HOURLY_DEMAND
    calendar: Calendar = field(default_factory=Calendar)
    force: str | None = None

    def __post_init__(self) -> None:
        if self.blend < 1:
            raise ValueError(f"blend: at least one model serves, not {self.blend}")
        if self.blend_within < 1:
            raise ValueError(
                f"blend_within: a ratio to the best's score of 1 or more, not {self.blend_within}"
            )


HOURLY = ServingPlan(
    # Naive2 (the last value, seasonally adjusted where there is a daily season) for series
    # that wander without much of a daily shape (a temperature, a level): yesterday's shape
    # and Prophet's profiles start an hour out from where they are. It cost nothing on M4
    # Hourly or the city's zones (bench/README.md).
    candidates=("seasonal_naive", "naive2", "mstl", "prophet"),
    combinations=(
        Combination("median(mstl,prophet,snaive)", ("mstl", "prophet", "seasonal_naive"), "median"),
        Combination("mean(mstl,prophet,snaive)", ("mstl", "prophet", "seasonal_naive")),
        Combination("mean(mstl,prophet)", ("mstl", "prophet")),
    ),
    # The fits are kept across cutoffs, so a third fold costs forecasts, not fits; on M4
    # Hourly it chose better than two (bench/README.md).
    folds=3,
    window_days=7 * 8,
)
DAILY_COMBINATION = Combination("mean(ets,theta,prophet)", ("auto_ets", "theta", "prophet"))
DAILY = ServingPlan(
    # AutoARIMA is not raced: it served none of the daily tuning forecasts, alone or in a
    # mean, and was a fifth of the daily time; without it the first held-out set scored
    # better and the second the same (bench/README.md).
    candidates=("seasonal_naive", "auto_ets", "theta", "mstl", "prophet"),
    combinations=(
        DAILY_COMBINATION,
        Combination("mean(theta,prophet)", ("theta", "prophet")),
        Combination("mean(mstl,prophet)", ("mstl", "prophet")),
    ),
    folds=4,
    min_train=14,
    mase_season=7,
    window_days=365 * 3,
    prophet=BY_FREQ["d"],
    prefer=DAILY_COMBINATION.name,
    # Four folds of a week or two pick a single model by luck: on both daily tuning sets
    # (histories of 38 to 52 days, and of years) the combination served always did better
    # than any margin under 30% (bench/README.md).
    margin=0.3,
)
WEEKLY_COMBINATION = Combination(
    "mean(arima,theta,dotm,mstl)", ("arima", "theta", "optimized_theta", "mstl")
)
# ``arima`` is the closed-form estimator (forecasting/fast_arima.py): as accurate as
# statsforecast's AutoARIMA in the race on M4 Weekly and both held-out sets, in a twentieth
# of the time (bench/README.md). It fits no season itself; a yearly one the 90% test
# finds in three years of weeks is taken out first and put back on its forecast.
WEEKLY_MEMBERS = ("auto_ets", "arima", "theta", "optimized_theta")
WEEKLY = ServingPlan(
    # Prophet is left out of the race: on M4 Weekly it lost to every statsforecast model
    # and, raced, was picked by luck often enough to cost the served forecast (bench/README).
    candidates=("naive", *WEEKLY_MEMBERS, "mstl"),
    combinations=(
        WEEKLY_COMBINATION,
        Combination("mean(ets,arima,theta,dotm)", WEEKLY_MEMBERS),
        Combination("median(ets,arima,theta,dotm,mstl)", (*WEEKLY_MEMBERS, "mstl"), "median"),
    ),
    folds=3,
    min_train=26,
    reference="naive",
    mase_season=1,
    # Five years: older weeks pulled Theta's and ARIMA's level and drift towards a market
    # that had moved on, and cost a tenth of the time to fit (bench/README.md).
    window_days=5 * 365,
    fallbacks=("theta", "naive"),
    keep_forms=True,
    prophet=BY_FREQ["w"],
    prefer=WEEKLY_COMBINATION.name,
)
PLANS: dict[str, ServingPlan] = {"h": HOURLY, "d": DAILY, "w": WEEKLY}


def default_plan(
    freq: str, force: str | None = None, calendar: Calendar | None = None
) -> ServingPlan:
    """The plan for the frequency, its calendar (holidays, events) and an optional forced
    model (``prophet``: Prophet is served whatever the backtest says)."""
    return replace(PLANS[freq], force=force, calendar=calendar or Calendar())
