"""One dispatch round: (couriers, orders, now, travel provider, time limit) -> DispatchPlan.

A round starts from a plan drawn by regret insertion (live_insert) over large clusters,
then improves it in passes. Each pass splits the couriers into clusters of nearby ones,
and solves each cluster on its own (on as many worker processes as asked), starting from
the routes of the pass before. The borders move from pass to pass, so couriers and orders
on either side of one pass's border share a cluster in another, until the time is up.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from multiprocessing.pool import Pool

import numpy as np

from routing.live.cluster import Cluster, balance, clusters
from routing.live.greedy import greedy_routes
from routing.live.model import solve_network
from routing.live.network import Network, build_network, simulate
from routing.live.plan import CourierRoute, DispatchPlan, Stop, StopKind, Unserved, UnservedReason
from routing.live.problem import DispatchProblem
from routing.live.screen import screen
from routing.processes import process_context
from routing.travel.providers import HaversineProvider, TravelProvider

MAX_CLUSTER_ORDERS = 25
# A round this small is one cluster: OR-Tools searches it whole within a usual budget.
SOLO_ORDERS = 120
# The first plan is drawn by regret insertion over clusters this large: the more couriers
# each order can choose from, the better, but the travel matrices grow as the square.
CONSTRUCT_ORDERS = 1000
CONSTRUCT_SHARE = 0.6  # of the budget, at most; the passes finish what it leaves undone
# A pass over the whole city gets at most this long, so long budgets make more passes.
PASS_S = 0.8
CLUSTER_S = 0.06  # the least search time worth giving a cluster in a pass
MIN_PASS = 0.3  # no pass starts with less than this share of a pass' worth left
DETERMINISTIC_PASSES = 2
# Kept back for process start-up, searches that overrun and building the plan: a share of
# short budgets, at most SAFETY_S of long ones.
SAFETY_S = 0.8
SAFETY_SHARE = 0.1

# Per courier: (order index, is pickup, (arrival, start, departure)) for each stop.
Routes = dict[int, list[tuple[int, bool, tuple[int, int, int]]]]


@dataclass(frozen=True)
class _Job:
    problem: DispatchProblem
    travel: TravelProvider
    candidates: tuple[np.ndarray, ...]
    clusters: tuple[Cluster, ...]
    routes: Routes  # the couriers' routes from the pass before
    deadline_in_s: float  # relative: monotonic clocks are not shared between processes
    deterministic: bool = False
    construct: bool = False  # insertion and relocation (live_insert) only, no OR-Tools


def dispatch(
    problem: DispatchProblem,
    travel: TravelProvider | None = None,
    time_limit_s: float = 5.0,
    max_cluster_orders: int | None = None,
    workers: int = 1,
    deterministic: bool = False,
) -> DispatchPlan:
    """Plan the round within time_limit_s of wall time; always returns a plan.

    ``deterministic`` (for simulations that must replay event for event): a fixed number
    of passes, each a descent to the first local optimum instead of a search that runs to
    the deadline, so the plan does not depend on the machine's speed as long as the work
    ends within time_limit_s. ``max_cluster_orders`` defaults to the whole round up to
    SOLO_ORDERS orders, else to MAX_CLUSTER_ORDERS.
    """
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: must be positive, got {time_limit_s}")
    if workers < 1:
        raise ValueError(f"workers: must be at least 1, got {workers}")
    started = time.monotonic()
    travel = travel or HaversineProvider()
    found = screen(problem, travel)
    if max_cluster_orders is None:
        small = len(problem.orders) <= SOLO_ORDERS
        max_cluster_orders = max(len(problem.orders), 1) if small else MAX_CLUSTER_ORDERS
    if max_cluster_orders < 1:
        raise ValueError(f"max_cluster_orders: must be at least 1, got {max_cluster_orders}")
    end = started + time_limit_s - min(SAFETY_S, SAFETY_SHARE * time_limit_s)
    many = len(problem.orders) > max_cluster_orders
    base = _Job(problem, travel, found.candidates, (), {}, 0.0)
    routes: Routes = {}
    pool = process_context().Pool(workers) if workers > 1 and many else None
    try:
        # One cluster draws its first plan inside its own search.
        if many:
            routes = _construct(pool, base, workers, end, deterministic)
        routes, counts = _passes(
            pool, base, routes, max_cluster_orders, workers, end, deterministic
        )
    finally:
        if pool is not None:
            pool.terminate()
    return _plan(problem, routes, found.reasons, started, counts)


def _construct(
    pool: Pool | None, base: _Job, workers: int, end: float, deterministic: bool
) -> Routes:
    """The first plan: insertion and relocation, over clusters large enough that each order
    chooses among many couriers. An unfinished plan is finished by the passes' own insertion."""
    groups = clusters(base.problem, base.candidates, CONSTRUCT_ORDERS)
    budget = math.inf if deterministic else CONSTRUCT_SHARE * (end - time.monotonic())
    return _run(pool, groups, workers, replace(base, deadline_in_s=budget, construct=True))


