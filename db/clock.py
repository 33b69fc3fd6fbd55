"""The store's one notion of "now".

While a simulation runs on a store, the city in it lives on the simulation's clock (at 60
times real time it is soon hours ahead of the wall clock); otherwise the store lives on the
wall clock. Every surface (the API, the agents, the dashboard, the CLI, the staffing and
forecasting commands) asks here, so they all show the same moment. Security (token expiry,
leases) keeps the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Simulation

# A simulation marked running that has not ticked for this long (wall time) was killed.
LIVE_WITHIN = timedelta(minutes=2)

Clock = Callable[[], datetime]


def wall_now() -> datetime:
    return datetime.now(UTC)


def store_now(session: Session, wall: datetime | None = None) -> datetime:
    """A live simulation's clock, else the wall clock (``wall``, default: the real one)."""
    wall = wall or wall_now()
    row = session.execute(
        select(Simulation.clock, Simulation.updated_at)
        .where(Simulation.status == "running")
        .order_by(Simulation.updated_at.desc())
        .limit(1)
    ).first()
    if row is not None and row.updated_at >= wall - LIVE_WITHIN:
        return row.clock
    return wall


def store_clock(engine: Engine, fixed: datetime | None = None) -> Clock:
    """A clock for one store: ``fixed`` (a ``--now``) when given, else the store's now,
    read afresh on every call."""
    if fixed is not None:
        moment = fixed.astimezone(UTC)
        return lambda: moment

    def now() -> datetime:
        with Session(engine) as session:
            return store_now(session)

    return now
