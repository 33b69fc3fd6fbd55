"""Seeded synthetic city snapshots (around Shanghai) for benchmarks and demos."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from db.domain.rules import VEHICLES
from routing.live.problem import Courier, DispatchProblem, Order
from routing.travel.providers import Location, VehicleType

CENTRE = (31.2304, 121.4737)
KM_LAT = 1 / 111.0  # degrees of latitude per km
KM_LON = 1 / 95.0  # degrees of longitude per km at Shanghai's latitude
BAGS = {VehicleType(name): vehicle.bag for name, vehicle in VEHICLES.items()}


def _near(rng: np.random.Generator, lat: float, lon: float, km: float) -> Location:
    dy, dx = rng.normal(0.0, km, size=2)
    return Location(lat + dy * KM_LAT, lon + dx * KM_LON)


def _closest(fleet: list[Courier], point: Location) -> Courier:
    return min(
        fleet, key=lambda c: (c.position.lat - point.lat) ** 2 + (c.position.lon - point.lon) ** 2
    )


def city_snapshot(
    orders: int, seed: int = 7, now: datetime | None = None, couriers: int | None = None
) -> DispatchProblem:
    """A round with `orders` open orders and (by default) one courier per three orders.

    A fifth of the couriers carry an order already picked up; one order in twenty is
    pinned to a courier. Merchants cluster in hubs, customers live within a few km.
    """
    rng = np.random.default_rng(seed)
    now = now or datetime(2026, 11, 27, 11, 30, tzinfo=UTC)
    n_couriers = couriers if couriers is not None else max(1, orders // 3)
    radius_km = 2.0 + 4.0 * np.sqrt(orders / 1000)  # bigger rounds cover more of the city
    hubs = [_near(rng, *CENTRE, radius_km) for _ in range(max(3, orders // 15))]
    kinds = rng.choice(list(VehicleType), size=n_couriers, p=[0.1, 0.5, 0.3, 0.1])
    fleet = []
    for i in range(n_couriers):
        hub = hubs[rng.integers(len(hubs))]
        fleet.append(Courier(
            id=f"c{i}", position=_near(rng, hub.lat, hub.lon, 1.5), vehicle=kinds[i],
            capacity=BAGS[kinds[i]], shift_end_s=float(rng.uniform(1800, 4 * 3600)),
        ))  # fmt: skip
    out = []
    carriers = rng.choice(n_couriers, size=n_couriers // 5, replace=False)
    for i, v in enumerate(carriers):
        c = fleet[v]
        promised = float(rng.uniform(300, 1500))
        out.append(Order(
            id=f"o{i}", merchant=c.position, customer=_near(rng, c.position.lat, c.position.lon, 2),
            ready_s=-600.0, promised_s=promised, latest_s=promised + 1200, carried_by=c.id,
        ))  # fmt: skip
    for i in range(len(out), orders):
        hub = hubs[rng.integers(len(hubs))]
        merchant = _near(rng, hub.lat, hub.lon, 0.3)
        ready = float(rng.uniform(-300, 1800))
        promised = ready + float(rng.uniform(1200, 2400))
        # A committed pickup goes to a courier close to the merchant, as a dispatcher would.
        pinned = _closest(fleet, merchant).id if rng.random() < 0.05 else None
        out.append(Order(
            id=f"o{i}", merchant=merchant, customer=_near(rng, merchant.lat, merchant.lon, 2.0),
            ready_s=ready, promised_s=promised, latest_s=promised + 1200, pinned_to=pinned,
        ))  # fmt: skip
    return DispatchProblem(now, tuple(fleet), tuple(out))
