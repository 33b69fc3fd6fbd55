"""The dispatch service: read the store, solve the round, write the plan back in one transaction.

Writes are compare-and-set on the plan version: a proposal remembers the newest version
it was read at, and committing it fails with `PlanConflictError` if another dispatcher
committed in between. `run_round` re-bases a round that lost on the newer plan: it reads
again (what the winner assigned is now pinned), solves only what is still open, with
back-off and jitter, for a bounded time. When the winner left nothing to do the round
succeeds with nothing written. So any number of dispatchers can run at once without
assigning an order twice or losing one, and a round that changes nothing writes no version.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.domain import transitions
from db.domain.status import CourierStatus, OrderStatus
from db.models import Assignment, AuditEntry, Courier, Order, RoutePlan
from routing.live.plan import DispatchPlan, StopKind
from routing.live.solve import dispatch
from routing.service.round_input import RoundScope, Snapshot, read_snapshot, zone_version
from routing.travel.providers import HaversineProvider, TravelProvider


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

    @property
    def moves(self) -> list[Change]:
        """The changes that give an order another courier (or take its courier away)."""
        return [c for c in self.changes if c.before != c.after]


@dataclass(frozen=True)
class RoundResult:
    version: int | None  # the plan written, None when there was nothing to plan
    changes: list[Change] = field(default_factory=list)
    kept: int = 0  # orders that stay with the courier they had
    expired: tuple[int, ...] = ()
    attempts: int = 1
    cost: float | None = None
    elapsed_s: float = 0.0
    note: str = ""  # why nothing was written, when nothing was

    @property
    def nothing_left(self) -> bool:
        return self.version is None


NOTHING_TO_PLAN = "nothing to dispatch: no open order or no courier on shift"
NOTHING_CHANGES = "nothing left to do: every order already has the courier this round would give it"


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
    (see `routing.live.solve.dispatch`); simulations replay with it.
    """
    now = now or datetime.now(UTC)
    with Session(engine) as session:
        snapshot = read_snapshot(session, now, zone_id, pin_assigned, scope=scope)
    return solve_snapshot(
        snapshot, now, time_limit_s, travel or HaversineProvider(timezone=timezone), deterministic
    )


def solve_snapshot(
    snapshot: Snapshot,
    now: datetime,
    time_limit_s: float,
    travel: TravelProvider,
    deterministic: bool = False,
) -> Proposal:
    plan = None
    if snapshot.problem is not None:
        plan = dispatch(snapshot.problem, travel, time_limit_s, deterministic=deterministic)
    return Proposal(snapshot, plan, now)


def commit_proposal(engine: Engine, proposal: Proposal, actor: str = "dispatch") -> RoundResult:
    """Write the proposal as the next plan version, or raise PlanConflictError.

    A proposal that gives no order another courier writes nothing: the plan in force stands.
    """
    plan, snapshot, now = proposal.plan, proposal.snapshot, proposal.now
    if plan is None:
        return RoundResult(None, expired=snapshot.expired, note=NOTHING_TO_PLAN)
    changes = proposal.changes
    if not proposal.moves:
        _refresh_in_place(engine, proposal)
        return RoundResult(
            None, changes, kept=plan.assigned, expired=snapshot.expired, note=NOTHING_CHANGES
        )
    try:
        with engine.begin() as conn:
            _lock_plan_versions(conn)
            newest = zone_version(conn, snapshot.zone_id)
            if newest != snapshot.base_version:
                raise PlanConflictError(
                    f"plan version {newest} was committed after this round read version "
                    f"{snapshot.base_version}"
                )
            version = (
                int(conn.scalar(select(func.coalesce(func.max(RoutePlan.version), 0))) or 0) + 1
            )
            stale = _check_orders_unchanged(conn, snapshot, changes)
            plan_id = _insert_plan(conn, proposal, version, actor)
            _write_routes(conn, plan, plan_id, now, stale)
            _apply_changes(conn, changes, snapshot.statuses, now, actor)
            settle_plans_and_couriers(conn)
            _audit(conn, proposal, version, actor)
    except IntegrityError as exc:
        # The lock makes this rare (a plan version written outside this service); any other
        # broken constraint is a fault to report, not a conflict to retry.
        if not _is_version_clash(exc):
            raise
        raise PlanConflictError("another round committed the same plan version first") from exc
    return RoundResult(
        version,
        changes,
        kept=plan.assigned - sum(c.after is not None for c in changes),
        expired=snapshot.expired,
        cost=plan.cost,
        elapsed_s=plan.elapsed_s,
    )


