"""Reading long tables into series: each bad input is refused with its series and reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import InputFormatError
from forecasting.tables import InvalidSeriesError, series_from_table


def hourly(series_id: str, hours: int = 72, start: str = "2026-03-02") -> pd.DataFrame:
    ds = pd.date_range(start, periods=hours, freq="h")
    y = 10 + 5 * np.sin(np.arange(hours) * 2 * np.pi / 24)
    return pd.DataFrame({"series_id": series_id, "ds": ds.astype(str), "y": y.astype(str)})


def refused(table: pd.DataFrame, freq: str = "h") -> str:
    with pytest.raises(InvalidSeriesError) as caught:
        series_from_table(table, freq)
    return str(caught.value)


def test_a_good_table_gives_one_series_per_id_in_time_order() -> None:
    """Rows may come in any order; each id becomes a regular series sorted by time."""
    table = pd.concat([hourly("a"), hourly("b")]).sample(frac=1.0, random_state=1)
    series = {s.series_id: s for s in series_from_table(table, "h")}
    assert sorted(series) == ["a", "b"]
    assert series["a"].start == pd.Timestamp("2026-03-02") and len(series["a"].y) == 72
    assert np.all(np.diff(series["a"].ds.asi8) > 0)


def test_a_table_without_series_id_is_one_series() -> None:
    """Only ds,y: the single series is called 'series'."""
    [series] = series_from_table(hourly("x").drop(columns="series_id"), "h")
    assert series.series_id == "series"


def test_timezones_are_converted_to_utc() -> None:
    """An offset in the timestamps is applied, and the series is kept in naive UTC."""
    table = hourly("a")
    table["ds"] = pd.date_range("2026-03-02 08:00", periods=72, freq="h", tz="Asia/Shanghai")
    table["ds"] = table["ds"].astype(str)
    [series] = series_from_table(table, "h")
    assert series.start == pd.Timestamp("2026-03-02 00:00")


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
        (lambda t: t.assign(y=t["y"].mask(t.index == 7, "many")), "non-numeric value 'many'"),
        (lambda t: t.assign(y=t["y"].mask(t.index == 7, "")), "missing value at 2026-03-02 07:00"),
        (lambda t: pd.concat([t, t.iloc[[3]]]), "duplicated timestamp 2026-03-02 03:00"),
        (lambda t: t.drop(index=[10, 11]), "2 missing timestamps, the first at 2026-03-02 10:00"),
        (lambda t: t.assign(y="4"), "constant values (4)"),
        (lambda t: t.iloc[:30], "too little history: 30 values, need at least 48"),
        (lambda t: t.assign(ds=t["ds"].mask(t.index == 2, "2026-03-02 02:30")), "not on the hour"),
    ],
)
def test_each_bad_series_is_refused_with_its_reason(change, reason: str) -> None:
    """Bad dates, values, duplicates, gaps, constants and short histories name the series."""
    message = refused(pd.concat([hourly("good"), change(hourly("bad").reset_index(drop=True))]))
    assert "series 'bad'" in message and reason in message
    assert "good" not in message


def test_every_bad_series_is_reported_at_once() -> None:
    """Two bad series give two lines, so one pass over the file finds all the problems."""
    table = pd.concat([hourly("a").iloc[:10], hourly("b").assign(y="x")])
    with pytest.raises(InvalidSeriesError) as caught:
        series_from_table(table, "h")
    assert [e.series_id for e in caught.value.errors] == ["a", "b"]


def test_daily_series_need_two_weeks() -> None:
    """Daily data is checked on a daily grid and needs 14 days."""
    ds = pd.date_range("2026-01-01", periods=10, freq="D").astype(str)
    table = pd.DataFrame({"ds": ds, "y": [str(v) for v in range(10)]})
    assert "need at least 14" in refused(table, "d")
