"""M4 readers (Hourly, Weekly): the wide train/test files as series with synthetic timestamps.

The files carry no dates, so every series starts at ``M4_START``; no holidays apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.series import Freq, Series

M4_START = pd.Timestamp("2020-01-01 00:00")
M4_HORIZON = 48
M4_WEEKLY_HORIZON = 13


@dataclass(frozen=True, eq=False)
class M4Case:
    series: Series
    actual: np.ndarray


def read_wide(path: Path) -> dict[str, np.ndarray]:
    table = pd.read_csv(path, index_col=0)
    return {str(key): row.dropna().to_numpy(float) for key, row in table.iterrows()}


def load_m4(folder: Path, name: str, freq: Freq, limit: int | None = None) -> list[M4Case]:
    """The first ``limit`` series of ``{name}-train.csv`` in the files' order."""
    train = read_wide(folder / f"{name}-train.csv")
    test = read_wide(folder / f"{name}-test.csv")
    ids = list(train)[:limit]
    return [M4Case(Series(key, M4_START, train[key], freq), test[key]) for key in ids]


def load_m4_hourly(folder: Path, limit: int | None = None) -> list[M4Case]:
    """The first ``limit`` series (all 414 by default) in the files' order, H1 first."""
    return load_m4(folder, "Hourly", "h", limit)


def load_m4_weekly(folder: Path, limit: int | None = None) -> list[M4Case]:
    """The first ``limit`` series (all 359 by default), W1 first, a week apart."""
    return load_m4(folder, "Weekly", "w", limit)
