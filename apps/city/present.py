"""The city at this moment: open orders in every status, couriers on shift and where they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from apps.city.history import Timeline
from apps.city.population import Population
from db.domain.status import OPEN, OrderStatus

OPEN_STEPS = OPEN
MIN_PER_OPEN_STATUS = 2
# Seconds from now of placed, confirmed, assigned, picked, delivered for an order
# that is in the given status right now.
STATUS_OFFSETS = {
    OrderStatus.PLACED: (-60, 60, 150, 1200, 2100),
    OrderStatus.CONFIRMED: (-240, -150, 60, 900, 1800),
    OrderStatus.ASSIGNED: (-480, -400, -150, 600, 1500),
    OrderStatus.PICKED_UP: (-1500, -1400, -1200, -180, 600),
}


def statuses(t: Timeline) -> NDArray:
    """The status of every order given only the steps that have already happened."""
    status = np.full(len(t), OrderStatus.PLACED, dtype=object)
    status[~np.isnan(t.confirmed)] = OrderStatus.CONFIRMED
    status[~np.isnan(t.assigned)] = OrderStatus.ASSIGNED
    status[~np.isnan(t.picked)] = OrderStatus.PICKED_UP
    status[~np.isnan(t.delivered)] = OrderStatus.DELIVERED
    status[~np.isnan(t.cancelled)] = OrderStatus.CANCELLED
    return status


def up_to(t: Timeline, now_s: float) -> Timeline:
    """Forget every step later than now; the ready time is known once the merchant confirms."""

    def past(a: NDArray) -> NDArray:
        return np.where(a <= now_s, a, np.nan)

    confirmed = past(t.confirmed)
    return t.with_times(
        confirmed=confirmed,
        ready=np.where(np.isnan(confirmed), np.nan, t.ready),
        assigned=past(t.assigned),
        picked=past(t.picked),
        delivered=past(t.delivered),
        cancelled=past(t.cancelled),
    )


def on_shift(population: Population) -> NDArray:
    return np.array([c["status"] != "off_shift" for c in population.couriers])


def status_extras(
    population: Population, have: dict[str, int], now_s: float, rng: np.random.Generator
) -> Timeline | None:
    """A few orders so that every open status is present even in the quietest hour."""
    working = np.flatnonzero(on_shift(population))
    wanted = [s for s in OPEN_STEPS for _ in range(max(0, MIN_PER_OPEN_STATUS - have.get(s, 0)))]
    if not wanted or len(working) == 0:
        return None
    couriers = rng.choice(working, size=len(wanted))
    zone = np.array([population.couriers[c]["zone_id"] - 1 for c in couriers])
    merchant = np.array(
        [
            rng.choice([m["id"] - 1 for m in population.merchants if m["zone_id"] == z + 1])
            for z in zone
        ]
    )
    customer = np.array(
        [
            rng.choice([c["id"] - 1 for c in population.customers if c["zone_id"] == z + 1])
            for z in zone
        ]
    )
    offsets = np.array([STATUS_OFFSETS[s] for s in wanted], dtype=float) + now_s
    placed, confirmed, assigned, picked, delivered = offsets.T
    return Timeline(
        zone=zone,
        merchant=merchant,
        customer=customer,
        courier=couriers,
        placed=placed,
        confirmed=confirmed,
        ready=picked - 90,
        promised=placed + 2700,
        assigned=assigned,
        picked=picked,
        delivered=delivered,
        cancelled=np.full(len(wanted), np.nan),
        approach_km=rng.uniform(0.3, 1.5, len(wanted)),
    )


def settle_couriers(past: Timeline, population: Population) -> tuple[Timeline, NDArray]:
    """Give every open assigned or picked-up order an on-shift courier with room in the bag.

    Orders in history were drawn with any courier of their zone; the ones still open
    must sit with someone working now. A picked-up order is never left without one;
    an assigned order that finds no room goes back to confirmed.
    """
    status = statuses(past)
    working = on_shift(population)
    capacity = np.array([c["capacity"] for c in population.couriers])
    courier_zone = np.array([c["zone_id"] - 1 for c in population.couriers])
    load = np.zeros(len(capacity), dtype=int)
    courier = past.courier.copy()
    assigned = past.assigned.copy()

    def zone_first(zone: int) -> Callable[[int], tuple[Any, ...]]:
        """Couriers of ``zone`` first, then the least loaded (the load at the time of sorting)."""
        return lambda c: (courier_zone[c] != zone, load[c], c)

    for wanted in (OrderStatus.PICKED_UP, OrderStatus.ASSIGNED):
        for i in np.flatnonzero(status == wanted):
            candidates = [courier[i]] if working[courier[i]] else []
            candidates += sorted(
                np.flatnonzero(working & (load < capacity)),
                key=zone_first(past.zone[i]),
            )
            room = [c for c in candidates if load[c] < capacity[c]]
            if room:
                courier[i] = room[0]
                load[room[0]] += 1
            elif wanted == OrderStatus.ASSIGNED:
                assigned[i] = np.nan
            else:
                courier[i] = candidates[0] if candidates else courier[i]
                load[courier[i]] += 1
    settled = Timeline(**{**past.__dict__, "courier": courier, "assigned": assigned})
    return settled, load


def courier_positions(
    population: Population, full: Timeline, past: Timeline, now_s: float, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """Where each courier is and what it is doing, from the open orders it holds."""
    status = statuses(past)
    m_lat = np.array([m["lat"] for m in population.merchants])
    m_lon = np.array([m["lon"] for m in population.merchants])
    c_lat = np.array([c["lat"] for c in population.customers])
    c_lon = np.array([c["lon"] for c in population.customers])
    updates = []
    for idx, courier in enumerate(population.couriers):
        carrying = np.flatnonzero((past.courier == idx) & (status == OrderStatus.PICKED_UP))
        heading = np.flatnonzero((past.courier == idx) & (status == OrderStatus.ASSIGNED))
        zone_orders = np.flatnonzero(past.zone == courier["zone_id"] - 1)
        if len(carrying):
            i = carrying[0]
            span = max(full.delivered[i] - full.picked[i], 1.0)
            f = float(np.clip((now_s - full.picked[i]) / span, 0.0, 0.95))
            m, c = full.merchant[i], full.customer[i]
            lat, lon = m_lat[m] + f * (c_lat[c] - m_lat[m]), m_lon[m] + f * (c_lon[c] - m_lon[m])
        elif len(heading):
            m = full.merchant[heading[0]]
            angle = rng.uniform(0, 2 * np.pi)
            lat = m_lat[m] + 0.004 * np.sin(angle)
            lon = m_lon[m] + 0.004 * np.cos(angle)
        else:
            m = full.merchant[zone_orders[-1]] if len(zone_orders) else 0
            lat = m_lat[m] + rng.normal(0, 0.006)
            lon = m_lon[m] + rng.normal(0, 0.006)
        working = courier["status"] != "off_shift"
        updates.append(
            {
                "status": "busy" if len(carrying) or len(heading) else courier["status"],
                "last_lat": round(float(lat), 6),
                "last_lon": round(float(lon), 6),
                "last_seen_at": now_s
                - (rng.uniform(5, 60) if working else rng.uniform(3600, 36000)),
            }
        )
    return updates
