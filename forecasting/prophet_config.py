"""How Prophet is set up for each frequency: plain data, no fitting here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Transform = Literal["none", "log1p", "sqrt"]
# How the daily profile may differ between days: one for all, weekday/weekend, or per weekday.
DailySplit = Literal["none", "weekend", "weekday"]
WEEK_HOURS = 168


@dataclass(frozen=True)
class ProphetConfig:
    """How Prophet is set up; ``plain=True`` means ``Prophet()`` with nothing changed.

    With ``uncertainty_samples=0`` the interval is the fitted noise level around the point
    forecast, for the backtest to calibrate: drawing trend samples is most of Prophet's
    prediction time, and its sampled intervals are no better calibrated.
    """

    plain: bool = False
    transform: Transform = "sqrt"
    daily_order: int = 11
    weekly_order: int = 10
    yearly_order: int = 10
    daily_split: DailySplit = "weekend"
    seasonality_mode: Literal["additive", "multiplicative"] = "additive"
    yearly_after_days: int = 730
    # The lag regressors carry the recent level, so a sloped trend only adds drift.
    growth: Literal["linear", "flat"] = "flat"
    changepoint_prior_scale: float = 0.05
    changepoint_range: float = 0.9
    seasonality_prior_scale: float = 10.0
    holidays_prior_scale: float = 10.0
    # The holidays and events of the history and horizon, (day, name): the serving plan
    # fills them from its calendar for each series.
    special_days: tuple[tuple[date, str], ...] = ()
    regressors: tuple[str, ...] = ()
    uncertainty_samples: int = 0
    lags: bool = True


PLAIN = ProphetConfig(plain=True, transform="none")
HOURLY_DEMAND = ProphetConfig()
# Daily data: no lags (a week back is as far as a daily horizon reaches, and it only adds
# noise), a sloped trend that may bend late, three weekly harmonics (seven points a week).
DAILY_DEMAND = ProphetConfig(
    transform="none",
    weekly_order=3,
    daily_split="none",
    growth="linear",
    changepoint_range=0.95,
    lags=False,
)
# Weekly data: a trend and the year's shape.
WEEKLY = ProphetConfig(
    transform="none",
    daily_split="none",
    growth="linear",
    yearly_order=6,
    changepoint_range=0.95,
    lags=False,
)
BY_FREQ: dict[str, ProphetConfig] = {"h": HOURLY_DEMAND, "d": DAILY_DEMAND, "w": WEEKLY}
# M4 series carry synthetic dates: weekends would be noise.
M4_HOURLY = ProphetConfig(daily_split="none")
