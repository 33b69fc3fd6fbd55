"""``longcat simulate`` runs the live city over the store; ``longcat whatif`` replays a day."""

from __future__ import annotations

import re
import signal
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

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

_CHANGE = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*%\s*$")


def parse_change(text: str, field: str) -> float:
    """'+10%' -> 1.1, '-20%' -> 0.8, '1.25' -> 1.25."""
    match = _CHANGE.match(text)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        factor = 1 + sign * float(match.group(2)) / 100
    else:
        try:
            factor = float(text)
        except ValueError:
            raise fail(
                f"{field}: {text!r} is not a change like +10% or -20%, or a factor"
            ) from None
    if factor <= 0:
        raise fail(f"{field}: {text!r} leaves no couriers")
    return factor


def _duration(text: str, field: str) -> float:
    from apps.simulator.settings import SimSettingsError, parse_duration

    try:
        return parse_duration(text, field)
    except SimSettingsError as exc:
        raise fail(str(exc)) from exc


def simulate(
    speed: Annotated[
        float,
        typer.Option(
            min=0, help="Simulated seconds per wall-clock second (0: as fast as it goes)."
        ),
    ] = 60.0,
    duration: Annotated[
        str | None,
        typer.Option(
            help="Simulated time to run, then exit: 90s, 30m, 8h, 2d (default 1h). Measured "
            "from the start of the window a stopped or killed run was started with, so the "
            "same command resumes to the same end."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            help=f"Run until this simulated moment ({MOMENT_HELP}) instead of --duration."
        ),
    ] = None,
    tick: Annotated[str, typer.Option(help="Simulated time per store transaction.")] = "30s",
    dispatch_interval: Annotated[
        str, typer.Option(help="Simulated time between dispatch rounds.")
    ] = "60s",
    time_limit: Annotated[
        float, typer.Option(min=0.1, max=600, help="Cap on each round's solve, in seconds.")
    ] = 10.0,
    by_zone: Annotated[
        bool,
        typer.Option(
            "--by-zone/--city-wide", help="One dispatch round per zone, or one for the city."
        ),
    ] = True,
    seed: Annotated[int, typer.Option(help="Seed of every random choice of the run.")] = 7,
    demand_factor: Annotated[
        float, typer.Option(min=0.01, help="Orders relative to what the history predicts.")
    ] = 1.0,
    name: Annotated[str, typer.Option(help="The simulation to start or resume.")] = "live",
    reset: Annotated[
        bool,
        typer.Option(
            "--reset", help="Forget this simulation's clock and start at the store's end."
        ),
    ] = False,
    agent_model: Annotated[
        bool,
        typer.Option(help="Let complaints reach the configured language model (slower)."),
    ] = False,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Run the live city: orders arrive, couriers ride, dispatch plans, customers complain.

    Every tick is written to the store as it happens, so the dashboard and the tracking
    page move. Running it again with the same --name resumes where it stopped; Ctrl-C
    stops cleanly after the current tick.
    """
    from sqlalchemy import delete

    from apps.simulator.kpis import kpis
    from apps.simulator.loop import SimulationError, Simulator
    from apps.simulator.settings import SimSettings, SimSettingsError
    from db.models import Simulation

    settings = load_settings(database_url)
    engine = open_store(database_url)
    try:
        sim_settings = SimSettings(
            seed=seed,
            tick_s=_duration(tick, "tick"),
            dispatch_interval_s=_duration(dispatch_interval, "dispatch_interval"),
            dispatch_time_limit_s=time_limit,
            dispatch_by_zone=by_zone,
            demand_factor=demand_factor,
        )
    except SimSettingsError as exc:
        raise fail(str(exc)) from exc
    span = None if duration is None else timedelta(seconds=_duration(duration, "duration"))
    if span is not None and span <= timedelta(0):
        raise fail("duration: must be positive")
    end_at = None if until is None else city_moment(until, "--until", ZoneInfo(settings.timezone))
    if reset:
        with engine.begin() as conn:
            conn.execute(delete(Simulation).where(Simulation.name == name))
    model = None
    if agent_model:
        from agents.llm import make_chat_model

        model = make_chat_model(settings.llm_config())
    try:
        sim = Simulator(engine, sim_settings, name=name, timezone=settings.timezone, model=model)
    except (SimulationError, LookupError) as exc:
        raise fail(str(exc)) from exc
    try:
        begin, end = sim.window(span, end_at)
    except SimulationError as exc:
        raise fail(str(exc)) from exc
    stop = {"asked": False}

    def ask_stop(*_: object) -> None:
        stop["asked"] = True

    previous = signal.signal(signal.SIGINT, ask_stop)
    signal.signal(signal.SIGTERM, ask_stop)
    last_hour = {"at": sim.clock}

    def report(s: Simulator, _counts: object) -> None:
        if json or s.clock - last_hour["at"] < timedelta(hours=1):
            return
        last_hour["at"] = s.clock
        err_console.print(
            f"{s.clock.astimezone(s.tz):%Y-%m-%d %H:%M}  open orders {s.open_orders():>4}"
        )

    if not json:
        console.print(
            f"Simulation [bold]{name}[/] from {begin.astimezone(sim.tz):%Y-%m-%d %H:%M} "
            f"to {end.astimezone(sim.tz):%Y-%m-%d %H:%M} "
            f"at {'full speed' if not speed else f'{speed:g}x'}"
            + (f", resumed at {sim.clock.astimezone(sim.tz):%H:%M}" if sim.clock > begin else "")
        )
    try:
        totals = sim.run(end, speed=speed or None, should_stop=lambda: stop["asked"],
                         on_tick=report)  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)
    figures = kpis(engine, begin, sim.clock, {})
    counts = totals.counts
    if json:
        print_json(
            {
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
        )
        return
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


def whatif(
    day: Annotated[str, typer.Option("--date", help="The local day to replay, YYYY-MM-DD.")],
    couriers: Annotated[
        list[str] | None,
        typer.Option(help="A variant with more or fewer couriers: +10%, -20%. Repeatable."),
    ] = None,
    roster: Annotated[
        list[str] | None,
        typer.Option(help="A variant with another roster: forecast, flat, seeded. Repeatable."),
    ] = None,
    dispatch_interval: Annotated[
        list[str] | None,
        typer.Option(help="A variant dispatching every 30s, 2m, ... Repeatable."),
    ] = None,
    time_limit: Annotated[
        list[float] | None,
        typer.Option(help="A variant with another solver time cap, in seconds. Repeatable."),
    ] = None,
    baseline_roster: Annotated[
        str, typer.Option(help="The baseline's roster: forecast, flat or seeded.")
    ] = "forecast",
    hours: Annotated[
        str, typer.Option(help="Local hours of the day to replay, e.g. 11-14 for the lunch peak.")
    ] = "0-24",
    scale: Annotated[str, typer.Option(help="Size of the seeded city: small or city.")] = "small",
    seed: Annotated[int, typer.Option(help="Seed of the city and of the day.")] = 7,
    orders_per_courier_hour: Annotated[
        float, typer.Option(min=0.1, help="Courier productivity the forecast roster plans with.")
    ] = 2.5,
    workers: Annotated[int, typer.Option(min=1, help="Variants run at the same time.")] = 2,
    json: JsonOutput = False,
) -> None:
    """Replay one day of the seeded city under other settings; print the KPIs side by side.

    With no variant option the comparison is the question operations ask: the roster
    staffed from our forecast (the baseline) against a flat roster of the same
    courier-hours. Each variant changes one setting of the baseline.
    """
    from apps.simulator.whatif import Day, Variant, WhatIfError, compare, variant_named

    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise fail(f"date: {day!r} is not a date like 2026-11-27") from None
    timezone = load_settings(None).timezone
    window = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", hours)
    if window is None:
        raise fail(f"hours: {hours!r} is not a window like 11-14")
    try:
        base = Variant(roster=baseline_roster)
        variants = [variant_named(base, roster=r) for r in roster or []]
        variants += [
            variant_named(base, couriers=parse_change(c, "couriers")) for c in couriers or []
        ]
        variants += [
            variant_named(base, dispatch_interval_s=_duration(d, "dispatch_interval"))
            for d in dispatch_interval or []
        ]
        variants += [variant_named(base, time_limit_s=t) for t in time_limit or []]
        if not variants:
            variants = [variant_named(base, roster="flat" if base.roster != "flat" else "forecast")]
        setup = Day(when, scale=scale, seed=seed, timezone=timezone,
                    orders_per_courier_hour=orders_per_courier_hour,
                    hours=(int(window.group(1)), int(window.group(2))))  # fmt: skip
    except WhatIfError as exc:
        raise fail(str(exc)) from exc
    if not json:
        err_console.print(
            f"Replaying {when} of the {scale} city (seed {seed}): baseline and "
            f"{len(variants)} variant(s), {workers} at a time ..."
        )

    def done(outcome: object) -> None:
        if not json:
            err_console.print(f"  {outcome.variant.name}: {outcome.wall_s:.0f} s")

    with tempfile.TemporaryDirectory(prefix="longcat-whatif-") as tmp:
        try:
            prepared, outcomes = compare(setup, base, variants, Path(tmp), workers, done)
        except (WhatIfError, LookupError) as exc:
            raise fail(str(exc)) from exc
    if json:
        print_json(
            {
                "date": when.isoformat(),
                "hours": list(setup.hours),
                "scale": scale,
                "seed": seed,
                "forecast_orders": round(prepared.forecast_orders, 1),
                "baseline": outcomes[0].as_json(),
                "variants": [o.as_json() for o in outcomes[1:]],
            }
        )
        return
    table = Table("", *(o.variant.name for o in outcomes), title=f"what if, {when}")
    rows = ["courier_hours", "orders", "delivered", "cancelled", "unserved", "on_time_rate",
            "avg_delivery_min", "p90_delivery_min", "courier_utilisation", "compensation_total",
            "wall_s"]  # fmt: skip
    data = [o.as_json() for o in outcomes]
    for key in rows:
        table.add_row(key, *("-" if d[key] is None else str(d[key]) for d in data))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(simulate)
    app.command()(whatif)
