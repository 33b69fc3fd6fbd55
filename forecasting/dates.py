"""Timestamps as people write them: ISO, with a UTC offset, or day and month in either order.

``05/01/2024`` is the 5th of January in most of the world and the 1st of May in the US.
Read one date at a time, a file of day-first dates becomes a mix of both (the 13th onwards
cannot be a month), so the order is decided once for the whole file, by its values.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from forecasting.errors import InputFormatError
from forecasting.series import STEPS

# A time's UTC offset after its clock time: Z (or UTC, GMT), +08:00, -0530, or +11 as
# PostgreSQL writes whole hours.
OFFSET = (
    r"^(?P<clock>.*\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
    r"(?:(?P<utc>Z|UTC|GMT)|(?P<sign>[+-])(?P<hours>\d{2})(?::?(?P<minutes>\d{2}))?)$"
)
# 31/12/2024, 12.31.2024, 31-12-24, a time after it or not: day and month in either order.
NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(?!\d)"
ISO_HINT = "write them as YYYY-MM-DD or YYYY-MM-DD hh:mm"


def written(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each timestamp's clock time as text, its offset dropped, not converted (days, peaks
    and holidays stay where the data's own city has them), and that offset as a duration,
    NaT where none is written: one pass of ``OFFSET`` over the column."""
    text = raw.astype(str).str.strip()
    parts = text.str.extract(OFFSET)
    sign = parts["sign"].map({"+": 1.0, "-": -1.0})
    minutes = sign * (
        pd.to_numeric(parts["hours"]) * 60 + pd.to_numeric(parts["minutes"]).fillna(0)
    )
    minutes = minutes.where(parts["utc"].isna(), 0.0)
    shift = pd.Series(pd.NaT, index=raw.index, dtype="timedelta64[ns]")
    known = minutes.notna()
    shift[known] = pd.to_timedelta(minutes[known], unit="min")
    return parts["clock"].fillna(text), shift


def parse(raw: pd.Series, day_first: bool = False) -> pd.Series:
    """The clock times written (``written``), NaT where a value is no date."""
    return parse_clock(written(raw)[0], day_first)


def parse_clock(wall: pd.Series, day_first: bool = False) -> pd.Series:
    """Clock times as text, NaT where a value is no date.

    Read in the format of the first value where the others share it (a million rows in
    about two seconds); one value at a time, by dateutil, where they do not."""
    # pandas-stubs leave out this public helper (pandas 2.2 and later).
    from pandas.tseries.api import guess_datetime_format  # type: ignore[attr-defined]

    first = wall.iloc[0] if len(wall) else ""
    # Told to put the day first, the guess reads 2024-01-05 as year, day, month.
    numeric = re.match(NUMERIC_DATE, first) is not None
    known = guess_datetime_format(first, dayfirst=day_first and numeric) if first else None
    if known:
        parsed = pd.to_datetime(wall, errors="coerce", format=known)
        rest = parsed.isna() & (wall != "")
        if rest.any():
            parsed[rest] = pd.to_datetime(
                wall[rest], errors="coerce", format="mixed", dayfirst=day_first
            )
    else:
        parsed = pd.to_datetime(wall, errors="coerce", format="mixed", dayfirst=day_first)
    if not pd.api.types.is_datetime64_dtype(parsed):
        raise InputFormatError(
            f"timestamps such as {first!r} name a time zone that cannot be dropped "
            "from them; write the clock time, with an offset such as +08:00 if at all"
        )
    return parsed


def distinct_steps(ds: pd.Series) -> pd.Series:
    """The steps between consecutive distinct timestamps, unparsable ones left out."""
    return ds.dropna().drop_duplicates().sort_values().diff().dropna()


def on_days(ds: pd.Series) -> pd.Series:
    """Daily or weekly timestamps that all share one clock time (noon, 23:59:59: a day's
    total stamped when it was taken) as their days; others as written, for the grid check
    to name."""
    days = ds.dt.floor("D")
    return days if (ds - days).nunique() == 1 else ds


