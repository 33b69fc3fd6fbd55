"""A dispatcher's own move: this order to that courier, checked by the routing model and
previewed before it is written, then committed compare-and-set like any round.

The preview is a round narrowed to the one order (``RoundScope``): every other order keeps
its courier, and the solver places the order in the chosen courier's route where time, bag
and shift allow, or says why it cannot. Automatic rounds pin assigned orders to their
couriers, so a manual assignment stays until its courier can no longer take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select

from db.domain import transitions
from db.domain.status import ALLOWED_FROM
from db.models import AuditEntry, Order
from routing.service.dispatch import (
    Proposal,
    RoundResult,
    commit_proposal,
    propose_round,
    settle_plans_and_couriers,
)
from routing.service.round_input import RoundScope


@dataclass(frozen=True)
class PlannedStop:
    order_id: int
    kind: str  # pickup | dropoff
    eta: datetime
    late_min: float


@dataclass(frozen=True)
class ManualMove:
    """The preview of sending ``order_id`` to ``courier_id``."""

    order_id: int
    courier_id: int
    proposal: Proposal | None  # None when the order could not be planned at all
    stops: tuple[PlannedStop, ...]  # the courier's route with the order, in order
    refusal: str | None  # why the model cannot place it there; None when it can

    @property
    def feasible(self) -> bool:
        return self.refusal is None


def preview_move(
    engine: Engine,
    order_id: int,
    courier_id: int,
    *,
    now: datetime,
    timezone: str,
    time_limit_s: float = 1.0,
) -> ManualMove:
    with engine.connect() as conn:
        status = conn.scalar(select(Order.status).where(Order.id == order_id))
    if status not in ALLOWED_FROM["assign"]:
        refusal = f"order {order_id} is {status or 'unknown'}: only an order not yet picked up " \
                  "can be sent to a courier"  # fmt: skip
        return ManualMove(order_id, courier_id, None, (), refusal)
    scope = RoundScope(frozenset({order_id}), ((order_id, courier_id),))
    proposal = propose_round(
        engine, now=now, time_limit_s=time_limit_s, timezone=timezone, scope=scope
    )
    plan = proposal.plan
    if plan is None:
        return ManualMove(order_id, courier_id, proposal, (), _not_open(proposal, order_id))
    route = next((r for r in plan.routes if int(r.courier_id) == courier_id), None)
    if route is None or str(order_id) not in route.order_ids:
        why = next((u.detail for u in plan.unserved if int(u.order_id) == order_id), None)
        refusal = f"courier {courier_id} cannot take order {order_id}: {why or 'not on shift'}"
        return ManualMove(order_id, courier_id, proposal, (), refusal)
    stops = tuple(
        PlannedStop(int(s.order_id), s.kind.value, now + timedelta(seconds=s.start_s),
                    round(s.late_s / 60, 1))
        for s in route.stops
    )  # fmt: skip
    return ManualMove(order_id, courier_id, proposal, stops, None)


def _not_open(proposal: Proposal, order_id: int) -> str:
    if order_id in proposal.snapshot.expired:
        return f"order {order_id} is past its latest time: it needs a person, not a courier"
    return f"order {order_id} is not open for dispatch (picked up, delivered or cancelled)"


def commit_move(engine: Engine, move: ManualMove, operator: str) -> RoundResult:
    """Write the previewed move as the next plan version, or raise PlanConflictError when a
    plan was committed since the preview was read (preview again to see the new state)."""
    if move.proposal is None or not move.feasible:
        raise ValueError(f"order_id: {move.refusal}")
    return commit_proposal(engine, move.proposal, actor=f"dashboard:{operator}")


def unassign(engine: Engine, order_id: int, operator: str, now: datetime) -> None:
    """Take the order from its courier: it waits for the next round. Raises
    IllegalTransition (naming the status) unless the order is assigned."""
    actor = f"dashboard:{operator}"
    with engine.begin() as conn:
        transitions.release(conn, [order_id], at=now, actor=actor)
        settle_plans_and_couriers(conn)
        conn.execute(
            insert(AuditEntry),
            {"at": now, "actor": actor, "action": "dispatch.unassign",
             "arguments": {"order_id": order_id}, "result": {}},
        )  # fmt: skip
