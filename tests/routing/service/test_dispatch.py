"""The dispatch service over the store: one transaction per round, compare-and-set on the
plan version, picked-up orders kept with their courier, and racing dispatchers that never
assign an order twice or lose one (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from db.domain.status import OrderStatus
from db.engine import make_engine
from db.models import Assignment, AuditEntry, Courier, Order, OrderEvent, RoutePlan
from routing.processes import process_context
from routing.service.dispatch import (
    PlanConflictError,
    commit_proposal,
    doubly_assigned,
    hand_back,
    propose_round,
    run_round,
)
from routing.service.round_input import RoundScope
from tests.conftest import TEST_NOW

NOW = TEST_NOW + timedelta(minutes=1)
RACERS = 16


def _open_orders(engine: Engine) -> dict[int, tuple[str, int | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Order.id, Order.status, Order.courier_id).where(
                Order.status.in_(
                    (
                        OrderStatus.PLACED,
                        OrderStatus.CONFIRMED,
                        OrderStatus.ASSIGNED,
                        OrderStatus.PICKED_UP,
                    )
                )
            )
        ).all()
    return {r.id: (r.status, r.courier_id) for r in rows}


def _active(engine: Engine) -> dict[int, int]:
    with engine.connect() as conn:
        return dict(
            conn.execute(
                select(Assignment.order_id, Assignment.courier_id).where(Assignment.active)
            ).all()
        )


def test_round_assigns_confirmed_orders(seeded_engine: Engine) -> None:
    """Confirmed orders get a courier, an 'assigned' event, and an active assignment with ETAs."""
    before = _open_orders(seeded_engine)
    result = run_round(seeded_engine, now=NOW, time_limit_s=1.0)
    after = _open_orders(seeded_engine)
    newly = [c for c in result.changes if c.before is None and c.after is not None]
    assert newly, "the seeded present has confirmed orders waiting for a courier"
    active = _active(seeded_engine)
    with seeded_engine.connect() as conn:
        for change in newly:
            assert after[change.order_id] == ("assigned", change.after)
            assert active[change.order_id] == change.after
            last = conn.scalars(
                select(OrderEvent.status)
                .where(OrderEvent.order_id == change.order_id)
                .order_by(OrderEvent.at.desc(), OrderEvent.id.desc())
            ).first()
            assert last == "assigned"
        etas = conn.execute(select(Assignment.eta_dropoff).where(Assignment.active)).scalars().all()
        assert all(eta >= NOW for eta in etas)
        assert conn.scalar(select(func.max(RoutePlan.version))) == result.version
        assert conn.scalar(select(func.count()).select_from(AuditEntry)) == 1
    assert set(after) == set(before)


def test_picked_up_orders_stay_with_their_courier(seeded_engine: Engine) -> None:
    """Re-planning never takes food out of a courier's bag."""
    carried = {
        o: c for o, (s, c) in _open_orders(seeded_engine).items() if s == OrderStatus.PICKED_UP
    }
    assert carried
    run_round(seeded_engine, now=NOW, time_limit_s=1.0)
    run_round(seeded_engine, now=NOW + timedelta(minutes=1), time_limit_s=1.0)
    active = _active(seeded_engine)
    assert {o: active[o] for o in carried} == carried


def test_stale_proposal_is_refused(seeded_engine: Engine) -> None:
    """Two proposals read at the same version: the second commit is a conflict, not a double write."""
    first = propose_round(seeded_engine, now=NOW, time_limit_s=0.5)
    second = propose_round(seeded_engine, now=NOW, time_limit_s=0.5)
    commit_proposal(seeded_engine, first)
    active = _active(seeded_engine)
    with pytest.raises(PlanConflictError, match="version"):
        commit_proposal(seeded_engine, second)
    assert _active(seeded_engine) == active


def test_order_cancelled_after_proposal_is_a_conflict(seeded_engine: Engine) -> None:
    """A plan that gives a courier to an order cancelled meanwhile is not written."""
    proposal = propose_round(seeded_engine, now=NOW, time_limit_s=0.5)
    order_id = next(c.order_id for c in proposal.changes if c.after is not None)
    with seeded_engine.begin() as conn:
        conn.execute(
            update(Order).where(Order.id == order_id).values(status="cancelled", cancelled_at=NOW)
        )
    with pytest.raises(PlanConflictError, match="changed status"):
        commit_proposal(seeded_engine, proposal)


