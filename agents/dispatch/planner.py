"""The write side of dispatch behind one small interface: preview a round, then commit it.

The agent only ever talks to ``Planner``. ``RoutingPlanner`` adapts it to the routing
service (``routing.dispatch.propose_round`` / ``commit_proposal``); a preview is kept in
the store under a token until the operator says yes (so any process can commit it), and
committing re-checks the plan version, so a plan overtaken by another dispatcher is
refused rather than written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine


class PlannerUnavailableError(RuntimeError):
    """The routing service cannot be used in this installation."""


@dataclass(frozen=True)
class PlanPreview:
    token: str | None  # None when there is nothing to commit
    zone_id: int | None
    courier_id: int | None
    assigned: dict[int, int]  # order id -> courier id for orders that change courier
    unassigned: dict[int, str]  # order id -> why it stays without a courier
    kept: int


@dataclass(frozen=True)
class CommitOutcome:
    committed: bool
    version: int | None = None
    changed: int = 0
    message: str = ""


class Planner(Protocol):
    def preview(
        self,
        engine: Engine,
        *,
        now: datetime,
        zone_id: int | None,
        courier_id: int | None,
        actor: str,
    ) -> PlanPreview: ...

    def commit(self, engine: Engine, token: str, *, actor: str) -> CommitOutcome: ...


@dataclass(frozen=True)
class RoutingPlanner:
    """``routing.dispatch`` as a Planner. Re-planning a courier re-plans that courier's
    zone with existing assignments unpinned, so its orders may move to other couriers."""

    time_limit_s: float = 2.0
    timezone: str = "UTC"  # the city's, for rush-hour travel times

    def preview(
        self,
        engine: Engine,
        *,
        now: datetime,
        zone_id: int | None,
        courier_id: int | None,
        actor: str,
    ) -> PlanPreview:
        from routing import dispatch, proposals

        proposal = dispatch.propose_round(
            engine,
            now=now,
            zone_id=zone_id,
            time_limit_s=self.time_limit_s,
            pin_assigned=courier_id is None,
            timezone=self.timezone,
        )
        changes = proposal.changes
        assigned = {c.order_id: c.after for c in changes if c.after is not None}
        # Only a proposal that changes something can be committed, so only that one is kept.
        token = proposals.save(engine, proposal, actor=actor) if assigned else None
        left = {
            c.order_id: c.reason or "no courier could take it" for c in changes if c.after is None
        }
        kept = (proposal.plan.assigned if proposal.plan else 0) - len(assigned)
        return PlanPreview(token, zone_id, courier_id, assigned, left, max(0, kept))

    def commit(self, engine: Engine, token: str, *, actor: str) -> CommitOutcome:
        from routing import dispatch, proposals

        proposal = proposals.load(engine, token)
        if proposal is None:
            return CommitOutcome(False, message=f"no plan preview {token!r} is waiting")
        try:
            result = dispatch.commit_proposal(engine, proposal, actor)
        except dispatch.PlanConflictError as exc:
            return CommitOutcome(False, message=f"plan overtaken, preview again: {exc}")
        finally:
            proposals.discard(engine, token)
        return CommitOutcome(True, result.version, len(result.changes))
