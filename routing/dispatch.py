"""The dispatch service: read the store, solve the round, write the plan back in one transaction.

Writes are compare-and-set on the plan version: a proposal remembers the newest version
it was read at, and committing it fails with `PlanConflictError` if another dispatcher
committed in between. `run_round` retries such a conflict by reading and solving again,
so any number of dispatchers can run at once without assigning an order twice or losing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Assignment, AuditEntry, Courier, Order, OrderEvent, RoutePlan
from routing.live_plan import DispatchPlan, StopKind
from routing.live_solve import dispatch
from routing.store_snapshot import RoundScope, Snapshot, read_snapshot, zone_version
from routing.travel import HaversineProvider, TravelProvider


class PlanConflictError(RuntimeError):
    """Another dispatcher committed a plan after this proposal was read."""


@dataclass(frozen=True)
class Change:
    order_id: int
    before: int | None  # courier before the round
    after: int | None  # courier after the round
    reason: str | None = None  # why an order is left without a courier


@dataclass(frozen=True)
class Proposal:
    """A solved round, not yet written."""

    snapshot: Snapshot
    plan: DispatchPlan | None
    now: datetime

    @property
    def changes(self) -> list[Change]:
        if self.plan is None:
            return []
        found = []
        for route in self.plan.routes:
            for order_id in route.order_ids:
                before = self.snapshot.current_courier.get(int(order_id))
                if before != int(route.courier_id):
                    found.append(Change(int(order_id), before, int(route.courier_id)))
        for left in self.plan.unserved:
            before = self.snapshot.current_courier.get(int(left.order_id))
            found.append(Change(int(left.order_id), before, None, left.detail))
        return found


@dataclass(frozen=True)
class RoundResult:
    version: int | None  # the plan written, None when there was nothing to plan
    changes: list[Change] = field(default_factory=list)
    kept: int = 0  # orders that stay with the courier they had
    expired: tuple[int, ...] = ()
    attempts: int = 1
    cost: float | None = None
    elapsed_s: float = 0.0


def propose_round(
    engine: Engine,
    *,
    now: datetime | None = None,
    zone_id: int | None = None,
    time_limit_s: float = 5.0,
    travel: TravelProvider | None = None,
    pin_assigned: bool = True,
    timezone: str = "UTC",
    deterministic: bool = False,
    scope: RoundScope | None = None,
) -> Proposal:
    """Read and solve one round; ``timezone`` is the city's, for rush-hour travel times;
    ``scope`` narrows what the round may change (see `RoundScope`).

    ``deterministic`` asks the solver for the same plan from the same store every time
    (see `routing.live_solve.dispatch`); simulations replay with it.
    """
    now = now or datetime.now(UTC)
    travel = travel or HaversineProvider(timezone=timezone)
    with Session(engine) as session:
        snapshot = read_snapshot(session, now, zone_id, pin_assigned, scope=scope)
    plan = None
    if snapshot.problem is not None:
        plan = dispatch(snapshot.problem, travel, time_limit_s, deterministic=deterministic)
    return Proposal(snapshot, plan, now)


def commit_proposal(engine: Engine, proposal: Proposal, actor: str = "dispatch") -> RoundResult:
    """Write the proposal as the next plan version, or raise PlanConflictError."""
    plan, snapshot, now = proposal.plan, proposal.snapshot, proposal.now
    if plan is None:
        return RoundResult(None, expired=snapshot.expired)
    changes = proposal.changes
    try:
        with engine.begin() as conn:
            newest = zone_version(conn, snapshot.zone_id)
            if newest != snapshot.base_version:
                raise PlanConflictError(
                    f"plan version {newest} was committed after this round read version "
                    f"{snapshot.base_version}"
                )
            version = conn.scalar(select(func.coalesce(func.max(RoutePlan.version), 0))) + 1
            stale = _check_orders_unchanged(conn, snapshot, changes)
            plan_id = conn.execute(
                insert(RoutePlan).returning(RoutePlan.id),
                {
                    "version": version,
                    "zone_id": snapshot.zone_id,
                    "status": "active",
                    "created_at": now,
                    "created_by": actor,
                    "cost": plan.cost,
                    "details": {
                        "assigned": plan.assigned,
                        "unserved": len(plan.unserved),
                        "late_s": plan.late_s,
                        "elapsed_s": round(plan.elapsed_s, 3),
                    },
                },
            ).scalar_one()
            _write_routes(conn, plan, plan_id, now, stale)
            _apply_changes(conn, changes, snapshot.statuses, now, actor)
            settle_plans_and_couriers(conn)
            conn.execute(
                insert(AuditEntry),
                {
                    "at": now,
                    "actor": actor,
                    "action": "dispatch.commit",
                    "arguments": {
                        "zone_id": snapshot.zone_id,
                        "base_version": snapshot.base_version,
                    },
                    "result": {
                        "version": version,
                        "changed": len(changes),
                        "unserved": len(plan.unserved),
                    },
                },
            )
    except IntegrityError as exc:
        # On PostgreSQL two commits of the same version meet at the unique index instead.
        raise PlanConflictError("another round committed the same plan version first") from exc
    return RoundResult(
        version,
        changes,
        kept=plan.assigned - sum(c.after is not None for c in changes),
        expired=snapshot.expired,
        cost=plan.cost,
        elapsed_s=plan.elapsed_s,
    )


def _write_routes(
    conn: Connection, plan: DispatchPlan, plan_id: int, now: datetime, stale: set[int]
) -> None:
    """The plan's assignments; orders that moved on since the round was read (``stale``)
    keep the ones they have."""
    planned = [int(o) for r in plan.routes for o in r.order_ids if int(o) not in stale]
    unserved = [int(u.order_id) for u in plan.unserved if int(u.order_id) not in stale]
    conn.execute(
        update(Assignment)
        .where(Assignment.active, Assignment.order_id.in_(planned + unserved))
        .values(active=False)
    )
    rows = []
    for route in plan.routes:
        first: dict[str, int] = {}
        times: dict[tuple[str, StopKind], float] = {}
        for index, stop in enumerate(route.stops):
            first.setdefault(stop.order_id, index)
            times[(stop.order_id, stop.kind)] = stop.start_s
        for order_id in route.order_ids:
            if int(order_id) in stale:
                continue
            pickup = times.get((order_id, StopKind.PICKUP))
            rows.append(
                {
                    "plan_id": plan_id,
                    "order_id": int(order_id),
                    "courier_id": int(route.courier_id),
                    "sequence": first[order_id],
                    "active": True,
                    "created_at": now,
                    "eta_pickup": None if pickup is None else now + timedelta(seconds=pickup),
                    "eta_dropoff": now + timedelta(seconds=times[(order_id, StopKind.DROPOFF)]),
                }
            )
    if rows:
        conn.execute(insert(Assignment), rows)


def _check_orders_unchanged(
    conn: Connection, snapshot: Snapshot, changes: list[Change]
) -> set[int]:
    """The orders of the round that moved on since it was read (picked up, delivered,
    cancelled meanwhile): the plan leaves them as they are now. An order the plan gives to
    another courier must be as it was read, or the plan is refused."""
    ids = list(snapshot.statuses)
    now_statuses = dict(conn.execute(select(Order.id, Order.status).where(Order.id.in_(ids))).all())
    stale = {i for i in ids if now_statuses.get(i) != snapshot.statuses[i]}
    moved = sorted(stale & {c.order_id for c in changes})
    if moved:
        raise PlanConflictError(
            f"{len(moved)} order(s) the plan moves changed status since the round was read "
            f"(e.g. order {moved[0]})"
        )
    return stale


def _apply_changes(
    conn: Connection, changes: list[Change], statuses: dict[int, str], now: datetime, actor: str
) -> None:
    for change in changes:
        status = statuses[change.order_id]
        if change.after is not None:
            values = {"courier_id": change.after, "assigned_at": now}
            if status == "confirmed":
                values["status"] = "assigned"
            new_status = values.get("status", status)
        elif status == "assigned":
            values = {"courier_id": None, "assigned_at": None, "status": "confirmed"}
            new_status = "confirmed"
        else:
            continue
        conn.execute(update(Order).where(Order.id == change.order_id).values(**values))
        conn.execute(
            insert(OrderEvent),
            {"order_id": change.order_id, "status": new_status, "at": now, "actor": actor},
        )


def settle_plans_and_couriers(conn: Connection) -> None:
    """Plans without active assignments are superseded; couriers with work are busy."""
    live_plans = select(Assignment.plan_id).where(Assignment.active).distinct()
    conn.execute(
        update(RoutePlan)
        .where(RoutePlan.status == "active", RoutePlan.id.not_in(live_plans))
        .values(status="superseded")
    )
    working = select(Assignment.courier_id).where(Assignment.active).distinct()
    conn.execute(
        update(Courier)
        .where(Courier.status == "available", Courier.id.in_(working))
        .values(status="busy")
    )
    conn.execute(
        update(Courier)
        .where(Courier.status == "busy", Courier.id.not_in(working))
        .values(status="available")
    )


def run_round(
    engine: Engine,
    *,
    now: datetime | None = None,
    zone_id: int | None = None,
    time_limit_s: float = 5.0,
    travel: TravelProvider | None = None,
    actor: str = "dispatch",
    max_attempts: int = 5,
    timezone: str = "UTC",
    deterministic: bool = False,
) -> RoundResult:
    """Propose and commit one round, solving again when another dispatcher got there first."""
    for attempt in range(1, max_attempts + 1):
        proposal = propose_round(
            engine,
            now=now,
            zone_id=zone_id,
            time_limit_s=time_limit_s,
            travel=travel,
            timezone=timezone,
            deterministic=deterministic,
        )
        try:
            result = commit_proposal(engine, proposal, actor)
        except PlanConflictError:
            if attempt == max_attempts:
                raise
            continue
        return RoundResult(**{**result.__dict__, "attempts": attempt})
    raise AssertionError("unreachable: the loop returns or raises")
