"""``longcat forecast file``: forecast the series a user brings in a CSV file.

Every check runs before any model is fitted, in this order: ``--out``, ``--holidays`` and
``--events``, the file and its frequency, every series, then ``--horizon`` against each
series' history. Each problem is one line on stderr, and OUT is written only when every
series was forecast: a file through a temporary file beside it, a stream such as stdout
straight through (``apps/cli/out_file.py``)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from apps.cli.common import (
    JsonOutput,
    add_model_column,
    console,
    err_console,
    fail,
    model_cell,
    print_json,
)
from apps.cli.csv_input import Columns
from apps.cli.out_file import STDOUT, is_stdout, out_problem, write_out_file

if TYPE_CHECKING:
    import pandas as pd

    from forecasting.calendar import Calendar
    from forecasting.errors import ForecastingError, InputFormatError
    from forecasting.selection import ModelScore, Served
    from forecasting.series import Series


class FreqName(StrEnum):
    h = "h"
    d = "d"
    w = "w"


class ModelChoice(StrEnum):
    auto = "auto"
    prophet = "prophet"


class FillChoice(StrEnum):
    none = "none"
    zero = "zero"
    interpolate = "interpolate"


OUT_COLUMNS = ["series_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]


def one_line(text: str) -> str:
    """The text with its line breaks made spaces, so an error stays on one line."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


LABEL_STYLES = {"warning": "yellow", "note": "cyan", "frequency": "cyan"}


def say(label: str, message: str) -> None:
    """One line on stderr such as ``warning: ...``, never wrapped, the message as written."""
    style = LABEL_STYLES.get(label, "bold")
    err_console.print(f"[{style}]{label}:[/] {escape(one_line(message))}", highlight=False)


def say_skipped(errors: Sequence[ForecastingError]) -> None:
    """A ``skipped:`` line for each series --skip-bad-series left out."""
    for error in errors:
        say("skipped", str(error))


def fail_each(messages: list[str]) -> typer.Exit:
    """One ``error:`` line per message (shown as written, brackets too); the exit to raise."""
    exits = [fail(escape(one_line(message))) for message in messages]
    return exits[-1]


def read_table(path: Path, columns: Columns) -> pd.DataFrame:
    import pandas as pd

    from apps.cli.csv_input import read_csv
    from forecasting.errors import InputFormatError
    from forecasting.tables import number_commas

    try:
        table, _ = read_csv(path)
        table = columns.select(table)
        # Commas inside numbers: a semicolon or tab file's own, or quoted in a comma file.
        if "y" in table.columns:
            table["y"] = number_commas(table["y"])
    except InputFormatError as error:
        raise input_error(path, error) from error
    except FileNotFoundError as error:
        raise fail_each([f"{path}: no such file"]) from error
    except IsADirectoryError as error:
        raise fail_each([f"{path}: is a directory, not a CSV file"]) from error
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise fail_each([f"{path}: not a readable CSV file ({error})"]) from error
    except OSError as error:
        raise fail_each([f"{path}: cannot be read ({error.strerror or error})"]) from error
    return table


def input_error(path: Path, error: InputFormatError) -> typer.Exit:
    """One ``error: IN.csv: ...`` line per bad series (or one for the whole file)."""
    from forecasting.tables import InvalidSeriesError

    reasons = error.errors if isinstance(error, InvalidSeriesError) else [error]
    return fail_each([f"{path}: {reason}" for reason in reasons])


COLUMNS_HINT = "--ds-column, --y-column and --id-column read columns named otherwise"


def id_hint(table: pd.DataFrame) -> str | None:
    """For a file read as one series (no id column): the column --id-column could name, one
    of far fewer values than rows under which no timestamp repeats; None without one."""
    if "series_id" in table.columns or "ds" not in table.columns:
        return None
    for column in (c for c in table.columns if c not in ("ds", "y")):
        if (
            table[column].nunique() <= len(table) // 2
            and not table.duplicated([column, "ds"]).any()
        ):
            return (
                f"the file has no series_id column, so all its rows are one series; if "
                f"{str(column)!r} tells the series apart, pass --id-column "
                f"{shlex.quote(str(column))}"
            )
    return None


