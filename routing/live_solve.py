"""One dispatch round: (couriers, orders, now, travel provider, time limit) -> DispatchPlan.

Large rounds are split into clusters of nearby couriers, each solved on its own (on as many
worker processes as asked); an order goes with the cluster of the courier that could reach
its merchant first.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from dataclasses import dataclass

import numpy as np

from routing.live import DispatchProblem
from routing.live_model import solve_network
from routing.live_network import build_network, simulate
from routing.live_plan import CourierRoute, DispatchPlan, Stop, StopKind, Unserved, UnservedReason
from routing.live_screen import screen
from routing.travel import HaversineProvider, TravelProvider

MAX_CLUSTER_ORDERS = 200
# Kept back for process start-up, searches that overrun and building the plan: a share of
# short budgets, at most SAFETY_S of long ones.
SAFETY_S = 0.8
SAFETY_SHARE = 0.2


@dataclass(frozen=True)
class Cluster:
    couriers: tuple[int, ...]  # indices into problem.couriers
    orders: tuple[int, ...]  # indices into problem.orders


@dataclass(frozen=True)
class _Job:
    problem: DispatchProblem
    travel: TravelProvider
    candidates: tuple[np.ndarray, ...]
    clusters: tuple[Cluster, ...]
    deadline_in_s: float  # relative: monotonic clocks are not shared between processes
    deterministic: bool = False


def dispatch(
    problem: DispatchProblem,
    travel: TravelProvider | None = None,
    time_limit_s: float = 5.0,
    max_cluster_orders: int = MAX_CLUSTER_ORDERS,
    workers: int = 1,
    deterministic: bool = False,
) -> DispatchPlan:
    """Plan the round within time_limit_s of wall time; always returns a plan.

    ``deterministic`` (for simulations that must replay event for event): a descent to the
    first local optimum instead of a search that runs to the deadline, so the plan does not
    depend on the machine's speed as long as the descent ends within time_limit_s.
    """
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: must be positive, got {time_limit_s}")
    if workers < 1:
        raise ValueError(f"workers: must be at least 1, got {workers}")
    started = time.monotonic()
    travel = travel or HaversineProvider()
    found = screen(problem, travel)
    groups = clusters(problem, found.candidates, max_cluster_orders)
    bins = _balance(groups, min(workers, len(groups)))
    safety = min(SAFETY_S, SAFETY_SHARE * time_limit_s)
    left = started + time_limit_s - safety - time.monotonic()
    jobs = [_Job(problem, travel, found.candidates, tuple(b), left, deterministic) for b in bins]
    if len(jobs) == 1:
        parts = [_solve_clusters(jobs[0])]
    else:
        with _pool_context().Pool(len(jobs)) as pool:
            parts = pool.map(_solve_clusters, jobs)
    routes = {v: stops for part in parts for v, stops in part.items()}
    return _plan(problem, routes, found.reasons, started, len(groups))


def _pool_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean server process: forking the caller itself deadlocks when
    one of its threads (a web server's, a Dask client's) holds a lock at that moment."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["routing.live_model", "routing.live_network"])
    return context


def _balance(groups: list[Cluster], count: int) -> list[list[Cluster]]:
    bins: list[list[Cluster]] = [[] for _ in range(max(count, 1))]
    for group in sorted(groups, key=lambda g: -len(g.orders)):
        min(bins, key=lambda b: sum(len(g.orders) for g in b)).append(group)
    return [b for b in bins if b]


def _solve_clusters(job: _Job) -> dict[int, list[tuple[int, bool, tuple[int, int, int]]]]:
    """Per courier: (order index, is pickup, (arrival, start, departure)) for each stop."""
    deadline = time.monotonic() + job.deadline_in_s
    problem, out = job.problem, {}
    left = sum(len(g.orders) for g in job.clusters)
    for group in job.clusters:
        share = len(group.orders) / max(left, 1)
        left -= len(group.orders)
        local = {v: i for i, v in enumerate(group.couriers)}
        net = build_network(tuple(problem.couriers[v] for v in group.couriers),
                            tuple(problem.orders[k] for k in group.orders),
                            problem.policy, job.travel, problem.now)  # fmt: skip
        cands = [np.array([local[v] for v in job.candidates[k] if v in local], dtype=np.int64)
                 for k in group.orders]  # fmt: skip
        now = time.monotonic()
        plan = solve_network(net, cands, now + max(deadline - now, 0.0) * share, job.deterministic)
        for i, v in enumerate(group.couriers):
            visits, _ = simulate(net, i, plan[i])
            out[v] = [
                (group.orders[int(net.node_order[x.node])],
                 bool(x.node == net.pickup[net.node_order[x.node]]),
                 (x.arrival, x.start, x.departure))
                for x in visits
            ]  # fmt: skip
    return out


def clusters(problem: DispatchProblem, candidates, max_orders: int) -> list[Cluster]:
    """Clusters of about max_orders orders each, couriers grouped by position."""
    n_couriers = len(problem.couriers)
    served = [k for k, c in enumerate(candidates) if len(c)]
    count = max(1, math.ceil(len(served) / max_orders))
    if count == 1:
        return [Cluster(tuple(range(n_couriers)), tuple(served))]
    xy = np.array([(c.position.lat, c.position.lon) for c in problem.couriers])
    label = _kmeans(xy, count)
    orders: list[list[int]] = [[] for _ in range(count)]
    for k in served:
        orders[label[candidates[k][0]]].append(k)  # the courier that arrives first
    return [
        Cluster(tuple(np.nonzero(label == c)[0].tolist()), tuple(orders[c]))
        for c in range(count)
        if orders[c]
    ]


def _kmeans(xy: np.ndarray, count: int, rounds: int = 12) -> np.ndarray:
    scale = np.array([1.0, math.cos(math.radians(float(xy[:, 0].mean())))])
    points = xy * scale
    order = np.argsort(points[:, 0] + points[:, 1], kind="stable")
    centres = points[order[np.linspace(0, len(points) - 1, count).astype(int)]]
    label = np.zeros(len(points), dtype=np.int64)
    for _ in range(rounds):
        label = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        for c in range(count):
            if (label == c).any():
                centres[c] = points[label == c].mean(axis=0)
    return label


def _plan(problem: DispatchProblem, routes, reasons, started: float, n_clusters: int):
    out, placed = [], set()
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
    return DispatchPlan(tuple(out), unserved, travel_s, late_total, cost, elapsed, n_clusters)
