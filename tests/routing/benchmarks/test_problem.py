"""Benchmark problem data: frozen once built, and refused when it cannot be an instance."""

from __future__ import annotations

import dataclasses

import pytest

from routing.benchmarks.problem import Family, Instance, Node, ProblemError


def depot_and(*customers: Node, family: Family = Family.SOLOMON) -> Instance:
    return Instance("t", family, 2, 10, (Node(0, 0, 0, 0, 0, 100, 0), *customers))


def test_instances_are_immutable() -> None:
    """A built instance cannot be changed under a running solver."""
    instance = depot_and(Node(1, 3, 4, 1, 0, 50, 0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        instance.vehicles = 3  # type: ignore[misc]


def test_arc_costs_follow_each_family_convention() -> None:
    """Solomon truncates to one decimal; Li & Lim keeps double precision."""
    solomon = depot_and(Node(1, 1, 1, 1, 0, 50, 0))
    lilim = Instance("t", Family.LILIM, 2, 10, (
        Node(0, 0, 0, 0, 0, 100, 0), Node(1, 1, 1, 1, 0, 50, 0, 0, 2),
        Node(2, 1, 1, -1, 0, 50, 0, 1, 0),
    ))  # fmt: skip
    assert solomon.arc_costs()[0, 1] == pytest.approx(1.4)
    assert lilim.arc_costs()[0, 1] == pytest.approx(2**0.5)
    assert lilim.pairs == ((1, 2),)


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ((Node(2, 0, 0, 1, 0, 9, 0),), "row 1 has id 2"),
        ((Node(1, 0, 0, 1, 9, 5, 0),), "due 5 < ready"),
        ((), "needs a depot and one customer"),
    ],
)
def test_malformed_instances_are_refused(nodes, message: str) -> None:
    """Misnumbered rows, inverted windows and customer-less instances raise ProblemError."""
    with pytest.raises(ProblemError, match=message):
        depot_and(*nodes)


def test_a_fleet_of_zero_is_refused() -> None:
    """Vehicles and capacity must be positive."""
    with pytest.raises(ProblemError, match="vehicles"):
        Instance("t", Family.SOLOMON, 0, 10, (Node(0, 0, 0, 0, 0, 9, 0), Node(1, 0, 0, 1, 0, 9, 0)))
