"""Batch forecasting and staffing commands over the store: ``forecast run``,
``forecast backtest`` and ``staffing plan``."""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from apps.cli.common import (
    DatabaseUrl,
    JsonOutput,
    add_model_column,
    city_day,
    console,
    err_console,
    fail,
    load_settings,
    model_cell,
    open_store,
    print_json,
)
from db.clock import store_now

if TYPE_CHECKING:
    from db.models import ForecastSeries
    from forecasting.jobs import Outcome, RunSettings
    from forecasting.staffing_plan import StaffingResult


def parse_hours(value: str) -> int:
    """'48h', '2d' or '48' as a number of hours."""
    match = re.fullmatch(r"\s*(\d+)\s*([hd]?)\s*", value)
    if not match:
        raise typer.BadParameter(f"{value!r} is not a duration such as 48h or 2d")
    return int(match.group(1)) * (24 if match.group(2) == "d" else 1)


Horizon = Annotated[str, typer.Option(help="How far ahead: 48h, 2d, ...")]
Zones = Annotated[list[int] | None, typer.Option("--zones", help="Only these zone ids (repeat).")]
Model = Annotated[
    str,
    typer.Option(
        help="auto: chosen by backtest (one model or the mean of the two best); prophet: Prophet."
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)."),
]
Workers = Annotated[int, typer.Option(min=1, help="Workers of the local cluster.")]
Holidays = Annotated[
    str | None,
    typer.Option(
        help="Public holidays the models know: a holidays-package country code or none "
        "(default: LONGCAT_FORECAST_HOLIDAYS, else CN).",
        show_default=False,
    ),
]
Resume = Annotated[str | None, typer.Option(help="Finish this run instead of starting one.")]
ShownRun = Annotated[str | None, typer.Option("--run", help="Run to show (default: the latest).")]
PlanDay = Annotated[
    str,
    typer.Option("--date", help="The city's day to plan: YYYY-MM-DD, 'today' or 'tomorrow'."),
]
ServiceLevel = Annotated[
    float, typer.Option(min=0.5, max=0.999, help="Share of hours fully covered.")
]
OrdersPerCourierHour = Annotated[
    float | None,
    typer.Option(
        min=0.1,
        help="What one courier delivers in an hour (default: measured per zone over the "
        "last four weeks, in each zone's busiest quarter of hours, so quiet hours do not "
        "make it look like one order an hour).",
    ),
]
PlanRun = Annotated[str | None, typer.Option("--run", help="Forecast run (default: the latest).")]


