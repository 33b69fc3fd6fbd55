"""``longcat simulate`` runs the live city over the store (``longcat whatif`` is in whatif.py)."""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from sqlalchemy import Engine

from apps.cli.common import (
    MOMENT_HELP,
    DatabaseUrl,
    JsonOutput,
    city_moment,
    console,
    err_console,
    fail,
    load_settings,
    open_store,
    print_json,
    shown,
)

if TYPE_CHECKING:
    from apps.settings import Settings
    from apps.simulator.kpis import Kpis
    from apps.simulator.loop import Simulator, Totals
    from apps.simulator.settings import SimSettings


def duration_s(text: str, field: str) -> float:
    """A duration option (90s, 30m, 8h, 2d) in seconds, or the command fails naming it."""
    from apps.simulator.settings import SimSettingsError, parse_duration

    try:
        return parse_duration(text, field)
    except SimSettingsError as exc:
        raise fail(str(exc)) from exc


Speed = Annotated[
    float,
    typer.Option(min=0, help="Simulated seconds per wall-clock second (0: as fast as it goes)."),
]
Duration = Annotated[
    str | None,
    typer.Option(
        help="Simulated time to run, then exit: 90s, 30m, 8h, 2d (default 1h). Measured "
        "from the start of the window a stopped or killed run was started with, so the "
        "same command resumes to the same end."
    ),
]
Until = Annotated[
    str | None,
    typer.Option(help=f"Run until this simulated moment ({MOMENT_HELP}) instead of --duration."),
]
Tick = Annotated[str, typer.Option(help="Simulated time per store transaction.")]
DispatchInterval = Annotated[str, typer.Option(help="Simulated time between dispatch rounds.")]
TimeLimit = Annotated[
    float, typer.Option(min=0.1, max=600, help="Cap on each round's solve, in seconds.")
]
ByZone = Annotated[
    bool,
    typer.Option("--by-zone/--city-wide", help="One dispatch round per zone, or one for the city."),
]
Seed = Annotated[int, typer.Option(help="Seed of every random choice of the run.")]
DemandFactor = Annotated[
    float, typer.Option(min=0.01, help="Orders relative to what the history predicts.")
]
Name = Annotated[str, typer.Option(help="The simulation to start or resume.")]
Reset = Annotated[
    bool,
    typer.Option("--reset", help="Forget this simulation's clock and start at the store's end."),
]
AgentModel = Annotated[
    bool,
    typer.Option(help="Let complaints reach the configured language model (slower)."),
]


