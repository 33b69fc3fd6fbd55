"""Great-circle distances on plain floats and numpy arrays."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray:
    """Distance in kilometres between points given in degrees; broadcasts like numpy."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def haversine_matrix_km(
    lat1: NDArray, lon1: NDArray, lat2: NDArray, lon2: NDArray
) -> NDArray[np.float64]:
    """Distances from each first point (rows) to each second point (columns), in km.

    The same formula as haversine_km, with the sine of each half difference expanded as
    sin(a - b) = sin a cos b - cos a sin b, so that only the last arcsin works on the
    whole matrix: several times faster on the matrices of a dispatch round.
    """
    h1, h2 = np.radians(np.asarray(lat1)) / 2, np.radians(np.asarray(lat2)) / 2
    g1, g2 = np.radians(np.asarray(lon1)) / 2, np.radians(np.asarray(lon2)) / 2
    half_dp = np.outer(np.cos(h1), np.sin(h2)) - np.outer(np.sin(h1), np.cos(h2))
    half_dl = np.outer(np.cos(g1), np.sin(g2)) - np.outer(np.sin(g1), np.cos(g2))
    a = half_dp**2 + np.outer(np.cos(2 * h1), np.cos(2 * h2)) * half_dl**2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
