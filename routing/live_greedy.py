"""A fast first plan for the live model: each order appended to the courier it costs least.

OR-Tools' own insertion heuristics scale badly with hundreds of couriers, so the local
search starts from this plan instead.
"""

from __future__ import annotations

import time

import numpy as np

from routing.live_network import Network, simulate


def greedy_routes(
    net: Network, candidates: list[np.ndarray], start: list[list[int]] | None = None
) -> list[list[int]]:
    """Routes (node lists, start and end left out) for every courier; some orders stay out.

    candidates[k] holds the courier indices allowed to serve order k. Orders missing from
    the start routes are appended where they cost least; without start routes, each courier
    first delivers what it carries, most urgent promise first.
    """
    n_couriers = len(net.couriers)
    routes: list[list[int]] = [list(r) for r in start] if start else [[] for _ in net.couriers]
    placed = {node for r in routes for node in r}
    for k, o in enumerate(net.orders):
        if o.carried_by is not None and int(net.dropoff[k]) not in placed:
            routes[net.owner(k)].append(int(net.dropoff[k]))
    clock = np.zeros(n_couriers, dtype=np.int64)
    last = np.arange(n_couriers, dtype=np.int64)
    for v in range(n_couriers):
        if not start:  # deliver what is already in the bag first, most urgent promise first
            routes[v].sort(key=lambda node: int(net.promised[node]))
        visits, _ = simulate(net, v, routes[v])
        clock[v] = visits[-1].departure if visits else net.start_time(v)
        last[v] = routes[v][-1] if routes[v] else v
    shift_end = np.array([net.shift_end(v) for v in range(n_couriers)], dtype=np.int64)
    capacity = np.array([c.capacity for c in net.couriers], dtype=np.int64)
    pending = [k for k, p in enumerate(net.pickup.tolist()) if p >= 0 and p not in placed]
    # Committed pickups first, then the tightest deadlines.
    pending.sort(key=lambda k: (net.owner(k) < 0, int(net.latest[net.dropoff[k]])))
    policy = net.policy
    for k in pending:
        vs = candidates[k]
        if len(vs) == 0:
            continue
        p, d = int(net.pickup[k]), int(net.dropoff[k])
        kinds = net.vehicle[vs]
        to_p = net.travel[kinds, last[vs], p]
        p_to_d = net.travel[kinds, p, d]
        start_p = np.maximum(clock[vs] + to_p, net.ready[p])
        start_d = start_p + net.service[p] + p_to_d
        done = start_d + net.service[d]
        ok = (
            (start_d <= net.latest[d])
            & (start_d - start_p <= policy.max_ride_s)
            & (done <= shift_end[vs])
            & (net.demand[p] <= capacity[vs])
        )
        if not ok.any():
            continue
        late = np.maximum(start_d - net.promised[d], 0)
        cost = to_p + p_to_d + policy.lateness_cost_per_s * late
        best = int(np.argmin(np.where(ok, cost, np.iinfo(np.int64).max)))
        v = int(vs[best])
        routes[v] += [p, d]
        clock[v], last[v] = done[best], d
    return routes


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


def insert_left_out(
    net: Network,
    routes: list[list[int]],
    candidates: list[np.ndarray],
    deadline: float,
    tries: int = 8,
) -> list[list[int]]:
    """Put each order the search left out into its cheapest feasible place, until the deadline."""
    routes = [list(r) for r in routes]
    placed = {node for r in routes for node in r}
    base = [route_cost(net, v, r) for v, r in enumerate(routes)]
    for k in range(len(net.orders)):
        p, d = int(net.pickup[k]), int(net.dropoff[k])
        if d in placed or p < 0:
            continue
        if time.monotonic() > deadline:
            break
        best: tuple[float, int, list[int]] | None = None
        for v in (int(x) for x in candidates[k][:tries]):
            route, before = routes[v], base[v]
            if before is None:
                continue
            for i in range(len(route) + 1):
                for j in range(i, len(route) + 1):
                    trial = [*route[:i], p, *route[i:j], d, *route[j:]]
                    after = route_cost(net, v, trial)
                    if after is not None and (best is None or after - before < best[0]):
                        best = (after - before, v, trial)
        if best is not None:
            _, v, routes[v] = best
            base[v] = route_cost(net, v, routes[v])
            placed.update((p, d))
    return routes