def run(
    horizon: Horizon = "48h",
    zones: Zones = None,
    model: Model = "auto",
    scheduler: Scheduler = None,
    workers: Workers = 2,
    resume: Resume = None,
    holidays: Holidays = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Forecast every zone and the city from the store; safe to kill, then --resume."""
    engine = open_store(database_url)
    options = RunOptions(horizon, zones, model, holidays)
    run_id, settings = _start_or_resume(engine, resume, options, database_url)
    err_console.print(
        f"forecast run [bold]{run_id}[/] ({settings.horizon} h, model {settings.model})"
    )
    ledger = _execute(engine, run_id, scheduler, workers)
    summary = [
        {
            "series_id": e.series_id,
            "status": e.status,
            "served_model": e.served_model,
            "reason": e.reason or (e.metrics or {}).get("reason"),
        }
        for e in ledger
    ]
    if json:
        print_json({"run_id": run_id, "series": summary})
        return
    table = Table("series", "status", title=f"forecast run {run_id}")
    add_model_column(table, "served")
    table.add_column("why")
    for row in summary:
        served = model_cell(row["served_model"] or "-")
        table.add_row(row["series_id"], row["status"], served, row["reason"] or "")
    console.print(table)


@dataclass(frozen=True)
class RunOptions:
    """What the command line says a new run is."""

    horizon: str
    zones: list[int] | None
    model: str
    holidays: str | None


def _start_or_resume(
    engine: Engine, resume: str | None, options: RunOptions, database_url: str | None
) -> tuple[str, RunSettings]:
    """The run to execute: the one --resume names, else a new one from the options."""
    from forecasting.errors import ForecastingError
    from forecasting.jobs import RunNotFoundError, RunSettings, run_settings, start_run

    try:
        if resume:
            return resume, run_settings(engine, resume)
        config = load_settings(database_url)
        settings = RunSettings(
            horizon=parse_hours(options.horizon),
            zones=tuple(options.zones) if options.zones else None,
            model=options.model,
            timezone=config.timezone,
            holidays=config.forecast_holidays if options.holidays is None else options.holidays,
        )
        with Session(engine) as session:
            now = store_now(session)
        run_id = start_run(engine, settings, now)
        warn_if_behind(engine, run_id, config.timezone)
        return run_id, settings
    except (ValueError, RunNotFoundError, ForecastingError) as exc:
        raise fail(str(exc)) from exc


def warn_if_behind(engine: Engine, run_id: str, timezone: str) -> None:
    """A warning where the run's history ended an hour or more before its moment: its
    forecast then starts in the past, which the run's table would not show."""
    from forecasting.jobs import run_lag

    lag = run_lag(engine, run_id)
    if lag is not None:
        err_console.print(
            f"[yellow]warning:[/] {escape(lag.text(timezone))}", highlight=False, soft_wrap=True
        )


def _execute(engine: Engine, run_id: str, scheduler: str | None, workers: int) -> list[Any]:
    """Run the forecast on the cluster, a progress bar on stderr ticking per series."""
    from forecasting.jobs import dask_client, execute_run

    with ExitStack() as stack:
        client = stack.enter_context(dask_client(scheduler, workers))
        progress = stack.enter_context(
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
            )
        )
        task = progress.add_task("series", total=None)

        def advance(_: Outcome, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return execute_run(engine, run_id, client, advance)


def backtest(
    run_id: ShownRun = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """The backtest table per zone and for the city: Prophet, the baselines, what is served."""
    engine = open_store(database_url)
    run_id, ledger = _ledger(engine, run_id)
    if not ledger:
        raise fail(f"--run: no forecast run {run_id!r}")
    if json:
        print_json(
            {
                "run_id": run_id,
                "series": [
                    {
                        "series_id": e.series_id,
                        "served_model": e.served_model,
                        "status": e.status,
                        "reason": e.reason,
                        "table": (e.metrics or {}).get("table", []),
                    }
                    for e in ledger
                ],
            }
        )
        return
    for entry in ledger:
        table = _backtest_table(entry)
        console.print(
            table if table.row_count else f"{entry.series_id}: {entry.reason or 'no backtest'}"
        )


def _ledger(engine: Engine, run_id: str | None) -> tuple[str, list[ForecastSeries]]:
    """The run (default: the latest) and its series, in series order."""
    from db.models import ForecastSeries
    from forecasting.staffing_plan import StaffingError, latest_run

    with Session(engine) as session:
        try:
            run_id = run_id or latest_run(session)
        except StaffingError as exc:
            raise fail(str(exc)) from exc
        ledger = (
            session.query(ForecastSeries)
            .filter_by(run_id=run_id)
            .order_by(ForecastSeries.series_id)
            .all()
        )
    return run_id, ledger


def _backtest_table(entry: ForecastSeries) -> Table:
    rows = (entry.metrics or {}).get("table", [])
    table = Table(title=f"{entry.series_id}: served {entry.served_model or '-'}")
    add_model_column(table, "model")
    for column in ("sMAPE", "MASE", "80% coverage", "score vs seasonal naive"):
        table.add_column(column)
    for row in rows:
        mark = " *" if row["model"] == entry.served_model else ""
        table.add_row(
            model_cell(row["model"]) + mark,
            f"{row['smape']:.2f}",
            f"{row['mase']:.3f}",
            f"{row['coverage']:.0%}",
            f"{row['score']:.3f}",
        )
    return table


def staffing_plan(
    day: PlanDay,
    service_level: ServiceLevel = 0.9,
    orders_per_courier_hour: OrdersPerCourierHour = None,
    run_id: PlanRun = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Couriers needed per zone and hour from the forecast, against the roster: the gaps.

    Demand is the served forecast at the service level; capacity is what a courier delivers
    in a busy hour (see --orders-per-courier-hour). Hours are the city's local time on
    screen and UTC (with offset) in --json."""
    from forecasting.staffing_plan import StaffingError, make_plan

    engine = open_store(database_url)
    timezone = load_settings(database_url).timezone
    with Session(engine) as session:
        now = store_now(session)
    plan_day = city_day(day, now, ZoneInfo(timezone), "--date")
    try:
        result = make_plan(
            engine, plan_day, timezone, service_level, run_id, now, orders_per_courier_hour
        )
    except StaffingError as exc:
        raise fail(str(exc)) from exc
    if json:
        print_json(
            {
                "plan_id": result.plan_id,
                "date": plan_day.isoformat(),
                "run_id": result.run_id,
                "rows": [asdict(r) for r in result.rows],
            }
        )
        return
    console.print(_plan_table(result, day, timezone, service_level))
    short = sum(-r.gap for r in result.rows if r.gap < 0)
    console.print(f"courier-hours short: {short}; plan {result.plan_id} written")


def _plan_table(result: StaffingResult, day: str, timezone: str, service_level: float) -> Table:
    """Gaps per zone and local hour, the hours short in red."""
    tz = ZoneInfo(timezone)
    table = Table(
        "zone",
        f"hour ({timezone})",
        "forecast orders",
        "needed",
        "on shift",
        "gap",
        title=f"staffing plan {day} (service level {service_level:.0%})",
    )
    for r in result.rows:
        style = "red" if r.gap < 0 else ""
        table.add_row(
            str(r.zone_id),
            f"{r.hour.astimezone(tz):%m-%d %H:%M}",
            f"{r.forecast_orders:.1f}",
            str(r.couriers_needed),
            str(r.couriers_on_shift),
            f"[{style}]{r.gap:+d}[/]" if style else f"{r.gap:+d}",
        )
    return table


def register_forecast(forecast: typer.Typer) -> None:
    forecast.command("run")(run)
    forecast.command("backtest")(backtest)


def register(app: typer.Typer) -> None:
    staffing = typer.Typer(help="Staffing plans from the forecasts.", no_args_is_help=True)
    staffing.command("plan")(staffing_plan)
    app.add_typer(staffing, name="staffing")
