"""Every random choice of the simulation, each drawn from its own key.

A draw depends only on (seed, what, which hour or order), never on how many draws came
before it, so a run that restarts in the middle makes the same choices as one that did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import numpy as np

from apps.city.history import CIRCUITY, delivery_fee_minor, promise_offset_s
from apps.city.population import menu_items
from apps.simulator.catalog import Catalog
from routing.travel.distance import haversine_km

ARRIVALS, MERCHANT, CANCEL, COMPLAINT = 1, 2, 3, 4
COMPLAINT_MAX_S = 1200.0


def _rng(seed: int, kind: int, key: int) -> np.random.Generator:
    return np.random.default_rng([seed, kind, key])


@dataclass(frozen=True)
class Arrival:
    """One order as the customer places it."""

    placed_at: datetime
    row: dict[str, Any]  # the orders row, without its id


def arrivals(catalog: Catalog, hour_start: datetime, seed: int, factor: float) -> list[Arrival]:
    """The orders placed in the hour from ``hour_start``, in the order they are placed."""
    hour_key = int(hour_start.timestamp()) // 3600
    found = []
    for z, expected in zip(catalog.zone_ids, catalog.expected(hour_start), strict=True):
        merchants, customers = catalog.merchants[z], catalog.customers[z]
        if not merchants or not customers:
            continue
        rng = _rng(seed, ARRIVALS, hour_key * 1000 + z)
        for _ in range(int(rng.poisson(expected * factor))):
            offset = int(rng.integers(0, 3600))
            merchant = merchants[int(rng.integers(len(merchants)))]
            customer = customers[int(rng.integers(len(customers)))]
            items, subtotal = menu_items(merchant.category, rng)
            km = float(haversine_km(merchant.lat, merchant.lon, customer.lat, customer.lon))
            placed = hour_start + timedelta(seconds=offset)
            promise = float(promise_offset_s(merchant.prep_minutes * 60.0, km * CIRCUITY))
            found.append(
                Arrival(
                    placed,
                    {
                        "customer_id": customer.id,
                        "merchant_id": merchant.id,
                        "zone_id": z,
                        "items": items,
                        "subtotal_minor": subtotal,
                        "delivery_fee_minor": delivery_fee_minor(km),
                        "currency": "CNY",
                        "dropoff_address": customer.address,
                        "dropoff_lat": customer.lat,
                        "dropoff_lon": customer.lon,
                        "placed_at": placed,
                        "promised_at": placed + timedelta(seconds=promise),
                    },
                )
            )
    # Stable: orders placed in the same second keep their zone order.
    return sorted(found, key=lambda a: a.placed_at)


@cache
def merchant_timing(seed: int, order_id: int, prep_minutes: int) -> tuple[float, float]:
    """Seconds from placing to the merchant's confirmation, and from there to food ready."""
    rng = _rng(seed, MERCHANT, order_id)
    return float(rng.uniform(30, 180)), float(prep_minutes * 60.0 * rng.lognormal(0.0, 0.3))


@cache
def cancel_after(seed: int, order_id: int, share: float) -> float | None:
    """Seconds after placing at which the customer cancels, or None if they never do."""
    rng = _rng(seed, CANCEL, order_id)
    wants, after = rng.uniform(), rng.uniform(60, 900)
    return float(after) if wants < share else None


@cache
def complaint_after(seed: int, order_id: int, share: float) -> float | None:
    """Seconds after a late delivery at which its customer complains, or None."""
    rng = _rng(seed, COMPLAINT, order_id)
    wants, after = rng.uniform(), rng.uniform(120, COMPLAINT_MAX_S)
    return float(after) if wants < share else None


def at_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(round(seconds), UTC)
