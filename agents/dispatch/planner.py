"""The write side of dispatch behind one small interface: preview a round, then commit it.

The agent only ever talks to ``Planner``. ``RoutingPlanner`` adapts it to the routing
service (``routing.service.dispatch.propose_round`` / ``commit_proposal``). A preview has an exact
scope (a zone or the city, one courier's orders, a zone's late orders, or one order sent to
a chosen courier): the round may change only the orders in it, and a solution that would
change anything else is not offered. A preview is kept in the store under a token until
the operator says yes (so any process can commit it), and committing re-checks the plan
version, so a plan overtaken by another dispatcher is refused rather than written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.domain.status import OrderStatus
from db.models import Assignment, Courier, Order


class PlannerUnavailableError(RuntimeError):
    """The routing service cannot be used in this installation."""


@dataclass(frozen=True)
class PlanScope:
    """What a round may change. ``zone_id`` None with nothing else: the whole city."""

    zone_id: int | None = None
    courier_id: int | None = None  # re-plan this courier: only its orders may move
    late_only: bool = False  # only the zone's late orders may move
    move: tuple[int, int] | None = None  # (order, courier): send this order to that courier


@dataclass(frozen=True)
class PlanPreview:
    token: str | None  # None when there is nothing to commit
    scope: PlanScope
    zone_id: int | None  # the zone the round was solved over
    assigned: dict[int, int]  # order id -> courier id for orders that change courier
    unassigned: dict[int, str]  # order id -> why it stays without a courier
    kept: int
    movable: tuple[int, ...] = ()  # the orders the scope let move (empty: the zone's open ones)
    refused: str | None = None  # why no plan is offered (infeasible move, scope breached)
    before: dict[int, int | None] = field(default_factory=dict)  # courier before, per change


@dataclass(frozen=True)
class CommitOutcome:
    committed: bool
    version: int | None = None
    changed: int = 0
    message: str = ""
    overtaken: bool = False  # another round committed first: a fresh preview may do


class Planner(Protocol):
    def preview(
        self, engine: Engine, *, now: datetime, scope: PlanScope, actor: str
    ) -> PlanPreview: ...

    def commit(self, engine: Engine, token: str, *, actor: str) -> CommitOutcome: ...


def movable_orders(engine: Engine, scope: PlanScope, now: datetime) -> tuple[int, ...] | None:
    """The orders a narrow scope lets move (None: a whole zone's round)."""
    from agents.dispatch.insight import late_orders

    if scope.move is not None:
        return (scope.move[0],)
    with Session(engine) as session:
        if scope.courier_id is not None:
            active = select(Assignment.order_id).where(
                Assignment.active, Assignment.courier_id == scope.courier_id
            )
            return tuple(
                session.scalars(
                    select(Order.id)
                    .where(Order.status == OrderStatus.ASSIGNED)
                    .where((Order.courier_id == scope.courier_id) | Order.id.in_(active))
                    .order_by(Order.id)
                )
            )
        if scope.late_only:
            zones = None if scope.zone_id is None else [scope.zone_id]
            return tuple(late_orders(session, zones, now))
    return None


def round_zone(engine: Engine, scope: PlanScope) -> int | None:
    """The zone a round is solved over: the courier's or the moved order's own."""
    with Session(engine) as session:
        if scope.courier_id is not None:
            courier = session.get(Courier, scope.courier_id)
            return courier.zone_id if courier else scope.zone_id
        if scope.move is not None:
            order = session.get(Order, scope.move[0])
            return order.zone_id if order else scope.zone_id
    return scope.zone_id


@dataclass(frozen=True)
class RoutingPlanner:
    """``routing.service.dispatch`` as a Planner."""

    time_limit_s: float = 2.0
    timezone: str = "UTC"  # the city's, for rush-hour travel times

    def preview(
        self, engine: Engine, *, now: datetime, scope: PlanScope, actor: str
    ) -> PlanPreview:
        from routing.service import dispatch, proposals
        from routing.service.round_input import RoundScope

        movable = movable_orders(engine, scope, now)
        zone_id = round_zone(engine, scope)
        narrow = None
        if movable is not None:
            narrow = RoundScope(frozenset(movable), (scope.move,) if scope.move else ())
        proposal = dispatch.propose_round(
            engine,
            now=now,
            zone_id=zone_id,
            time_limit_s=self.time_limit_s,
            timezone=self.timezone,
            scope=narrow,
        )
        changes = proposal.changes
        assigned = {c.order_id: c.after for c in changes if c.after is not None}
        left = {
            c.order_id: c.reason or "no courier could take it" for c in changes if c.after is None
        }
        before = {c.order_id: c.before for c in changes}
        kept = (proposal.plan.assigned if proposal.plan else 0) - len(assigned)
        refused = _refusal(scope, movable, assigned, left, before)
        token = None
        if assigned and refused is None:
            # Only a proposal that changes something, and only what was asked, is kept.
            token = proposals.save(engine, proposal, actor=actor)
        return PlanPreview(
            token,
            scope,
            zone_id,
            assigned,
            left,
            max(0, kept),
            movable or (),
            refused,
            before,
        )

    def commit(self, engine: Engine, token: str, *, actor: str) -> CommitOutcome:
        from routing.service import dispatch, proposals

        proposal = proposals.load(engine, token)
        if proposal is None:
            return CommitOutcome(False, message=f"no plan preview {token!r} is waiting")
        try:
            result = dispatch.commit_proposal(engine, proposal, actor)
        except dispatch.PlanConflictError as exc:
            return CommitOutcome(
                False, message=f"the plan changed since the preview ({exc})", overtaken=True
            )
        finally:
            proposals.discard(engine, token)
        return CommitOutcome(True, result.version, len(result.changes))


def _refusal(
    scope: PlanScope,
    movable: tuple[int, ...] | None,
    assigned: dict[int, int],
    left: dict[int, str],
    before: dict[int, int | None],
) -> str | None:
    if scope.move is not None:
        order_id, courier_id = scope.move
        if assigned.get(order_id) != courier_id:
            why = left.get(order_id, "it does not fit that courier's route in time")
            return f"order {order_id} cannot go to courier {courier_id}: {why}"
    if movable is not None:
        # An order losing its courier is a change too.
        dropped = {o for o in left if before.get(o) is not None}
        outside = sorted((set(assigned) | dropped) - set(movable))
        if outside:
            return f"the plan would also move orders {outside[:5]}, outside what was asked"
    return None