def repeated(error: InputFormatError) -> bool:
    """Some series of the error has timestamps repeated more than once (one repeat is as
    likely a clock going back)."""
    from forecasting.tables import InvalidSeriesError, RepeatedTimestamps

    errors = error.errors if isinstance(error, InvalidSeriesError) else []
    return any(isinstance(e, RepeatedTimestamps) and e.repeats > 1 for e in errors)


def checked_series(
    path: Path, columns: Columns, freq: FreqName | None, fill: FillChoice, horizon: int, skip: bool
) -> tuple[FreqName, list[Series], list[ForecastingError]]:
    """The frequency (given or inferred) and every series, each checked; exits on a problem,
    or with ``skip`` names each bad series (``skipped:``) and goes on with the others."""
    from forecasting.dates import day_first
    from forecasting.errors import InputFormatError
    from forecasting.series import FREQ_NAMES
    from forecasting.tables import (
        InvalidSeriesError,
        checked_table,
        horizon_errors,
        horizon_warning,
        infer_freq,
        read_series,
    )

    raw = read_table(path, columns)
    series_list: list[Series] = []
    try:
        table = checked_table(raw, hint=COLUMNS_HINT)
        order = day_first(table["ds"])
        if freq is None:
            freq = FreqName(infer_freq(table, order))
            say("frequency", f"{FREQ_NAMES[freq]} (inferred from the timestamps; --freq sets it)")
        series_list, errors = read_series(table, freq.value, fill=fill.value, day_first=order)
        errors += horizon_errors(series_list, horizon)
        bad = {e.series_id for e in errors}
        series_list = [s for s in series_list if s.series_id not in bad]
        if errors and (not skip or not series_list):
            raise InvalidSeriesError(errors)
        warning = horizon_warning(series_list, horizon)
    except InputFormatError as error:
        stop = input_error(path, error)
        hint = id_hint(raw) if repeated(error) else None
        if hint:
            say("hint", hint)
        elif isinstance(error, InvalidSeriesError) and series_list and not skip:
            say("hint", f"--skip-bad-series forecasts the other {len(series_list)} series")
        raise stop from error
    say_skipped(errors)
    if warning:
        say("warning", warning)
    return freq, series_list, list(errors)


def cells(row: ModelScore | None) -> list[str]:
    return [f"{row.smape:.2f}", f"{row.mase:.3f}"] if row else ["-", "-"]


def summary_table(results: list[Served], horizon: int) -> Table:
    """Per series: the served model and its backtest sMAPE and MASE, and Prophet's where it
    was raced (weekly plans leave it out of the race)."""
    reasons = sorted(
        {r.reason for r in results} | {r.prophet_error for r in results if r.prophet_error}
    )
    raced = any(row.model == "prophet" for r in results for row in r.table)
    # Rules under the header only: a blend's name and four score columns fit 80 columns.
    table = Table(
        title=f"Forecasts {horizon} steps ahead",
        caption="; ".join(reasons),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("series", overflow="fold")
    add_model_column(table, "served")
    beside = ("Prophet\nsMAPE", "Prophet\nMASE")
    columns = ("sMAPE", "MASE", *beside) if raced else ("sMAPE", "MASE")
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True)
    for result in results:
        scores = {row.model: row for row in result.table}
        prophet = cells(scores.get("prophet")) if raced else []
        chosen = model_cell(result.chosen)
        table.add_row(result.series_id, chosen, *cells(scores.get(result.chosen)), *prophet)
    return table


def notes(results: list[Served]) -> list[str]:
    """A line for each series whose model was not chosen by a backtest (nor forced): one too
    short to backtest, served by the fallback. The served model is named once."""
    return [
        f"series {r.series_id!r}: "
        + (r.reason if f"{r.chosen} served" in r.reason else f"{r.chosen} served: {r.reason}")
        for r in results
        if not r.table and r.reason != "forced"
    ]


