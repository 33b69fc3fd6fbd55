"""Build a whole city, deterministic in (scale, seed, now), as rows ready for the store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apps.city.demand import DemandModel, public_holidays, rain_series
from apps.city.geography import ZONES
from apps.city.history import Timeline, delivery_fee_minor, draw_counts, draw_timeline
from apps.city.population import Population, build_population, menu_items
from apps.city.present import (
    courier_positions,
    settle_couriers,
    status_extras,
    statuses,
    up_to,
)
from apps.city.scales import Scale
from db.domain.status import OrderStatus
from routing.travel.distance import haversine_km

GROWTH_PER_DAY = np.log(1.3) / 120
CANCEL_REASONS = ("customer changed mind", "merchant out of stock", "waited too long", "duplicate")
# Each status, and the field of the timeline that says when the order reached it.
STEPS = (
    (OrderStatus.PLACED, "placed"),
    (OrderStatus.CONFIRMED, "confirmed"),
    (OrderStatus.ASSIGNED, "assigned"),
    (OrderStatus.PICKED_UP, "picked"),
    (OrderStatus.DELIVERED, "delivered"),
    (OrderStatus.CANCELLED, "cancelled"),
)


@dataclass(frozen=True)
class City:
    scale: Scale
    seed: int
    now: datetime
    population: Population
    full: Timeline  # every step, including those still to come (used for ETAs)
    past: Timeline  # only the steps that happened by `now`
    courier_state: list[dict[str, Any]]
    hours: pd.DatetimeIndex
    rain: NDArray

    @property
    def n_orders(self) -> int:
        return len(self.past)


def _at(seconds: float) -> datetime | None:
    return None if np.isnan(seconds) else datetime.fromtimestamp(round(seconds), UTC)


def build_city(scale: Scale, seed: int, now: datetime) -> City:
    if now.tzinfo is None:
        raise ValueError("now: must be timezone-aware")
    rng = np.random.default_rng(seed)
    zones = ZONES[: scale.zones]
    population = build_population(zones, scale, now, rng)
    end_hour = pd.Timestamp(now).floor("h")
    hours = pd.date_range(end=end_hour, periods=scale.days * 24 + 1, freq="h", tz=UTC)
    rain = rain_series(len(hours), rng)
    model = DemandModel(
        zones=zones,
        daily_orders=tuple(
            scale.daily_orders_per_zone * f for f in rng.uniform(0.6, 1.4, len(zones))
        ),
        origin=hours[0].to_pydatetime(),
        growth_per_day=float(GROWTH_PER_DAY),
        holidays=public_holidays(
            hours[0].date() - timedelta(days=1), now.date() + timedelta(days=1)
        ),
    )
    counts, expected = draw_counts(model, hours, rain, rng)
    now_s = now.timestamp()
    full = draw_timeline(population, counts, expected, hours, rain, now_s, rng)
    open_now = statuses(up_to(full, now_s))
    extras = status_extras(
        population, {s: int((open_now == s).sum()) for s in set(open_now)}, now_s, rng
    )
    if extras is not None:
        full = full.concat(extras)
    past, _ = settle_couriers(up_to(full, now_s), population)
    full = full.with_times(courier=past.courier)
    return City(
        scale=scale,
        seed=seed,
        now=now,
        population=population,
        full=full,
        past=past,
        courier_state=courier_positions(population, full, past, now_s, rng),
        hours=hours,
        rain=rain,
    )


def couriers(city: City) -> list[dict[str, Any]]:
    rows = []
    for courier, state in zip(city.population.couriers, city.courier_state, strict=True):
        rows.append({**courier, **state, "last_seen_at": _at(state["last_seen_at"])})
    return rows


def order_rows(city: City, start: int, stop: int) -> Iterator[dict[str, Any]]:
    pop, t = city.population, city.past
    status = statuses(t)
    items_rng = np.random.default_rng([city.seed, 1, start])
    for i in range(start, min(stop, len(t))):
        merchant = pop.merchants[t.merchant[i]]
        customer = pop.customers[t.customer[i]]
        items, subtotal = menu_items(merchant["category"], items_rng)
        km = float(haversine_km(merchant["lat"], merchant["lon"], customer["lat"], customer["lon"]))
        has_courier = status[i] in (
            OrderStatus.ASSIGNED,
            OrderStatus.PICKED_UP,
            OrderStatus.DELIVERED,
        )
        yield {
            "id": i + 1,
            "customer_id": customer["id"],
            "merchant_id": merchant["id"],
            "zone_id": int(t.zone[i]) + 1,
            "courier_id": pop.couriers[t.courier[i]]["id"] if has_courier else None,
            "status": status[i],
            "items": items,
            "subtotal_minor": subtotal,
            "delivery_fee_minor": delivery_fee_minor(km),
            "currency": "CNY",
            "dropoff_address": customer["address"],
            "dropoff_lat": customer["lat"],
            "dropoff_lon": customer["lon"],
            "placed_at": _at(t.placed[i]),
            "confirmed_at": _at(t.confirmed[i]),
            "ready_at": _at(t.ready[i]),
            "promised_at": _at(t.promised[i]),
            "assigned_at": _at(t.assigned[i]),
            "picked_up_at": _at(t.picked[i]),
            "delivered_at": _at(t.delivered[i]),
            "cancelled_at": _at(t.cancelled[i]),
            "cancel_reason": (
                CANCEL_REASONS[i % len(CANCEL_REASONS)]
                if status[i] == OrderStatus.CANCELLED
                else None
            ),
        }


def event_rows(city: City, start: int, stop: int) -> Iterator[dict[str, Any]]:
    t = city.past
    for i in range(start, min(stop, len(t))):
        steps = [(getattr(t, field)[i], status) for status, field in STEPS]
        for seconds, status in sorted(s for s in steps if not np.isnan(s[0])):
            yield {"order_id": i + 1, "status": status, "at": _at(seconds), "actor": "seed"}


def demand_rows(city: City) -> Iterator[dict[str, Any]]:
    t = city.past
    # pandas-stubs leave out DatetimeIndex.asi8 (the epoch nanoseconds), which pandas has.
    hour_start = (city.hours.asi8 // 10**9).astype(float)  # type: ignore[attr-defined]
    hour_idx = np.searchsorted(hour_start, t.placed, side="right") - 1
    n_zones = city.scale.zones
    counts = np.bincount(hour_idx * n_zones + t.zone, minlength=len(hour_start) * n_zones)
    counts = counts.reshape(len(hour_start), n_zones)
    for h, ts in enumerate(city.hours):
        for z in range(n_zones):
            yield {
                "zone_id": z + 1,
                "hour": ts.to_pydatetime(),
                "orders": int(counts[h, z]),
                "rain_mm": float(city.rain[h]),
            }


def plan_rows(city: City) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The active route plan: each courier's open orders, picked-up ones first, with ETAs."""
    status = statuses(city.past)
    plan = {
        "id": 1,
        "version": 1,
        "zone_id": None,
        "status": "active",
        "created_at": city.now,
        "created_by": "seed",
        "cost": None,
        "details": {"source": "seed"},
    }
    now_s = city.now.timestamp()
    open_idx = np.flatnonzero(np.isin(status, (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)))
    key = [
        (city.past.courier[i], status[i] != OrderStatus.PICKED_UP, city.full.delivered[i])
        for i in open_idx
    ]
    rows, sequence, previous = [], 0, None
    for (courier, _, _), i in sorted(zip(key, open_idx, strict=True)):
        sequence = sequence + 1 if courier == previous else 0
        previous = courier
        pickup_eta = (
            None
            if status[i] == OrderStatus.PICKED_UP
            else _at(max(city.full.picked[i], now_s + 60))
        )
        rows.append(
            {
                "plan_id": 1,
                "order_id": int(i) + 1,
                "courier_id": city.population.couriers[courier]["id"],
                "sequence": sequence,
                "active": True,
                "eta_pickup": pickup_eta,
                "eta_dropoff": _at(max(city.full.delivered[i], now_s + 120)),
                "created_at": city.now,
            }
        )
    return plan, rows
