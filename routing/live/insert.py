"""Regret insertion for the live model, priced in bulk with numpy.

Every way to put an order's pickup and drop-off into a courier's route (pickup at any
position, drop-off at any later one) is a trial route; all trials of a batch are scheduled
at once, with the same rules as live_network.simulate, so the routes that come out keep
every hard limit that simulate checks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from routing.live.network import Network

INFEASIBLE = np.inf
BATCH_TRIALS = 40_000  # trial routes scheduled per numpy call, to bound memory
# Orders committed per round, as a share of those waiting: smaller follows regret closer.
COMMIT_SHARE = 0.2
RELOCATE_COURIERS = 10  # other couriers an order may move to, nearest first
IMPROVEMENT = 1e-6  # below this, a saving is rounding

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class _Fleet:
    """Per-courier arrays the bulk scheduler indexes by courier."""

    start_time: Ints
    shift_end: Ints
    capacity: Ints
    load: Ints

    @classmethod
    def of(cls, net: Network) -> _Fleet:
        n = len(net.couriers)
        load = np.array([net.carried_load(v) for v in range(n)], dtype=np.int64)
        capacity = np.array([c.capacity for c in net.couriers], dtype=np.int64)
        return cls(
            np.array([net.start_time(v) for v in range(n)], dtype=np.int64),
            np.array([net.shift_end(v) for v in range(n)], dtype=np.int64),
            np.maximum(capacity, load),
            load,
        )


def schedule_costs(
    net: Network, fleet: _Fleet, courier: Ints, nodes: Ints, partner: Ints
) -> NDArray[np.float64]:
    """Travel plus priced lateness of each route, or INFEASIBLE where it breaks a hard limit.

    nodes[s, r] is route r's stop s, routes padded with net.end (stop by stop, so each step
    reads one contiguous row); partner[s, r] is, for a drop-off, the stop of its pickup on
    the same route (-1 where the order was picked up before).
    """
    width, rows = nodes.shape
    size = net.size
    flat = net.travel.reshape(-1)  # one flat gather is faster than three-index indexing
    base = net.vehicle[courier] * size
    valid = nodes != net.end
    starts = np.empty((width, rows), dtype=np.int64)
    t, at = fleet.start_time[courier].copy(), courier.copy()
    travel = np.zeros(rows, dtype=np.int64)
    for s in range(width):
        node = nodes[s]
        leg = flat.take((base + at) * size + node)
        travel += leg
        starts[s] = np.maximum(t + leg, net.ready[node])
        t = starts[s] + net.service[node]
        at = node
    demand = net.demand[nodes]
    is_pick = demand > 0
    # A pickup starts as late as it can without delaying the next stop (see simulate).
    for s in range(width - 2, -1, -1):
        node = nodes[s]
        held = starts[s + 1] - flat.take((base + node) * size + nodes[s + 1])
        held = np.maximum(starts[s], np.minimum(held - net.service[node], net.latest[node]))
        np.copyto(starts[s], held, where=is_pick[s])
    load = fleet.load[courier] + np.cumsum(demand, axis=0)
    picked = np.take_along_axis(starts, np.maximum(partner, 0), axis=0)
    broken = (
        ((starts > net.latest[nodes]) & valid)
        | (load > fleet.capacity[courier])
        | ((partner >= 0) & (starts - picked > net.policy.max_ride_s))
    )
    ok = ~broken.any(axis=0) & (t <= fleet.shift_end[courier])
    late = np.where(valid & ~is_pick, np.maximum(starts - net.promised[nodes], 0), 0)
    cost = travel + net.policy.lateness_cost_per_s * late.sum(axis=0)
    return np.where(ok, cost.astype(np.float64), INFEASIBLE)


@cache
def _placements(length: int) -> tuple[Ints, Ints, Ints]:
    """The ways to add a pickup and a later drop-off to a route of `length` stops.

    Returns, per way: the gather index into [route..., pickup, drop-off] that gives the
    new route; its inverse (where each of those ends up); and the positions (i, j) in the
    old route before which the pickup and the drop-off go.
    """
    ways, where = [], []
    for i in range(length + 1):
        for j in range(i, length + 1):
            ways.append([*range(i), length, *range(i, j), length + 1, *range(j, length)])
            where.append((i, j))
    gather = np.array(ways, dtype=np.int64)
    return gather, np.argsort(gather, axis=1), np.array(where, dtype=np.int64)


def partners(net: Network, route: list[int]) -> list[int]:
    """For each stop of the route, the position of its order's pickup if the stop is a
    drop-off whose pickup comes earlier on the route, else -1."""
    seen: dict[int, int] = {}
    out = []
    for s, node in enumerate(route):
        k = int(net.node_order[node])
        if net.demand[node] > 0:
            seen[k] = s
            out.append(-1)
        else:
            out.append(seen.get(k, -1))
    return out


class Inserter:
    """Cheapest insertions of orders into a set of routes that it keeps up to date."""

    def __init__(self, net: Network, routes: list[list[int]]) -> None:
        self.net = net
        self.fleet = _Fleet.of(net)
        self.routes = [list(r) for r in routes]
        self.partners = [partners(net, r) for r in self.routes]
        self.cost = self._price(np.arange(len(routes)), self.routes)

    def _price(self, couriers: Ints, routes: list[list[int]]) -> NDArray[np.float64]:
        """schedule_costs of each route on its courier, padded into one batch."""
        width = max(max((len(r) for r in routes), default=0), 1)
        nodes = np.full((width, len(routes)), self.net.end, dtype=np.int64)
        partner = np.full((width, len(routes)), -1, dtype=np.int64)
        for n, route in enumerate(routes):
            nodes[: len(route), n] = route
            partner[: len(route), n] = partners(self.net, route)
        return schedule_costs(self.net, self.fleet, couriers, nodes, partner)

    def best(self, orders: Ints, couriers: Ints) -> tuple[NDArray[np.float64], Ints, Ints]:
        """Added cost and pickup and drop-off positions of each (order, courier) pair's
        cheapest insertion; added cost is INFEASIBLE where no position keeps the limits."""
        net = self.net
        added = np.full(len(orders), INFEASIBLE)
        first, second = np.zeros(len(orders), np.int64), np.zeros(len(orders), np.int64)
        lengths = np.array([len(self.routes[v]) for v in couriers.tolist()], dtype=np.int64)
        for length in np.unique(lengths).tolist():
            gather, inverse, where = _placements(length)
            members = np.nonzero(lengths == length)[0]
            step = max(1, BATCH_TRIALS // len(gather))
            for lo in range(0, len(members), step):
                chunk = members[lo : lo + step]
                vs = couriers[chunk]
                ks = orders[chunk]
                ext = np.empty((len(chunk), length + 2), dtype=np.int64)
                pair = np.empty((len(chunk), length + 2), dtype=np.int64)
                for row, v in enumerate(vs.tolist()):
                    ext[row, :length] = self.routes[v]
                    pair[row, :length] = self.partners[v]
                ext[:, length], ext[:, length + 1] = net.pickup[ks], net.dropoff[ks]
                pair[:, length], pair[:, length + 1] = -1, length
                nodes = ext[:, gather].reshape(-1, length + 2)  # [pair and way, stop]
                pickup_at = pair[:, gather]  # [pair, way, stop]: pickup's index in ext
                way = np.arange(len(gather))[None, :, None]
                partner = np.where(pickup_at >= 0, inverse[way, np.maximum(pickup_at, 0)], -1)
                costs = schedule_costs(
                    net, self.fleet, np.repeat(vs, len(gather)), np.ascontiguousarray(nodes.T),
                    np.ascontiguousarray(partner.reshape(-1, length + 2).T),
                ).reshape(len(chunk), len(gather))  # fmt: skip
                pick = costs.argmin(axis=1)
                added[chunk] = costs[np.arange(len(chunk)), pick] - self.cost[vs]
                first[chunk], second[chunk] = where[pick, 0], where[pick, 1]
        return added, first, second

    def insert(self, k: int, v: int, i: int, j: int) -> None:
        route = self.routes[v]
        p, d = int(self.net.pickup[k]), int(self.net.dropoff[k])
        self._set(v, [*route[:i], p, *route[i:j], d, *route[j:]])

    def remove(self, k: int, v: int) -> None:
        self._set(v, self._without(k, v))

    def _set(self, v: int, route: list[int]) -> None:
        self.routes[v] = route
        self.partners[v] = partners(self.net, route)
        self.cost[v] = self._price(np.array([v]), [route])[0]

    def removal_gains(self, orders: Ints, couriers: Ints) -> NDArray[np.float64]:
        """What taking each order off its courier's route would save."""
        rows = [
            self._without(k, v) for k, v in zip(orders.tolist(), couriers.tolist(), strict=True)
        ]
        return self.cost[couriers] - self._price(couriers, rows)

    def _without(self, k: int, v: int) -> list[int]:
        return [n for n in self.routes[v] if self.net.node_order[n] != k]


