"""The independent checker: it accepts the best-known solutions and catches broken ones."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from routing.benchmarks.checker import check_solution
from routing.benchmarks.readers import read_instance, read_routes


def _bks(data_dir: Path) -> dict[str, dict[str, str]]:
    with (data_dir / "bks.csv").open() as f:
        return {row["instance"]: row for row in csv.DictReader(f)}


@pytest.mark.parametrize(
    ("family", "name"),
    [("solomon", "C101"), ("solomon", "R101"), ("solomon", "RC208"), ("lilim", "lc101"),
     ("lilim", "lr112"), ("lilim", "lrc201")],
)  # fmt: skip
def test_best_known_solutions_are_feasible_at_their_published_cost(
    data_dir: Path, family: str, name: str
) -> None:
    """Recomputed under each family's convention, the BKS routes cost what bks.csv says."""
    instance = read_instance(data_dir / family / f"{name}.txt")
    routes = read_routes(data_dir / family / "solutions" / f"{name}.sol")
    report = check_solution(instance, routes)
    row = _bks(data_dir)[name]
    assert report.feasible, report.violations
    assert report.vehicles == int(row["vehicles"])
    assert report.cost == pytest.approx(float(row["distance"]), abs=0.01)


def _solomon(data_dir: Path):
    instance = read_instance(data_dir / "solomon" / "C101.txt")
    return instance, read_routes(data_dir / "solomon" / "solutions" / "C101.sol")


def test_missing_and_repeated_customers_are_caught(data_dir: Path) -> None:
    """Dropping a customer, or visiting one twice, makes the plan infeasible."""
    instance, routes = _solomon(data_dir)
    dropped = (routes[0][1:], *routes[1:])
    repeated = ((*routes[0], routes[1][0]), *routes[1:])
    assert "never visited" in " ".join(check_solution(instance, dropped).violations)
    assert "visited 2 times" in " ".join(check_solution(instance, repeated).violations)


def test_unknown_node_ids_are_caught(data_dir: Path) -> None:
    """A route naming the depot or a node beyond the file is rejected, not crashed on."""
    instance, routes = _solomon(data_dir)
    report = check_solution(instance, ((*routes[0], 0, 999), *routes[1:]))
    assert not report.feasible
    assert "not a customer id" in " ".join(report.violations)


def test_capacity_and_time_window_breaches_are_caught(data_dir: Path) -> None:
    """Merging two routes overloads the vehicle; reversing a route breaks time windows."""
    instance, routes = _solomon(data_dir)
    merged = (routes[0] + routes[1], *routes[2:])
    reversed_first = (tuple(reversed(routes[0])), *routes[1:])
    assert "exceeds capacity" in " ".join(check_solution(instance, merged).violations)
    assert "after its due time" in " ".join(check_solution(instance, reversed_first).violations)


def test_pickup_after_delivery_and_split_pairs_are_caught(data_dir: Path) -> None:
    """In Li & Lim a delivery needs its pickup earlier on the same route."""
    instance = read_instance(data_dir / "lilim" / "lc101.txt")
    routes = read_routes(data_dir / "lilim" / "solutions" / "lc101.sol")
    pickup, delivery = instance.pairs[0]
    plain = [tuple(n for n in r if n not in (pickup, delivery)) for r in routes]
    swapped = ((delivery, pickup, *plain[0]), *plain[1:])
    split = ((pickup, *plain[0]), (delivery, *plain[1]), *plain[2:])
    assert "without its pickup" in " ".join(check_solution(instance, swapped).violations)
    assert "without its pickup" in " ".join(check_solution(instance, split).violations)


def test_solomon_cost_truncates_each_arc(data_dir: Path) -> None:
    """DIMACS convention: each arc is floored to one decimal before summing."""
    instance, _ = _solomon(data_dir)
    # depot (40,50) -> node 1 (45,68): sqrt(349) = 18.68..., so 18.6 each way.
    assert check_solution(instance, ((1,),)).cost == pytest.approx(37.2)
