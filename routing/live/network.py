"""A dispatch round (or one cluster of it) compiled into nodes, integer arrays and matrices.

Node numbering: 0..C-1 are the couriers' start points, C is the shared open-route end
(zero cost from anywhere), then each order's pickup (unless already carried) and drop-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from routing.live.problem import Courier, DispatchPolicy, Order
from routing.travel.providers import Location, TravelProvider, VehicleType, seconds_by_vehicle

VEHICLES = tuple(VehicleType)


@dataclass(frozen=True)
class Network:
    couriers: tuple[Courier, ...]
    orders: tuple[Order, ...]
    policy: DispatchPolicy
    pickup: NDArray[np.int64]  # node of each order's pickup, -1 when carried
    dropoff: NDArray[np.int64]
    node_order: NDArray[np.int64]  # order index of each node, -1 for starts and the end
    service: NDArray[np.int64]
    ready: NDArray[np.int64]
    latest: NDArray[np.int64]
    promised: NDArray[np.int64]
    demand: NDArray[np.int64]
    vehicle: NDArray[np.int64]  # index into VEHICLES for each courier
    # [vehicle index, from node, to node], seconds; int32 halves the memory a large round
    # needs, and fresh memory is a good part of the time it takes to build.
    travel: NDArray[np.int32]

    @property
    def end(self) -> int:
        return len(self.couriers)

    @property
    def size(self) -> int:
        return len(self.node_order)

    def owner(self, k: int) -> int:
        """Courier index an order must stay with (carried or pinned), or -1."""
        bound = self.orders[k].carried_by or self.orders[k].pinned_to
        if bound is None:
            return -1
        return next(i for i, c in enumerate(self.couriers) if c.id == bound)

    def start_time(self, v: int) -> int:
        return math.ceil(max(self.couriers[v].free_at_s, 0.0))

    def shift_end(self, v: int) -> int:
        return math.floor(self.couriers[v].shift_end_s or 0.0)

    def carried_load(self, v: int) -> int:
        cid = self.couriers[v].id
        return sum(o.size for o in self.orders if o.carried_by == cid)


def build_network(
    couriers: tuple[Courier, ...],
    orders: tuple[Order, ...],
    policy: DispatchPolicy,
    travel: TravelProvider,
    now: datetime,
) -> Network:
    c = len(couriers)
    points: list[Location] = [x.position for x in couriers] + [couriers[0].position]
    pickup, dropoff, node_order, service = [], [], [-1] * (c + 1), [0] * (c + 1)
    ready, latest, promised, demand = [0] * (c + 1), [0] * (c + 1), [0] * (c + 1), [0] * (c + 1)
    horizon = max(math.floor(x.shift_end_s or 0.0) for x in couriers)
    for k, o in enumerate(orders):
        if o.carried_by is None:
            pickup.append(len(points))
            points.append(o.merchant)
            node_order.append(k)
            service.append(round(o.pickup_service_s))
            ready.append(max(math.ceil(o.ready_s), 0))
            latest.append(math.floor(o.latest_s))
            promised.append(math.floor(o.promised_s))
            demand.append(o.size)
        else:
            pickup.append(-1)
        dropoff.append(len(points))
        points.append(o.customer)
        node_order.append(k)
        service.append(round(o.dropoff_service_s))
        ready.append(0)
        # A carried order is delivered late rather than not at all, so its deadline is soft only.
        latest.append(horizon if o.carried_by else math.floor(o.latest_s))
        promised.append(max(math.floor(o.promised_s), 0))
        demand.append(-o.size)
    kinds = np.array([VEHICLES.index(VehicleType(x.vehicle)) for x in couriers], dtype=np.int64)
    matrices = vehicle_matrices(travel, points, points, kinds, now)
    matrices[:, c, :] = 0  # open routes: the end is a point nobody travels from ...
    matrices[:, :, c] = 0  # ... and reaching it is free

    def nodes(values: list[int]) -> NDArray[np.int64]:
        return np.array(values, dtype=np.int64)

    return Network(
        couriers, orders, policy,
        nodes(pickup), nodes(dropoff), nodes(node_order), nodes(service), nodes(ready),
        nodes(latest), nodes(promised), nodes(demand),
        kinds, matrices,
    )  # fmt: skip


def vehicle_matrices(
    travel: TravelProvider,
    origins: list[Location],
    destinations: list[Location],
    kinds: NDArray[np.int64],
    now: datetime,
) -> NDArray[np.int32]:
    """Seconds by [vehicle index, origin, destination] for the vehicle indices in kinds;
    zero for the vehicle types nobody in kinds rides."""
    out = np.zeros((len(VEHICLES), len(origins), len(destinations)), dtype=np.int32)
    used = [VEHICLES[t] for t in sorted(set(kinds.tolist()))]
    for vehicle, matrix in seconds_by_vehicle(travel, origins, destinations, used, now).items():
        out[VEHICLES.index(vehicle)] = matrix
    return out


@dataclass(frozen=True)
class Visit:
    node: int
    arrival: int
    start: int
    departure: int


def simulate(net: Network, v: int, nodes: list[int]) -> tuple[list[Visit], bool]:
    """Schedule of courier v over the nodes, and whether it keeps every hard limit.

    Drop-offs happen as early as possible. A pickup starts as late as it can without
    delaying the next stop: a courier who would wait for the next merchant's food waits
    at this counter instead, so the food picked up here rides for less time. The search may
    also delay a drop-off to shorten an earlier ride; such rare routes fail here and are
    repaired by the caller.
    """
    travel = net.travel[net.vehicle[v]]
    starts, t, at = [], net.start_time(v), v
    for node in nodes:
        starts.append(max(t + int(travel[at, node]), int(net.ready[node])))
        t = starts[-1] + int(net.service[node])
        at = node
    for i in range(len(nodes) - 2, -1, -1):
        node = nodes[i]
        if node == net.pickup[net.node_order[node]]:
            leave_by = starts[i + 1] - int(travel[node, nodes[i + 1]]) - int(net.service[node])
            starts[i] = max(starts[i], min(leave_by, int(net.latest[node])))
    return _check(net, v, nodes, starts)


def _check(net: Network, v: int, nodes: list[int], starts: list[int]) -> tuple[list[Visit], bool]:
    policy = net.policy
    load = net.carried_load(v)
    capacity = max(net.couriers[v].capacity, load)
    travel = net.travel[net.vehicle[v]]
    ok, visits, t, at = True, [], net.start_time(v), v
    started: dict[int, int] = {}
    for node, start in zip(nodes, starts, strict=True):
        arrival = t + int(travel[at, node])
        load += int(net.demand[node])
        k = int(net.node_order[node])
        ok &= start <= net.latest[node] and load <= capacity
        if node == net.pickup[k]:
            started[k] = start
        elif k in started:
            ok &= start - started[k] <= policy.max_ride_s
        t = start + int(net.service[node])
        visits.append(Visit(node, arrival, start, t))
        at = node
    ok &= t <= net.shift_end(v)
    return visits, bool(ok)
