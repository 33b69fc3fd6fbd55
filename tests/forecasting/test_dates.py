"""Reading timestamps as people write them: day and month in the order the file's values
show, decided once for the whole file, and refused where the file cannot tell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.dates import clock_changes, day_first, parse, shown, written
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


def berlin_hours(start: str, hours: int) -> pd.Series:
    """Hourly clock times in Berlin with their offsets, as an export writes them."""
    stamps = pd.date_range(start, periods=hours, freq="h", tz="Europe/Berlin")
    return pd.Series(stamps.strftime("%Y-%m-%dT%H:%M:%S%z")).str.replace(
        r"(\d\d)(\d\d)$", r"\1:\2", regex=True
    )


def test_offsets_are_read_as_durations() -> None:
    """+08:00, -0530, Z and none: 8 hours, minus 5.5 hours, zero and NaT."""
    raw = pd.Series(["2024-01-01T00:00+08:00", "2024-01-01 00:00-0530", "2024-01-01T00:00Z", "x"])
    found = written(raw)[1]
    assert list(found[:3]) == [pd.Timedelta(hours=8), pd.Timedelta(hours=-5.5), pd.Timedelta(0)]
    assert pd.isna(found[3])


def test_the_hour_written_twice_when_clocks_go_back_is_one_mean_hour() -> None:
    """02:00+02:00 then 02:00+01:00 (27 October 2024): one 02:00 with the mean of both."""
    raw = berlin_hours("2024-10-26 22:00", 8)
    y = np.arange(8, dtype=float)
    ds, values = clock_changes(parse(raw), written(raw)[1], y)
    assert ds.is_unique and len(ds) == 7
    assert values[list(ds).index(pd.Timestamp("2024-10-27 02:00"))] == (4 + 5) / 2


def test_the_hour_skipped_when_clocks_go_forward_is_the_mean_of_its_neighbours() -> None:
    """01:00+01:00 then 03:00+02:00 (31 March 2024): a 02:00 between them, not a gap."""
    raw = berlin_hours("2024-03-30 22:00", 8)
    y = np.arange(8, dtype=float)
    ds, values = clock_changes(parse(raw), written(raw)[1], y)
    assert list(ds) == list(pd.date_range("2024-03-30 22:00", periods=9, freq="h"))
    assert values[4] == (3 + 4) / 2 and values[5] == 4


def test_without_offsets_or_a_change_of_them_nothing_is_merged() -> None:
    """A repeated clock time without offsets, or with the same offset, stays for the grid
    check to refuse: nothing tells it from a mistake."""
    raw = pd.Series(["2024-10-27 02:00", "2024-10-27 02:00", "2024-10-27 03:00"])
    ds, values = clock_changes(parse(raw), written(raw)[1], np.array([1.0, 2.0, 3.0]))
    assert len(ds) == 3 and list(values) == [1.0, 2.0, 3.0]
    same = raw + "+01:00"
    assert len(clock_changes(parse(same), written(same)[1], np.array([1.0, 2.0, 3.0]))[0]) == 3


def test_whole_hour_offsets_as_postgresql_writes_them() -> None:
    """2024-04-07 02:00:00+11 then 02:00:00+10 (Sydney's clocks going back): the offsets
    are read, stripped from the clock time, and the repeated hour is one."""
    clocks = ["01:00:00+11", "02:00:00+11", "02:00:00+10", "03:00:00+10"]
    raw = pd.Series([f"2024-04-07 {clock}" for clock in clocks])
    assert list(written(raw)[1]) == [pd.Timedelta(hours=11)] * 2 + [pd.Timedelta(hours=10)] * 2
    ds, values = clock_changes(parse(raw), written(raw)[1], np.array([1.0, 2.0, 4.0, 5.0]))
    assert list(ds.dt.hour) == [1, 2, 3] and list(values) == [1.0, 3.0, 5.0]


def test_a_value_that_is_no_date_either_way_is_named() -> None:
    """13/13/2024 has no month: it is named as no date, not as a clash of orders."""
    raw = pd.Series(["12/01/2024", "13/13/2024"], index=[7, 7])
    with pytest.raises(InputFormatError, match=r"'13/13/2024' is no date: a month cannot be"):
        day_first(raw)


def test_iso_dates_among_day_first_ones_keep_their_order() -> None:
    """2024-01-05 in a day-first file is still the 5th of January."""
    raw = pd.Series(["2024-01-05", "13/01/2024", "2024-01-14 10:00"])
    assert day_first(raw)
    parsed = parse(raw, True)
    assert list(parsed.dt.day) == [5, 13, 14] and set(parsed.dt.month) == {1}


def test_a_timestamp_in_a_message_is_shown_as_the_file_would_write_it() -> None:
    """A day's midnight is its date alone where the rows are days; an hourly file's
    midnight stays an hour (a date would read as the whole day); no zero seconds, and a
    time with seconds keeps them."""
    assert shown(pd.Timestamp("2024-01-02"), days=True) == "2024-01-02"
    assert shown(pd.Timestamp("2024-01-02"), days=False) == "2024-01-02 00:00"
    assert shown(pd.Timestamp("2024-01-02 05:00"), days=False) == "2024-01-02 05:00"
    assert shown(pd.Timestamp("2024-01-02 05:00:30"), days=False) == "2024-01-02 05:00:30"
