"""``longcat forecast file`` as scripts use it: good files give the published columns, and
every kind of bad file gives an error naming the series and the reason."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from apps.cli.forecast import OUT_COLUMNS

runner = CliRunner()


def hourly_rows(series_id: str, days: int = 10, seed: int = 0) -> pd.DataFrame:
    ds = pd.date_range("2026-03-02", periods=days * 24, freq="h")
    rng = np.random.default_rng(seed)
    y = rng.poisson(20 + 15 * np.sin(np.arange(len(ds)) * 2 * np.pi / 24))
    return pd.DataFrame({"series_id": series_id, "ds": ds.strftime("%Y-%m-%d %H:%M"), "y": y})


def flat(output: str) -> str:
    """The output on one line: Rich wraps long errors at the terminal width."""
    return " ".join(output.split())


def run(app: typer.Typer, table: pd.DataFrame | str, tmp_path: Path, *options: str):
    source = tmp_path / "in.csv"
    if isinstance(table, str):
        source.write_text(table)
    else:
        table.to_csv(source, index=False)
    out = tmp_path / "out.csv"
    args = ["forecast", "file", str(source), "--out", str(out), *options]
    return runner.invoke(app, args, catch_exceptions=False), out


def test_auto_forecasts_every_series_with_the_published_columns(app, tmp_path: Path) -> None:
    """Two series, 24 hours: 48 rows of series_id,ds,yhat,yhat_lower,yhat_upper,model."""
    table = pd.concat([hourly_rows("north"), hourly_rows("south", seed=1)])
    result, out = run(app, table, tmp_path, "--horizon", "24", "--json")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == OUT_COLUMNS
    assert frame.groupby("series_id").size().to_dict() == {"north": 24, "south": 24}
    assert (frame["yhat_lower"] <= frame["yhat"]).all() and (frame["yhat_lower"] >= 0).all()
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert [s["series_id"] for s in summary["series"]] == ["north", "south"]
    assert summary["freq"] == "h", "the hourly frequency is inferred without --freq"


def test_prophet_can_be_forced_and_ds_y_files_are_one_series(app, tmp_path: Path) -> None:
    """--model prophet serves Prophet; a file with only ds,y is the series 'series'."""
    table = hourly_rows("x").drop(columns="series_id")
    result, out = run(app, table, tmp_path, "--horizon", "6", "--model", "prophet")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert set(frame["model"]) == {"prophet"} and set(frame["series_id"]) == {"series"}
    assert pd.Timestamp(frame["ds"].iloc[0]) == pd.Timestamp("2026-03-12 00:00")


def test_daily_files(app, tmp_path: Path) -> None:
    """--freq d forecasts whole days."""
    ds = pd.date_range("2026-01-01", periods=60, freq="D").strftime("%Y-%m-%d")
    y = 100 + 10 * np.sin(np.arange(60) * 2 * np.pi / 7) + np.arange(60) % 3
    result, out = run(
        app, pd.DataFrame({"ds": ds, "y": y}), tmp_path, "--horizon", "7", "--freq", "d"
    )
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["ds"].iloc[-1].startswith("2026-03-08")


def change(column: str, row: int, value: str):
    def apply(table: pd.DataFrame) -> pd.DataFrame:
        table = table.reset_index(drop=True).astype({column: str})
        table.loc[row, column] = value
        return table

    return apply


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (change("ds", 4, "not a date"), "unparsable date 'not a date'"),
        (lambda t: pd.concat([t, t.iloc[[5]]]), "duplicated timestamp 2026-03-02 05:00"),
        (lambda t: t.iloc[:20], "too little history: 20 values, need at least 24"),
        (change("y", 9, "12 kg"), "non-numeric y value '12 kg'"),
        (change("y", 9, ""), "missing y value at 2026-03-02 09:00"),
        (change("y", 9, "NA"), "missing y value 'NA' at 2026-03-02 09:00"),
        (lambda t: t.drop(index=[20, 21, 22]), "3 missing timestamps"),
    ],
)
def test_bad_series_are_named_with_the_reason(app, tmp_path: Path, spoil, reason: str) -> None:
    """Each kind of bad series fails the command, naming the series and what is wrong."""
    table = pd.concat([hourly_rows("fine"), spoil(hourly_rows("broken"))])
    result, out = run(app, table, tmp_path, "--horizon", "24")
    assert result.exit_code == 1
    assert "series 'broken'" in flat(result.output) and reason in flat(result.output)
    assert "'fine'" not in result.output and not out.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("series_id,ds,value\na,2026-01-01,1\n", "missing column(s) y"),
        ("date,sales\n2026-01-01,1\n", "(it has date, sales); --ds-column, --y-column"),
        ("series_id,when,y\na,2026-01-01,1\n", "missing column(s) ds"),
        ("", "not a readable CSV file"),
        ("ds,y\n", "has a header but no rows"),
        ("ds,y\n2026-01-01,987\n2026-01-02,1,234\n", "line 3 has 3 fields where the header"),
    ],
)
def test_bad_files_are_refused_with_the_reason(
    app, tmp_path: Path, content: str, reason: str
) -> None:
    """Missing columns, an empty file, a header without rows and a line split longer than
    its header are explained."""
    result, _ = run(app, content, tmp_path, "--horizon", "24")
    assert result.exit_code == 1 and reason in flat(result.output)


def test_a_missing_file_is_named(app, tmp_path: Path) -> None:
    """A path that does not exist is reported as such."""
    args = ["forecast", "file", str(tmp_path / "nope.csv"), "--out", "x.csv", "--horizon", "3"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1 and "no such file" in flat(result.output)


# Checks before fitting: the tests below replace the fitting by a stand-in, so they are fast
# and can show that a check stopped the command before any model was fitted.


def daily_rows(series_id: str, days: int = 60) -> pd.DataFrame:
    ds = pd.date_range("2026-01-01", periods=days, freq="D").strftime("%Y-%m-%d")
    y = 100 + 10 * np.sin(np.arange(days) * 2 * np.pi / 7) + np.arange(days) % 3
    return pd.DataFrame({"series_id": series_id, "ds": ds, "y": y})


def stderr_lines(result) -> list[str]:
    return result.stderr.splitlines()


@pytest.fixture
def fitted(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Fitting replaced by a stand-in that serves seasonal naive as if the history were too
    short to backtest; each call is recorded."""
    from forecasting.selection import Served
    from forecasting.series import Forecast

    calls: list[dict] = []

    def forecast_all(path, series_list, horizon, freq, model, calendar, skip=False):
        calls.append(
            {"series": series_list, "freq": freq, "horizon": horizon, "calendar": calendar}
        )
        results = []
        for s in series_list:
            zeros = np.zeros(horizon)
            forecast = Forecast(
                s.series_id, "seasonal_naive", s.future_ds(horizon), zeros, zeros, zeros + 1
            )
            results.append(
                Served(
                    s.series_id, forecast, None, "seasonal_naive", "history too short to backtest"
                )
            )
        return results, []

    monkeypatch.setattr("apps.cli.forecast.forecast_all", forecast_all)
    return calls


