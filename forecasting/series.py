"""The typed data the models exchange: a regular series in, a forecast out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from forecasting.errors import SeriesError

Freq = Literal["h", "d", "w"]
# Weekly data repeats yearly: 52 weeks is the nearest whole season.
SEASON_LENGTH: dict[str, int] = {"h": 24, "d": 7, "w": 52}
# Weeks are seven days from the first one, whatever weekday the data's weeks start on.
PANDAS_FREQ: dict[str, str] = {"h": "h", "d": "D", "w": "7D"}
FREQ_NAMES: dict[str, str] = {"h": "hourly", "d": "daily", "w": "weekly"}
STEPS_PER_DAY: dict[str, float] = {"h": 24.0, "d": 1.0, "w": 1 / 7}
STEPS: dict[Freq, pd.Timedelta] = {
    "h": pd.Timedelta(hours=1),
    "d": pd.Timedelta(days=1),
    "w": pd.Timedelta(days=7),
}


# Fewer values than this cannot say anything about a series of the frequency: a day of
# hours, a week of days, four weeks.
MIN_HISTORY: dict[str, int] = {"h": 24, "d": 7, "w": 4}
# From this many on the plan's fallbacks serve: seasonal naive measures its interval on two
# seasons, and Theta needs a quarter of weeks before its drift means more than noise.
FALLBACK_HISTORY: dict[str, int] = {"h": 48, "d": 14, "w": 13}


def check_usable(series_id: str, y: np.ndarray, freq: str, least: int | None = None) -> None:
    """Refuse a history too short to learn from."""
    least = MIN_HISTORY[freq] if least is None else least
    if len(y) < least:
        raise SeriesError(series_id, f"too little history: {len(y)} values, need at least {least}")


def floored(
    series: Series, yhat: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A model's point and bounds for a series that never goes below zero: the point and the
    upper bound clipped at zero, the lower bound left where the model's spread puts it, for
    the interval calibration to measure (clipped as it is served: ``calibration.rescale``)."""
    if not series.non_negative:
        return yhat, lower, upper
    return np.maximum(yhat, 0.0), lower, np.maximum(upper, 0.0)


def steps_in_days(days: float, freq: str) -> int:
    """How many steps of ``freq`` span ``days`` days."""
    return max(1, round(days * STEPS_PER_DAY[freq]))


def frozen_array(values: object) -> np.ndarray:
    """A float copy that cannot be written to, so a frozen dataclass really is frozen."""
    array = np.array(values, dtype=float)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Series:
    """One regular series: ``y[i]`` is the value at ``start + i`` steps of ``freq``.

    ``regressors`` hold one array per external variable (for example ``rain_mm``) that
    covers the history and, beyond ``len(y)``, the known future values.
    """

    series_id: str
    start: pd.Timestamp
    y: np.ndarray
    freq: Freq = "h"
    regressors: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.freq not in SEASON_LENGTH:
            raise SeriesError(
                self.series_id, f"unknown frequency {self.freq!r}, use 'h', 'd' or 'w'"
            )
        object.__setattr__(self, "start", pd.Timestamp(self.start))
        object.__setattr__(self, "y", frozen_array(self.y))
        if self.y.ndim != 1:
            raise SeriesError(self.series_id, "values must be one-dimensional")
        if not np.isfinite(self.y).all():
            first = int(np.flatnonzero(~np.isfinite(self.y))[0])
            raise SeriesError(self.series_id, f"missing or infinite value at {self.ds[first]}")
        regressors = {}
        for name, values in self.regressors.items():
            array = frozen_array(values)
            if len(array) < len(self.y) or not np.isfinite(array).all():
                raise SeriesError(
                    self.series_id, f"regressor {name!r} must cover the history without gaps"
                )
            regressors[name] = array
        object.__setattr__(self, "regressors", MappingProxyType(regressors))

    def __reduce__(self) -> tuple:
        # A mappingproxy cannot be pickled; rebuild from a plain dict in worker processes.
        return (Series, (self.series_id, self.start, self.y, self.freq, dict(self.regressors)))

    @property
    def season_length(self) -> int:
        return SEASON_LENGTH[self.freq]

    @property
    def non_negative(self) -> bool:
        """Whether the history never goes below zero (counts, sales): its forecasts do not."""
        return bool(self.y.min() >= 0)

    @property
    def ds(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=len(self.y), freq=PANDAS_FREQ[self.freq])

    def future_ds(self, horizon: int) -> pd.DatetimeIndex:
        step = pd.tseries.frequencies.to_offset(PANDAS_FREQ[self.freq])
        return pd.date_range(self.start + len(self.y) * step, periods=horizon, freq=step)

    def head(self, n: int) -> Series:
        """The first ``n`` values; regressors keep their later values as the known future."""
        return Series(self.series_id, self.start, self.y[:n], self.freq, self.regressors)

    def tail(self, n: int) -> Series:
        """The last ``n`` values (all when shorter), the start moved to match."""
        skip = max(0, len(self.y) - n)
        if skip == 0:
            return self
        start = self.ds[skip]
        regressors = {name: values[skip:] for name, values in self.regressors.items()}
        return Series(self.series_id, start, self.y[skip:], self.freq, regressors)

    def require_regressors(self, horizon: int) -> None:
        for name, values in self.regressors.items():
            if len(values) < len(self.y) + horizon:
                raise SeriesError(
                    self.series_id,
                    f"regressor {name!r} has {len(values) - len(self.y)} future values, "
                    f"the horizon needs {horizon}",
                )


@dataclass(frozen=True, eq=False)
class Forecast:
    """Point forecasts with an interval at ``level`` percent, for one series and model."""

    series_id: str
    model: str
    ds: pd.DatetimeIndex
    yhat: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: int = 80

    def __post_init__(self) -> None:
        for name in ("yhat", "lower", "upper"):
            array = frozen_array(getattr(self, name))
            if array.shape != (len(self.ds),):
                raise SeriesError(self.series_id, f"{self.model} {name} does not match the dates")
            object.__setattr__(self, name, array)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "series_id": self.series_id,
                "ds": self.ds,
                "yhat": self.yhat,
                "yhat_lower": self.lower,
                "yhat_upper": self.upper,
                "model": self.model,
            }
        )
