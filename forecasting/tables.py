"""Long tables (``series_id,ds,y`` or ``ds,y``) checked and turned into series.

Every problem is reported with the series it belongs to and the reason, so a person can
fix the file without reading code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.errors import InputFormatError, SeriesError
from forecasting.series import PANDAS_FREQ, SEASON_LENGTH, Freq, Series

SINGLE_SERIES_ID = "series"


class InvalidSeriesError(InputFormatError):
    """One or more series in a table are unusable; ``errors`` holds one per series."""

    def __init__(self, errors: list[SeriesError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def parse_dates(series_id: str, raw: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(raw, errors="coerce", utc=True, format="mixed")
    bad = parsed.isna()
    if bad.any():
        first = raw[bad].iloc[0]
        raise SeriesError(series_id, f"unparsable date {first!r} ({int(bad.sum())} rows)")
    return parsed.dt.tz_localize(None)


def parse_values(series_id: str, raw: pd.Series, ds: pd.Series) -> np.ndarray:
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() | ~np.isfinite(values.astype(float))
    if bad.any():
        first = raw[bad].iloc[0]
        what = (
            "missing value"
            if pd.isna(first) or str(first).strip() == ""
            else f"non-numeric value {first!r}"
        )
        raise SeriesError(series_id, f"{what} at {ds[bad].iloc[0]} ({int(bad.sum())} rows)")
    return values.to_numpy(float)


def check_grid(series_id: str, ds: pd.Series, freq: Freq) -> None:
    """The timestamps must be unique and on a regular grid with no holes."""
    duplicated = ds[ds.duplicated()]
    if len(duplicated):
        raise SeriesError(
            series_id, f"duplicated timestamp {duplicated.iloc[0]} ({len(duplicated)} repeats)"
        )
    step = PANDAS_FREQ[freq]
    off_grid = ds[ds != ds.dt.floor(step)]
    if len(off_grid):
        unit = "hour" if freq == "h" else "day"
        raise SeriesError(series_id, f"timestamp {off_grid.iloc[0]} is not on the {unit}")
    expected = pd.date_range(ds.min(), ds.max(), freq=step)
    if len(expected) != len(ds):
        missing = expected.difference(pd.DatetimeIndex(ds))
        raise SeriesError(
            series_id, f"{len(missing)} missing timestamps, the first at {missing[0]}"
        )


def to_series(series_id: str, rows: pd.DataFrame, freq: Freq, min_length: int) -> Series:
    ds = parse_dates(series_id, rows["ds"].reset_index(drop=True))
    y = parse_values(series_id, rows["y"].reset_index(drop=True), ds)
    check_grid(series_id, ds, freq)
    order = np.argsort(ds.to_numpy())
    ds, y = ds.iloc[order].reset_index(drop=True), y[order]
    if len(y) < min_length:
        raise SeriesError(
            series_id, f"too little history: {len(y)} values, need at least {min_length}"
        )
    if np.ptp(y) == 0:
        raise SeriesError(series_id, f"constant values ({y[0]:g}) cannot be forecast")
    return Series(series_id, ds.iloc[0], y, freq)


def series_from_table(
    table: pd.DataFrame, freq: Freq, min_length: int | None = None
) -> list[Series]:
    """Every series of the table, or ``InvalidSeriesError`` listing each bad one."""
    missing = [column for column in ("ds", "y") if column not in table.columns]
    if missing:
        raise InputFormatError(
            f"missing column(s) {', '.join(missing)}: the file needs series_id,ds,y or ds,y "
            f"(it has {', '.join(map(str, table.columns)) or 'no columns'})"
        )
    if table.empty:
        raise InputFormatError("the file has a header but no rows")
    if "series_id" not in table.columns:
        table = table.assign(series_id=SINGLE_SERIES_ID)
    needed = min_length if min_length is not None else 2 * SEASON_LENGTH[freq]
    result, errors = [], []
    for series_id, rows in table.groupby(table["series_id"].astype(str), sort=False):
        try:
            result.append(to_series(str(series_id), rows, freq, needed))
        except SeriesError as error:
            errors.append(error)
    if errors:
        raise InvalidSeriesError(errors)
    return result