def test_the_frequency_is_inferred_stated_and_in_the_json(app, tmp_path: Path, fitted) -> None:
    """Without --freq, daily timestamps give daily series, one stderr line says so, and the
    JSON summary carries "freq": "d"."""
    result, out = run(app, daily_rows("x"), tmp_path, "--horizon", "7", "--json")
    assert result.exit_code == 0, result.output
    assert "frequency: daily (inferred from the timestamps; --freq sets it)" in stderr_lines(result)
    assert fitted[0]["freq"] == "d" and fitted[0]["series"][0].freq == "d"
    assert json.loads(result.stdout.strip().splitlines()[-1])["freq"] == "d"
    assert pd.read_csv(out)["ds"].iloc[0].startswith("2026-03-02")


def test_a_given_freq_is_not_stated_and_an_unknown_step_asks_for_it(
    app, tmp_path: Path, fitted
) -> None:
    """--freq given: no frequency line; timestamps 2 days apart without --freq: an error."""
    result, _ = run(app, daily_rows("x"), tmp_path, "--horizon", "7", "--freq", "d")
    assert result.exit_code == 0 and "frequency:" not in result.stderr
    (tmp_path / "other").mkdir()
    result, out = run(app, daily_rows("x").iloc[::2], tmp_path / "other", "--horizon", "7")
    assert result.exit_code == 1 and not out.exists()
    assert "most often 2 days apart" in result.stderr and "pass --freq" in result.stderr


