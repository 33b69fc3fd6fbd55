"""The write side of dispatch behind one small interface: preview a round, then commit it.

The agent only ever talks to ``Planner``. ``RoutingPlanner`` adapts it to the routing
service (``routing.dispatch.propose_round`` / ``commit_proposal``); a preview is kept in
memory under a token until the operator says yes, and committing re-checks the plan
version, so a plan overtaken by another dispatcher is refused rather than written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine


class PlannerUnavailableError(RuntimeError):
    """The routing service cannot be used in this installation."""


@dataclass(frozen=True)
class PlanPreview:
    token: str
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
        self, engine: Engine, *, now: datetime, zone_id: int | None, courier_id: int | None
    ) -> PlanPreview: ...

    def commit(self, engine: Engine, token: str, *, actor: str) -> CommitOutcome: ...


@dataclass
class RoutingPlanner:
    """``routing.dispatch`` as a Planner. Re-planning a courier re-plans that courier's
    zone with existing assignments unpinned, so its orders may move to other couriers."""

    time_limit_s: float = 2.0
    timezone: str = "UTC"  # the city's, for rush-hour travel times
    _proposals: dict[str, Any] = field(default_factory=dict)

    def _service(self) -> Any:
        from routing import dispatch

        return dispatch

    def preview(
        self, engine: Engine, *, now: datetime, zone_id: int | None, courier_id: int | None
    ) -> PlanPreview:
        proposal = self._service().propose_round(
            engine,
            now=now,
            zone_id=zone_id,
            time_limit_s=self.time_limit_s,
            pin_assigned=courier_id is None,
            timezone=self.timezone,
        )
        token = uuid.uuid4().hex[:12]
        self._proposals[token] = proposal
        changes = proposal.changes
        assigned = {c.order_id: c.after for c in changes if c.after is not None}
        left = {
            c.order_id: c.reason or "no courier could take it" for c in changes if c.after is None
        }
        kept = (proposal.plan.assigned if proposal.plan else 0) - len(assigned)
        return PlanPreview(token, zone_id, courier_id, assigned, left, max(0, kept))

    def commit(self, engine: Engine, token: str, *, actor: str) -> CommitOutcome:
        proposal = self._proposals.pop(token, None)
        if proposal is None:
            return CommitOutcome(False, message=f"no plan preview {token!r} is waiting")
        service = self._service()
        try:
            result = service.commit_proposal(engine, proposal, actor)
        except service.PlanConflictError as exc:
            return CommitOutcome(False, message=f"plan overtaken, preview again: {exc}")
        return CommitOutcome(True, result.version, len(result.changes))
