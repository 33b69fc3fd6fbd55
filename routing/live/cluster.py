"""Splitting a dispatch round into clusters of nearby couriers, each solved on its own.

An order already on a courier's route goes with that courier; an open order goes with the
cluster of one of the couriers that could reach its merchant first. Each pass draws the
cluster borders differently, so an order near a border gets both neighbourhoods in turn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from routing.live.problem import DispatchProblem

# An open order tries its nearest candidate couriers in turn, one per pass.
ROTATE_CANDIDATES = 3


@dataclass(frozen=True)
class Cluster:
    couriers: tuple[int, ...]  # indices into problem.couriers
    orders: tuple[int, ...]  # indices into problem.orders


def clusters(
    problem: DispatchProblem,
    candidates: Sequence[np.ndarray],
    max_orders: int,
    routes: dict[int, list[int]] | None = None,
    pass_no: int = 0,
) -> list[Cluster]:
    """Clusters of about max_orders orders each; routes holds the order indices per courier."""
    routes = routes or {}
    n_couriers = len(problem.couriers)
    served = [k for k, c in enumerate(candidates) if len(c)]
    count = max(1, math.ceil(len(served) / max_orders))
    owner = {k: v for v, ks in routes.items() for k in ks}
    if count == 1:
        return [Cluster(tuple(range(n_couriers)), tuple(served))]
    xy = np.array([(c.position.lat, c.position.lon) for c in problem.couriers])
    label = _kmeans(xy, count, pass_no)
    orders: list[list[int]] = [[] for _ in range(count)]
    for k in served:
        if k in owner:
            orders[label[owner[k]]].append(k)
        else:
            nearest = candidates[k][:ROTATE_CANDIDATES]
            orders[label[nearest[pass_no % len(nearest)]]].append(k)
    return [
        Cluster(tuple(np.nonzero(label == c)[0].tolist()), tuple(orders[c]))
        for c in range(count)
        if orders[c]
    ]


def balance(groups: list[Cluster], count: int) -> list[list[Cluster]]:
    """Clusters shared among count workers, each getting about as many orders."""
    bins: list[list[Cluster]] = [[] for _ in range(max(count, 1))]
    for group in sorted(groups, key=lambda g: -len(g.orders)):
        min(bins, key=lambda b: sum(len(g.orders) for g in b)).append(group)
    return [b for b in bins if b]


def _kmeans(xy: np.ndarray, count: int, pass_no: int, rounds: int = 12) -> np.ndarray:
    """Labels of a few Lloyd rounds, seeded along a direction that turns with each pass."""
    scale = np.array([1.0, math.cos(math.radians(float(xy[:, 0].mean())))])
    points = xy * scale
    angle = pass_no * math.pi * (3 - math.sqrt(5))  # the golden angle: no direction repeats
    along = points @ np.array([math.cos(angle), math.sin(angle)])
    order = np.argsort(along, kind="stable")
    centres = points[order[np.linspace(0, len(points) - 1, count).astype(int)]]
    label = np.zeros(len(points), dtype=np.int64)
    for _ in range(rounds):
        label = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        for c in range(count):
            if (label == c).any():
                centres[c] = points[label == c].mean(axis=0)
    return label