def simulate(
    speed: Speed = 60.0,
    duration: Duration = None,
    until: Until = None,
    tick: Tick = "30s",
    dispatch_interval: DispatchInterval = "60s",
    time_limit: TimeLimit = 10.0,
    by_zone: ByZone = True,
    seed: Seed = 7,
    demand_factor: DemandFactor = 1.0,
    name: Name = "live",
    reset: Reset = False,
    agent_model: AgentModel = False,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Run the live city: orders arrive, couriers ride, dispatch plans, customers complain.

    Every tick is written to the store as it happens, so the dashboard and the tracking
    page move. Running it again with the same --name resumes where it stopped; Ctrl-C
    stops cleanly after the current tick.
    """
    from apps.simulator.kpis import kpis
    from apps.simulator.loop import SimulationError

    settings = load_settings(database_url)
    engine = open_store(database_url)
    sim_settings = _sim_settings(seed, tick, dispatch_interval, time_limit, by_zone, demand_factor)
    span = None if duration is None else timedelta(seconds=duration_s(duration, "duration"))
    if span is not None and span <= timedelta(0):
        raise fail("duration: must be positive")
    end_at = None if until is None else city_moment(until, "--until", ZoneInfo(settings.timezone))
    if reset:
        _forget(engine, name)
    sim = _simulator(engine, sim_settings, name, settings, agent_model)
    try:
        begin, end = sim.window(span, end_at)
    except SimulationError as exc:
        raise fail(str(exc)) from exc
    totals = _run(sim, name, begin, end, speed, json)
    figures = kpis(engine, begin, sim.clock, {})
    if json:
        print_json(_run_json(name, sim, begin, end, totals, figures))
        return
    _print_run(sim, begin, end, totals, figures)


def _sim_settings(
    seed: int,
    tick: str,
    dispatch_interval: str,
    time_limit: float,
    by_zone: bool,
    demand_factor: float,
) -> SimSettings:
    from apps.simulator.settings import SimSettings, SimSettingsError

    try:
        return SimSettings(
            seed=seed,
            tick_s=duration_s(tick, "tick"),
            dispatch_interval_s=duration_s(dispatch_interval, "dispatch_interval"),
            dispatch_time_limit_s=time_limit,
            dispatch_by_zone=by_zone,
            demand_factor=demand_factor,
        )
    except SimSettingsError as exc:
        raise fail(str(exc)) from exc


def _forget(engine: Engine, name: str) -> None:
    """--reset: drop the simulation's row, so its clock starts again at the store's end."""
    from sqlalchemy import delete

    from db.models import Simulation

    with engine.begin() as conn:
        conn.execute(delete(Simulation).where(Simulation.name == name))


def _simulator(
    engine: Engine, sim_settings: SimSettings, name: str, settings: Settings, agent_model: bool
) -> Simulator:
    from apps.simulator.loop import SimulationError, Simulator

    model = None
    if agent_model:
        from agents.llm import make_chat_model

        model = make_chat_model(settings.llm_config())
    try:
        return Simulator(engine, sim_settings, name=name, timezone=settings.timezone, model=model)
    except (SimulationError, LookupError) as exc:
        raise fail(str(exc)) from exc


def _run(
    sim: Simulator, name: str, begin: datetime, end: datetime, speed: float, json: bool
) -> Totals:
    """Run to the window's end; SIGINT and SIGTERM stop it cleanly after the current tick."""
    stop = {"asked": False}

    def ask_stop(*_: object) -> None:
        stop["asked"] = True

    previous = signal.signal(signal.SIGINT, ask_stop)
    signal.signal(signal.SIGTERM, ask_stop)
    report = _hourly_report(sim, json)
    if not json:
        console.print(
            f"Simulation [bold]{name}[/] from {begin.astimezone(sim.tz):%Y-%m-%d %H:%M} "
            f"to {end.astimezone(sim.tz):%Y-%m-%d %H:%M} "
            f"at {'full speed' if not speed else f'{speed:g}x'}"
            + (f", resumed at {sim.clock.astimezone(sim.tz):%H:%M}" if sim.clock > begin else "")
        )
    try:
        return sim.run(end, speed=speed or None, should_stop=lambda: stop["asked"],
                       on_tick=report)  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)


def _hourly_report(sim: Simulator, quiet: bool) -> Callable[[Simulator, object], None]:
    """A tick callback that tells stderr the open orders once per simulated hour."""
    last_hour = {"at": sim.clock}

    def report(s: Simulator, _counts: object) -> None:
        if quiet or s.clock - last_hour["at"] < timedelta(hours=1):
            return
        last_hour["at"] = s.clock
        err_console.print(
            f"{s.clock.astimezone(s.tz):%Y-%m-%d %H:%M}  open orders {s.open_orders():>4}"
        )

    return report


def _run_json(
    name: str, sim: Simulator, begin: datetime, end: datetime, totals: Totals, figures: Kpis
) -> dict[str, Any]:
    counts = totals.counts
    return {
        "name": name,
        "from": begin,
        "to": sim.clock,
        "stopped_early": sim.clock < end,
        "ticks": totals.ticks,
        "dispatch_rounds": totals.rounds,
        "complaints": totals.complaints,
        "placed": counts.placed,
        "delivered": counts.delivered,
        "kpis": figures.as_json(),
    }


def _print_run(
    sim: Simulator, begin: datetime, end: datetime, totals: Totals, figures: Kpis
) -> None:
    tz = sim.tz
    table = Table(
        "figure",
        "value",
        title=f"orders placed {shown(begin, tz, '%H:%M')}-{shown(sim.clock, tz, '%H:%M')} "
        f"({tz.key})",
    )
    for key, value in figures.as_json().items():
        if key != "courier_utilisation":
            table.add_row(key, "-" if value is None else str(value))
    table.add_row("dispatch rounds", str(totals.rounds))
    table.add_row("complaints", str(totals.complaints))
    console.print(table)
    if sim.clock < end:
        console.print(f"stopped at {sim.clock.astimezone(sim.tz):%H:%M}; run again to resume")


def register(app: typer.Typer) -> None:
    from apps.cli.whatif import whatif

    app.command()(simulate)
    app.command()(whatif)
