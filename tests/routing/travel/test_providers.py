"""The default travel-time provider: distance x circuity at a speed by vehicle and hour."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from routing.travel.distance import haversine_km, haversine_matrix_km
from routing.travel.providers import (
    CoordinateError,
    HaversineProvider,
    Location,
    TravelProvider,
    VehicleType,
    seconds_by_vehicle,
)

NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
A, B = Location(31.23, 121.47), Location(31.32, 121.47)  # about 10 km apart, due north


def test_it_satisfies_the_provider_protocol() -> None:
    """HaversineProvider can stand wherever a TravelProvider is expected."""
    assert isinstance(HaversineProvider(), TravelProvider)


def test_seconds_follow_distance_circuity_and_speed() -> None:
    """10 km x 1.3 at a 20 km/h free-flow e-bike is 39 minutes at night."""
    provider = HaversineProvider(hour_factors=(1.0,) * 24)
    seconds = provider.seconds([A], [B], VehicleType.EBIKE, NIGHT)
    km = 0.09 * 111.195  # degrees of latitude to km on the mean-radius sphere
    assert seconds[0, 0] == pytest.approx(km * 1.3 / 20 * 3600, rel=1e-3)


def test_faster_vehicles_and_quiet_hours_take_less_time() -> None:
    """A car beats a bicycle, and the same trip is quicker at 3 am than at rush hour."""
    provider = HaversineProvider()
    bike = provider.seconds([A], [B], VehicleType.BICYCLE, NOON)[0, 0]
    car = provider.seconds([A], [B], VehicleType.CAR, NOON)[0, 0]
    rush = provider.seconds([A], [B], VehicleType.CAR, datetime(2026, 11, 27, 8, tzinfo=UTC))
    night = provider.seconds([A], [B], VehicleType.CAR, NIGHT)
    assert car < bike and night[0, 0] < rush[0, 0]


def test_matrix_shape_is_origins_by_destinations() -> None:
    """Rows are origins, columns destinations; a point to itself is zero seconds."""
    matrix = HaversineProvider().seconds([A, B, A], [A, B], VehicleType.SCOOTER, NOON)
    assert matrix.shape == (3, 2)
    assert matrix[0, 0] == 0 and matrix[1, 1] == 0 and matrix[0, 1] == matrix[1, 0]


def test_vehicle_types_are_the_store_spellings() -> None:
    """The four vehicle types match the strings the store uses."""
    assert [v.value for v in VehicleType] == ["bicycle", "ebike", "scooter", "car"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"circuity": 0.5}, "circuity"), ({"hour_factors": (1.0,) * 23}, "hour_factors"),
     ({"speeds_kmh": {VehicleType.CAR: 30.0}}, "speeds_kmh")],
)  # fmt: skip
def test_bad_settings_are_refused(kwargs, message: str) -> None:
    """A circuity below one, a short hour table or a missing speed is an error."""
    with pytest.raises(ValueError, match=message):
        HaversineProvider(**kwargs)


def test_locations_outside_the_globe_are_refused() -> None:
    """Latitude and longitude are range-checked when a Location is made."""
    with pytest.raises(CoordinateError, match="lat"):
        Location(-91.0, 0.0)
    with pytest.raises(CoordinateError, match="lon"):
        Location(0.0, float("inf"))


def test_matrices_for_several_vehicles_match_one_at_a_time() -> None:
    """The shared-distance path gives each vehicle the matrix seconds() gives it alone."""
    points = [A, B, Location(31.25, 121.50)]
    provider = HaversineProvider()
    shared = seconds_by_vehicle(provider, points, points[:2], list(VehicleType), NOON)
    for vehicle in VehicleType:
        alone = provider.seconds(points, points[:2], vehicle, NOON)
        np.testing.assert_array_equal(shared[vehicle], alone)


def test_providers_without_shared_matrices_are_asked_once_per_vehicle() -> None:
    class Flat:
        def __init__(self) -> None:
            self.asked: list[VehicleType] = []

        def seconds(self, origins, destinations, vehicle, at):
            self.asked.append(vehicle)
            return np.full((len(origins), len(destinations)), 60, dtype=np.int64)

    flat = Flat()
    out = seconds_by_vehicle(flat, [A], [A, B], [VehicleType.CAR, VehicleType.BICYCLE], NOON)
    assert flat.asked == [VehicleType.CAR, VehicleType.BICYCLE]
    assert out[VehicleType.CAR].shape == (1, 2)


def test_the_distance_matrix_agrees_with_the_pairwise_formula() -> None:
    rng = np.random.default_rng(0)
    a = rng.uniform([-80.0, -170.0], [80.0, 170.0], size=(30, 2))
    b = rng.uniform([30.0, 120.0], [32.0, 122.0], size=(20, 2))
    pairwise = haversine_km(a[:, 0:1], a[:, 1:2], b[None, :, 0], b[None, :, 1])
    matrix = haversine_matrix_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    np.testing.assert_allclose(matrix, pairwise, rtol=0, atol=1e-6)
