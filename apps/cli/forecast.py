"""``longcat forecast file``: forecast the series a user brings in a CSV file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from apps.cli.common import JsonOutput, console, err_console, fail, print_json

if TYPE_CHECKING:
    import pandas as pd

    from forecasting.selection import ModelScore, Served


class FreqName(StrEnum):
    h = "h"
    d = "d"


class ModelChoice(StrEnum):
    auto = "auto"
    prophet = "prophet"


OUT_COLUMNS = ["series_id", "ds", "yhat", "yhat_lower", "yhat_upper", "model"]


def read_table(path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        # Read every field as text so bad values can be named as written in the file.
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError as error:
        raise fail(f"{path}: no such file") from error
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise fail(f"{path}: not a readable CSV file ({error})") from error


def cells(row: ModelScore | None) -> list[str]:
    return [f"{row.smape:.2f}", f"{row.mase:.3f}"] if row else ["-", "-"]


def summary_table(results: list[Served], horizon: int) -> Table:
    """Per series: the served model and Prophet, with their backtest sMAPE and MASE."""
    reasons = sorted(
        {r.reason for r in results} | {r.prophet_error for r in results if r.prophet_error}
    )
    table = Table(title=f"Forecasts {horizon} steps ahead", caption="; ".join(reasons))
    table.add_column("series")
    table.add_column("served")
    for column in ("sMAPE", "MASE", "Prophet sMAPE", "Prophet MASE"):
        table.add_column(column, justify="right")
    for result in results:
        scores = {row.model: row for row in result.table}
        table.add_row(
            result.series_id,
            result.chosen,
            *cells(scores.get(result.chosen)),
            *cells(scores.get("prophet")),
        )
    return table


def file(
    path: Annotated[Path, typer.Argument(help="CSV with series_id,ds,y (or ds,y) columns.")],
    horizon: Annotated[int, typer.Option(min=1, help="Steps to forecast (hours or days).")],
    out: Annotated[Path, typer.Option(help="Where to write series_id,ds,yhat,... as CSV.")],
    freq: Annotated[FreqName, typer.Option(help="h: hourly, d: daily.")] = FreqName.h,
    model: Annotated[
        ModelChoice, typer.Option(help="auto: best by backtest; prophet: always Prophet.")
    ] = ModelChoice.auto,
    json: JsonOutput = False,
) -> None:
    """Forecast every series in a CSV file; the served model is the best by backtest."""
    import pandas as pd
    from rich.progress import Progress

    from forecasting.errors import ForecastingError, InputFormatError
    from forecasting.selection import default_plan, serve
    from forecasting.tables import series_from_table

    try:
        series_list = series_from_table(read_table(path), freq.value)
    except InputFormatError as error:
        raise fail(f"{path}:\n{error}") from error
    plan = default_plan(freq.value, force=None if model is ModelChoice.auto else "prophet")
    results = []
    with Progress(console=err_console, transient=True, disable=len(series_list) < 2) as bar:
        task = bar.add_task("forecasting", total=len(series_list))
        for series in series_list:
            try:
                results.append(serve(series, horizon, plan))
            except ForecastingError as error:
                raise fail(str(error)) from error
            bar.advance(task)
    frame = pd.concat([r.served.to_frame() for r in results], ignore_index=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame[OUT_COLUMNS].to_csv(out, index=False)
    if json:
        print_json(
            {
                "out": str(out),
                "rows": len(frame),
                "series": [
                    {"series_id": r.series_id, "model": r.chosen, "reason": r.reason}
                    for r in results
                ],
            }
        )
        return
    console.print(summary_table(results, horizon))
    console.print(f"wrote {len(frame)} rows to {out}")


def register(app: typer.Typer) -> None:
    forecast = typer.Typer(help="Demand forecasts: Prophet beside the best model by backtest.")
    forecast.command("file")(file)
    from apps.cli.forecast_jobs import register_forecast

    register_forecast(forecast)
    app.add_typer(forecast, name="forecast")
