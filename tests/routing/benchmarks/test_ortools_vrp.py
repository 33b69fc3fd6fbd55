"""The OR-Tools model: feasible plans on small cuts of the benchmark files, within the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.benchmarks.checker import check_solution
from routing.benchmarks.ortools_vrp import scale_instance, solve_ortools, tighten_windows
from routing.benchmarks.readers import read_instance, read_routes
from routing.benchmarks.solution import SearchParams


@pytest.mark.parametrize("name", ["C101", "R101", "RC201"])
def test_vrptw_plans_are_feasible_and_costed_by_convention(
    data_dir: Path, name: str, first_customers
) -> None:
    """Every customer of a 30-customer cut is served once, within windows and capacity."""
    instance = first_customers(read_instance(data_dir / "solomon" / f"{name}.txt"), 30)
    solution = solve_ortools(instance, SearchParams(time_limit_s=1.0))
    report = check_solution(instance, solution.routes)
    assert report.feasible, report.violations
    assert solution.cost == report.cost
    assert solution.engine == "ortools"


def test_c101_cut_reaches_the_clustered_optimum(data_dir: Path, first_customers) -> None:
    """C101's first 25 customers are easy: the search must not be worse than the tour it
    obtains from the best-known routes restricted to those customers."""
    full = read_instance(data_dir / "solomon" / "C101.txt")
    instance = first_customers(full, 25)
    solution = solve_ortools(instance, SearchParams(time_limit_s=2.0))
    known = read_routes(data_dir / "solomon" / "solutions" / "C101.sol")
    restricted = tuple(tuple(n for n in r if n <= 25) for r in known)
    assert solution.cost <= check_solution(instance, restricted).cost + 1e-9


@pytest.mark.parametrize("name", ["lc101", "lr201"])
def test_pdptw_plans_keep_pairs_on_one_route_in_order(
    data_dir: Path, name: str, first_pairs
) -> None:
    """A 15-pair cut of a Li & Lim file: each pickup precedes its delivery on its route."""
    instance = first_pairs(read_instance(data_dir / "lilim" / f"{name}.txt"), 15)
    solution = solve_ortools(instance, SearchParams(time_limit_s=1.0))
    report = check_solution(instance, solution.routes)
    assert report.feasible, report.violations


def test_pdptw_prefers_fewer_vehicles(data_dir: Path) -> None:
    """Vehicles come first in the Li & Lim objective: the full lc101 needs its BKS fleet of 10."""
    instance = read_instance(data_dir / "lilim" / "lc101.txt")
    solution = solve_ortools(instance, SearchParams(time_limit_s=2.0))
    assert check_solution(instance, solution.routes).feasible
    assert solution.vehicles == 10


def test_a_tiny_time_limit_still_returns_a_plan(data_dir: Path) -> None:
    """Out of time, the solver hands back its best plan so far rather than nothing."""
    instance = read_instance(data_dir / "solomon" / "R101.txt")
    solution = solve_ortools(instance, SearchParams(time_limit_s=0.05))
    assert check_solution(instance, solution.routes).feasible


def test_windows_are_tightened_to_what_a_round_trip_allows(data_dir: Path) -> None:
    """No customer may start before it can be reached or later than allows a return."""
    instance = read_instance(data_dir / "solomon" / "R101.txt")
    scaled = scale_instance(instance)
    ready, due = tighten_windows(scaled)
    assert (ready[1:] >= scaled.travel[0, 1:]).all()
    assert (due[1:] + scaled.service[1:] + scaled.travel[1:, 0] <= scaled.due[0]).all()