def checked_calendar(holidays: str | None, events: Path | None) -> Calendar:
    """The holidays (the option, else LONGCAT_FORECAST_HOLIDAYS) and the events file's days;
    exits with one line on an unknown code or a bad events file."""
    from apps.cli.common import load_settings
    from forecasting.calendar import Calendar, read_events
    from forecasting.errors import InputFormatError

    code = holidays if holidays is not None else load_settings().forecast_holidays
    try:
        return Calendar.parse(code, read_events(events) if events else ())
    except InputFormatError as error:
        option = "--events" if events and "events file" in str(error) else "--holidays"
        raise fail_each([f"{option}: {error}"]) from error


def forecast_all(
    path: Path,
    series_list: list[Series],
    horizon: int,
    freq: FreqName,
    model: ModelChoice,
    calendar: Calendar,
    skip: bool = False,
) -> tuple[list[Served], list[ForecastingError]]:
    """Fit and serve every series, with a progress bar for several series on a terminal's
    stderr (redirected, it would leave a blank line among the notes). A series no model
    forecasts stops the command, or with ``skip`` is named (``skipped:``) and left out."""
    from rich.progress import Progress

    from forecasting.errors import ForecastingError
    from forecasting.selection import default_plan, serve

    force = None if model is ModelChoice.auto else "prophet"
    plan = default_plan(freq.value, force=force, calendar=calendar)
    results, failed = [], []
    shown = len(series_list) > 1 and err_console.is_terminal
    with Progress(console=err_console, transient=True, disable=not shown) as bar:
        task = bar.add_task("forecasting", total=len(series_list))
        for series in series_list:
            try:
                # OUT holds the served forecasts alone: Prophet is fitted only to race or serve.
                results.append(serve(series, horizon, plan, beside=False))
            except ForecastingError as error:
                if not skip:
                    raise fail_each([f"{path}: {error}"]) from error
                failed.append(error)
            bar.advance(task)
    say_skipped(failed)
    if not results:
        raise fail_each([f"{path}: no series could be forecast"])
    return results, failed


def write_out(out: Path, results: list[Served]) -> int:
    """OUT with every forecast, written whole or not at all; the number of rows."""
    import pandas as pd

    frame = pd.concat([r.served.to_frame() for r in results], ignore_index=True)
    try:
        write_out_file(out, lambda handle: frame[OUT_COLUMNS].to_csv(handle, index=False))
    except OSError as error:
        raise fail_each([f"--out {out}: cannot be written ({error.strerror or error})"]) from error
    return len(frame)


def report(
    results: list[Served],
    rows: int,
    out: Path,
    freq: FreqName,
    horizon: int,
    json: bool,
    skipped: list[ForecastingError],
) -> None:
    """The JSON summary on stdout, or the summary table and where OUT went."""
    if json:
        print_json(
            {
                "out": str(out),
                "rows": rows,
                "freq": freq.value,
                "series": [
                    {"series_id": r.series_id, "model": r.chosen, "reason": r.reason}
                    for r in results
                ],
                "skipped": [
                    {
                        "series_id": getattr(e, "series_id", None),
                        "reason": getattr(e, "reason", str(e)),
                    }
                    for e in skipped
                ],
            }
        )
        return
    # With the CSV on stdout, the summary goes to stderr, apart from it.
    shown = err_console if is_stdout(out) else console
    shown.print(summary_table(results, horizon))
    where = "stdout" if str(out) == STDOUT else str(out)
    shown.print(f"wrote {rows} rows to {escape(where)}")


FREQ_HELP = (
    "h: hourly, d: daily, w: weekly (7-day steps). Default: inferred from the most common "
    "step between timestamps (1 hour, 1 day or 7 days), stated on stderr."
)
FILL_HELP = (
    "Missing timestamps and empty y values: none refuses them, zero puts 0 there, "
    "interpolate draws a straight line in time (a gap at either end takes the nearest value)."
)

HOLIDAYS_HELP = (
    "Public holidays the models know: a country code of the holidays package (CN, US, GB, "
    "DE, JP, ...) or none. Default: LONGCAT_FORECAST_HOLIDAYS, else CN. Prophet models each "
    "holiday; the other models are fitted on ordinary weeks and given each holiday's effect "
    "as the history shows it (a holiday the history never saw is left as an ordinary day)."
)
EVENTS_HELP = (
    "CSV of your own days (header date,name): promotions, closures, local festivals. "
    "Treated as holidays; days with the same name share one effect."
)