def test_a_freq_the_timestamps_contradict_is_named(app, tmp_path: Path, fitted) -> None:
    """Daily data with --freq h says the data is daily, not 1173 missing timestamps."""
    result, out = run(app, daily_rows("x"), tmp_path, "--horizon", "7", "--freq", "h")
    assert result.exit_code == 1 and fitted == [] and not out.exists()
    assert "series 'x': timestamps are 1 day apart, not 1 hour: use --freq d" in result.stderr
    assert "missing timestamps" not in result.stderr


def test_fill_fills_gaps_and_empty_values(app, tmp_path: Path, fitted) -> None:
    """Gaps are refused with the --fill hint; --fill zero puts 0 in them and reads on."""
    table = daily_rows("x").drop(index=[10, 11]).astype({"y": str})
    table.loc[20, "y"] = ""
    result, out = run(app, table, tmp_path, "--horizon", "7")
    assert result.exit_code == 1 and not out.exists()
    assert "(--fill zero or --fill interpolate fills them)" in result.stderr
    result, out = run(app, table, tmp_path, "--horizon", "7", "--fill", "zero")
    assert result.exit_code == 0, result.output
    [series] = fitted[0]["series"]
    assert len(series.y) == 60 and list(np.flatnonzero(series.y == 0)) == [10, 11, 20]


def test_a_horizon_longer_than_a_history_is_refused(app, tmp_path: Path, fitted) -> None:
    """Each series shorter than --horizon is one error line; nothing is fitted or written."""
    table = pd.concat([daily_rows("long", 400), daily_rows("x", 300), daily_rows("y", 200)])
    result, out = run(app, table, tmp_path, "--horizon", "350")
    assert result.exit_code == 1 and fitted == [] and not out.exists()
    errors = [line for line in stderr_lines(result) if line.startswith("error:")]
    assert errors == [
        f"error: {tmp_path / 'in.csv'}: series 'x': --horizon 350 is longer than its 300 values of history",
        f"error: {tmp_path / 'in.csv'}: series 'y': --horizon 350 is longer than its 200 values of history",
    ]


def test_a_long_horizon_warns_before_fitting(app, tmp_path: Path, fitted) -> None:
    """Past a third of the shortest history: one warning line, and the forecast goes on."""
    result, _ = run(app, daily_rows("x", 60), tmp_path, "--horizon", "21", "--freq", "d")
    assert result.exit_code == 0 and len(fitted) == 1
    assert stderr_lines(result)[0] == (
        "warning: series 'x': --horizon 21 is more than a third of its 60 values; "
        "the far end is little more than the seasonal shape"
    )


def test_a_series_served_without_a_backtest_gets_a_note(app, tmp_path: Path, fitted) -> None:
    """A series served by a fallback (too short to backtest) gets a note line on stderr."""
    result, _ = run(app, daily_rows("x"), tmp_path, "--horizon", "7", "--freq", "d")
    assert result.exit_code == 0
    assert stderr_lines(result) == [
        "note: series 'x': seasonal_naive served: history too short to backtest"
    ]


