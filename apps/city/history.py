"""Every order of the city's past, drawn from the demand model with consistent timestamps.

Times are epoch seconds in float arrays (NaN for a step that never happened), so
a city-scale history of a quarter of a million orders is drawn in a second.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from apps.city.demand import DemandModel
from apps.city.population import Population
from db.domain.rules import VEHICLES
from routing.travel.distance import haversine_km

CIRCUITY = 1.3
SPEED_KMH = {name: vehicle.speed_kmh for name, vehicle in VEHICLES.items()}
QUOTE_SPEED_KMH = 18.0
CANCEL_SHARE = 0.035
RAIN_SLOWDOWN = 0.8
PEAK_SLOWDOWN = 0.9

_Seconds = TypeVar("_Seconds", float, NDArray[np.float64])  # one order's, or many at once


def promise_offset_s(prep_s: _Seconds, trip_km: _Seconds) -> _Seconds:
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
    # The draws keep their order: the same seed must keep drawing the same history.
    hour_idx, zone, placed = _place(counts, hours, now_s, rng)
    merchant = pick_within_zone(zone, _zone_index(population.merchants), rng, skew=0.8)
    customer = pick_within_zone(zone, _zone_index(population.customers), rng, skew=0.6)
    courier = pick_within_zone(zone, _zone_index(population.couriers), rng, skew=5.0)

    load = expected[hour_idx, zone] / expected.mean(axis=0)[zone]
    wet = rain[hour_idx] > 0
    prep_nominal = np.array([m["prep_minutes"] for m in population.merchants])[merchant] * 60.0
    vehicle_speed = np.array([SPEED_KMH[c["vehicle_type"]] for c in population.couriers])
    speed = vehicle_speed[courier] * np.where(wet, RAIN_SLOWDOWN, 1.0)
    speed = speed * np.where(load > 1.5, PEAK_SLOWDOWN, 1.0)
    trip_km = _trip_km(population, merchant, customer)

    times = _step_times(placed, prep_nominal, load, speed, trip_km, rng)
    times["promised"] = placed + promise_offset_s(prep_nominal, trip_km)
    return Timeline(
        zone=zone,
        merchant=merchant,
        customer=customer,
        courier=courier,
        placed=placed,
        **_cancel_some(placed, times, rng),
    )


def _place(
    counts: NDArray, hours: pd.DatetimeIndex, now_s: float, rng: np.random.Generator
) -> tuple[NDArray, NDArray, NDArray]:
    """Hour, zone and placing time of every order placed before ``now_s``, oldest first."""
    n_hours, n_zones = counts.shape
    flat = counts.ravel()
    hour_idx = np.repeat(np.repeat(np.arange(n_hours), n_zones), flat)
    zone = np.repeat(np.tile(np.arange(n_zones), n_hours), flat)
    # pandas-stubs leave out DatetimeIndex.asi8 (the epoch nanoseconds), which pandas has.
    hour_start = (hours.asi8 // 10**9).astype(float)  # type: ignore[attr-defined]
    placed = hour_start[hour_idx] + rng.uniform(0, 3600, len(zone))
    keep = np.flatnonzero(placed < now_s)
    order = keep[np.argsort(placed[keep], kind="stable")]
    return hour_idx[order], zone[order], placed[order]


def _zone_index(items: list[dict]) -> NDArray:
    return np.array([item["zone_id"] - 1 for item in items])


def _trip_km(population: Population, merchant: NDArray, customer: NDArray) -> NDArray:
    """Road kilometres from each order's merchant to its customer."""
    m_lat = np.array([m["lat"] for m in population.merchants])[merchant]
    m_lon = np.array([m["lon"] for m in population.merchants])[merchant]
    c_lat = np.array([c["lat"] for c in population.customers])[customer]
    c_lon = np.array([c["lon"] for c in population.customers])[customer]
    return haversine_km(m_lat, m_lon, c_lat, c_lon) * CIRCUITY


def _step_times(
    placed: NDArray,
    prep_nominal: NDArray,
    load: NDArray,
    speed: NDArray,
    trip_km: NDArray,
    rng: np.random.Generator,
) -> dict[str, NDArray]:
    """Confirmation to drop-off of every order as if none were cancelled."""
    n = len(placed)
    confirmed = placed + rng.uniform(30, 180, n)
    prep = prep_nominal * rng.lognormal(0.0, 0.3, n) * np.where(load > 1.5, 1.15, 1.0)
    ready = confirmed + prep
    dispatch_delay = 30 + rng.exponential(60.0 * load)
    assigned = np.minimum(np.maximum(placed + dispatch_delay, confirmed + 20), placed + 1800)
    approach_km = rng.uniform(0.2, 2.2, n)
    arrive = assigned + approach_km * CIRCUITY / speed * 3600
    picked = np.maximum(ready, arrive) + rng.uniform(30, 150, n)
    delivered = picked + trip_km / speed * 3600 + rng.uniform(60, 240, n)
    return {
        "confirmed": confirmed,
        "ready": ready,
        "assigned": assigned,
        "picked": picked,
        "delivered": delivered,
        "approach_km": approach_km,
    }


def _cancel_some(
    placed: NDArray, times: dict[str, NDArray], rng: np.random.Generator
) -> dict[str, NDArray]:
    """A share of orders cancelled before pick-up: the steps after the cancel never happen."""
    n = len(placed)
    confirmed, assigned, picked = times["confirmed"], times["assigned"], times["picked"]
    cancel = np.full(n, np.nan)
    cancelling = rng.uniform(size=n) < CANCEL_SHARE
    cancel[cancelling] = np.minimum(
        placed[cancelling] + rng.uniform(60, 900, int(cancelling.sum())), picked[cancelling] - 30
    )
    confirmed = np.where(cancelling & (cancel < confirmed), np.nan, confirmed)
    return {
        **times,
        "confirmed": confirmed,
        "ready": np.where(np.isnan(confirmed), np.nan, times["ready"]),
        "assigned": np.where(cancelling & (cancel < assigned), np.nan, assigned),
        "picked": np.where(cancelling, np.nan, picked),
        "delivered": np.where(cancelling, np.nan, times["delivered"]),
        "cancelled": cancel,
    }