def _insert_plan(conn: Connection, proposal: Proposal, version: int, actor: str) -> int:
    plan, snapshot = proposal.plan, proposal.snapshot
    assert plan is not None
    details = {
        "assigned": plan.assigned,
        "unserved": len(plan.unserved),
        "late_s": plan.late_s,
        "elapsed_s": round(plan.elapsed_s, 3),
    }
    row = {
        "version": version,
        "zone_id": snapshot.zone_id,
        "status": "active",
        "created_at": proposal.now,
        "created_by": actor,
        "cost": plan.cost,
        "details": details,
    }
    return conn.execute(insert(RoutePlan).returning(RoutePlan.id), row).scalar_one()


def _audit(conn: Connection, proposal: Proposal, version: int, actor: str) -> None:
    snapshot = proposal.snapshot
    unserved = len(proposal.plan.unserved) if proposal.plan is not None else 0
    conn.execute(
        insert(AuditEntry),
        {
            "at": proposal.now,
            "actor": actor,
            "action": "dispatch.commit",
            "arguments": {"zone_id": snapshot.zone_id, "base_version": snapshot.base_version},
            "result": {
                "version": version,
                "changed": len(proposal.changes),
                "unserved": unserved,
            },
        },
    )


def _is_version_clash(exc: IntegrityError) -> bool:
    text_ = str(exc.orig).lower()
    return "route_plans" in text_ and "version" in text_


def _refresh_in_place(engine: Engine, proposal: Proposal) -> None:
    """A round that gives no order another courier writes no version, but its times are
    newer: the plan in force takes its ETAs and stop order, if nothing was committed since
    the round read it (otherwise the newer plan's stand)."""
    plan, snapshot, now = proposal.plan, proposal.snapshot, proposal.now
    if plan is None:
        return
    with engine.begin() as conn:
        _lock_plan_versions(conn)
        if zone_version(conn, snapshot.zone_id) != snapshot.base_version:
            return
        for row in _assignment_times(plan, now):
            conn.execute(
                update(Assignment)
                .where(
                    Assignment.active,
                    Assignment.order_id == row["order_id"],
                    Assignment.courier_id == row["courier_id"],
                )
                .values(
                    sequence=row["sequence"],
                    eta_pickup=row["eta_pickup"],
                    eta_dropoff=row["eta_dropoff"],
                )
            )


def _assignment_times(plan: DispatchPlan, now: datetime) -> Iterator[dict[str, Any]]:
    """Each planned order's courier, place in the route (its first stop) and ETAs."""
    for route in plan.routes:
        first: dict[str, int] = {}
        times: dict[tuple[str, StopKind], float] = {}
        for index, stop in enumerate(route.stops):
            first.setdefault(stop.order_id, index)
            times[(stop.order_id, stop.kind)] = stop.start_s
        for order_id in route.order_ids:
            pickup = times.get((order_id, StopKind.PICKUP))
            yield {
                "order_id": int(order_id),
                "courier_id": int(route.courier_id),
                "sequence": first[order_id],
                "eta_pickup": None if pickup is None else now + timedelta(seconds=pickup),
                "eta_dropoff": now + timedelta(seconds=times[(order_id, StopKind.DROPOFF)]),
            }


