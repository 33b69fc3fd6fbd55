"""The simulation loop: ticks, dispatch rounds through the production service, complaints.

A `Simulation` row holds the clock. Each tick's events and the clock move in one
transaction; the dispatch round that follows is recorded by its plan's timestamp, so a
run killed anywhere resumes without doing any step twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from agents.llm import ChatModel
from apps.simulator import draws
from apps.simulator.catalog import read_catalog
from apps.simulator.complaints import complain, due_complaints
from apps.simulator.settings import SimSettings
from apps.simulator.tick import TickCounts, World, run_tick
from db.domain.status import OPEN
from db.models import Order, RoutePlan, Simulation
from routing.service.dispatch import run_round
from routing.service.proposals import held_zones
from routing.travel.providers import HaversineProvider

DISPATCH_ACTOR = "dispatch:simulation"
COMPLAINTS_SETTLE = timedelta(seconds=draws.COMPLAINT_MAX_S)


DEFAULT_WINDOW = timedelta(hours=1)


class SimulationError(RuntimeError):
    """The simulation cannot start or go on; the message says why."""


@dataclass
class Totals:
    """What a run of the loop did, summed over its ticks."""

    ticks: int = 0
    rounds: int = 0
    complaints: int = 0
    compensation_minor: int = 0
    counts: TickCounts = field(default_factory=TickCounts)


def start_of_store(engine: Engine) -> datetime:
    """Where a new simulation starts: the store's latest order, to the next whole minute."""
    with Session(engine) as session:
        latest = session.scalar(select(func.max(Order.placed_at)))
    if latest is None:
        raise SimulationError("orders: the store holds no city; run `longcat seed` first")
    return latest.replace(second=0, microsecond=0) + timedelta(minutes=1)


