"""``longcat whatif``: replay one day of the seeded city under other settings."""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from apps.cli.common import (
    JsonOutput,
    city_day,
    console,
    err_console,
    fail,
    load_settings,
    print_json,
)
from apps.cli.simulate import duration_s

if TYPE_CHECKING:
    from apps.simulator.whatif import Day, Outcome, Prepared, Variant

_CHANGE = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*%\s*$")

# The KPI rows of the side-by-side table, in the order an operator reads them.
ROWS = ["courier_hours", "orders", "delivered", "cancelled", "unserved", "on_time_rate",
        "avg_delivery_min", "p90_delivery_min", "courier_utilisation", "compensation_total",
        "wall_s"]  # fmt: skip

DayOption = Annotated[
    str, typer.Option("--date", help="The city's day to replay: YYYY-MM-DD, today or tomorrow.")
]
Couriers = Annotated[
    list[str] | None,
    typer.Option(help="A variant with more or fewer couriers: +10%, -20%. Repeatable."),
]
Roster = Annotated[
    list[str] | None,
    typer.Option(help="A variant with another roster: forecast, flat, seeded. Repeatable."),
]
DispatchIntervals = Annotated[
    list[str] | None,
    typer.Option(help="A variant dispatching every 30s, 2m, ... Repeatable."),
]
TimeLimits = Annotated[
    list[float] | None,
    typer.Option(help="A variant with another solver time cap, in seconds. Repeatable."),
]
BaselineRoster = Annotated[
    str, typer.Option(help="The baseline's roster: forecast, flat or seeded.")
]
Hours = Annotated[
    str, typer.Option(help="Local hours of the day to replay, e.g. 11-14 for the lunch peak.")
]
Scale = Annotated[str, typer.Option(help="Size of the seeded city: small or city.")]
Seed = Annotated[int, typer.Option(help="Seed of the city and of the day.")]
OrdersPerCourierHour = Annotated[
    float, typer.Option(min=0.1, help="Courier productivity the forecast roster plans with.")
]
Workers = Annotated[int, typer.Option(min=1, help="Variants run at the same time.")]


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


def whatif(
    day: DayOption,
    couriers: Couriers = None,
    roster: Roster = None,
    dispatch_interval: DispatchIntervals = None,
    time_limit: TimeLimits = None,
    baseline_roster: BaselineRoster = "forecast",
    hours: Hours = "0-24",
    scale: Scale = "small",
    seed: Seed = 7,
    orders_per_courier_hour: OrdersPerCourierHour = 2.5,
    workers: Workers = 2,
    json: JsonOutput = False,
) -> None:
    """Replay one day of the seeded city under other settings; print the KPIs side by side.

    With no variant option the comparison is the question operations ask: the roster
    staffed from our forecast (the baseline) against a flat roster of the same
    courier-hours. Each variant changes one setting of the baseline.
    """
    from apps.simulator.whatif import Day, WhatIfError

    timezone = load_settings(None).timezone
    when = city_day(day, datetime.now(UTC), ZoneInfo(timezone), "--date")
    window = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", hours)
    if window is None:
        raise fail(f"hours: {hours!r} is not a window like 11-14")
    try:
        base, variants = _variants(baseline_roster, roster, couriers, dispatch_interval, time_limit)
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
    prepared, outcomes = _compare(setup, base, variants, workers, json)
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
    _print_outcomes(when, outcomes)


def _variants(
    baseline_roster: str,
    roster: list[str] | None,
    couriers: list[str] | None,
    dispatch_interval: list[str] | None,
    time_limit: list[float] | None,
) -> tuple[Variant, list[Variant]]:
    """The baseline and one variant per option value; with none, the other roster."""
    from apps.simulator.whatif import Variant, variant_named

    base = Variant(roster=baseline_roster)
    variants = [variant_named(base, roster=r) for r in roster or []]
    variants += [variant_named(base, couriers=parse_change(c, "couriers")) for c in couriers or []]
    variants += [
        variant_named(base, dispatch_interval_s=duration_s(d, "dispatch_interval"))
        for d in dispatch_interval or []
    ]
    variants += [variant_named(base, time_limit_s=t) for t in time_limit or []]
    if not variants:
        variants = [variant_named(base, roster="flat" if base.roster != "flat" else "forecast")]
    return base, variants


def _compare(
    setup: Day, base: Variant, variants: list[Variant], workers: int, quiet: bool
) -> tuple[Prepared, list[Outcome]]:
    """Run the baseline and the variants, telling stderr as each one finishes."""
    from apps.simulator.whatif import WhatIfError, compare

    def done(outcome: Outcome) -> None:
        if not quiet:
            err_console.print(f"  {outcome.variant.name}: {outcome.wall_s:.0f} s")

    with tempfile.TemporaryDirectory(prefix="longcat-whatif-") as tmp:
        try:
            return compare(setup, base, variants, Path(tmp), workers, done)
        except (WhatIfError, LookupError) as exc:
            raise fail(str(exc)) from exc


def _print_outcomes(when: date, outcomes: list[Outcome]) -> None:
    table = Table("", *(o.variant.name for o in outcomes), title=f"what if, {when}")
    data = [o.as_json() for o in outcomes]
    for key in ROWS:
        table.add_row(key, *("-" if d[key] is None else str(d[key]) for d in data))
    console.print(table)
