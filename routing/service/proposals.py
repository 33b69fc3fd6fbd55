"""Dispatch proposals kept in the store between "propose" and "commit".

A proposal waits for an operator's yes, and that yes may reach another process (or come
after a restart), so it is stored as plain JSON under a token. Only what committing needs
is kept: the plan, and the snapshot's version, statuses and couriers it was read at.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from db.models import PlanProposal
from routing.live.plan import CourierRoute, DispatchPlan, Stop, StopKind, Unserved, UnservedReason
from routing.service.dispatch import Proposal
from routing.service.round_input import Snapshot


def _plan_json(plan: DispatchPlan) -> dict[str, Any]:
    return {
        "routes": [
            {
                "courier_id": r.courier_id,
                "stops": [
                    [s.order_id, s.kind.value, s.arrival_s, s.start_s, s.departure_s, s.late_s]
                    for s in r.stops
                ],
            }
            for r in plan.routes
        ],
        "unserved": [[u.order_id, u.reason.value] for u in plan.unserved],
        "travel_s": plan.travel_s,
        "late_s": plan.late_s,
        "cost": plan.cost,
        "elapsed_s": plan.elapsed_s,
        "clusters": plan.clusters,
        "passes": plan.passes,
    }


def _plan(data: dict[str, Any]) -> DispatchPlan:
    routes = tuple(
        CourierRoute(
            r["courier_id"],
            tuple(Stop(o, StopKind(k), a, s, d, late) for o, k, a, s, d, late in r["stops"]),
        )
        for r in data["routes"]
    )
    unserved = tuple(Unserved(o, UnservedReason(reason)) for o, reason in data["unserved"])
    return DispatchPlan(
        routes,
        unserved,
        data["travel_s"],
        data["late_s"],
        data["cost"],
        data["elapsed_s"],
        data["clusters"],
        data["passes"],
    )


def to_json(proposal: Proposal) -> dict[str, Any]:
    snap = proposal.snapshot
    return {
        "now": proposal.now.isoformat(),
        "base_version": snap.base_version,
        "current_courier": {str(k): v for k, v in snap.current_courier.items()},
        "statuses": {str(k): v for k, v in snap.statuses.items()},
        "expired": list(snap.expired),
        "zone_id": snap.zone_id,
        "plan": None if proposal.plan is None else _plan_json(proposal.plan),
    }


def from_json(data: dict[str, Any]) -> Proposal:
    snapshot = Snapshot(
        problem=None,
        base_version=data["base_version"],
        current_courier={int(k): v for k, v in data["current_courier"].items()},
        statuses={int(k): v for k, v in data["statuses"].items()},
        expired=tuple(data["expired"]),
        zone_id=data["zone_id"],
    )
    plan = None if data["plan"] is None else _plan(data["plan"])
    return Proposal(snapshot, plan, datetime.fromisoformat(data["now"]))


HOLD = timedelta(minutes=5)  # wall time an operator gets to decide on a proposal


def save(engine: Engine, proposal: Proposal, *, actor: str, hold: timedelta | None = HOLD) -> str:
    """Store the proposal; returns the token that commits it. While ``hold`` (wall time)
    runs, automatic rounds leave the proposal's zone (every zone, for a city-wide one) alone,
    so the operator's commit is not overtaken."""
    token = uuid.uuid4().hex[:12]
    held_until = None if hold is None else datetime.now(UTC) + hold
    with Session(engine) as session, session.begin():
        session.add(
            PlanProposal(
                token=token,
                zone_id=proposal.snapshot.zone_id,
                created_at=proposal.now,
                created_by=actor,
                payload=to_json(proposal),
                held_until=held_until,
            )
        )
    return token


def held_zones(session: Session, wall: datetime | None = None) -> set[int | None]:
    """Zones an operator's open proposal holds now (None: the whole city)."""
    wall = wall or datetime.now(UTC)
    return set(session.scalars(select(PlanProposal.zone_id).where(PlanProposal.held_until > wall)))


def load(engine: Engine, token: str) -> Proposal | None:
    with Session(engine) as session:
        row = session.get(PlanProposal, token)
        return None if row is None else from_json(row.payload)


def discard(engine: Engine, token: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(PlanProposal).where(PlanProposal.token == token))
