"""Reading timestamps as people write them: day and month in the order the file's values
show, decided once for the whole file, and refused where the file cannot tell."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.dates import day_first, parse
from forecasting.errors import InputFormatError


def days(start: str, periods: int, fmt: str, freq: str = "D") -> pd.Series:
    return pd.Series(pd.date_range(start, periods=periods, freq=freq).strftime(fmt))


def test_day_first_dates_are_read_day_first_on_every_row() -> None:
    """05/01/2024 is the 5th of January in a file where 13/01/2024 follows: every row is
    read so, not only those whose day is over 12."""
    raw = days("2024-01-01", 40, "%d/%m/%Y")
    assert day_first(raw)
    parsed = parse(raw, day_first(raw))
    assert list(parsed) == list(pd.date_range("2024-01-01", periods=40, freq="D"))


@pytest.mark.parametrize("fmt", ["%m/%d/%Y", "%m-%d-%y %H:%M", "%Y-%m-%d", "%Y/%m/%d"])
def test_month_first_and_year_first_dates_keep_their_order(fmt: str) -> None:
    """US dates (with a time, two-digit years) and ISO dates are read as written."""
    raw = days("2024-01-01", 40, fmt)
    assert not day_first(raw)
    assert parse(raw, day_first(raw)).iloc[-1] == pd.Timestamp("2024-02-09")


def test_dotted_day_first_dates_with_times_and_offsets() -> None:
    """31.12.2024 23:00+01:00: day first, the offset dropped from the clock time."""
    raw = days("2024-12-30 20:00", 30, "%d.%m.%Y %H:%M+01:00", "h")
    assert day_first(raw)
    assert parse(raw, True).iloc[28] == pd.Timestamp("2025-01-01 00:00")


def test_dates_that_disagree_are_refused_naming_both() -> None:
    """13/01/2024 and 01/13/2024 in one file: no order reads both."""
    raw = days("2024-01-01", 20, "%d/%m/%Y")
    raw.iloc[3] = "01/13/2024"
    with pytest.raises(InputFormatError, match=r"'13/01/2024' and '01/13/2024'.*YYYY-MM-DD"):
        day_first(raw)


def test_without_a_day_over_12_the_regular_order_is_taken() -> None:
    """Five days of hours, 01/02 to 05/02: read day first they are an hour apart throughout;
    month first, the days would be a month apart."""
    raw = days("2024-02-01", 5 * 24, "%d/%m/%Y %H:%M", "h")
    assert day_first(raw)
    assert parse(raw, True).diff().dropna().eq(pd.Timedelta(hours=1)).all()


def test_a_file_that_cannot_tell_is_refused() -> None:
    """01/02/2024 and 02/01/2024 alone are as regular in either order."""
    with pytest.raises(InputFormatError, match="day-first or month-first"):
        day_first(pd.Series(["01/02/2024", "02/01/2024"]))
