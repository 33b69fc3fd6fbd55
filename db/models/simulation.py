"""The live city's simulations: where each one's clock stands, so a restart resumes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, one_of

SIMULATION_STATUSES = ("running", "stopped", "finished")


class Simulation(Base):
    """One simulated run over the store; its row moves forward in the same transaction as
    the events of each tick, so the store and the clock never disagree."""

    __tablename__ = "simulations"
    __table_args__ = (one_of("status", SIMULATION_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    seed: Mapped[int]
    settings: Mapped[dict[str, Any]]
    started_at: Mapped[datetime]  # simulated time at which the run began
    clock: Mapped[datetime]  # simulated time reached: every event up to it is written
    next_dispatch_at: Mapped[datetime]
    # Courier id -> epoch seconds until which it is busy at a stop (handing over food).
    busy_until: Mapped[dict[str, Any]]
    # Running totals for the KPIs that no table keeps: courier-seconds on shift and busy.
    counters: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="running")
    updated_at: Mapped[datetime]
    # The simulated window the run was asked for, so a run killed half-way resumes to the
    # same end (None for runs written before windows were kept).
    window_start: Mapped[datetime | None] = mapped_column(default=None)
    window_end: Mapped[datetime | None] = mapped_column(default=None)