class _Prices:
    """Each order's cheapest insertion on each of its candidate couriers, kept by
    regret_insert and relocate, and re-priced only where a courier's route changed."""

    def __init__(self, orders: list[int], candidates: list[Ints], width: int) -> None:
        self.orders = np.array(orders, dtype=np.int64)
        self.options = np.full((len(orders), width), -1, dtype=np.int64)  # -1: no courier
        for row, k in enumerate(orders):
            near = candidates[k][:width]
            self.options[row, : len(near)] = near
        self.added = np.full(self.options.shape, INFEASIBLE)
        self.first = np.zeros(self.options.shape, dtype=np.int64)
        self.second = np.zeros(self.options.shape, dtype=np.int64)

    def update(self, inserter: Inserter, stale: NDArray[np.bool_]) -> None:
        rows, cols = np.nonzero(stale & (self.options >= 0))
        if len(rows):
            found = inserter.best(self.orders[rows], self.options[rows, cols])
            self.added[rows, cols], self.first[rows, cols], self.second[rows, cols] = found

    def touching(self, couriers: set[int]) -> NDArray[np.bool_]:
        return np.isin(self.options, list(couriers))

    def place(self, inserter: Inserter, row: int, col: int) -> int:
        """Make the priced insertion; returns the courier."""
        v = int(self.options[row, col])
        k, i, j = int(self.orders[row]), int(self.first[row, col]), int(self.second[row, col])
        inserter.insert(k, v, i, j)
        return v