def test_notes_leave_out_backtest_choices_and_forced_models() -> None:
    """Only a series served without a backtest (and not by --model prophet) gives a note,
    whatever the backtest's reason says, and the note names the served model once."""
    from types import SimpleNamespace

    from apps.cli.forecast import notes

    table = ("a row",)
    results = [
        SimpleNamespace(series_id="a", chosen="mstl", reason="best of 5 by backtest", table=table),
        SimpleNamespace(
            series_id="e",
            chosen="mean(theta,prophet)",
            reason="the plan's combination",
            table=table,
        ),
        SimpleNamespace(series_id="b", chosen="prophet", reason="forced", table=()),
        SimpleNamespace(series_id="c", chosen="theta", reason="no fold fits", table=()),
        SimpleNamespace(
            series_id="d",
            chosen="seasonal_naive",
            reason="history too short to backtest (30 values): seasonal_naive served",
            table=(),
        ),
    ]
    assert notes(results) == [
        "series 'c': theta served: no fold fits",
        "series 'd': history too short to backtest (30 values): seasonal_naive served",
    ]


def test_errors_are_one_line_each_at_any_width(app, tmp_path: Path, monkeypatch) -> None:
    """A long path and long reasons on a narrow stderr: each error is one whole line,
    starting with error:, one per bad series, brackets shown as written."""
    from apps.cli.common import err_console

    monkeypatch.setattr(err_console, "width", 30)
    folder = tmp_path / ("a-rather-long-folder-name-" * 4)
    folder.mkdir()
    long_word = "unreadable-" * 12
    table = pd.concat([hourly_rows("fine"), hourly_rows("[bold]b1"), hourly_rows("b2")])
    table = table.reset_index(drop=True).astype({"y": str})
    table.loc[table["series_id"] == "[bold]b1", "y"] = long_word
    table.loc[table["series_id"] == "b2", "ds"] = "not a date " * 10
    result, out = run(app, table, folder, "--horizon", "24")
    assert result.exit_code == 1 and not out.exists()
    lines = stderr_lines(result)
    labels = ("error:", "warning:", "frequency:", "hint:")
    assert all(line.startswith(labels) for line in lines), lines
    source = folder / "in.csv"
    assert lines[-3].startswith(
        f"error: {source}: series '[bold]b1': non-numeric y value '{long_word}'"
    )
    assert lines[-2].startswith(f"error: {source}: series 'b2': unparsable date 'not a date ")
    assert lines[-1] == "hint: --skip-bad-series forecasts the other 1 series"


def test_out_is_checked_before_the_input(app, tmp_path: Path) -> None:
    """--out naming a directory is reported first, even when the input does not exist."""
    args = [
        "forecast",
        "file",
        str(tmp_path / "nope.csv"),
        "--out",
        str(tmp_path),
        "--horizon",
        "3",
    ]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"error: --out {tmp_path}: is a directory; name a file in it, such as {tmp_path / 'forecast.csv'}"
    ]


def test_a_bad_series_leaves_no_out_and_no_temporary_file(app, tmp_path: Path, fitted) -> None:
    """One good and one bad series: the command fails and the folder holds only the input."""
    table = pd.concat([hourly_rows("good"), hourly_rows("bad").assign(y="x")])
    result, _ = run(app, table, tmp_path, "--horizon", "24")
    assert result.exit_code == 1 and fitted == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_repeated_timestamps_in_a_file_without_ids_point_at_the_id_column(
    app, tmp_path: Path, fitted
) -> None:
    """Two stores under a column named 'store' but no --id-column: the repeats are refused,
    and a hint names the column to pass (not a column of prices); with --id-column store
    both are forecast."""
    table = pd.concat([hourly_rows("north"), hourly_rows("south", seed=1)])
    table = table.rename(columns={"series_id": "store"})
    # A column of prices comes first: nearly one value a row, it tells no series apart.
    table.insert(0, "price", np.arange(len(table)) * 0.5)
    result, out = run(app, table, tmp_path, "--horizon", "24")
    assert result.exit_code == 1 and not out.exists() and not fitted
    assert "series 'series': duplicated timestamp" in result.stderr
    assert stderr_lines(result)[-1] == (
        "hint: the file has no series_id column, so all its rows are one series; "
        "if 'store' tells the series apart, pass --id-column store"
    )
    result, out = run(app, table, tmp_path, "--horizon", "24", "--id-column", "store")
    assert result.exit_code == 0 and set(pd.read_csv(out)["series_id"]) == {"north", "south"}


