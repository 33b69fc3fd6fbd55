"""How big a seeded city is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    zones: int
    merchants_per_zone: int
    customers_per_zone: int
    couriers_per_zone: int
    days: int
    daily_orders_per_zone: float  # a typical weekday at the start of the history


SCALES: dict[str, Scale] = {
    "small": Scale("small", 4, 8, 60, 8, 90, 24.0),
    "city": Scale("city", 12, 45, 1500, 40, 120, 145.0),
}
