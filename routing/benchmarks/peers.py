"""Adapters for the open solvers we race against or compare with: PyVRP and VROOM.

Both are optional (the `bench` extra); they are imported only when asked for.
"""

from __future__ import annotations

import time
from datetime import timedelta
from types import ModuleType
from typing import TYPE_CHECKING

from routing.benchmarks.checker import solution_cost
from routing.benchmarks.ortools_vrp import Scaled, scale_instance
from routing.benchmarks.problem import Family, Instance
from routing.benchmarks.solution import Routes, Solution, SolverError

if TYPE_CHECKING:
    import numpy as np
    from vroom import ShipmentStep, TimeWindow  # VROOM ships no types: Any to the checker


def _fixed_cost(instance: Instance, scaled_cost: np.ndarray) -> int:
    # Large enough that no saving in distance pays for one more vehicle.
    return int(scaled_cost.max()) * len(instance.nodes) * 2


def solve_pyvrp(instance: Instance, time_limit_s: float, seed: int = 1) -> Solution:
    """PyVRP's hybrid genetic search on the same integer data as the OR-Tools model."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    started = time.monotonic()
    s = scale_instance(instance)
    model = pyvrp.Model()
    where = [model.add_location(n.x, n.y) for n in instance.nodes]
    depot = model.add_depot(where[0], tw_early=int(s.ready[0]), tw_late=int(s.due[0]))
    lilim = instance.family is Family.LILIM
    model.add_vehicle_type(
        num_available=instance.vehicles,
        capacity=instance.capacity,
        start_depot=depot,
        end_depot=depot,
        fixed_cost=_fixed_cost(instance, s.cost) if lilim else 0,
        tw_early=int(s.ready[0]),
        tw_late=int(s.due[0]),
    )
    tasks: list[tuple[int, ...]] = []  # activity index -> node ids (a pair for a shipment)
    for node in instance.customers:
        i = node.id
        if not lilim:
            model.add_client(
                where[i], delivery=node.demand, service_duration=int(s.service[i]),
                tw_early=int(s.ready[i]), tw_late=int(s.due[i]),
            )  # fmt: skip
            tasks.append((i,))
        elif node.delivery:
            d = node.delivery
            model.add_shipment(
                where[i], where[d], int(s.ready[i]), int(s.due[i]), int(s.service[i]),
                int(s.ready[d]), int(s.due[d]), int(s.service[d]), amount=node.demand,
            )  # fmt: skip
            tasks.append((i, d))
    for a, frm in enumerate(where):
        for b, to in enumerate(where):
            model.add_edge(frm, to, int(s.cost[a, b]), int(s.travel[a, b]))
    left = max(time_limit_s - (time.monotonic() - started), 0.1)
    result = model.solve(stop=MaxRuntime(left), seed=seed, display=False)
    if not result.best.is_feasible():
        raise SolverError(f"{instance.name}: PyVRP found no feasible plan in {time_limit_s} s")
    routes = []
    for route in result.best.routes():
        stops = []
        for act in route:
            if act.is_client() or act.is_pickup():
                stops.append(tasks[act.idx][0])
            elif act.is_delivery():
                stops.append(tasks[act.idx][1])
        routes.append(tuple(stops))
    return _solution(instance, tuple(routes), "pyvrp", started)


def solve_vroom(instance: Instance, time_limit_s: float) -> Solution:
    """VROOM at its highest exploration level, one thread, stopped at the time limit."""
    import vroom

    started = time.monotonic()
    s = scale_instance(instance)
    lilim = instance.family is Family.LILIM
    problem = vroom.Input()
    problem.set_durations_matrix("car", s.travel.astype("uint32"))
    problem.set_costs_matrix("car", s.cost.astype("uint32"))
    window = vroom.TimeWindow(int(s.ready[0]), int(s.due[0]))
    costs = vroom.VehicleCosts(fixed=_fixed_cost(instance, s.cost) if lilim else 0)
    fleet = vroom.Amount([instance.capacity])
    problem.add_vehicle(
        [
            vroom.Vehicle(v, start=0, end=0, capacity=fleet, time_window=window, costs=costs)
            for v in range(instance.vehicles)
        ]
    )
    for node in instance.customers:
        if not lilim:
            problem.add_job(
                vroom.Job(
                    node.id,
                    location=node.id,
                    delivery=vroom.Amount([node.demand]),
                    default_service=int(s.service[node.id]),
                    time_windows=[_window(vroom, s, node.id)],
                )
            )
        elif node.delivery:
            problem.add_shipment(
                _step(vroom, s, node.id),
                _step(vroom, s, node.delivery),
                amount=vroom.Amount([node.demand]),
            )
    left = max(time_limit_s - (time.monotonic() - started), 0.1)
    found = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=left))
    steps = found.routes
    routes: dict[int, list[int]] = {}
    for vehicle, kind, task in zip(steps["vehicle_id"], steps["type"], steps["id"], strict=True):
        if kind in ("job", "pickup", "delivery"):
            routes.setdefault(int(vehicle), []).append(int(task))
    served = sum(len(r) for r in routes.values())
    if served < len(instance.customers):
        missing = len(instance.customers) - served
        raise SolverError(f"{instance.name}: VROOM left {missing} tasks unassigned")
    return _solution(instance, tuple(tuple(r) for r in routes.values()), "vroom", started)


def _window(vroom: ModuleType, s: Scaled, node: int) -> TimeWindow:
    return vroom.TimeWindow(int(s.ready[node]), int(s.due[node]))


def _step(vroom: ModuleType, s: Scaled, node: int) -> ShipmentStep:
    return vroom.ShipmentStep(
        node,
        location=node,
        default_service=int(s.service[node]),
        time_windows=[_window(vroom, s, node)],
    )


def _solution(instance: Instance, routes: Routes, engine: str, started: float) -> Solution:
    cost = solution_cost(instance, routes)
    return Solution(
        instance.name, instance.family, routes, cost, engine, time.monotonic() - started
    )