def test_the_help_documents_the_options(app) -> None:
    """--help names every option and its choices, the weekly frequency and the fills."""
    result = runner.invoke(app, ["forecast", "file", "--help"], env={"COLUMNS": "200"})
    text = flat(result.output)
    for piece in (
        "--horizon",
        "--out",
        "--freq",
        "w: weekly",
        "inferred",
        "--fill",
        "interpolate",
        "zero",
        "--model",
        "--ds-column",
        "--y-column",
        "--id-column",
    ):
        assert piece in text, piece


def test_holidays_and_events_reach_the_models(app, tmp_path: Path, fitted) -> None:
    """--holidays US and an events file give the models a calendar with both; without the
    option, LONGCAT_FORECAST_HOLIDAYS (default CN) is used."""
    data = tmp_path / "in.csv"
    daily_rows("x").to_csv(data, index=False)
    events = tmp_path / "events.csv"
    events.write_text("date,name\n2026-05-01,spring sale\n2026-06-01,spring sale\n")
    out = tmp_path / "out.csv"
    args = ["forecast", "file", str(data), "--horizon", "7", "--out", str(out)]
    result = runner.invoke(app, [*args, "--holidays", "us", "--events", str(events)])
    assert result.exit_code == 0, result.stderr
    calendar = fitted[-1]["calendar"]
    assert calendar.country == "US" and [e.name for e in calendar.events] == ["spring sale"] * 2
    assert runner.invoke(app, args).exit_code == 0 and fitted[-1]["calendar"].country == "CN"


def test_an_unknown_holiday_code_or_bad_events_file_stops_before_fitting(
    app, tmp_path: Path, fitted
) -> None:
    """A country code the holidays package lacks, or an events line without a date, is one
    error line naming the option, and nothing is fitted or written."""
    data = tmp_path / "in.csv"
    daily_rows("x").to_csv(data, index=False)
    out = tmp_path / "out.csv"
    args = ["forecast", "file", str(data), "--horizon", "7", "--out", str(out)]
    result = runner.invoke(app, [*args, "--holidays", "XX"])
    assert result.exit_code == 1 and stderr_lines(result) == [
        "error: --holidays: holidays: unknown country code 'XX' (use a holidays-package code "
        "such as CN, US, GB, DE, or none)"
    ]
    events = tmp_path / "events.csv"
    events.write_text("date,name\n,closure\n")
    result = runner.invoke(app, [*args, "--events", str(events)])
    assert result.exit_code == 1 and len(stderr_lines(result)) == 1
    assert stderr_lines(result)[0].startswith(f"error: --events: events file {events}: line 2")
    assert fitted == [] and not out.exists()


def test_the_summary_shows_prophets_scores_only_where_it_was_raced() -> None:
    """Weekly plans forecast Prophet beside the served model without backtesting it: its
    columns are left out rather than filled with dashes, and shown where any series raced
    it."""
    from types import SimpleNamespace

    from apps.cli.forecast import summary_table
    from forecasting.selection import ModelScore

    def result(ident: str, *models: str) -> SimpleNamespace:
        table = tuple(ModelScore(m, 5.0, 1.0, 0.8, 1.0) for m in models)
        return SimpleNamespace(
            series_id=ident, chosen="mstl", reason="best", prophet_error=None, table=table
        )

    def headers(results: list) -> list[str]:
        return [str(column.header) for column in summary_table(results, 13).columns]

    assert headers([result("w", "mstl")]) == ["series", "served", "sMAPE", "MASE"]
    both = headers([result("w", "mstl"), result("h", "mstl", "prophet")])
    assert both[-2:] == ["Prophet\nsMAPE", "Prophet\nMASE"]


