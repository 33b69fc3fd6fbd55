"""Timestamps as people write them: ISO, with a UTC offset, or day and month in either order.

``05/01/2024`` is the 5th of January in most of the world and the 1st of May in the US.
Read one date at a time, a file of day-first dates becomes a mix of both (the 13th onwards
cannot be a month), so the order is decided once for the whole file, by its values.
"""

from __future__ import annotations

import pandas as pd

from forecasting.errors import InputFormatError
from forecasting.series import STEPS

# A time's UTC offset (``+08:00``, ``Z``) after its clock time.
OFFSET = r"^(.*\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}:?\d{2})$"
# 31/12/2024, 12.31.2024, 31-12-24, a time after it or not: day and month in either order.
NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(?!\d)"
ISO_HINT = "write them as YYYY-MM-DD"


def wall_clock(raw: pd.Series) -> pd.Series:
    """The timestamps as text, an offset dropped, not converted: days, peaks and holidays
    stay where the data's own city has them."""
    return raw.astype(str).str.strip().str.replace(OFFSET, r"\1", regex=True)


def parse(raw: pd.Series, day_first: bool = False) -> pd.Series:
    """The clock times written, NaT where a value is no date."""
    return pd.to_datetime(wall_clock(raw), errors="coerce", format="mixed", dayfirst=day_first)


def regular_steps(ds: pd.Series) -> int:
    """How many steps between consecutive distinct timestamps are an hour, a day or a week."""
    steps = ds.dropna().drop_duplicates().sort_values().diff().dropna()
    return int(steps.isin(list(STEPS.values())).sum())


def day_first(raw: pd.Series) -> bool:
    """Whether the file's numeric dates (``05/01/2024``) put the day first.

    A value over 12 says which field is the day; where none is, the order whose timestamps
    fall an hour, a day or a week apart more often is taken. A file whose dates disagree,
    or that no order makes more regular, is refused (``InputFormatError``).
    """
    text = raw.astype(str)
    fields = text.str.extract(NUMERIC_DATE).dropna()
    if fields.empty:
        return False
    first, second = fields[0].astype(int), fields[1].astype(int)
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
