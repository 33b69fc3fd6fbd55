"""Independent feasibility check and cost recomputation for benchmark solutions.

It shares no code with the solvers beyond the instance data, so a solver bug cannot hide here.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from routing.benchmarks.problem import Family, Instance

Routes = tuple[tuple[int, ...], ...]
TIME_TOLERANCE = 1e-6


@dataclass(frozen=True)
class CheckReport:
    """What the checker found: feasibility, each violation in words, and the recomputed cost."""

    feasible: bool
    violations: tuple[str, ...]
    cost: float
    vehicles: int


def route_cost(instance: Instance, route: tuple[int, ...]) -> float:
    """Length of depot -> route -> depot under the family's convention."""
    nodes = instance.nodes
    path = (0, *route, 0)
    total = 0.0
    for a, b in pairwise(path):
        d = math.hypot(nodes[a].x - nodes[b].x, nodes[a].y - nodes[b].y)
        total += math.floor(d * 10 + 1e-9) if instance.family is Family.SOLOMON else d
    return total / 10 if instance.family is Family.SOLOMON else total


def solution_cost(instance: Instance, routes: Routes) -> float:
    total = sum(route_cost(instance, r) for r in routes if r)
    return round(total, 1) if instance.family is Family.SOLOMON else total


def check_solution(instance: Instance, routes: Routes) -> CheckReport:
    """Check coverage, capacity, time windows and (Li & Lim) pairing of a set of routes."""
    used = tuple(tuple(r) for r in routes if r)
    problems = _coverage(instance, used)
    if instance.family is Family.LILIM and len(used) > instance.vehicles:
        problems.append(f"{len(used)} routes exceed the fleet of {instance.vehicles}")
    if not problems:  # the per-route checks index nodes, so they need valid ids
        for k, route in enumerate(used, start=1):
            problems += [f"route {k}: {p}" for p in _route_problems(instance, route)]
    cost = solution_cost(instance, used) if not _bad_ids(instance, used) else math.inf
    return CheckReport(not problems, tuple(problems), cost, len(used))


def _bad_ids(instance: Instance, routes: Routes) -> list[int]:
    top = len(instance.nodes) - 1
    return [n for r in routes for n in r if not 1 <= n <= top]


def _coverage(instance: Instance, routes: Routes) -> list[str]:
    problems = [f"node {n} is not a customer id" for n in _bad_ids(instance, routes)]
    seen = Counter(n for r in routes for n in r)
    problems += [f"node {n} visited {c} times" for n, c in sorted(seen.items()) if c > 1]
    missing = [n.id for n in instance.customers if n.id not in seen]
    if missing:
        problems.append(f"nodes never visited: {missing[:10]}{'...' if len(missing) > 10 else ''}")
    return problems


def _route_problems(instance: Instance, route: tuple[int, ...]) -> list[str]:
    nodes = instance.nodes
    solomon = instance.family is Family.SOLOMON
    problems = []
    time, load, peak, previous = 0.0, 0, 0, 0
    position = {n: i for i, n in enumerate(route)}
    for stop in (*route, 0):
        node = nodes[stop]
        d = math.hypot(nodes[previous].x - node.x, nodes[previous].y - node.y)
        time += math.floor(d * 10 + 1e-9) / 10 if solomon else d
        if time > node.due + TIME_TOLERANCE:
            where = "the depot" if stop == 0 else f"node {stop}"
            problems.append(f"arrives at {where} at {time:.2f}, after its due time {node.due}")
        time = max(time, node.ready) + node.service
        load += node.demand
        peak = max(peak, load)
        previous = stop
        if node.pickup and (node.pickup not in position or position[node.pickup] > position[stop]):
            problems.append(
                f"delivery {stop} without its pickup {node.pickup} earlier on the route"
            )
    if solomon:
        peak = sum(nodes[n].demand for n in route)
    if peak > instance.capacity:
        problems.append(f"load {peak} exceeds capacity {instance.capacity}")
    return problems