class Simulator:
    """Drives one named simulation over the store; a second instance resumes the first."""

    def __init__(
        self,
        engine: Engine,
        settings: SimSettings,
        *,
        name: str = "live",
        timezone: str = "UTC",
        start: datetime | None = None,
        model: ChatModel | None = None,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine, self.name, self.model, self.timezone = engine, name, model, timezone
        with Session(engine) as session:
            exists = session.scalar(select(Simulation.id).where(Simulation.name == name))
        # Read before the write transaction: SQLite allows one writer and this is a reader.
        begin = start or (None if exists else start_of_store(engine))
        with Session(engine) as session, session.begin():
            row = session.scalar(select(Simulation).where(Simulation.name == name))
            if row is None:
                row = Simulation(
                    name=name,
                    seed=settings.seed,
                    settings=settings.as_json(),
                    started_at=begin,
                    clock=begin,
                    next_dispatch_at=begin,
                    busy_until={},
                    counters={},
                    status="running",
                    updated_at=wall_clock(),
                )
                session.add(row)
            elif SimSettings.from_json(row.settings) != settings:
                raise SimulationError(
                    f"settings: simulation {name!r} was started with other settings; resume it "
                    "with the same ones or start a new one with another --name or --reset"
                )
            self.started_at, clock = row.started_at, row.clock
            busy = {int(k): float(v) for k, v in row.busy_until.items()}
            self.counters: dict[str, dict[str, float]] = dict(row.counters)
            self.next_dispatch_at = row.next_dispatch_at
        self.settings, self.clock, self._wall = settings, clock, wall_clock
        self.tz = ZoneInfo(timezone)
        with Session(engine) as session:
            catalog = read_catalog(session, self.started_at, timezone, settings.history_days)
        self.world = World(catalog, settings, HaversineProvider(timezone=timezone), busy)

    def step(self, totals: Totals | None = None) -> TickCounts:
        """One tick: the city's events, then a dispatch round if one is due, then complaints."""
        totals = totals or Totals()
        if self.started_at < self.clock >= self.next_dispatch_at:
            # A run killed between a tick and its round owes that round: pay it first.
            self._dispatch(self.clock, totals)
        t0 = self.clock
        t1 = t0 + timedelta(seconds=self.settings.tick_s)
        with self.engine.begin() as conn:
            counts = run_tick(conn, self.world, t0, t1)
            day = t1.astimezone(self.tz).date().isoformat()
            spent = self.counters.setdefault(day, {"on_shift_s": 0.0, "busy_s": 0.0})
            spent["on_shift_s"] += counts.on_shift * self.settings.tick_s
            spent["busy_s"] += counts.busy * self.settings.tick_s
            conn.execute(
                update(Simulation)
                .where(Simulation.name == self.name)
                .values(
                    clock=t1,
                    busy_until={str(k): v for k, v in self.world.busy_until.items()},
                    counters=self.counters,
                    status="running",
                    updated_at=self._wall(),
                )
            )
        self.clock = t1
        if t1 >= self.next_dispatch_at:
            self._dispatch(t1, totals)
        for order_id, customer_id, moment in due_complaints(
            self.engine, self.settings, self.started_at, t1
        ):
            totals.compensation_minor += complain(
                self.engine, order_id, customer_id, moment, self.model, self.timezone
            )
            totals.complaints += 1
        totals.ticks += 1
        totals.counts.add(counts)
        return counts

    def _dispatch(self, at: datetime, totals: Totals) -> None:
        scopes = self.world.catalog.zone_ids if self.settings.dispatch_by_zone else (None,)
        with Session(self.engine) as session:
            done = set(
                session.scalars(
                    select(RoutePlan.zone_id).where(
                        RoutePlan.created_by == DISPATCH_ACTOR, RoutePlan.created_at >= at
                    )
                )
            )
        with Session(self.engine) as session:
            held = held_zones(session)
        for zone_id in scopes:
            if zone_id in done:
                continue  # written before a restart: the round is not run twice
            if None in held or zone_id in held or (zone_id is None and held):
                continue  # an operator is deciding on a proposal here: their commit wins
            run_round(
                self.engine,
                now=at,
                zone_id=zone_id,
                time_limit_s=self.settings.dispatch_time_limit_s,
                actor=DISPATCH_ACTOR,
                timezone=self.timezone,
                deterministic=True,
            )
        totals.rounds += 1
        self.next_dispatch_at = at + timedelta(seconds=self.settings.dispatch_interval_s)
        with self.engine.begin() as conn:
            conn.execute(
                update(Simulation)
                .where(Simulation.name == self.name)
                .values(next_dispatch_at=self.next_dispatch_at)
            )

    def run(
        self,
        until: datetime,
        *,
        speed: float | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        on_tick: Callable[[Simulator, TickCounts], None] | None = None,
    ) -> Totals:
        """Tick until the clock reaches ``until``; ``speed`` simulated seconds per wall second
        (None: as fast as the machine goes). Stops cleanly after a tick if asked to."""
        totals = Totals()
        started, sim_started = time.monotonic(), self.clock
        while self.clock < until and not should_stop():
            counts = self.step(totals)
            if on_tick is not None:
                on_tick(self, counts)
            if speed:
                due = started + (self.clock - sim_started).total_seconds() / speed
                # Short naps, so a stop asked for at 1x does not wait out a whole tick.
                while (left := due - time.monotonic()) > 0 and not should_stop():
                    time.sleep(min(left, 0.2))
        self.set_status("finished" if self.clock >= until else "stopped")
        return totals

    def window(
        self, duration: timedelta | None = None, until: datetime | None = None
    ) -> tuple[datetime, datetime]:
        """The simulated window this run ticks through, kept on the simulation's row.

        ``until`` ends it there. Otherwise a window the simulation was started with and did
        not finish (stopped, or killed) is resumed to its end, or to its start plus
        ``duration`` when one is given; a finished one is followed by a new window of
        ``duration`` (an hour if not given) from the clock.
        """
        with Session(self.engine) as session, session.begin():
            row = session.scalars(select(Simulation).where(Simulation.name == self.name)).one()
            if row.window_end is not None and self.clock < row.window_end and until is None:
                start = row.window_start or self.started_at
                end = start + duration if duration is not None else row.window_end
                if end <= self.clock:
                    raise SimulationError(
                        f"duration: the window began at {start.astimezone(self.tz):%H:%M} "
                        f"and the clock is already at {self.clock.astimezone(self.tz):%H:%M}; "
                        "give a longer --duration, an --until, or --reset to start again"
                    )
            else:
                start = self.clock
                end = until if until is not None else self.clock + (duration or DEFAULT_WINDOW)
            row.window_start, row.window_end = start, end
        return start, end

    def open_orders(self) -> int:
        with Session(self.engine) as session:
            return session.execute(
                select(func.count()).select_from(Order).where(Order.status.in_(OPEN))
            ).scalar_one()

    def drain(self, limit: timedelta = timedelta(hours=3)) -> Totals:
        """No more orders: run until every open order is delivered or given up, and the
        customers of the last late ones have had their time to complain."""
        self.world.arrivals_open = False
        totals = Totals()
        stop_at = self.clock + limit
        while self.clock < stop_at and self.open_orders():
            self.step(totals)
        self.run(self.clock + COMPLAINTS_SETTLE)
        return totals

    def set_status(self, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(Simulation)
                .where(Simulation.name == self.name)
                .values(status=status, updated_at=self._wall())
            )
