"""Travel times between points: a provider interface and the default haversine estimate."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from db.domain.rules import VEHICLES
from routing.travel.distance import haversine_matrix_km


class VehicleType(StrEnum):
    """The vehicle types of the store, spelled as the store spells them."""

    BICYCLE = "bicycle"
    EBIKE = "ebike"
    SCOOTER = "scooter"
    CAR = "car"


class CoordinateError(ValueError):
    """A latitude or longitude outside the globe."""


class TravelError(RuntimeError):
    """Travel times could not be obtained; the message says from where and why."""


@dataclass(frozen=True, slots=True)
class Location:
    """A point on the map in degrees (WGS 84)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise CoordinateError(f"lat: {self.lat!r} is out of range [-90, 90]")
        if not (math.isfinite(self.lon) and -180.0 <= self.lon <= 180.0):
            raise CoordinateError(f"lon: {self.lon!r} is out of range [-180, 180]")


@runtime_checkable
class TravelProvider(Protocol):
    """Anything that turns points into a matrix of whole travel seconds."""

    def seconds(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location],
        vehicle: VehicleType,
        at: datetime,
    ) -> NDArray[np.int64]:
        """Seconds from each origin (rows) to each destination (columns), leaving at `at`."""
        ...


DEFAULT_SPEEDS_KMH: Mapping[VehicleType, float] = {
    VehicleType(name): vehicle.speed_kmh for name, vehicle in VEHICLES.items()
}
# Share of free-flow speed by local hour: morning and evening rush are slowest.
DEFAULT_HOUR_FACTORS: tuple[float, ...] = (
    1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.8, 0.75, 0.85, 0.9, 0.85,
    0.85, 0.9, 0.9, 0.9, 0.85, 0.75, 0.75, 0.85, 0.9, 0.95, 1.0, 1.0,
)  # fmt: skip


@dataclass(frozen=True)
class HaversineProvider:
    """Great-circle distance x circuity, at a speed by vehicle type and hour of day."""

    circuity: float = 1.3
    speeds_kmh: Mapping[VehicleType, float] = field(default_factory=lambda: DEFAULT_SPEEDS_KMH)
    hour_factors: tuple[float, ...] = DEFAULT_HOUR_FACTORS
    timezone: str = "UTC"  # the city's, so that rush hour is the local one

    def __post_init__(self) -> None:
        if self.circuity < 1.0:
            raise ValueError(f"circuity: {self.circuity} must be at least 1.0")
        if len(self.hour_factors) != 24 or min(self.hour_factors) <= 0:
            raise ValueError("hour_factors: needs 24 positive factors, one per hour")
        for vehicle in VehicleType:
            if self.speeds_kmh.get(vehicle, 0) <= 0:
                raise ValueError(f"speeds_kmh: no positive speed for {vehicle.value!r}")

    def speed_kmh(self, vehicle: VehicleType, at: datetime) -> float:
        hour = at.astimezone(ZoneInfo(self.timezone)).hour if at.tzinfo else at.hour
        return self.speeds_kmh[VehicleType(vehicle)] * self.hour_factors[hour]

    def seconds(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location],
        vehicle: VehicleType,
        at: datetime,
    ) -> NDArray[np.int64]:
        return self.seconds_by_vehicle(origins, destinations, (vehicle,), at)[vehicle]

    def seconds_by_vehicle(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location],
        vehicles: Iterable[VehicleType],
        at: datetime,
    ) -> dict[VehicleType, NDArray[np.int64]]:
        """One matrix per vehicle type from one distance matrix: only the speed differs."""
        a = np.array([(p.lat, p.lon) for p in origins], dtype=np.float64).reshape(-1, 2)
        b = np.array([(p.lat, p.lon) for p in destinations], dtype=np.float64).reshape(-1, 2)
        road_s = haversine_matrix_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        road_s *= self.circuity * 3600.0
        scaled, out = np.empty_like(road_s), {}
        for v in vehicles:  # one scratch matrix: fresh memory this size is slow to come by
            np.divide(road_s, self.speed_kmh(v, at), out=scaled)
            out[v] = np.rint(scaled, out=scaled).astype(np.int64)
        return out


def seconds_by_vehicle(
    provider: TravelProvider,
    origins: Sequence[Location],
    destinations: Sequence[Location],
    vehicles: Iterable[VehicleType],
    at: datetime,
) -> dict[VehicleType, NDArray[np.int64]]:
    """A matrix per vehicle type; a provider that can compute them together does."""
    shared = getattr(provider, "seconds_by_vehicle", None)
    if shared is not None:
        return shared(origins, destinations, vehicles, at)
    return {v: provider.seconds(origins, destinations, v, at) for v in vehicles}
