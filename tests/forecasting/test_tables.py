"""Reading long tables into series: each bad input is refused with its series and reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import InputFormatError
from forecasting.series import Series
from forecasting.tables import (
    FILL_HINT,
    InvalidSeriesError,
    check_horizon,
    infer_freq,
    number_commas,
    series_from_table,
)


def hourly(series_id: str, hours: int = 72, start: str = "2026-03-02") -> pd.DataFrame:
    ds = pd.date_range(start, periods=hours, freq="h")
    y = 10 + 5 * np.sin(np.arange(hours) * 2 * np.pi / 24)
    return pd.DataFrame({"series_id": series_id, "ds": ds.astype(str), "y": y.astype(str)})


def regular(series_id: str, periods: int, step: str, start: str = "2026-03-02") -> pd.DataFrame:
    """A series of ``periods`` varying values every ``step`` (a pandas frequency)."""
    ds = pd.date_range(start, periods=periods, freq=step)
    y = 10 + np.arange(periods) % 5
    return pd.DataFrame({"series_id": series_id, "ds": ds.astype(str), "y": y.astype(str)})


def refused(table: pd.DataFrame, freq: str = "h", fill: str = "none") -> str:
    with pytest.raises(InvalidSeriesError) as caught:
        series_from_table(table, freq, fill=fill)
    return str(caught.value)


def test_a_good_table_gives_one_series_per_id_in_time_order() -> None:
    """Rows may come in any order; each id becomes a regular series sorted by time."""
    table = pd.concat([hourly("a"), hourly("b")]).sample(frac=1.0, random_state=1)
    series = {s.series_id: s for s in series_from_table(table, "h")}
    assert sorted(series) == ["a", "b"]
    assert series["a"].start == pd.Timestamp("2026-03-02") and len(series["a"].y) == 72
    assert np.all(np.diff(series["a"].ds.asi8) > 0)


def test_ids_padded_with_spaces_are_the_same_series() -> None:
    """'store1 ' (a database's padded CHAR column) and 'store1' are one series, named
    without the spaces."""
    table = hourly("store1")
    table.loc[table.index % 10 == 0, "series_id"] = "store1 "
    [series] = series_from_table(table, "h")
    assert series.series_id == "store1" and len(series.y) == 72


def test_an_empty_id_is_refused_naming_its_row() -> None:
    """A row without a series id belongs to no series: refused, counting such rows and
    naming the first by its row and date."""
    table = pd.concat([hourly("a"), hourly("b")], ignore_index=True)
    table.loc[[80, 90], "series_id"] = ["", "  "]
    with pytest.raises(InputFormatError) as caught:
        series_from_table(table, "h")
    assert str(caught.value) == (
        "the series id is empty on 2 rows, the first on data row 81 "
        f"(ds {table['ds'].iloc[80]!r}): name the series of every row"
    )


def test_a_table_without_series_id_is_one_series() -> None:
    """Only ds,y: the single series is called 'series'."""
    [series] = series_from_table(hourly("x").drop(columns="series_id"), "h")
    assert series.series_id == "series"


def test_timestamps_keep_the_clock_time_written_whatever_their_offset() -> None:
    """An offset (+08:00, Z) is dropped, not converted: the series is on the data's own
    local clock, so its days and holidays fall where its city has them."""
    table = hourly("a")
    table["ds"] = pd.date_range("2026-03-02 08:00", periods=72, freq="h", tz="Asia/Shanghai")
    table["ds"] = table["ds"].astype(str)
    [series] = series_from_table(table, "h")
    assert series.start == pd.Timestamp("2026-03-02 08:00")
    table["ds"] = pd.date_range("2026-03-02 08:00", periods=72, freq="h").strftime("%FT%H:%MZ")
    [series] = series_from_table(table, "h")
    assert series.start == pd.Timestamp("2026-03-02 08:00") and len(series.y) == 72


def test_missing_columns_are_named() -> None:
    """A table without y says which column is missing and what the file needs."""
    with pytest.raises(InputFormatError, match=r"missing column.*y.*series_id,ds,y"):
        series_from_table(hourly("a").drop(columns="y"), "h")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda t: t.assign(ds=t["ds"].mask(t.index == 5, "yesterday")),
            "unparsable date 'yesterday'",
        ),
        (lambda t: t.assign(y=t["y"].mask(t.index == 7, "many")), "non-numeric y value 'many'"),
        (
            lambda t: t.assign(y=t["y"].mask(t.index == 7, "")),
            "missing y value at 2026-03-02 07:00",
        ),
        (lambda t: pd.concat([t, t.iloc[[3]]]), "duplicated timestamp 2026-03-02 03:00"),
        (lambda t: t.drop(index=[10, 11]), "2 missing timestamps, the first at 2026-03-02 10:00"),
        (lambda t: t.iloc[:20], "too little history: 20 values, need at least 24"),
        (lambda t: t.assign(ds=t["ds"].mask(t.index == 2, "2026-03-02 02:30")), "not on the hour"),
    ],
)
def test_each_bad_series_is_refused_with_its_reason(change, reason: str) -> None:
    """Bad dates, values, duplicates, gaps and short histories name the series."""
    message = refused(pd.concat([hourly("good"), change(hourly("bad").reset_index(drop=True))]))
    assert "series 'bad'" in message and reason in message
    assert "good" not in message


def test_every_bad_series_is_reported_at_once() -> None:
    """Two bad series give two lines, so one pass over the file finds all the problems."""
    table = pd.concat([hourly("a").iloc[:10], hourly("b").assign(y="x")])
    with pytest.raises(InvalidSeriesError) as caught:
        series_from_table(table, "h")
    assert [e.series_id for e in caught.value.errors] == ["a", "b"]


def test_daily_series_need_a_week() -> None:
    """Daily data is checked on a daily grid and needs a week: ten days are read, five
    refused."""
    ds = pd.date_range("2026-01-01", periods=10, freq="D").astype(str)
    table = pd.DataFrame({"ds": ds, "y": [str(v) for v in range(10)]})
    assert len(series_from_table(table, "d")[0].y) == 10
    assert "need at least 7" in refused(table.head(5), "d")


@pytest.mark.parametrize(("step", "freq"), [("h", "h"), ("D", "d"), ("7D", "w"), ("W-MON", "w")])
def test_the_frequency_is_inferred_from_the_most_common_step(step: str, freq: str) -> None:
    """1 hour apart is hourly, 1 day daily, 7 days (whatever the weekday) weekly."""
    table = pd.concat([regular("a", 20, step), regular("b", 30, step, start="2026-05-04")])
    assert infer_freq(table) == freq


def test_inference_takes_the_most_common_step_over_gaps_and_series() -> None:
    """Holes, shuffled rows, duplicates and a bad date do not change the most common step."""
    gappy = regular("a", 40, "D").drop(index=[3, 4, 5, 20]).sample(frac=1.0, random_state=2)
    table = pd.concat([gappy, gappy.iloc[:3], regular("b", 10, "D")])
    table.iloc[0, table.columns.get_loc("ds")] = "not a date"
    assert infer_freq(table) == "d"
    assert infer_freq(regular("x", 30, "h").drop(columns="series_id")) == "h"


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        (regular("a", 20, "2D"), "most often 2 days apart"),
        (pd.concat([regular("a", 1, "h"), regular("b", 1, "h")]), "no series has two distinct"),
    ],
)
def test_an_unknown_step_asks_for_freq(table: pd.DataFrame, reason: str) -> None:
    """A step that is not 1 hour, 1 day or 7 days is named, and --freq is asked for."""
    with pytest.raises(InputFormatError, match="pass --freq h, d or w") as caught:
        infer_freq(table)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        ("MS", "most often 31 days apart: monthly data, and only hourly, daily and weekly"),
        ("ME", "most often 31 days apart: monthly data"),
        ("QS", "quarterly data, and only hourly, daily and weekly series are forecast"),
        ("YS", "yearly data, and only hourly, daily and weekly series are forecast"),
        ("28D", "four-weekly data, and only hourly, daily and weekly series are forecast"),
        ("30min", "most often 30 minutes apart: add them up to hourly values first"),
    ],
)
def test_steps_no_frequency_fits_are_refused_without_a_freq_to_try(step: str, reason) -> None:
    """Month starts or ends, quarters and years are named as what they are, and sub-hourly
    times are to be added up: no --freq is offered, since none would read them."""
    with pytest.raises(InputFormatError) as caught:
        infer_freq(regular("a", 48, step))
    assert reason in str(caught.value) and "--freq" not in str(caught.value)


@pytest.mark.parametrize("freq", ["d", "w", "h"])
def test_monthly_data_read_at_a_finer_freq_is_refused_not_filled(freq: str) -> None:
    """Month starts read with --freq d (the hint of old) would be filled with 29 made-up
    days a month; even with --fill zero they are refused as monthly. A daily series
    with a few holes is still read and filled."""
    monthly = regular("a", 48, "MS")
    assert "timestamps are 31 days apart" in refused(monthly, freq, fill="zero")
    assert "monthly data, and only hourly, daily and weekly" in refused(monthly, freq)
    # Seven months missing of 48, and quarters converted from Berlin's midnights to UTC.
    holes = monthly.drop(index=[3, 9, 10, 17, 25, 26, 40])
    assert "monthly data" in refused(holes, freq, fill="zero")
    quarters = pd.date_range("2015-01-01", periods=30, freq="QS", tz="Europe/Berlin")
    utc = pd.DataFrame(
        {"series_id": "q", "ds": quarters.tz_convert("UTC").strftime("%Y-%m-%d %H:%M"), "y": "5"}
    )
    assert "quarterly data" in refused(utc, freq, fill="zero")
    daily = regular("b", 60, "D").drop(index=[10, 11, 30])
    [series] = series_from_table(daily, "d", fill="zero")
    assert len(series.y) == 60 and series.y[10] == 0


def test_days_converted_to_utc_are_named_as_such() -> None:
    """Berlin's midnights written in UTC fall at 23:00 in winter and 22:00 in summer: the
    refusal says they look converted from another time zone."""
    ds = pd.date_range("2024-03-01", periods=60, freq="D", tz="Europe/Berlin").tz_convert("UTC")
    table = pd.DataFrame({"ds": ds.strftime("%Y-%m-%d %H:%M:%S%z"), "y": "10"})
    assert refused(table.assign(series_id="a"), "d") == (
        "series 'a': timestamp 2024-02-29 23:00 is not on the day; every timestamp is at "
        "22:00 or 23:00, as a day's midnight converted to another time zone is: write each "
        "day's own date"
    )


def test_the_hour_a_clock_skipped_is_named_as_such() -> None:
    """Local times written without offsets skip 02:00 on the last Sunday of March in
    Berlin: the missing hour's refusal says the clocks may have gone forward, for one
    spring or two; a missing hour on a weekday does not."""
    table = regular("a", 24 * 14, "h", start="2024-03-25")
    skipped = table[table["ds"] != "2024-03-31 02:00:00"]
    assert refused(skipped).endswith(
        "the first at 2024-03-31 02:00 (--fill zero or --fill interpolate fills them); "
        "if the clocks went forward then, write each time's UTC offset"
    )
    weekday = table[table["ds"] != "2024-03-27 02:00:00"]
    assert "clocks" not in refused(weekday)
    two_springs = regular("a", 24 * 372, "h", start="2024-03-25")
    skipped = ["2024-03-31 02:00:00", "2025-03-30 02:00:00"]
    message = refused(two_springs[~two_springs["ds"].isin(skipped)])
    assert "2 missing timestamps" in message and "clocks went forward" in message


def test_inference_checks_the_columns_first() -> None:
    """A table without ds says what the file needs, as reading it would."""
    with pytest.raises(InputFormatError) as caught:
        infer_freq(regular("a", 5, "h").drop(columns="ds"))
    assert "missing column(s) ds: the file needs series_id,ds,y" in str(caught.value)


@pytest.mark.parametrize(
    ("step", "freq", "reason"),
    [
        ("D", "h", "timestamps are 1 day apart, not 1 hour: use --freq d"),
        ("h", "d", "timestamps are 1 hour apart, not 1 day: use --freq h"),
        ("7D", "d", "timestamps are 7 days apart, not 1 day: use --freq w"),
        ("D", "w", "timestamps are 1 day apart, not 7 days: use --freq d"),
        ("30min", "h", "timestamps are 30 minutes apart, not 1 hour: add them up to hourly"),
    ],
)
def test_a_freq_the_timestamps_contradict_is_named(step: str, freq: str, reason: str) -> None:
    """Data of another frequency is named as such, not as thousands of missing timestamps."""
    message = refused(regular("x", 120, step), freq)
    assert f"series 'x': {reason}" in message and "missing timestamps" not in message


def test_a_file_that_mixes_frequencies_sends_each_series_to_a_file_of_its_frequency() -> None:
    """Beside series of the frequency asked, "use --freq d" would only turn the error onto
    them: the daily series is told to go in a file of daily series. A file whose series are all
    of one other frequency keeps the plain advice."""
    mixed = pd.concat([regular("daily", 120, "D"), regular("hourly", 120, "h")])
    assert (
        "series 'daily': timestamps are 1 day apart, not 1 hour, as the file's other series "
        "are: forecast it from a file of daily series with --freq d"
    ) in refused(mixed, "h")
    # Asked for weeks, neither fits: each is sent to a file of its frequency, no other
    # series claimed to be weekly.
    message = refused(mixed, "w")
    assert "not 7 days: forecast it from a file of daily series with --freq d" in message
    assert "not 7 days: forecast it from a file of hourly series with --freq h" in message
    daily = pd.concat([regular("daily", 120, "D"), regular("daily-too", 120, "D")])
    message = refused(daily, "h")
    assert "series 'daily-too': timestamps are 1 day apart, not 1 hour: use --freq d" in message
    assert "from a file of" not in message


def test_a_regular_series_with_holes_is_not_another_frequency() -> None:
    """Hourly data missing every other hour is reported as missing hours, with the hint."""
    message = refused(regular("x", 120, "2h"), "h")
    assert "119 missing timestamps" in message and FILL_HINT in message


def test_weekly_series_are_seven_days_apart_on_any_weekday() -> None:
    """Weeks starting on a Monday are read; a date off the weekly grid is named."""
    [series] = series_from_table(regular("a", 110, "W-MON"), "w")
    assert series.start == pd.Timestamp("2026-03-02") and len(series.y) == 110
    table = regular("a", 110, "W-MON")
    table.loc[50, "ds"] = "2027-02-16"
    assert "not a whole number of weeks after the first" in refused(table, "w")


def test_gaps_are_refused_with_the_fill_hint() -> None:
    """Without --fill, missing timestamps and empty values say how --fill fills them."""
    gaps = refused(hourly("a").drop(index=[10, 11]))
    assert "2 missing timestamps, the first at 2026-03-02 10:00" in gaps and FILL_HINT in gaps
    empty = refused(hourly("a").assign(y=lambda t: t["y"].mask(t.index == 7, "")))
    assert "missing y value at 2026-03-02 07:00" in empty and FILL_HINT in empty


def test_fill_zero_puts_zero_in_every_gap() -> None:
    """Missing hours and empty values become 0; the rest keep their values."""
    table = hourly("a").drop(index=[10, 11])
    table.loc[20, "y"] = ""
    [series] = series_from_table(table, "h", fill="zero")
    expected = 10 + 5 * np.sin(np.arange(72) * 2 * np.pi / 24)
    expected[[10, 11, 20]] = 0.0
    assert len(series.y) == 72 and np.allclose(series.y, expected)


def test_fill_interpolate_draws_a_line_in_time() -> None:
    """Gaps take the straight line between their neighbours; an empty end the nearest value."""
    ds = pd.date_range("2026-01-01", periods=20, freq="D")
    y = [str(float(v)) for v in range(20)]
    table = pd.DataFrame({"ds": ds.astype(str), "y": y}).drop(index=[5, 6, 7])
    table.loc[12, "y"], table.loc[19, "y"] = "", ""
    [series] = series_from_table(table, "d", fill="interpolate")
    assert np.allclose(series.y, [*range(19), 18])


def test_fill_interpolate_needs_a_value() -> None:
    """A series whose values are all empty has nothing to draw the line from."""
    assert "every value is missing" in refused(hourly("a").assign(y=""), fill="interpolate")


def test_non_numeric_values_are_refused_whatever_the_fill() -> None:
    """--fill fills empty values only: a word in y is still an error."""
    table = hourly("a").assign(y=lambda t: t["y"].mask(t.index == 3, "many"))
    assert "non-numeric y value 'many'" in refused(table, fill="zero")


def series_of(length: int, series_id: str = "x") -> Series:
    return Series(series_id, pd.Timestamp("2026-01-01"), np.arange(length) % 7, "h")


def test_a_horizon_longer_than_a_history_is_refused() -> None:
    """Each series shorter than the horizon is named with its length."""
    with pytest.raises(InvalidSeriesError) as caught:
        check_horizon([series_of(300, "x"), series_of(600, "y"), series_of(400, "z")], 500)
    assert [str(e) for e in caught.value.errors] == [
        "series 'x': --horizon 500 is longer than its 300 values of history",
        "series 'z': --horizon 500 is longer than its 400 values of history",
    ]


def test_a_horizon_past_a_third_of_the_shortest_history_warns() -> None:
    """Past a third of the shortest history: one warning naming that series."""
    warning = check_horizon([series_of(900, "long"), series_of(480, "x")], 200)
    assert warning == (
        "series 'x': --horizon 200 is more than a third of its 480 values; "
        "the far end is little more than the seasonal shape"
    )
    assert check_horizon([series_of(900, "long"), series_of(480, "x")], 160) is None


def test_weekly_series_need_four_weeks_not_two_years() -> None:
    """Twenty weeks are enough for a weekly series, and so are four; three are refused."""
    ds = pd.date_range("2025-01-05", periods=20, freq="7D").astype(str)
    table = pd.DataFrame({"ds": ds, "y": [str(v % 7) for v in range(20)]})
    assert len(series_from_table(table, "w")[0].y) == 20
    assert len(series_from_table(table.head(4), "w")[0].y) == 4
    assert "need at least 4" in refused(table.head(3), "w")


def test_day_first_dates_give_one_daily_series_without_gaps() -> None:
    """A file of dd/mm/yyyy dates is inferred daily and read without a gap; one date read
    month first would have scattered the rows over the year."""
    table = regular("a", 40, "D", start="2024-01-01")
    table["ds"] = pd.to_datetime(table["ds"]).dt.strftime("%d/%m/%Y")
    assert infer_freq(table) == "d"
    [series] = series_from_table(table, "d")
    assert series.start == pd.Timestamp("2024-01-01") and len(series.y) == 40


def test_a_year_of_local_hours_with_offsets_reads_over_both_clock_changes() -> None:
    """Berlin's hours from March to November with their offsets: one regular series, the
    skipped spring hour and the repeated autumn hour taken care of, no --fill needed; the
    same clock times without offsets are refused, the repeat named with a hint."""
    stamps = pd.date_range("2024-03-25", "2024-11-05", freq="h", tz="Europe/Berlin")
    table = pd.DataFrame(
        {
            "ds": stamps.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "y": (10 + np.arange(len(stamps)) % 24).astype(str),
        }
    )
    [series] = series_from_table(table, "h")
    hours = pd.date_range("2024-03-25", "2024-11-05", freq="h")
    assert len(series.y) == len(hours)
    value = dict(zip(hours, series.y, strict=True))
    # In UTC the rows run 10, 11, ... 33: 01:00 and 03:00 on 31 March are 11 and 12 rows.
    spring = [value[pd.Timestamp(f"2024-03-31 0{h}:00")] for h in (1, 2, 3)]
    assert spring[1] == (spring[0] + spring[2]) / 2
    autumn = table[table["ds"].str.startswith("2024-10-27T02")]["y"].astype(float)
    assert len(autumn) == 2 and value[pd.Timestamp("2024-10-27 02:00")] == autumn.mean()
    table["ds"] = stamps.strftime("%Y-%m-%d %H:%M")
    assert "2024-10-27 02:00 (1 repeat); if the clocks went back then" in refused(table)


def test_a_repeated_row_on_an_ordinary_hour_gets_no_clock_hint() -> None:
    """A row written twice on a Monday afternoon is a mistake, not a change of the clocks."""
    table = hourly("a", start="2026-03-02 12:00")
    reason = refused(pd.concat([table, table.iloc[[3]]]))
    assert "duplicated timestamp 2026-03-02 15:00 (1 repeat)" in reason
    assert "clocks" not in reason


@pytest.mark.parametrize("clock", ["12:00", "23:59:59"])
def test_days_stamped_at_one_clock_time_are_days(clock: str) -> None:
    """A day's total stamped when it was taken (every row at noon, or at 23:59:59) is read
    as that day; with one row at another time, the times are refused."""
    table = regular("a", 30, "D", start=f"2024-01-01 {clock}")
    [series] = series_from_table(table, "d")
    assert series.start == pd.Timestamp("2024-01-01") and len(series.y) == 30
    table.loc[5, "ds"] = "2024-01-06 07:00"
    reason = refused(table, "d")
    assert "timestamp 2024-01-01" in reason and "is not on the day" in reason


def test_inference_names_dates_it_cannot_read() -> None:
    """Seconds since 1970 are no dates: inference names the first and asks for ISO dates,
    rather than saying there are too few timestamps."""
    table = pd.DataFrame({"ds": [str(1704067200 + 86400 * i) for i in range(30)], "y": "1"})
    with pytest.raises(InputFormatError, match=r"'1704067200' \(30 rows\); write them as"):
        infer_freq(table)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (
            ["12,5", "1.234,5", "1.234", "-0,25", " 3,0 ", "7"],
            ["12.5", "1234.5", "1234", "-0.25", "3.0", "7"],
        ),
        (["900", "1.5"], ["900", "1.5"]),
        (
            ["987", "1,006", "1,234.5", "12,345,678", "-2,000"],
            ["987", "1006", "1234.5", "12345678", "-2000"],
        ),
        (["0,500", "0,25"], ["0.500", "0.25"]),  # a leading 0 is no thousands group
        (["1.234.567", "2,5", "1.234"], ["1234567", "2.5", "1234"]),
    ],
)
def test_commas_in_numbers_are_read_as_the_file_writes_them(
    written: list[str], read: list[str]
) -> None:
    """Where a comma is a decimal mark, dots separate thousands; where a value's commas can
    only separate thousands (1,234.5 or 12,345,678), every comma does; without commas,
    nothing changes."""
    assert number_commas(pd.Series(written)).tolist() == read


def test_commas_that_could_mean_either_are_refused() -> None:
    """1,011 and 1,048 alone could be thousands or decimals: the file is refused."""
    with pytest.raises(InputFormatError, match="'1,011' could be thousands or a decimal comma"):
        number_commas(pd.Series(["900", "1,011", "1,048"]))


@pytest.mark.parametrize("dotted", ["3.500", "3.45"])
def test_a_decimal_point_beside_a_decimal_comma_is_refused(dotted: str) -> None:
    """A comma file with one quoted 3,47 among 3.500s: read the European way, 3.500 would
    silently be 3500. No value proves the dots are thousands, so the file is refused."""
    with pytest.raises(InputFormatError, match=f"'{dotted}' and '3,47' mix a decimal point"):
        number_commas(pd.Series([dotted, "3,47", "3.520"]))


def test_a_bad_rows_time_is_named_as_the_frequency_reads_it() -> None:
    """A daily row is named by its date; an hourly file's midnight keeps its hour, so it
    does not read as the whole day."""
    daily = regular("d", 30, "D")
    daily.loc[5, "y"] = "twelve"
    assert "non-numeric y value 'twelve' at 2026-03-07 (1 row)" in refused(daily, "d")
    hourly = regular("h", 72, "h")
    hourly.loc[24, "y"] = "twelve"
    assert "non-numeric y value 'twelve' at 2026-03-03 00:00 (1 row)" in refused(hourly, "h")


@pytest.mark.parametrize("written", ["NA", "n/a", "NaN", "null", "NULL", "None", "#N/A", " NA "])
def test_values_written_as_missing_are_gaps_for_fill(written: str) -> None:
    """R's NA, a database's NULL and a spreadsheet's #N/A are missing values, as an empty
    cell is: refused with the --fill hint and the value as written, filled with --fill."""
    daily = regular("d", 30, "D")
    daily.loc[5, "y"] = written
    message = refused(daily, "d")
    assert f"missing y value {written.strip()!r} at 2026-03-07 (1 row)" in message
    assert FILL_HINT in message
    [series] = series_from_table(daily, "d", fill="zero")
    assert series.y[5] == 0 and series.y[4] != 0
