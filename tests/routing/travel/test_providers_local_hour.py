"""Rush hour is the city's: the travel provider reads the hour in the configured time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from routing.travel.providers import HaversineProvider, Location, VehicleType


def test_rush_hour_is_local() -> None:
    """08:00 in Shanghai is 00:00 UTC: slower in Shanghai's morning rush than at UTC midnight."""
    at = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    a, b = [Location(31.23, 121.47)], [Location(31.30, 121.51)]
    utc = HaversineProvider().seconds(a, b, VehicleType.EBIKE, at)[0, 0]
    shanghai = HaversineProvider(timezone="Asia/Shanghai").seconds(a, b, VehicleType.EBIKE, at)[
        0, 0
    ]
    assert shanghai > utc
