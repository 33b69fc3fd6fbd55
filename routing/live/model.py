"""The OR-Tools model of one dispatch cluster: open routes, pairs, bags, shifts, ride times."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np

from routing.live.greedy import greedy_routes, route_cost
from routing.live.network import Network

if TYPE_CHECKING:  # OR-Tools ships no types for these: they are Any to the checker
    from ortools.constraint_solver.pywrapcp import (
        RoutingDimension,
        RoutingIndexManager,
        RoutingModel,
    )

# Insertion looks at a fifth of the nodes nearest each one: the full scan is quadratic.
INSERTION_NEIGHBORS_RATIO = 0.2
INSERTION_MIN_NEIGHBORS = 10
MIN_SEARCH_S = 0.02
DETERMINISTIC_SOLUTIONS = 300  # improving moves a deterministic descent may make


def solve_network(
    net: Network,
    candidates: list[np.ndarray],
    deadline: float,
    deterministic: bool = False,
    start: list[list[int]] | None = None,
) -> list[list[int]]:
    """Best routes (node lists per courier) found by the deadline (a time.monotonic() value).

    Starts from the start routes (an earlier plan) with the orders they lack inserted
    (greedy_routes), so a plan at least as good comes back even with no time to search.
    ``deterministic`` trades the metaheuristic for a descent to the first local optimum and
    lets insertion finish, so the same round gives the same plan however fast the machine
    is; the deadline then only caps a descent that would run very long.
    """
    from ortools.constraint_solver import pywrapcp

    first = greedy_routes(net, candidates, start)
    if not deterministic and deadline - time.monotonic() <= MIN_SEARCH_S:
        return first
    repair_by = math.inf if deterministic else deadline
    n_couriers = len(net.couriers)
    manager = pywrapcp.RoutingIndexManager(
        net.size, n_couriers, list(range(n_couriers)), [net.end] * n_couriers
    )
    model = pywrapcp.RoutingModel(manager)
    transit = net.travel + net.service[None, :, None]
    transit[:, net.end, :] = 0
    callbacks = {}
    for t in sorted(set(net.vehicle.tolist())):
        callbacks[t] = model.RegisterTransitMatrix(transit[t].tolist())
    for v in range(n_couriers):
        model.SetArcCostEvaluatorOfVehicle(callbacks[int(net.vehicle[v])], v)
    horizon = max(net.shift_end(v) for v in range(n_couriers))
    model.AddDimensionWithVehicleTransits(
        [callbacks[int(net.vehicle[v])] for v in range(n_couriers)], horizon, horizon, False, "time"
    )
    clock = model.GetDimensionOrDie("time")
    loads = [net.carried_load(v) for v in range(n_couriers)]
    demand_cb = model.RegisterUnaryTransitVector(net.demand.tolist())
    capacities = [max(c.capacity, load) for c, load in zip(net.couriers, loads, strict=True)]
    model.AddDimensionWithVehicleCapacity(demand_cb, 0, capacities, False, "load")
    bag = model.GetDimensionOrDie("load")
    for v in range(n_couriers):
        clock.CumulVar(model.Start(v)).SetValue(net.start_time(v))
        clock.CumulVar(model.End(v)).SetMax(net.shift_end(v))
        bag.CumulVar(model.Start(v)).SetValue(loads[v])
    _add_orders(net, model, manager, clock, candidates)
    # Local search from the greedy plan (its moves also place what greedy left out); whatever
    # is still out gets a last regret-insertion try in the time the search leaves.
    routes = _search(net, model, manager, first, deadline - time.monotonic(), deterministic)
    routes = [_repair(net, v, route) for v, route in enumerate(routes)]
    routes = routes if _cost(net, routes) <= _cost(net, first) else first
    return greedy_routes(net, candidates, routes, repair_by)


def _add_orders(
    net: Network,
    model: RoutingModel,
    manager: RoutingIndexManager,
    clock: RoutingDimension,
    candidates: list[np.ndarray],
) -> None:
    solver = model.solver()
    policy = net.policy
    for k, o in enumerate(net.orders):
        d = manager.NodeToIndex(int(net.dropoff[k]))
        clock.CumulVar(d).SetRange(0, int(net.latest[net.dropoff[k]]))
        clock.SetCumulVarSoftUpperBound(d, int(net.promised[net.dropoff[k]]),
                                        policy.lateness_cost_per_s)  # fmt: skip
        allowed = [net.owner(k)] if net.owner(k) >= 0 else [int(v) for v in candidates[k]]
        model.VehicleVar(d).SetValues([-1, *allowed])  # -1: dropped
        if o.carried_by is not None:
            model.AddDisjunction([d], policy.carried_drop_penalty)
            continue
        p = manager.NodeToIndex(int(net.pickup[k]))
        clock.CumulVar(p).SetRange(int(net.ready[net.pickup[k]]), int(net.latest[net.dropoff[k]]))
        model.VehicleVar(p).SetValues([-1, *allowed])
        model.AddPickupAndDelivery(p, d)
        solver.Add(model.VehicleVar(p) == model.VehicleVar(d))
        solver.Add(clock.CumulVar(p) <= clock.CumulVar(d))
        solver.Add(clock.CumulVar(d) - clock.CumulVar(p) <= math.floor(policy.max_ride_s))
        model.AddDisjunction([p], policy.drop_penalty)
        model.AddDisjunction([d], policy.drop_penalty)
        solver.Add(model.ActiveVar(p) == model.ActiveVar(d))


def _search(
    net: Network,
    model: RoutingModel,
    manager: RoutingIndexManager,
    start: list[list[int]],
    time_limit_s: float,
    deterministic: bool = False,
) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    metaheuristics = routing_enums_pb2.LocalSearchMetaheuristic
    search.local_search_metaheuristic = (
        metaheuristics.GREEDY_DESCENT if deterministic else metaheuristics.GUIDED_LOCAL_SEARCH
    )
    if deterministic:
        # A fixed amount of work rather than of time, so a slow machine finds the same plan.
        search.solution_limit = DETERMINISTIC_SOLUTIONS
    gci = search.global_cheapest_insertion_first_solution_parameters
    gci.neighbors_ratio = INSERTION_NEIGHBORS_RATIO
    gci.min_neighbors = INSERTION_MIN_NEIGHBORS
    # The repair pass after the search gets a small slice of the budget.
    search.time_limit.FromMilliseconds(max(int(time_limit_s * 850), 10))
    model.CloseModelWithParameters(search)
    initial = model.ReadAssignmentFromRoutes(
        [[manager.NodeToIndex(n) for n in r] for r in start], True
    )
    # Without a readable start (it should not happen) OR-Tools builds its own first plan.
    found = (
        model.SolveFromAssignmentWithParameters(initial, search)
        if initial is not None
        else model.SolveWithParameters(search)
    )
    if found is None:
        return [[] for _ in net.couriers]
    routes: list[list[int]] = []
    for v in range(len(net.couriers)):
        index, route = found.Value(model.NextVar(model.Start(v))), []
        while not model.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = found.Value(model.NextVar(index))
        routes.append(route)
    return routes


def _repair(net: Network, v: int, route: list[int]) -> list[int]:
    """The route, less the fewest orders whose removal makes it keep every hard limit here.

    The search may time a route in ways the schedule here does not (a drop-off held back to
    shorten an earlier ride); the orders taken out go back through insertion afterwards.
    """
    while route_cost(net, v, route) is None:
        picked = [int(net.node_order[n]) for n in route if n == net.pickup[net.node_order[n]]]
        if not picked:
            return route
        options = [[n for n in route if net.node_order[n] != k] for k in picked]
        costs = [route_cost(net, v, option) for option in options]
        feasible = {i: c for i, c in enumerate(costs) if c is not None}
        # One removal that fixes the route, the cheapest; else drop the last order picked up.
        route = options[min(feasible, key=feasible.__getitem__)] if feasible else options[-1]
    return route


def _cost(net: Network, routes: list[list[int]]) -> float:
    """Dropped orders first, then travel and priced lateness, as the model weighs them."""
    total = 0.0
    for v, route in enumerate(routes):
        cost = route_cost(net, v, route)
        if cost is None:
            return math.inf
        total += cost - len(route) * 1e9
    return total
