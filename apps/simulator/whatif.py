"""What if: replay one day of the seeded city under other settings and compare the KPIs.

The city is built and seeded once, up to the day's local midnight, into a private SQLite
file; each variant runs on its own copy (in parallel when asked), so the user's store is
never touched and every variant starts from the same world.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from apps.simulator import roster
from apps.simulator.kpis import Kpis, kpis
from apps.simulator.loop import Simulator
from apps.simulator.settings import SimSettings
from db.domain.rules import CITY_TIMEZONE
from routing.processes import process_context

ROSTERS = ("forecast", "flat", "seeded")
FINISH_UP_H = 1  # every roster's last shifts run on this long to finish the window's orders


class WhatIfError(ValueError):
    """A what-if setting is not usable; the message names it."""


@dataclass(frozen=True)
class Variant:
    """One way to run the day; the baseline is a Variant like any other."""

    name: str = "baseline"
    roster: str = "forecast"
    couriers: float = 1.0  # headcount factor on the roster
    dispatch_interval_s: float = 60.0
    time_limit_s: float = 10.0

    def __post_init__(self) -> None:
        if self.roster not in ROSTERS:
            raise WhatIfError(f"roster: {self.roster!r} is not one of {', '.join(ROSTERS)}")
        if self.couriers <= 0:
            raise WhatIfError(f"couriers: the factor must be positive, got {self.couriers}")

    def settings(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "name"}


@dataclass(frozen=True)
class Day:
    """The day to replay and the city it happens in."""

    day: date
    scale: str = "small"
    seed: int = 7
    timezone: str = CITY_TIMEZONE
    holidays: str | None = "CN"  # the seeded city's demand follows China's public holidays
    orders_per_courier_hour: float = 2.5  # what a courier delivers in a busy hour
    service_level: float = 0.9
    tick_s: float = 30.0
    hours: tuple[int, int] = (0, 24)  # local hours of the day to replay

    def __post_init__(self) -> None:
        first, last = self.hours
        if not 0 <= first < last <= 24:
            raise WhatIfError(f"hours: {first}-{last} is not a window inside 0-24")
        if self.orders_per_courier_hour <= 0:
            raise WhatIfError("orders_per_courier_hour: must be positive")

    @property
    def midnight(self) -> datetime:
        local = datetime.combine(self.day, datetime.min.time(), ZoneInfo(self.timezone))
        return local.astimezone(UTC)

    @property
    def start(self) -> datetime:
        return self.midnight + timedelta(hours=self.hours[0])

    @property
    def end(self) -> datetime:
        return self.midnight + timedelta(hours=self.hours[1])


@dataclass(frozen=True)
class Outcome:
    variant: Variant
    kpis: Kpis
    courier_hours: int
    wall_s: float

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.variant.name,
            "settings": self.variant.settings(),
            "courier_hours": self.courier_hours,
            "wall_s": round(self.wall_s, 1),
            **self.kpis.as_json(),
        }


@dataclass(frozen=True)
class Prepared:
    day: Day
    store: Path  # the seeded city at the day's start, copied for each variant
    need: dict[int, list[int]]  # couriers needed per zone and local hour, from the forecast
    forecast_orders: float
    seconds: dict[str, float] = field(default_factory=dict)


def _engine(path: Path) -> Engine:
    from db.engine import make_engine

    return make_engine(f"sqlite:///{path}")


def prepare(day: Day, workdir: Path) -> Prepared:
    """Build and seed the city up to the day, and staff it from the forecast."""
    from apps.city.build import build_city
    from apps.city.scales import SCALES
    from apps.city.seed import seed_city
    from db.migrate import upgrade

    if day.scale not in SCALES:
        raise WhatIfError(f"scale: {day.scale!r} is not one of {', '.join(SCALES)}")
    seconds, started = {}, time.perf_counter()
    path = workdir / "day-start.sqlite"
    path.unlink(missing_ok=True)
    engine = _engine(path)
    upgrade(engine)
    seed_city(engine, build_city(SCALES[day.scale], day.seed, day.start))
    seconds["seed"] = time.perf_counter() - started
    started = time.perf_counter()
    need, orders = forecast_need(engine, day)
    seconds["forecast"] = time.perf_counter() - started
    engine.dispose()
    return Prepared(day, path, {z: n.tolist() for z, n in need.items()}, orders, seconds)


def forecast_need(engine: Engine, day: Day) -> tuple[dict[int, NDArray], float]:
    """Couriers needed per zone and hour of the day, from the forecast the suite serves."""
    from forecasting.calendar import Calendar
    from forecasting.demand_store import demand_series, series_key
    from forecasting.selection import default_plan, serve
    from forecasting.staffing import couriers_needed

    with Session(engine) as session:
        history = demand_series(session, day.timezone, city=False, ended_by=day.start)
    first, last = day.hours
    need: dict[int, NDArray] = {}
    total = 0.0
    for known in history:
        np.random.seed(day.seed)  # a model that samples draws from the global generator
        plan = default_plan("h", calendar=Calendar(day.holidays))
        served = serve(known, last - first, plan, beside=False).served
        zone_id = series_key(known.series_id).zone_id
        assert zone_id is not None  # zones only: the city's own series was not read
        hourly = np.zeros(24, dtype=int)
        hourly[first:last] = couriers_needed(
            served.yhat, served.upper, day.orders_per_courier_hour, day.service_level
        )
        need[zone_id] = hourly
        total += float(served.yhat.sum())
    return need, total


def shifts_for(prepared: Prepared, variant: Variant, engine: Engine) -> list[roster.Shift]:
    planned = roster.cover_need(
        {z: np.array(n) for z, n in prepared.need.items()}, prepared.day.hours
    )
    if variant.roster == "forecast":
        return roster.scaled(planned, variant.couriers)
    if variant.roster == "flat":
        hours: dict[int, float] = {}
        for s in planned:
            hours[s.zone_id] = hours.get(s.zone_id, 0) + s.hours * variant.couriers
        return roster.flat(hours, prepared.day.hours)
    with engine.connect() as conn:
        return roster.scaled(roster.seeded_shifts(conn, prepared.day.midnight), variant.couriers)


def run_variant(prepared: Prepared, variant: Variant, workdir: Path) -> Outcome:
    """Replay the day on a private copy of the city; the orders still under way at midnight
    are run to their end, so every order of the day counts."""
    started = time.perf_counter()
    day = prepared.day
    path = workdir / f"variant-{uuid.uuid4().hex}.sqlite"
    shutil.copyfile(prepared.store, path)
    engine = _engine(path)
    shifts = shifts_for(prepared, variant, engine)
    with engine.begin() as conn:
        roster.apply(conn, shifts, day.midnight, day.start, (day.hours[1], FINISH_UP_H))
    settings = SimSettings(
        seed=day.seed,
        tick_s=day.tick_s,
        dispatch_interval_s=variant.dispatch_interval_s,
        dispatch_time_limit_s=variant.time_limit_s,
    )
    sim = Simulator(engine, settings, name="whatif", timezone=day.timezone, start=day.start)
    sim.run(day.end)
    # Utilisation is over the window itself; the drain after it only finishes its orders.
    spent = {key: dict(value) for key, value in sim.counters.items()}
    sim.drain()
    figures = kpis(engine, day.start, day.end, spent)
    engine.dispose()
    path.unlink(missing_ok=True)
    return Outcome(variant, figures, roster.courier_hours(shifts), time.perf_counter() - started)


def compare(
    day: Day,
    baseline: Variant,
    variants: list[Variant],
    workdir: Path,
    workers: int = 2,
    on_done: Callable[[Outcome], None] | None = None,
) -> tuple[Prepared, list[Outcome]]:
    """The baseline and each variant, in that order, run ``workers`` at a time."""
    prepared = prepare(day, workdir)
    todo = [baseline, *variants]
    if workers <= 1 or len(todo) == 1:
        outcomes = []
        for v in todo:
            outcomes.append(run_variant(prepared, v, workdir))
            if on_done:
                on_done(outcomes[-1])
        return prepared, outcomes
    with ProcessPoolExecutor(min(workers, len(todo)), mp_context=process_context()) as pool:
        futures = [pool.submit(run_variant, prepared, v, workdir) for v in todo]
        outcomes = []
        for future in futures:
            outcomes.append(future.result())
            if on_done:
                on_done(outcomes[-1])
    return prepared, outcomes


def variant_named(base: Variant, **change: Any) -> Variant:
    """The baseline with one change, named after it."""
    label = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in change.items())
    return replace(base, name=label, **change)