def _passes(
    pool: Pool | None,
    base: _Job,
    routes: Routes,
    max_cluster_orders: int,
    workers: int,
    end: float,
    deterministic: bool,
) -> tuple[Routes, tuple[int, int]]:
    """Improve the routes pass by pass until the time is up; returns them with the number
    of clusters of the first pass and the number of passes."""
    problem = base.problem
    passes, first_clusters = 0, 0
    while True:
        on_routes = {v: [k for k, pickup, _ in stops if pickup or problem.orders[k].carried_by]
                     for v, stops in routes.items()}  # fmt: skip
        groups = clusters(problem, base.candidates, max_cluster_orders, on_routes, passes)
        first_clusters = first_clusters or len(groups)
        # Passes long enough for every cluster to get some search: the time left is shared
        # evenly among as many passes as it holds, counting a part-pass as one.
        wanted = max(PASS_S, CLUSTER_S * len(groups) / min(workers, len(groups)))
        left = end - time.monotonic()
        if not deterministic and len(groups) > 1:
            left /= max(1, math.ceil(left / wanted))  # a deterministic pass ends by itself
        job = replace(base, routes=routes, deadline_in_s=left, deterministic=deterministic)
        routes = _run(pool, groups, workers, job)
        passes += 1
        if len(groups) == 1:
            break  # one cluster: its search has had the whole budget already
        if deterministic and passes >= DETERMINISTIC_PASSES:
            break
        if not deterministic and end - time.monotonic() < MIN_PASS * wanted:
            break
    return routes, (first_clusters, passes)


def _run(pool: Pool | None, groups: list[Cluster], workers: int, job: _Job) -> Routes:
    """The job's routes updated with the solution of every cluster, shared among workers."""
    bins = balance(groups, workers)
    jobs = [replace(job, clusters=tuple(b)) for b in bins]
    parts = (
        pool.map(_solve_clusters, jobs) if pool and len(jobs) > 1 else map(_solve_clusters, jobs)
    )
    return {**job.routes, **{v: stops for part in parts for v, stops in part.items()}}


def _solve_clusters(job: _Job) -> Routes:
    deadline = time.monotonic() + job.deadline_in_s
    problem, out = job.problem, {}
    left = sum(len(g.orders) for g in job.clusters)
    for group in job.clusters:
        share = len(group.orders) / max(left, 1)
        left -= len(group.orders)
        net, cands = _cluster_network(problem, job.travel, job.candidates, group)
        start = _start_routes(net, group, job.routes)
        now = time.monotonic()
        by = now + max(deadline - now, 0.0) * share
        if job.construct:
            plan = greedy_routes(net, cands, start, by, improve=True)
        else:
            plan = solve_network(net, cands, by, job.deterministic, start)
        out.update(_visits(net, group, plan))
    return out


def _cluster_network(
    problem: DispatchProblem,
    travel: TravelProvider,
    candidates: tuple[np.ndarray, ...],
    group: Cluster,
) -> tuple[Network, list[np.ndarray]]:
    """The cluster's network, and each order's candidates in the cluster's courier numbers."""
    local = {v: i for i, v in enumerate(group.couriers)}
    net = build_network(tuple(problem.couriers[v] for v in group.couriers),
                        tuple(problem.orders[k] for k in group.orders),
                        problem.policy, travel, problem.now)  # fmt: skip
    cands = [np.array([local[v] for v in candidates[k] if v in local], dtype=np.int64)
             for k in group.orders]  # fmt: skip
    return net, cands


def _visits(net: Network, group: Cluster, plan: list[list[int]]) -> Routes:
    out: Routes = {}
    for i, v in enumerate(group.couriers):
        visits, _ = simulate(net, i, plan[i])
        out[v] = [
            (group.orders[int(net.node_order[x.node])],
             bool(x.node == net.pickup[net.node_order[x.node]]),
             (x.arrival, x.start, x.departure))
            for x in visits
        ]  # fmt: skip
    return out


def _start_routes(net: Network, group: Cluster, routes: Routes) -> list[list[int]] | None:
    """The pass before's routes of the cluster's couriers, in the cluster's node numbers."""
    if not routes:
        return None
    local = {k: i for i, k in enumerate(group.orders)}
    return [
        [int(net.pickup[local[k]] if pickup else net.dropoff[local[k]])
         for k, pickup, _ in routes.get(v, [])]
        for v in group.couriers
    ]  # fmt: skip


def _plan(
    problem: DispatchProblem,
    routes: Routes,
    reasons: tuple[UnservedReason | None, ...],
    started: float,
    counts: tuple[int, int],
) -> DispatchPlan:
    out: list[CourierRoute] = []
    placed: set[str] = set()
    late_total = 0.0
    for v, courier in enumerate(problem.couriers):
        stops = []
        for k, pickup, (arrival, start, departure) in routes.get(v, []):
            order = problem.orders[k]
            late = 0.0 if pickup else max(start - order.promised_s, 0.0)
            kind = StopKind.PICKUP if pickup else StopKind.DROPOFF
            stops.append(Stop(order.id, kind, arrival, start, departure, late))
            late_total += late
            placed.add(order.id)
        if stops:
            out.append(CourierRoute(courier.id, tuple(stops)))
    # Riding time: each leg's arrival minus the previous departure (or the courier's start).
    travel_s = 0.0
    for route in out:
        courier = next(c for c in problem.couriers if c.id == route.courier_id)
        previous = max(courier.free_at_s, 0.0)
        for stop in route.stops:
            travel_s += stop.arrival_s - previous
            previous = stop.departure_s
    unserved = tuple(
        Unserved(o.id, reasons[k] or UnservedReason.FLEET_BUSY)
        for k, o in enumerate(problem.orders)
        if o.id not in placed
    )
    cost = travel_s + problem.policy.lateness_cost_per_s * late_total
    elapsed = time.monotonic() - started
    return DispatchPlan(tuple(out), unserved, travel_s, late_total, cost, elapsed, *counts)