def test_the_summary_names_the_served_model_whole_on_a_narrow_terminal() -> None:
    """On an 80-column terminal a combination's name is printed whole, not cut to an
    ellipsis: it is what the user reads to know what was served. A blend of two
    combinations wraps between its members and after its own commas, never inside a word,
    and every score column is still shown."""
    from types import SimpleNamespace

    from rich.console import Console

    from apps.cli.forecast import summary_table
    from forecasting.selection import ModelScore

    def result(ident: str, name: str) -> SimpleNamespace:
        table = tuple(ModelScore(m, 5.0 + len(m), 1.0, 0.8, 1.0) for m in (name, "prophet"))
        return SimpleNamespace(
            series_id=ident, chosen=name, reason="raced", prophet_error=None, table=table
        )

    name = "mean(ets,theta,prophet)"
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(summary_table([result("series", name)], 7))
    assert name in console.export_text()
    first, second = "mean(mstl,prophet,snaive)", "median(mstl,prophet,snaive)"
    blend = f"mean({first}, {second})"
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(summary_table([result("zone-12", blend), result("city", "mstl")], 48))
    lines = console.export_text().splitlines()
    # Wrapped only after commas, so the name's pieces read back as the name, and the
    # series' name beside it is not folded.
    pieces = [p for line in lines for p in line.split() if any(c in p for c in "(),")]
    assert "".join(pieces) == blend.replace(", ", ",")
    assert max(len(p) for p in pieces) <= 24
    row = next(line for line in lines if "zone-12" in line)
    assert row.split()[-4:] == [f"{5.0 + len(blend):.2f}", "1.000", "12.00", "1.000"]


def test_day_first_dates_are_read_and_written_as_iso(app, tmp_path: Path, fitted) -> None:
    """dd/mm/yyyy input: the series is read day first and the output dates are ISO."""
    table = daily_rows("x", days=30)
    table["ds"] = pd.to_datetime(table["ds"]).dt.strftime("%d/%m/%Y")
    result, out = run(app, table, tmp_path, "--horizon", "7")
    assert result.exit_code == 0, result.output
    assert len(fitted[0]["series"][0].y) == 30
    assert pd.read_csv(out)["ds"].iloc[0].startswith("2026-01-31")


def test_dates_in_both_orders_are_refused_before_fitting(app, tmp_path: Path, fitted) -> None:
    """13/01 and 01/13 in one file: one line naming both, and no fitting."""
    table = daily_rows("x", days=30)
    table["ds"] = pd.to_datetime(table["ds"]).dt.strftime("%d/%m/%Y")
    table.loc[3, "ds"] = "01/13/2026"
    result, out = run(app, table, tmp_path, "--horizon", "7")
    assert result.exit_code == 1 and not fitted and not out.exists()
    assert "'13/01/2026' and '01/13/2026' put the day in different places" in flat(result.output)


