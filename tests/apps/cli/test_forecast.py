"""``longcat forecast file`` as scripts use it: good files give the published columns, and
every kind of bad file gives an error naming the series and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from apps.cli.forecast import OUT_COLUMNS, register

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    # A second command keeps Typer from collapsing the app into its only sub-app.
    app.command("noop")(lambda: None)
    return app


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
        (lambda t: t.iloc[:40], "too little history: 40 values, need at least 48"),
        (lambda t: t.assign(y=7), "constant values (7)"),
        (change("y", 9, "n/a"), "non-numeric value 'n/a'"),
        (change("y", 9, ""), "missing value at 2026-03-02 09:00"),
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
        ("series_id,when,y\na,2026-01-01,1\n", "missing column(s) ds"),
        ("", "not a readable CSV file"),
        ("ds,y\n", "has a header but no rows"),
    ],
)
def test_bad_files_are_refused_with_the_reason(
    app, tmp_path: Path, content: str, reason: str
) -> None:
    """Missing columns, an empty file and a header without rows are explained."""
    result, _ = run(app, content, tmp_path, "--horizon", "24")
    assert result.exit_code == 1 and reason in flat(result.output)


def test_a_missing_file_is_named(app, tmp_path: Path) -> None:
    """A path that does not exist is reported as such."""
    args = ["forecast", "file", str(tmp_path / "nope.csv"), "--out", "x.csv", "--horizon", "3"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1 and "no such file" in flat(result.output)
