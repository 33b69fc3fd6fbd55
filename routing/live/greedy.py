"""A fast first plan for the live model, and the cost of a route as the model weighs it.

OR-Tools' own insertion heuristics scale badly with hundreds of couriers, so the local
search starts from this plan instead.
"""

from __future__ import annotations

import math

import numpy as np

from routing.live.insert import Inserter, regret_insert, relocate
from routing.live.network import Network, simulate


def greedy_routes(
    net: Network,
    candidates: list[np.ndarray],
    start: list[list[int]] | None = None,
    deadline: float = math.inf,
    improve: bool = False,
) -> list[list[int]]:
    """Routes (node lists, start and end left out) for every courier; some orders stay out.

    candidates[k] holds the courier indices allowed to serve order k, nearest first. The
    orders missing from the start routes go in by regret insertion (live_insert), committed
    pickups first; without start routes, each courier first delivers what it carries, most
    urgent promise first. ``improve`` then moves orders between couriers while that saves
    (live_insert.relocate); both stop at the deadline.
    """
    routes: list[list[int]] = [list(r) for r in start] if start else [[] for _ in net.couriers]
    placed = {node for r in routes for node in r}
    for k, o in enumerate(net.orders):
        if o.carried_by is not None and int(net.dropoff[k]) not in placed:
            routes[net.owner(k)].append(int(net.dropoff[k]))
    if not start:
        for route in routes:
            route.sort(key=lambda node: int(net.promised[node]))
    pending = [k for k, p in enumerate(net.pickup.tolist()) if p >= 0 and p not in placed]
    inserter = Inserter(net, routes)
    pinned = [k for k in pending if net.owner(k) >= 0]
    regret_insert(inserter, pinned, candidates, deadline)
    regret_insert(inserter, [k for k in pending if net.owner(k) < 0], candidates, deadline)
    if improve:
        relocate(inserter, candidates, deadline)
    return inserter.routes


def route_cost(net: Network, v: int, route: list[int]) -> float | None:
    """Travel plus priced lateness of courier v's route, or None if it breaks a hard limit."""
    visits, ok = simulate(net, v, route)
    if not ok:
        return None
    travel = net.travel[net.vehicle[v]]
    total, at = 0.0, v
    for visit in visits:
        total += int(travel[at, visit.node])
        if net.pickup[net.node_order[visit.node]] != visit.node:
            total += net.policy.lateness_cost_per_s * max(
                visit.start - int(net.promised[visit.node]), 0
            )
        at = visit.node
    return total