IdColumn = Annotated[
    str, typer.Option(help="The column naming each series; without one the file is one series.")
]
DsColumn = Annotated[str, typer.Option(help="The column of dates or times.")]
YColumn = Annotated[str, typer.Option(help="The column of values to forecast.")]
SkipBad = Annotated[
    bool,
    typer.Option(
        "--skip-bad-series",
        help="Forecast every series that can be, naming each one that cannot on stderr "
        "(skipped: ...), rather than refusing the whole file.",
    ),
]


InCsv = Annotated[
    Path,
    typer.Argument(
        help="CSV with series_id,ds,y (or ds,y) columns, or others named by --ds-column, "
        "--y-column and --id-column; separated by commas, semicolons or tabs (decimal "
        "commas 12,5 and thousands 1,234.5 read). ds: ISO dates or times, or 05/01/2024 "
        "read day or month first as the file's values show; an offset such as +08:00 is "
        "dropped, keeping the clock time written."
    ),
]
Horizon = Annotated[
    int,
    typer.Option(
        min=1,
        help="Steps to forecast, in the data's frequency; at most each series' history "
        "(a warning past a third of it).",
    ),
]
OutCsv = Annotated[
    Path,
    typer.Option(
        help="Where to write series_id,ds,yhat,yhat_lower,yhat_upper,model as CSV; "
        "written only when every series is forecast, or with --skip-bad-series at least "
        "one (missing folders are created; a file is replaced whole, a symlink's target "
        "too). - writes to stdout (the summary then goes to stderr); a pipe or device "
        "such as /dev/null is written through.",
    ),
]


def file(
    path: InCsv,
    horizon: Horizon,
    out: OutCsv,
    freq: Annotated[FreqName | None, typer.Option(help=FREQ_HELP, show_default=False)] = None,
    model: Annotated[
        ModelChoice,
        typer.Option(
            help=(
                "auto: chosen by backtest (one model or the mean of the two best); "
                "prophet: always Prophet (a series that never changed: its value)."
            )
        ),
    ] = ModelChoice.auto,
    fill: Annotated[FillChoice, typer.Option(help=FILL_HELP)] = FillChoice.none,
    holidays: Annotated[str | None, typer.Option(help=HOLIDAYS_HELP, show_default=False)] = None,
    events: Annotated[Path | None, typer.Option(help=EVENTS_HELP, show_default=False)] = None,
    id_column: IdColumn = "series_id",
    ds_column: DsColumn = "ds",
    y_column: YColumn = "y",
    skip_bad_series: SkipBad = False,
    json: JsonOutput = False,
) -> None:
    """Forecast every series in a CSV file; the served model is chosen by backtest.

    Before any model is fitted, --out, --holidays and --events, the file, every series and
    --horizon are checked; each problem is one line on stderr and OUT is then not written
    (with --skip-bad-series, a bad series is named and the others are forecast)."""
    problem = out_problem(out, path)
    if json and is_stdout(out):
        problem = "is stdout, where --json writes its summary; name a file, or leave --json out"
    if problem:
        raise fail_each([f"--out {out}: {problem}"])
    calendar = checked_calendar(holidays, events)
    columns = Columns(series_id=id_column, ds=ds_column, y=y_column)
    skip = skip_bad_series
    freq, series_list, skipped = checked_series(path, columns, freq, fill, horizon, skip)
    results, failed = forecast_all(path, series_list, horizon, freq, model, calendar, skip)
    rows = write_out(out, results)
    for note in notes(results):
        say("note", note)
    report(results, rows, out, freq, horizon, json, skipped + failed)


def register(app: typer.Typer) -> None:
    forecast = typer.Typer(help="Demand forecasts: each series by the model its backtest chooses.")
    forecast.command("file")(file)
    from apps.cli.forecast_jobs import register_forecast

    register_forecast(forecast)
    app.add_typer(forecast, name="forecast")
