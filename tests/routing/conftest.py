"""Shared helpers for the routing tests: benchmark files and truncated instances."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from routing.benchmarks.problem import Instance, Node

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "routing"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def _first_customers(instance: Instance, count: int) -> Instance:
    """A Solomon instance cut down to its depot and first `count` customers."""
    return replace(instance, name=f"{instance.name}-{count}", nodes=instance.nodes[: count + 1])


def _first_pairs(instance: Instance, count: int) -> Instance:
    """A Li & Lim instance cut down to its first `count` pickup-delivery pairs, renumbered."""
    pairs = instance.pairs[:count]
    keep = [0] + [n for pair in pairs for n in pair]
    new_id = {old: new for new, old in enumerate(keep)}
    nodes = []
    for old in keep:
        n = instance.nodes[old]
        nodes.append(
            Node(new_id[old], n.x, n.y, n.demand, n.ready, n.due, n.service,
                 new_id.get(n.pickup, 0), new_id.get(n.delivery, 0))
        )  # fmt: skip
    return replace(instance, name=f"{instance.name}-{count}", nodes=tuple(nodes))


@pytest.fixture(scope="session")
def first_customers():
    return _first_customers


@pytest.fixture(scope="session")
def first_pairs():
    return _first_pairs