def comma(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


@pytest.mark.parametrize(
    ("sep", "number"),
    [(";", comma), ("\t", comma), ("\t", lambda v: f"{v:.1f}")],
)
def test_semicolon_and_tab_files_are_read(app, tmp_path: Path, fitted, sep: str, number) -> None:
    """A spreadsheet's European export (ds;y or tabs, decimal commas, 12,5) and a plain
    tab-separated file give the same series as the comma file."""
    table = daily_rows("x", days=30)
    lines = [f"series_id{sep}ds{sep}y"] + [
        f"{row.series_id}{sep}{row.ds}{sep}{number(row.y)}" for row in table.itertuples()
    ]
    result, _ = run(app, "\n".join(lines) + "\n", tmp_path, "--horizon", "7")
    assert result.exit_code == 0, result.output
    [series] = fitted[0]["series"]
    assert np.allclose(series.y, table["y"].round(1))


def test_commas_that_may_be_thousands_are_refused(app, tmp_path: Path, fitted) -> None:
    """A tab file of 900, 937, 1,011...: thousands or decimals, the file cannot say, so it
    is refused before fitting rather than read as 1.011."""
    counts = [900 + 37 * i for i in range(30)]
    values = [f"{v // 1000},{v % 1000:03d}" if v >= 1000 else str(v) for v in counts]
    ds = pd.date_range("2026-01-01", periods=30, freq="D").strftime("%Y-%m-%d")
    content = "ds\ty\n" + "".join(f"{d}\t{v}\n" for d, v in zip(ds, values, strict=True))
    result, out = run(app, content, tmp_path, "--horizon", "7")
    assert result.exit_code == 1 and not fitted and not out.exists()
    assert "y values such as '1,011' could be thousands or a decimal comma" in flat(result.output)


def test_a_windows_1252_export_is_read(app, tmp_path: Path, fitted) -> None:
    """Excel's European CSV: semicolons, decimal commas and Windows-1252 (München)."""
    table = daily_rows("München", days=30)
    lines = ["series_id;ds;y"] + [f"{r.series_id};{r.ds};{comma(r.y)}" for r in table.itertuples()]
    source = tmp_path / "in.csv"
    source.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    out = tmp_path / "out.csv"
    args = ["forecast", "file", str(source), "--out", str(out), "--horizon", "7"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [s.series_id for s in fitted[0]["series"]] == ["München"]


def test_a_constant_series_is_forecast_as_its_value_with_a_note(app, tmp_path: Path) -> None:
    """A product never sold beside one that sells: the file is forecast, the constant one
    as zero with a note saying why, the other by the backtest."""
    table = pd.concat([daily_rows("sells"), daily_rows("never").assign(y=0)])
    result, out = run(app, table, tmp_path, "--horizon", "7", "--freq", "d")
    assert result.exit_code == 0, result.output
    assert stderr_lines(result) == [
        "note: series 'never': the history never changed (0): constant served"
    ]
    written = pd.read_csv(out)
    never = written[written["series_id"] == "never"]
    assert len(never) == 7 and set(never["model"]) == {"constant"}
    assert (never[["yhat", "yhat_lower", "yhat_upper"]] == 0).all().all()
    assert (written.loc[written["series_id"] == "sells", "yhat"] > 50).all()


def test_a_workbook_is_refused_in_one_line(app, tmp_path: Path, fitted) -> None:
    """An .xlsx given for the CSV: one line saying what it is, no fitting, no OUT."""
    source = tmp_path / "sales.xlsx"
    source.write_bytes(b"PK\x03\x04" + bytes(200))
    out = tmp_path / "out.csv"
    args = ["forecast", "file", str(source), "--out", str(out), "--horizon", "7"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1 and not fitted and not out.exists()
    assert stderr_lines(result) == [
        f"error: {source}: a spreadsheet workbook, not CSV text: save it as CSV first"
    ]


def test_columns_named_otherwise_are_chosen_by_option(app, tmp_path: Path, fitted) -> None:
    """An export as date,store,sales (and a stray ds column) is read with --ds-column,
    --y-column and --id-column: the same series as the file written as series_id,ds,y."""
    table = daily_rows("north", days=30)
    exported = table.rename(columns={"series_id": "store", "ds": "date", "y": "sales"})
    exported["ds"] = "not the dates"
    options = ("--ds-column", "date", "--y-column", "sales", "--id-column", "store")
    result, _ = run(app, exported, tmp_path, "--horizon", "7", *options)
    assert result.exit_code == 0, result.output
    [series] = fitted[0]["series"]
    assert series.series_id == "north" and np.allclose(series.y, table["y"])
    assert series.start == pd.Timestamp(table["ds"].iloc[0])


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (
            ("--ds-column", "day"),
            "--ds-column 'day': no such column (the file has 'date', 'sales')",
        ),
        (
            ("--ds-column", "date", "--y-column", "date"),
            "--y-column 'date': that column is read by --ds-column too",
        ),
    ],
)
def test_a_column_option_the_file_cannot_meet_is_named(
    app, tmp_path: Path, fitted, options: tuple[str, ...], reason: str
) -> None:
    """A chosen column the file lacks, or one chosen for two fields, is one line naming the
    option; nothing is fitted or written."""
    result, out = run(app, "date,sales\n2026-01-01,1\n", tmp_path, "--horizon", "7", *options)
    assert result.exit_code == 1 and reason in flat(result.output)
    assert not fitted and not out.exists()


def test_a_us_export_with_thousands_separators_is_read(app, tmp_path: Path, fitted) -> None:
    """Sales exported from a US spreadsheet as quoted "1,234.50" in a comma file are read
    as 1234.5, the same series as plain numbers; a European sheet's quoted "12,5" as 12.5."""
    table = daily_rows("x", days=30)
    lines = ["series_id,ds,y"] + [
        f'{row.series_id},{row.ds},"{1000 * row.y:,.2f}"' for row in table.itertuples()
    ]
    result, _ = run(app, "\n".join(lines) + "\n", tmp_path, "--horizon", "7")
    assert result.exit_code == 0, result.output
    [series] = fitted[0]["series"]
    assert np.allclose(series.y, (1000 * table["y"]).round(2))
    fitted.clear()
    lines = ["ds,y"] + [f'{row.ds},"{comma(row.y)}"' for row in table.itertuples()]
    result, _ = run(app, "\n".join(lines) + "\n", tmp_path, "--horizon", "7")
    assert result.exit_code == 0, result.output
    [series] = fitted[0]["series"]
    assert np.allclose(series.y, table["y"].round(1))


def test_bad_series_can_be_skipped_and_are_named(app, tmp_path: Path, fitted) -> None:
    """With --skip-bad-series a series too short, one with a bad value and one shorter than
    the horizon are each named on stderr (skipped:) and in the JSON, and the others are
    forecast; without it the same file is refused whole and OUT is not written."""
    table = pd.concat(
        [
            daily_rows("fine", days=60),
            daily_rows("new-store", days=5),
            daily_rows("typo", days=60).assign(
                y=lambda t: t["y"].astype(str).mask(t.index == 5, "n/a?")
            ),
        ]
    )
    refused, out = run(app, table, tmp_path, "--horizon", "7")
    assert refused.exit_code == 1 and not out.exists() and not fitted
    assert stderr_lines(refused)[-1] == "hint: --skip-bad-series forecasts the other 1 series"
    result, out = run(app, table, tmp_path, "--horizon", "7", "--skip-bad-series", "--json")
    assert result.exit_code == 0, result.output
    assert [s.series_id for s in fitted[0]["series"]] == ["fine"]
    skipped = [line for line in stderr_lines(result) if line.startswith("skipped: ")]
    assert len(skipped) == 2
    assert "series 'new-store': too little history: 5 values" in skipped[0]
    assert "series 'typo': non-numeric y value 'n/a?' at 2026-01-06 (1 row)" in skipped[1]
    report = json.loads(result.stdout)
    assert [s["series_id"] for s in report["skipped"]] == ["new-store", "typo"]
    assert set(pd.read_csv(out)["series_id"]) == {"fine"}


def test_skipping_every_series_still_refuses_the_file(app, tmp_path: Path, fitted) -> None:
    """When no series is left to forecast, --skip-bad-series exits non-zero as without it,
    naming each series, and writes no OUT."""
    result, out = run(
        app, daily_rows("new-store", days=5), tmp_path, "--horizon", "7", "--skip-bad-series"
    )
    assert result.exit_code == 1 and not out.exists() and not fitted
    assert "series 'new-store': too little history" in flat(result.output)


def test_a_series_no_model_forecasts_is_skipped_when_asked(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series every model fails on (a fault caused here by a stand-in, as data that every
    model fails on cannot be written) stops the command, or with --skip-bad-series is named
    and left out while the others are written."""
    from forecasting import selection
    from forecasting.errors import ModelError

    serve = selection.serve

    def failing(series, *args, **kwargs):
        if series.series_id == "broken":
            raise ModelError("every model", series.series_id, "no model forecast every cutoff")
        return serve(series, *args, **kwargs)

    monkeypatch.setattr(selection, "serve", failing)
    table = pd.concat([daily_rows("fine", days=60), daily_rows("broken", days=60)])
    stopped, out = run(app, table, tmp_path, "--horizon", "7", "--model", "prophet")
    assert stopped.exit_code == 1 and not out.exists()
    result, out = run(
        app, table, tmp_path, "--horizon", "7", "--model", "prophet", "--skip-bad-series"
    )
    assert result.exit_code == 0, result.output
    assert "skipped: model 'every model' on series 'broken'" in result.stderr
    assert set(pd.read_csv(out)["series_id"]) == {"fine"}
