"""The maps' offline base layer: zone outlines and names from the store, and the main roads
and the river from a small schematic the project ships (``roads.json``), so a map means
something with no tile server in reach."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROADS = Path(__file__).with_name("roads.json")
EARTH_KM_PER_DEG = 111.32
OUTLINE_POINTS = 48


@dataclass(frozen=True)
class ZoneOutline:
    id: int
    name: str
    name_zh: str | None
    center: tuple[float, float]  # lon, lat
    ring: tuple[tuple[float, float], ...]  # lon, lat; closed


def outline(
    zone_id: int, name: str, name_zh: str | None, lat: float, lon: float, radius_km: float
) -> ZoneOutline:
    """A zone's delivery disc as a closed ring of points."""
    dlat = radius_km / EARTH_KM_PER_DEG
    dlon = radius_km / (EARTH_KM_PER_DEG * math.cos(math.radians(lat)))
    ring = tuple(
        (
            round(lon + dlon * math.cos(2 * math.pi * k / OUTLINE_POINTS), 6),
            round(lat + dlat * math.sin(2 * math.pi * k / OUTLINE_POINTS), 6),
        )
        for k in range(OUTLINE_POINTS + 1)
    )
    return ZoneOutline(zone_id, name, name_zh, (lon, lat), ring)


@cache
def roads() -> tuple[dict[str, Any], ...]:
    """Main roads and the river: name, Chinese name, kind and a path of [lon, lat]."""
    data = json.loads(ROADS.read_text("utf-8"))
    return tuple(data["roads"])