def regret_insert(
    inserter: Inserter,
    orders: list[int],
    candidates: list[Ints],
    deadline: float = math.inf,
    share: float = COMMIT_SHARE,
) -> list[int]:
    """Insert the orders, those that would lose most by waiting first; returns the ones
    that fit nowhere (or were still waiting at the deadline).

    Each round commits, in order of regret (second-best added cost less the best), the
    top share of the orders whose best courier no earlier commitment of the round has
    touched, then re-prices only the pairs whose courier was touched.
    """
    placeable = [k for k in orders if len(candidates[k])]
    left_out = [k for k in orders if not len(candidates[k])]
    if not placeable:
        return left_out
    prices = _Prices(placeable, candidates, max(len(candidates[k]) for k in placeable))
    count, width = prices.options.shape
    waiting = np.ones(count, dtype=bool)
    stale = np.ones(prices.options.shape, dtype=bool)
    while True:
        prices.update(inserter, stale)
        priced = np.where(waiting[:, None], prices.added, INFEASIBLE)
        col = priced.argmin(axis=1)
        best = priced[np.arange(count), col]
        runner_up = (
            np.partition(priced, 1, axis=1)[:, 1] if width > 1 else np.full(count, INFEASIBLE)
        )
        # Where even the runner-up is infeasible, the order has one chance left: it goes first.
        regret = np.full(count, INFEASIBLE)
        np.subtract(runner_up, best, out=regret, where=runner_up < INFEASIBLE)
        ready = np.nonzero(best < INFEASIBLE)[0]
        if not len(ready) or time.monotonic() > deadline:
            break
        ranked = ready[np.lexsort((best[ready], -regret[ready]))]
        touched: set[int] = set()
        for row in ranked[: max(1, int(len(ranked) * share))].tolist():
            if int(prices.options[row, col[row]]) in touched:
                continue
            touched.add(prices.place(inserter, row, int(col[row])))
            waiting[row] = False
        stale = prices.touching(touched) & waiting[:, None]
    return left_out + prices.orders[waiting].tolist()


def relocate(
    inserter: Inserter,
    candidates: list[Ints],
    deadline: float = math.inf,
    width: int = RELOCATE_COURIERS,
) -> int:
    """Move orders to other couriers while that lowers the cost, best moves first; returns
    the number of moves. Carried and pinned orders stay where they are.

    Each round prices the moves whose routes changed in the round before, then makes, in
    order of saving, each move that touches no route an earlier move of the round touched.
    """
    net = inserter.net
    where = {}
    for v, route in enumerate(inserter.routes):
        for node in route:
            if net.demand[node] > 0 and net.owner(int(net.node_order[node])) < 0:
                where[int(net.node_order[node])] = v
    if not where:
        return 0
    prices = _Prices(sorted(where), candidates, width)
    ks = prices.orders.tolist()
    gain = np.zeros(len(ks))
    stale = np.ones(prices.options.shape, dtype=bool)
    moved_off = np.ones(len(ks), dtype=bool)  # orders whose route changed: gains to redo
    moves = 0
    while time.monotonic() < deadline:
        on = np.array([where[k] for k in ks], dtype=np.int64)
        own = prices.options == on[:, None]
        prices.update(inserter, stale & ~own)
        if moved_off.any():
            gain[moved_off] = inserter.removal_gains(prices.orders[moved_off], on[moved_off])
        delta = np.where(own, INFEASIBLE, prices.added) - gain[:, None]
        rows, cols = np.nonzero(delta < -IMPROVEMENT)
        touched: set[int] = set()
        for n in np.argsort(delta[rows, cols], kind="stable").tolist():
            row, col = int(rows[n]), int(cols[n])
            v, u = int(on[row]), int(prices.options[row, col])
            if v in touched or u in touched:
                continue
            # Neither route has changed since the move was priced, so the price holds.
            inserter.remove(ks[row], v)
            prices.place(inserter, row, col)
            touched.update((u, v))
            where[ks[row]] = u
            moves += 1
        if not touched:
            break
        moved_off = np.isin([where[k] for k in ks], list(touched))
        stale = prices.touching(touched)
    return moves