def regular_steps(ds: pd.Series) -> int:
    """How many steps between consecutive distinct timestamps are an hour, a day or a week."""
    return int(distinct_steps(ds).isin(list(STEPS.values())).sum())


def day_first(raw: pd.Series) -> bool:
    """Whether the file's numeric dates (``05/01/2024``) put the day first.

    A value over 12 says which field is the day; where none is, the order whose timestamps
    fall an hour, a day or a week apart more often is taken. A value that is no date either
    way, a file whose dates disagree, or one that no order makes more regular, is refused
    (``InputFormatError``).
    """
    text = raw.astype(str).reset_index(drop=True)
    fields = text.str.extract(NUMERIC_DATE).dropna()
    if fields.empty:
        return False
    first, second = fields[0].astype(int), fields[1].astype(int)
    neither = first.index[(first > 12) & (second > 12)]
    if len(neither):
        raise InputFormatError(
            f"{text[neither[0]]!r} is no date: a month cannot be over 12; {ISO_HINT}"
        )
    can_be_day_first, can_be_month_first = (second <= 12).all(), (first <= 12).all()
    if can_be_day_first != can_be_month_first:
        return bool(can_be_day_first)
    if not can_be_day_first:
        raise InputFormatError(
            f"dates {text[first.index[first > 12][0]]!r} and "
            f"{text[second.index[second > 12][0]]!r} put the day in different places; "
            f"{ISO_HINT}"
        )
    by_day, by_month = regular_steps(parse(raw, True)), regular_steps(parse(raw, False))
    if by_day == by_month:
        raise InputFormatError(
            f"dates such as {text[fields.index[0]]!r} could be day-first or month-first and "
            f"the file does not tell which; {ISO_HINT}"
        )
    return by_day > by_month


def clock_changes(ds: pd.Series, shift: pd.Series, y: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Hourly clock times over a change of the clocks, told by the offsets written.

    When the clocks go back an hour is written twice (02:00+02:00, then 02:00+01:00): the
    two rows become one, their mean, so the hour is as busy as a usual one. When they go
    forward an hour is never written (01:00+01:00, then 03:00+02:00): it gets the mean of
    its neighbours, not a gap. Without an offset on every row nothing can tell a clock
    change from a mistake, and the rows are left as they are for the checks to name.
    ``shift`` holds each row's offset (``written``).
    """
    if shift.isna().any() or shift.nunique() < 2:
        return ds, y
    frame = pd.DataFrame({"ds": ds, "utc": ds - shift, "y": y}).sort_values("utc")
    hour = pd.Timedelta(hours=1)
    skipped = frame[(frame["utc"].diff() == hour) & (frame["ds"].diff() == 2 * hour)]
    filled = pd.DataFrame(
        {
            "ds": skipped["ds"] - hour,
            "utc": skipped["utc"],
            "y": (skipped["y"].to_numpy() + frame["y"].shift().loc[skipped.index].to_numpy()) / 2,
        }
    )
    repeated = frame["ds"].duplicated(keep=False) & ~frame["utc"].duplicated(keep=False)
    merged = frame[repeated].groupby("ds", as_index=False)["y"].mean()
    result = pd.concat([frame[~repeated], merged, filled]).sort_values("ds")
    return result["ds"].reset_index(drop=True), result["y"].to_numpy(float)


def shown(stamp: pd.Timestamp, days: bool) -> str:
    """A timestamp as a person reads it in a message: the date alone where the rows are
    ``days`` (a daily or weekly file's), else hours and minutes (seconds where not zero): an
    hourly file's midnight shown as a date would read as a whole day."""
    if days and stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    if stamp.second == 0 and stamp.microsecond == 0:
        return stamp.strftime("%Y-%m-%d %H:%M")
    return str(stamp)