def test_an_order_that_moved_on_is_left_as_it_is(seeded_engine: Engine) -> None:
    """An order the plan does not move that was picked up meanwhile (a live city goes on)
    does not stop the plan: the moves are written, and that order keeps what it has."""
    proposal = propose_round(seeded_engine, now=NOW, time_limit_s=0.5)
    moved = {c.order_id for c in proposal.changes}
    kept = next(
        i for i, s in proposal.snapshot.statuses.items() if s == "assigned" and i not in moved
    )
    with seeded_engine.begin() as conn:
        conn.execute(
            update(Order)
            .where(Order.id == kept)
            .values(status=OrderStatus.PICKED_UP, picked_up_at=NOW)
        )
    before = _active(seeded_engine)[kept]
    result = commit_proposal(seeded_engine, proposal)
    assert result.version == 2 and {c.order_id for c in result.changes} == moved
    with seeded_engine.connect() as conn:
        status = conn.scalar(select(Order.status).where(Order.id == kept))
    assert status == OrderStatus.PICKED_UP and _active(seeded_engine)[kept] == before


def test_expired_orders_are_reported_not_dispatched(seeded_engine: Engine) -> None:
    """An order far past its promise is left for a person and named in the result."""
    with seeded_engine.begin() as conn:
        order_id = conn.scalar(
            select(Order.id).where(Order.status == OrderStatus.CONFIRMED).limit(1)
        )
        conn.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(promised_at=NOW - timedelta(hours=2), placed_at=NOW - timedelta(hours=3))
        )
    result = run_round(seeded_engine, now=NOW, time_limit_s=0.5)
    assert order_id in result.expired
    assert order_id not in _active(seeded_engine)


def test_nothing_to_dispatch(engine: Engine) -> None:
    """An empty store gives an empty round, not an error."""
    result = run_round(engine, now=NOW, time_limit_s=0.5)
    assert result.version is None and result.changes == []


def _racer(url: str, start: mp.synchronize.Event, results: mp.Queue) -> None:
    engine = make_engine(url)
    start.wait()
    result = run_round(engine, now=NOW, time_limit_s=0.5, actor="racer")
    results.put((result.version, result.attempts, result.note))
    engine.dispose()


def test_racing_dispatchers_never_double_assign_or_lose(seeded_url: str) -> None:
    """Sixteen dispatchers at once: every one succeeds (a plan written, or nothing left to
    do after re-basing on the winner's), versions are unique and none is empty, each order
    has at most one active assignment that matches its courier, picked-up orders keep
    theirs, every order that could be planned has a courier, nothing disappears."""
    engine = make_engine(seeded_url)
    before = _open_orders(engine)
    carried = {o: c for o, (s, c) in before.items() if s == OrderStatus.PICKED_UP}
    # Separate processes, as separate `longcat dispatch` commands are; forked from a server
    # that imported the solver once, so sixteen of them start in seconds on two cores.
    ctx = process_context()
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(seeded_url, start, results)) for _ in range(RACERS)]
    for p in procs:
        p.start()
    start.set()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * RACERS
    written = sorted(v for v, _, _ in outcomes if v is not None)
    assert written and written == list(range(2, 2 + len(written)))
    assert all(note.startswith("nothing left") for v, _, note in outcomes if v is None)
    with engine.connect() as conn:
        changed = dict(
            conn.execute(
                select(RoutePlan.version, AuditEntry.result["changed"].as_integer())
                .join(AuditEntry, AuditEntry.result["version"].as_integer() == RoutePlan.version)
                .where(AuditEntry.action == "dispatch.commit")
            ).all()
        )
    assert sorted(changed) == written and all(n > 0 for n in changed.values()), changed
    again = run_round(engine, now=NOW, time_limit_s=0.5)
    assert again.version is None and again.note.startswith("nothing left")
    with engine.connect() as conn:
        doubled = doubly_assigned(conn)
    assert doubled == []
    after = _open_orders(engine)
    assert set(after) == set(before)
    active = _active(engine)
    for order_id, (status, courier) in after.items():
        if status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP):
            assert active.get(order_id) == courier, order_id
        else:
            assert order_id not in active
    assert {o: active[o] for o in carried} == carried
    engine.dispose()


