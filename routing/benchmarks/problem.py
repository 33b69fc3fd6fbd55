"""Benchmark problem data: immutable VRPTW (Solomon) and PDPTW (Li & Lim) instances."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray


class ProblemError(ValueError):
    """Problem data that cannot describe a routing instance; the message names the field."""


class Family(StrEnum):
    """Benchmark family; each has its own cost convention."""

    SOLOMON = "solomon"  # VRPTW, DIMACS: arcs floor(10 d)/10, distance only
    LILIM = "lilim"  # PDPTW, SINTEF: vehicles first, then distance in double precision


@dataclass(frozen=True, slots=True)
class Node:
    """One row of an instance file; node 0 is the depot."""

    id: int
    x: float
    y: float
    demand: int
    ready: int
    due: int
    service: int
    pickup: int = 0  # for a delivery: its pickup node
    delivery: int = 0  # for a pickup: its delivery node


@dataclass(frozen=True)
class Instance:
    """A Solomon or Li & Lim instance, frozen once built."""

    name: str
    family: Family
    vehicles: int
    capacity: int
    nodes: tuple[Node, ...]

    def __post_init__(self) -> None:
        if self.vehicles < 1:
            raise ProblemError(f"{self.name}: vehicles must be at least 1, got {self.vehicles}")
        if self.capacity < 1:
            raise ProblemError(f"{self.name}: capacity must be at least 1, got {self.capacity}")
        if len(self.nodes) < 2:
            raise ProblemError(f"{self.name}: nodes needs a depot and one customer at least")
        for index, node in enumerate(self.nodes):
            if node.id != index:
                raise ProblemError(f"{self.name}: node at row {index} has id {node.id}")
            if node.due < node.ready:
                raise ProblemError(f"{self.name}: node {node.id} due {node.due} < ready")
        if self.family is Family.LILIM:
            self._check_pairs()

    def _check_pairs(self) -> None:
        count = len(self.nodes)
        for node in self.customers:
            if (node.pickup == 0) == (node.delivery == 0):
                raise ProblemError(f"{self.name}: node {node.id} must be a pickup or a delivery")
            sibling = node.delivery or node.pickup
            if not 0 < sibling < count:
                raise ProblemError(f"{self.name}: node {node.id} names missing sibling {sibling}")
            other = self.nodes[sibling]
            if (other.pickup or other.delivery) != node.id:
                raise ProblemError(f"{self.name}: nodes {node.id} and {sibling} do not pair up")

    @property
    def depot(self) -> Node:
        return self.nodes[0]

    @property
    def customers(self) -> tuple[Node, ...]:
        return self.nodes[1:]

    @property
    def pairs(self) -> tuple[tuple[int, int], ...]:
        """(pickup, delivery) node ids, Li & Lim only."""
        return tuple((n.id, n.delivery) for n in self.customers if n.delivery)

    def distances(self) -> NDArray[np.float64]:
        """Euclidean distance matrix in double precision."""
        xy = np.array([(n.x, n.y) for n in self.nodes], dtype=np.float64)
        diff = xy[:, None, :] - xy[None, :, :]
        return np.sqrt((diff**2).sum(axis=2))

    def arc_costs(self) -> NDArray[np.float64]:
        """Arc lengths under the family's convention (also the travel times)."""
        exact = self.distances()
        if self.family is Family.SOLOMON:
            # DIMACS truncation; the epsilon keeps exact tenths such as 0.3 from flooring to 0.2.
            return np.floor(exact * 10 + 1e-9) / 10
        return exact


def tenths(value: float) -> int:
    """An arc length in whole tenths, as the DIMACS convention counts it."""
    return math.floor(value * 10 + 1e-9)
