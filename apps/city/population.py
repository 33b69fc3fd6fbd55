"""Who is in the city: zones, merchants in clusters, customers at home, couriers on shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from apps.city.geography import (
    FAR_PLACES,
    LANDMARKS,
    LOCAL_TZ,
    ZoneSpec,
    points_in_zone,
    street_address,
)
from apps.city.scales import Scale
from db.domain import rules

MENUS: dict[str, tuple[tuple[str, int], ...]] = {
    "noodles": (("Beef noodle soup", 3200), ("Scallion oil noodles", 1800), ("Wonton soup", 2200)),
    "dumplings": (("Xiaolongbao (8)", 2600), ("Shengjian bao (4)", 1600), ("Pork dumplings", 2400)),
    "bubble tea": (("Milk tea", 1500), ("Fruit tea", 1800), ("Cheese foam tea", 2100)),
    "coffee": (("Latte", 2800), ("Americano", 2200), ("Croissant", 1600)),
    "rice bowls": (("Braised pork rice", 3000), ("Chicken curry rice", 2800), ("Tofu rice", 2200)),
    "burgers": (("Cheeseburger", 3500), ("Fries", 1500), ("Cola", 900)),
    "sushi": (("Salmon set", 6800), ("Maki roll", 3200), ("Miso soup", 1200)),
    "hotpot": (("Spicy hotpot set", 8800), ("Beef slices", 4200), ("Vegetable platter", 2600)),
}
CATEGORIES = tuple(MENUS)
VEHICLES = tuple(rules.VEHICLES)
VEHICLE_WEIGHTS = (0.1, 0.65, 0.2, 0.05)
# Shift templates in local hours; ends past 24 run into the next day.
SHIFTS = ((7, 15), (10, 14), (11, 20), (16, 22), (17, 23), (20, 28), (22, 31), (9, 18))
SHIFT_WEIGHTS = (0.12, 0.16, 0.18, 0.14, 0.14, 0.12, 0.06, 0.08)
SURNAMES = (
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
)
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Hao", "Xin", "Yu", "Tao", "Jie", "Ling")
FIRST = ("Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Leo", "Chloe", "Ethan")
LAST = ("Smith", "Brown", "Martin", "Muller", "Rossi", "Dubois", "Jones", "Taylor", "Kim", "Silva")


@dataclass(frozen=True)
class Population:
    zones: list[dict[str, Any]]
    merchants: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    couriers: list[dict[str, Any]]
    places: list[dict[str, Any]]


def person_name(rng: np.random.Generator, language: str) -> str:
    if language == "zh":
        return f"{SURNAMES[rng.integers(len(SURNAMES))]} {GIVEN[rng.integers(len(GIVEN))]}"
    return f"{FIRST[rng.integers(len(FIRST))]} {LAST[rng.integers(len(LAST))]}"


def current_shift(template: tuple[int, int], now: datetime) -> tuple[datetime, datetime]:
    """The shift of this template that is running now, else the next one to start."""
    today = now.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    for day in (-1, 0, 1):
        start = today + timedelta(days=day, hours=template[0])
        end = today + timedelta(days=day, hours=template[1])
        if end > now:
            return start, end
    raise AssertionError("a shift template always has a run within two days")


def build_population(
    zones: tuple[ZoneSpec, ...], scale: Scale, now: datetime, rng: np.random.Generator
) -> Population:
    # Zone by zone, in this order: the same seed must keep drawing the same people.
    zone_rows: list[dict[str, Any]] = []
    merchants: list[dict[str, Any]] = []
    customers: list[dict[str, Any]] = []
    couriers: list[dict[str, Any]] = []
    for z, zone in enumerate(zones, start=1):
        zone_rows.append(_zone_row(z, zone))
        merchants += _merchants(z, zone, scale, rng, first_id=len(merchants) + 1)
        customers += _customers(z, zone, scale, rng, first_id=len(customers) + 1)
        couriers += _couriers(z, scale, now, rng, first_id=len(couriers) + 1)
    return Population(zone_rows, merchants, customers, couriers, place_rows(zones))


def _zone_row(z: int, zone: ZoneSpec) -> dict[str, Any]:
    return {
        "id": z,
        "code": zone.code,
        "name": zone.name,
        "center_lat": zone.lat,
        "center_lon": zone.lon,
        "radius_km": zone.radius_km,
        "kind": zone.kind,
        "name_zh": zone.name_zh or None,
    }


def _merchants(
    z: int, zone: ZoneSpec, scale: Scale, rng: np.random.Generator, first_id: int
) -> list[dict[str, Any]]:
    """Merchants cluster in the commercial core of the zone."""
    rows = []
    mlat, mlon = points_in_zone(zone, scale.merchants_per_zone, rng, spread=0.45)
    for i, (lat, lon) in enumerate(zip(mlat, mlon, strict=True), start=first_id):
        category = CATEGORIES[rng.integers(len(CATEGORIES))]
        rows.append(
            {
                "id": i,
                "zone_id": z,
                "category": category,
                "name": f"{zone.name} {category.title()} #{i}",
                "lat": round(float(lat), 6),
                "lon": round(float(lon), 6),
                "prep_minutes": int(rng.integers(8, 22)),
            }
        )
    return rows


def _customers(
    z: int, zone: ZoneSpec, scale: Scale, rng: np.random.Generator, first_id: int
) -> list[dict[str, Any]]:
    """Customers spread over the whole zone."""
    rows = []
    clat, clon = points_in_zone(zone, scale.customers_per_zone, rng)
    for i, (lat, lon) in enumerate(zip(clat, clon, strict=True), start=first_id):
        language = "zh" if rng.uniform() < 0.8 else "en"
        rows.append(
            {
                "id": i,
                "zone_id": z,
                "name": person_name(rng, language),
                "language": language,
                "address": street_address(rng, zone),
                "lat": round(float(lat), 6),
                "lon": round(float(lon), 6),
            }
        )
    return rows


def _couriers(
    z: int, scale: Scale, now: datetime, rng: np.random.Generator, first_id: int
) -> list[dict[str, Any]]:
    """The zone's couriers, each on a shift template; those on shift now are available."""
    rows = []
    for i in range(first_id, first_id + scale.couriers_per_zone):
        vehicle = VEHICLES[rng.choice(len(VEHICLES), p=VEHICLE_WEIGHTS)]
        template = SHIFTS[rng.choice(len(SHIFTS), p=SHIFT_WEIGHTS)]
        start, end = current_shift(template, now)
        rows.append(
            {
                "id": i,
                "zone_id": z,
                "name": person_name(rng, "zh"),
                "vehicle_type": vehicle,
                "capacity": rules.VEHICLES[vehicle].bag,
                "shift_start": start,
                "shift_end": end,
                "status": "available" if start <= now < end else "off_shift",
                "last_lat": None,
                "last_lon": None,
                "last_seen_at": None,
            }
        )
    return rows


def place_rows(zones: tuple[ZoneSpec, ...]) -> list[dict[str, Any]]:
    """The landmarks of the city's zones, and the far places no zone reaches."""
    zone_ids = {zone.code: z for z, zone in enumerate(zones, start=1)}
    found: list[tuple[int | None, str, str, float, float]] = [
        (zone_ids[s.zone], s.name, s.name_zh, s.lat, s.lon) for s in LANDMARKS if s.zone in zone_ids
    ]
    found += [(None, *far) for far in FAR_PLACES]
    return [
        {"id": i, "zone_id": z, "name": name, "name_zh": zh, "lat": lat, "lon": lon}
        for i, (z, name, zh, lat, lon) in enumerate(found, start=1)
    ]


def menu_items(category: str, rng: np.random.Generator) -> tuple[list[dict[str, Any]], int]:
    menu = MENUS[category]
    picks = rng.choice(len(menu), size=int(rng.integers(1, 4)), replace=False)
    items = []
    for p in sorted(picks):
        name, price = menu[p]
        items.append({"name": name, "qty": int(rng.integers(1, 3)), "price_minor": price})
    return items, sum(i["qty"] * i["price_minor"] for i in items)
