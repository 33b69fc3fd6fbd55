"""Every order of the city's past, drawn from the demand model with consistent timestamps.

Times are epoch seconds in float arrays (NaN for a step that never happened), so
a city-scale history of a quarter of a million orders is drawn in a second.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apps.city.demand import DemandModel
from apps.city.population import Population
from routing.geo import haversine_km

CIRCUITY = 1.3
SPEED_KMH = {"bicycle": 13.0, "ebike": 19.0, "scooter": 23.0, "car": 20.0}
QUOTE_SPEED_KMH = 18.0
CANCEL_SHARE = 0.035
RAIN_SLOWDOWN = 0.8
PEAK_SLOWDOWN = 0.9


def promise_offset_s(prep_s, trip_km):
    """Seconds from placing to the promised time: the quote rounded up to five minutes."""
    quote = prep_s + 240 + trip_km / QUOTE_SPEED_KMH * 3600 + 540
    return np.ceil(quote / 300) * 300


def delivery_fee_minor(km: float) -> int:
    """The fee for a drop-off `km` away as the crow flies, in fen."""
    return int(min(300 + 100 * np.ceil(km * CIRCUITY), 1200))


@dataclass(frozen=True)
class Timeline:
    """Orders as parallel arrays; indexes into the population lists are 0-based."""

    zone: NDArray
    merchant: NDArray
    customer: NDArray
    courier: NDArray
    placed: NDArray
    confirmed: NDArray
    ready: NDArray
    promised: NDArray
    assigned: NDArray
    picked: NDArray
    delivered: NDArray
    cancelled: NDArray
    approach_km: NDArray

    def __len__(self) -> int:
        return len(self.placed)

    def take(self, index: NDArray) -> Timeline:
        return Timeline(**{name: getattr(self, name)[index] for name in self.__dataclass_fields__})

    def concat(self, other: Timeline) -> Timeline:
        return Timeline(
            **{
                name: np.concatenate([getattr(self, name), getattr(other, name)])
                for name in self.__dataclass_fields__
            }
        )

    def with_times(self, **times: NDArray) -> Timeline:
        return replace(self, **times)


def draw_counts(
    model: DemandModel, hours: pd.DatetimeIndex, rain: NDArray, rng: np.random.Generator
) -> tuple[NDArray, NDArray]:
    """Orders per (hour, zone) and the expected values they were drawn from."""
    expected = model.expected(hours, rain)
    day = (np.asarray((hours - hours[0]).total_seconds()) // 86_400).astype(int)
    # Whole days run busier or quieter than the model says, zone by zone.
    day_noise = rng.lognormal(0.0, 0.08, size=(day.max() + 1, expected.shape[1]))
    expected = expected * day_noise[day]
    return rng.poisson(expected), expected


def _weights(count: int, rng: np.random.Generator, skew: float) -> NDArray:
    w = rng.gamma(skew, 1.0, size=count)
    return w / w.sum()


def pick_within_zone(
    zone_of_order: NDArray, zone_of_item: NDArray, rng: np.random.Generator, skew: float
) -> NDArray:
    """For each order, an item (merchant, customer, courier) of its zone, some more popular."""
    chosen = np.empty(len(zone_of_order), dtype=int)
    for zone in np.unique(zone_of_order):
        members = np.flatnonzero(zone_of_item == zone)
        mask = zone_of_order == zone
        chosen[mask] = rng.choice(
            members, size=int(mask.sum()), p=_weights(len(members), rng, skew)
        )
    return chosen


def draw_timeline(
    population: Population,
    counts: NDArray,
    expected: NDArray,
    hours: pd.DatetimeIndex,
    rain: NDArray,
    now_s: float,
    rng: np.random.Generator,
) -> Timeline:
    n_hours, n_zones = counts.shape
    flat = counts.ravel()
    hour_idx = np.repeat(np.repeat(np.arange(n_hours), n_zones), flat)
    zone = np.repeat(np.tile(np.arange(n_zones), n_hours), flat)
    hour_start = (hours.asi8 // 10**9).astype(float)
    placed = hour_start[hour_idx] + rng.uniform(0, 3600, len(zone))
    keep = np.flatnonzero(placed < now_s)
    order = keep[np.argsort(placed[keep], kind="stable")]
    hour_idx, zone, placed = hour_idx[order], zone[order], placed[order]
    n = len(placed)

    merchant_zone = np.array([m["zone_id"] - 1 for m in population.merchants])
    customer_zone = np.array([c["zone_id"] - 1 for c in population.customers])
    courier_zone = np.array([c["zone_id"] - 1 for c in population.couriers])
    merchant = pick_within_zone(zone, merchant_zone, rng, skew=0.8)
    customer = pick_within_zone(zone, customer_zone, rng, skew=0.6)
    courier = pick_within_zone(zone, courier_zone, rng, skew=5.0)

    load = expected[hour_idx, zone] / expected.mean(axis=0)[zone]
    wet = rain[hour_idx] > 0
    prep_nominal = np.array([m["prep_minutes"] for m in population.merchants])[merchant] * 60.0
    vehicle_speed = np.array([SPEED_KMH[c["vehicle_type"]] for c in population.couriers])
    speed = vehicle_speed[courier] * np.where(wet, RAIN_SLOWDOWN, 1.0)
    speed = speed * np.where(load > 1.5, PEAK_SLOWDOWN, 1.0)

    confirmed = placed + rng.uniform(30, 180, n)
    prep = prep_nominal * rng.lognormal(0.0, 0.3, n) * np.where(load > 1.5, 1.15, 1.0)
    ready = confirmed + prep
    dispatch_delay = 30 + rng.exponential(60.0 * load)
    assigned = np.minimum(np.maximum(placed + dispatch_delay, confirmed + 20), placed + 1800)
    approach_km = rng.uniform(0.2, 2.2, n)
    arrive = assigned + approach_km * CIRCUITY / speed * 3600
    picked = np.maximum(ready, arrive) + rng.uniform(30, 150, n)
    m_lat = np.array([m["lat"] for m in population.merchants])[merchant]
    m_lon = np.array([m["lon"] for m in population.merchants])[merchant]
    c_lat = np.array([c["lat"] for c in population.customers])[customer]
    c_lon = np.array([c["lon"] for c in population.customers])[customer]
    trip_km = haversine_km(m_lat, m_lon, c_lat, c_lon) * CIRCUITY
    delivered = picked + trip_km / speed * 3600 + rng.uniform(60, 240, n)
    promised = placed + promise_offset_s(prep_nominal, trip_km)

    cancel = np.full(n, np.nan)
    cancelling = rng.uniform(size=n) < CANCEL_SHARE
    cancel[cancelling] = np.minimum(
        placed[cancelling] + rng.uniform(60, 900, int(cancelling.sum())), picked[cancelling] - 30
    )
    confirmed = np.where(cancelling & (cancel < confirmed), np.nan, confirmed)
    ready = np.where(np.isnan(confirmed), np.nan, ready)
    assigned = np.where(cancelling & (cancel < assigned), np.nan, assigned)
    picked = np.where(cancelling, np.nan, picked)
    delivered = np.where(cancelling, np.nan, delivered)
    return Timeline(
        zone=zone,
        merchant=merchant,
        customer=customer,
        courier=courier,
        placed=placed,
        confirmed=confirmed,
        ready=ready,
        promised=promised,
        assigned=assigned,
        picked=picked,
        delivered=delivered,
        cancelled=cancel,
        approach_km=approach_km,
    )
