"""OR-Tools model for the benchmark families: VRPTW (Solomon) and PDPTW (Li & Lim)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from routing.benchmarks.checker import solution_cost
from routing.benchmarks.problem import Family, Instance
from routing.benchmarks.solution import Routes, SearchParams, Solution, SolverError

if TYPE_CHECKING:  # OR-Tools ships no types for these: they are Any to the checker
    from ortools.constraint_solver.pywrapcp import (
        Assignment,
        RoutingDimension,
        RoutingIndexManager,
        RoutingModel,
    )
    from ortools.constraint_solver.routing_parameters_pb2 import RoutingSearchParameters

# Integer scale of one unit of distance or time: Solomon counts tenths (DIMACS), Li & Lim
# keeps three decimals so that the double-precision objective survives the rounding.
SCALE = {Family.SOLOMON: 10, Family.LILIM: 1000}
FIRST_SOLUTION = {
    Family.SOLOMON: "PARALLEL_CHEAPEST_INSERTION",
    Family.LILIM: "PARALLEL_CHEAPEST_INSERTION",
}


@dataclass(frozen=True)
class Scaled:
    """The instance in the integers OR-Tools works with."""

    cost: np.ndarray  # arc costs
    travel: np.ndarray  # arc travel times, never shorter than the real ones
    ready: np.ndarray
    due: np.ndarray
    service: np.ndarray
    demand: np.ndarray


def scale_instance(instance: Instance) -> Scaled:
    k = SCALE[instance.family]
    exact = instance.distances()
    if instance.family is Family.SOLOMON:
        cost = np.floor(exact * k + 1e-9).astype(np.int64)
        travel = cost
    else:
        cost = np.rint(exact * k).astype(np.int64)
        # Rounding travel up keeps every plan feasible when rechecked in double precision.
        travel = np.ceil(exact * k - 1e-9).astype(np.int64)
    nodes = instance.nodes
    ready = np.array([n.ready for n in nodes], dtype=np.int64) * k
    due = np.array([n.due for n in nodes], dtype=np.int64) * k
    service = np.array([n.service for n in nodes], dtype=np.int64) * k
    demand = np.array([n.demand for n in nodes], dtype=np.int64)
    return Scaled(cost, travel, ready, due, service, demand)


def tighten_windows(s: Scaled) -> tuple[np.ndarray, np.ndarray]:
    """Windows shrunk to what a round trip from the depot can actually use."""
    ready = np.maximum(s.ready, s.travel[0])
    due = np.minimum(s.due, s.due[0] - s.service - s.travel[:, 0])
    ready[0], due[0] = s.ready[0], s.due[0]
    return ready, due


def solve_ortools(instance: Instance, params: SearchParams | None = None) -> Solution:
    """Solve within params.time_limit_s and return the best plan found by then."""
    from ortools.constraint_solver import pywrapcp

    params = params or SearchParams()
    started = time.monotonic()
    s = scale_instance(instance)
    n = len(instance.nodes)
    manager = pywrapcp.RoutingIndexManager(n, instance.vehicles, 0)
    model = pywrapcp.RoutingModel(manager)
    arc = model.RegisterTransitMatrix(s.cost.tolist())
    model.SetArcCostEvaluatorOfAllVehicles(arc)
    transit = s.travel + s.service[:, None]
    horizon = int(s.due[0])
    time_cb = model.RegisterTransitMatrix(transit.tolist())
    model.AddDimension(time_cb, horizon, horizon, False, "time")
    clock = model.GetDimensionOrDie("time")
    load_cb = model.RegisterUnaryTransitVector(s.demand.tolist())
    model.AddDimensionWithVehicleCapacity(
        load_cb, 0, [instance.capacity] * instance.vehicles, True, "load"
    )
    ready, due = tighten_windows(s)
    for node in range(1, n):
        clock.CumulVar(manager.NodeToIndex(node)).SetRange(int(ready[node]), int(due[node]))
    for v in range(instance.vehicles):
        clock.CumulVar(model.Start(v)).SetRange(int(s.ready[0]), horizon)
        clock.CumulVar(model.End(v)).SetRange(int(s.ready[0]), horizon)
    _remove_impossible_arcs(model, manager, ready, due, transit)
    if instance.family is Family.LILIM:
        _add_pairs(instance, model, manager, clock)
        # One more vehicle must never pay for itself in distance: vehicles first, then distance.
        model.SetFixedCostOfAllVehicles(int(s.cost.max()) * n * 2)
    search = _search_parameters(instance.family, params)
    found = model.SolveWithParameters(search)
    if found is None:
        raise SolverError(f"{instance.name}: OR-Tools found no plan in {params.time_limit_s} s")
    routes = _routes(model, manager, found, instance.vehicles)
    elapsed = time.monotonic() - started
    cost = solution_cost(instance, routes)
    return Solution(instance.name, instance.family, routes, cost, "ortools", elapsed)


def _remove_impossible_arcs(
    model: RoutingModel,
    manager: RoutingIndexManager,
    ready: np.ndarray,
    due: np.ndarray,
    transit: np.ndarray,
) -> None:
    # An arc i->j that cannot respect j's window even when leaving i at its earliest is
    # never used; removing it up front keeps the local search off dead moves.
    n = len(ready)
    impossible = ready[:, None] + transit > due[None, :]
    np.fill_diagonal(impossible, False)
    impossible[:, 0] = False
    impossible[0, :] = False
    for i in range(1, n):
        bad = np.nonzero(impossible[i])[0]
        if len(bad):
            model.NextVar(manager.NodeToIndex(i)).RemoveValues(
                [manager.NodeToIndex(int(j)) for j in bad]
            )


def _add_pairs(
    instance: Instance,
    model: RoutingModel,
    manager: RoutingIndexManager,
    clock: RoutingDimension,
) -> None:
    solver = model.solver()
    for pickup, delivery in instance.pairs:
        p, d = manager.NodeToIndex(pickup), manager.NodeToIndex(delivery)
        model.AddPickupAndDelivery(p, d)
        solver.Add(model.VehicleVar(p) == model.VehicleVar(d))
        solver.Add(clock.CumulVar(p) <= clock.CumulVar(d))


def _search_parameters(family: Family, params: SearchParams) -> RoutingSearchParameters:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    search = pywrapcp.DefaultRoutingSearchParameters()
    first = params.first_solution
    if first == "AUTOMATIC":
        first = FIRST_SOLUTION[family]
    strategy = routing_enums_pb2.FirstSolutionStrategy
    meta = routing_enums_pb2.LocalSearchMetaheuristic
    search.first_solution_strategy = getattr(strategy, first)
    search.local_search_metaheuristic = getattr(meta, params.metaheuristic)
    search.guided_local_search_lambda_coefficient = params.gls_lambda
    seconds = max(params.time_limit_s, 0.05)
    search.time_limit.seconds = int(seconds)
    search.time_limit.nanos = int((seconds - int(seconds)) * 1e9)
    search.log_search = params.log_search
    return search


def _routes(
    model: RoutingModel, manager: RoutingIndexManager, assignment: Assignment, vehicles: int
) -> Routes:
    routes = []
    for v in range(vehicles):
        index = assignment.Value(model.NextVar(model.Start(v)))
        route = []
        while not model.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = assignment.Value(model.NextVar(index))
        if route:
            routes.append(tuple(route))
    return tuple(routes)