def _lock_plan_versions(conn: Connection) -> None:
    """Commits take turns for the few milliseconds of their check and write.

    On PostgreSQL two commits would otherwise both read the same newest version and meet
    at the unique index; a transaction-scoped advisory lock makes the second one wait and
    then see the first one's version. SQLite's write lock (BEGIN IMMEDIATE, see
    `db.engine`) already does this.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PLAN_LOCK_KEY})


PLAN_LOCK_KEY = 0x4C43504C  # "LCPL": the plan-version lock's id among advisory locks


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
    rows = [
        {"plan_id": plan_id, "active": True, "created_at": now, **row}
        for row in _assignment_times(plan, now)
        if row["order_id"] not in stale
    ]
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
        if change.after is not None:
            transitions.assign(conn, change.order_id, change.after, at=now, actor=actor)
        elif statuses[change.order_id] == OrderStatus.ASSIGNED:
            transitions.release(conn, [change.order_id], at=now, actor=actor)


def hand_back(conn: Connection, now: datetime, order_ids: Iterable[int] | None = None) -> None:
    """Assigned orders (all of them, or those of ``order_ids``) lose their courier and wait
    for the next round, as when a courier gives an order up or dispatch was down. Picked-up
    orders are not touched: the food is in a bag."""
    assigned = select(Order.id).where(Order.status == OrderStatus.ASSIGNED)
    if order_ids is not None:
        assigned = assigned.where(Order.id.in_(list(order_ids)))
    transitions.release(conn, list(conn.scalars(assigned)), at=now, actor="dispatch")
    settle_plans_and_couriers(conn)


def doubly_assigned(conn: Connection) -> list[int]:
    """Orders with more than one active assignment: what the compare-and-set rules out."""
    return list(
        conn.scalars(
            select(Assignment.order_id)
            .where(Assignment.active)
            .group_by(Assignment.order_id)
            .having(func.count() > 1)
        )
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
        .where(Courier.status == CourierStatus.AVAILABLE, Courier.id.in_(working))
        .values(status=CourierStatus.BUSY)
    )
    conn.execute(
        update(Courier)
        .where(Courier.status == CourierStatus.BUSY, Courier.id.not_in(working))
        .values(status=CourierStatus.AVAILABLE)
    )


def run_round(
    engine: Engine,
    *,
    now: datetime | None = None,
    zone_id: int | None = None,
    time_limit_s: float = 5.0,
    travel: TravelProvider | None = None,
    actor: str = "dispatch",
    retry_for_s: float | None = None,
    timezone: str = "UTC",
    deterministic: bool = False,
) -> RoundResult:
    """Propose and commit one round; when another dispatcher got there first, re-base on
    its plan and try again, for at most ``retry_for_s`` seconds (default: ten solves, at
    least a minute), then raise `PlanConflictError`."""
    travel = travel or HaversineProvider(timezone=timezone)
    deadline = time.monotonic() + (
        retry_for_s if retry_for_s is not None else max(60.0, 10 * time_limit_s)
    )
    limit, attempt = time_limit_s, 0
    while True:
        attempt += 1
        moment = now or datetime.now(UTC)
        with Session(engine) as session:
            snapshot = read_snapshot(session, moment, zone_id)
        if attempt > 1 and not snapshot.waiting:
            # Re-based on the winner's plan, which left no order without a courier.
            return RoundResult(
                None, expired=snapshot.expired, attempts=attempt, note=NOTHING_CHANGES
            )
        proposal = solve_snapshot(snapshot, moment, limit, travel, deterministic)
        try:
            result = commit_proposal(engine, proposal, actor)
        except PlanConflictError:
            if time.monotonic() >= deadline:
                raise
            _back_off(attempt, deadline)
            # What the winner assigned is pinned now; the rest is smaller than the round
            # was, so it gets a share of the time.
            limit = max(0.2, time_limit_s / 2)
            continue
        return replace(result, attempts=attempt)


def _back_off(attempt: int, deadline: float) -> None:
    """Full jitter: racers that lost together do not come back together."""
    ceiling = min(2.0, 0.05 * 2**attempt, max(0.0, deadline - time.monotonic()))
    time.sleep(random.uniform(0, ceiling))