def test_a_narrow_round_changes_only_its_orders(seeded_engine: Engine) -> None:
    """With a scope, only the orders in it may change courier: other assigned orders stay
    pinned and unassigned ones outside it are left alone; an order sent to a chosen courier
    goes to that courier (SQLite and PostgreSQL)."""
    before = _open_orders(seeded_engine)
    assigned = sorted(i for i, (status, _) in before.items() if status == OrderStatus.ASSIGNED)
    waiting = sorted(i for i, (status, _) in before.items() if status == OrderStatus.CONFIRMED)
    assert assigned and waiting
    with seeded_engine.connect() as conn:
        order_zone = conn.scalar(select(Order.zone_id).where(Order.id == assigned[0]))
        target = conn.scalar(
            select(Courier.id).where(
                Courier.zone_id == order_zone,
                Courier.status == "available",
                Courier.id != before[assigned[0]][1],
            )
        )
    assert target is not None
    scope = RoundScope(frozenset({assigned[0]}), ((assigned[0], target),))
    proposal = propose_round(seeded_engine, now=NOW, time_limit_s=1.0, scope=scope)
    moved = {c.order_id: c.after for c in proposal.changes if c.after != c.before}
    assert moved == {assigned[0]: target}
    free = RoundScope(frozenset(assigned[:1]))
    narrow = propose_round(seeded_engine, now=NOW, time_limit_s=1.0, scope=free)
    assert {c.order_id for c in narrow.changes if c.after != c.before} <= {assigned[0]}
    assert not set(waiting) & {c.order_id for c in narrow.changes}


def test_rounds_of_different_zones_do_not_overtake_each_other(seeded_engine: Engine) -> None:
    """Two zones' rounds read at once both commit; a city-wide round read at the same time
    is overtaken by them and, run again, re-bases and finds its work done."""
    with seeded_engine.begin() as conn:
        hand_back(conn, NOW)  # orders wait in every zone
    with seeded_engine.connect() as conn:
        zones = sorted(
            conn.scalars(
                select(Order.zone_id).where(Order.status == OrderStatus.CONFIRMED).distinct()
            ).all()
        )
    assert len(zones) >= 2
    first, second = (
        propose_round(seeded_engine, now=NOW, zone_id=z, time_limit_s=0.5) for z in zones[:2]
    )
    city = propose_round(seeded_engine, now=NOW, time_limit_s=0.5)
    assert first.moves and second.moves
    one = commit_proposal(seeded_engine, first)
    two = commit_proposal(seeded_engine, second)
    assert one.version is not None and two.version == one.version + 1
    with pytest.raises(PlanConflictError):
        commit_proposal(seeded_engine, city)
    for zone in zones[:2]:
        again = run_round(seeded_engine, now=NOW, zone_id=zone, time_limit_s=0.5)
        assert again.version is None and again.note.startswith("nothing left")
    # The city round, re-run, changes only what the two zones' rounds did not cover.
    city_again = run_round(seeded_engine, now=NOW, time_limit_s=0.5)
    others = _zone_orders(seeded_engine, zones[2:])
    assert all(c.order_id in others for c in city_again.changes if c.before != c.after)


def _zone_orders(engine: Engine, zones: list[int]) -> set[int]:
    with engine.connect() as conn:
        return set(conn.scalars(select(Order.id).where(Order.zone_id.in_(zones or [-1]))))


def test_a_round_that_moves_nothing_refreshes_the_times_in_force(seeded_engine: Engine) -> None:
    """Five minutes later nothing needs another courier: no version is written, but the
    plan in force takes the round's newer ETAs, so the tracking page does not go stale."""
    first = run_round(seeded_engine, now=NOW, time_limit_s=0.5)
    assert first.version is not None
    with seeded_engine.connect() as conn:
        before = dict(
            conn.execute(
                select(Assignment.order_id, Assignment.eta_dropoff).where(Assignment.active)
            ).all()
        )
    later = run_round(seeded_engine, now=NOW + timedelta(minutes=5), time_limit_s=0.5)
    assert later.version is None
    with seeded_engine.connect() as conn:
        after = dict(
            conn.execute(
                select(Assignment.order_id, Assignment.eta_dropoff).where(Assignment.active)
            ).all()
        )
        versions = conn.scalar(select(func.max(RoutePlan.version)))
    assert versions == first.version
    assert set(after) == set(before)
    assert any(after[o] != before[o] for o in after), "the ETAs were not refreshed"
