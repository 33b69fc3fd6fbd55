"""The seeded city is deterministic and has the shape real delivery demand has."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from apps.city.build import City, build_city, demand_rows, event_rows, order_rows
from apps.city.geography import LOCAL_TZ
from apps.city.history import CIRCUITY, SPEED_KMH
from apps.city.present import statuses
from apps.city.scales import SCALES
from db.domain.status import OrderStatus
from routing.travel.distance import haversine_km

NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def city() -> City:
    return build_city(SCALES["small"], 11, NOW)


@pytest.fixture(scope="module")
def demand(city: City) -> pd.DataFrame:
    frame = pd.DataFrame(demand_rows(city))
    local = pd.to_datetime(frame["hour"], utc=True).dt.tz_convert(LOCAL_TZ)
    frame["local_hour"] = local.dt.hour
    frame["local_date"] = local.dt.date
    frame["weekend"] = local.dt.dayofweek >= 5
    return frame


def _fingerprint(city: City) -> str:
    digest = hashlib.sha256()
    for rows in (order_rows(city, 0, city.n_orders), event_rows(city, 0, city.n_orders)):
        for row in rows:
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())
    digest.update(json.dumps(city.population.__dict__, default=str, sort_keys=True).encode())
    return digest.hexdigest()


def test_same_seed_same_city(city: City) -> None:
    """Building twice with the same seed and moment gives identical rows; another seed does not."""
    assert _fingerprint(build_city(SCALES["small"], 11, NOW)) == _fingerprint(city)
    assert _fingerprint(build_city(SCALES["small"], 12, NOW)) != _fingerprint(city)


def test_history_covers_ninety_days(city: City) -> None:
    """At least 90 days of orders up to the present moment."""
    first = datetime.fromtimestamp(city.past.placed.min(), UTC)
    assert (NOW - first).days >= 89
    assert city.past.placed.max() <= NOW.timestamp()


def test_lunch_and_dinner_peaks(demand: pd.DataFrame) -> None:
    """On nearly every day the lunch and dinner hours beat the afternoon lull and the morning."""
    daily = demand.pivot_table(
        index="local_date", columns="local_hour", values="orders", aggfunc="sum"
    ).dropna()
    lunch = daily[[11, 12]].sum(axis=1)
    dinner = daily[[18, 19]].sum(axis=1)
    lull = daily[[15, 16]].sum(axis=1)
    morning = daily[[6, 7]].sum(axis=1)
    for peak, trough in ((lunch, lull), (dinner, lull), (lunch, morning), (dinner, morning)):
        wins = int((peak > trough).sum())
        assert stats.binomtest(wins, len(peak), 0.5, alternative="greater").pvalue < 1e-9


def test_weekly_pattern_differs_by_zone_kind(city: City, demand: pd.DataFrame) -> None:
    """Office districts empty out at weekends, residential ones fill up (Mann-Whitney, p < 0.01)."""
    kinds = {z["id"]: z["kind"] for z in city.population.zones}
    per_day = demand.groupby(["zone_id", "local_date", "weekend"])["orders"].sum().reset_index()
    per_day = per_day[per_day["local_date"] < NOW.astimezone(LOCAL_TZ).date()]
    for zone_id, kind in kinds.items():
        days = per_day[per_day["zone_id"] == zone_id]
        weekend, weekday = days[days["weekend"]]["orders"], days[~days["weekend"]]["orders"]
        if kind == "cbd":
            assert stats.mannwhitneyu(weekend, weekday, alternative="less").pvalue < 0.01
        if kind == "residential":
            assert stats.mannwhitneyu(weekend, weekday, alternative="greater").pvalue < 0.01


def test_national_day_holiday_is_visible(city: City, demand: pd.DataFrame) -> None:
    """Office-district lunches on the October holiday weekdays fall below ordinary weekdays."""
    cbd = [z["id"] for z in city.population.zones if z["kind"] == "cbd"]
    lunch = demand[demand["zone_id"].isin(cbd) & demand["local_hour"].isin([11, 12])]
    per_day = lunch.groupby(["local_date", "weekend"])["orders"].sum().reset_index()
    holiday = per_day["local_date"].isin([date(2026, 10, d) for d in (1, 2, 5, 6, 7)])
    ordinary = ~per_day["weekend"] & ~holiday
    assert per_day[holiday]["orders"].mean() < 0.8 * per_day[ordinary]["orders"].mean()


def test_delivered_orders_have_consistent_times(city: City) -> None:
    """Each step follows the last, pickup waits for the food, and the ride takes the time the distance needs."""
    t = city.past
    done = np.flatnonzero(statuses(t) == "delivered")
    assert np.all(t.confirmed[done] > t.placed[done])
    assert np.all(t.assigned[done] > t.confirmed[done])
    assert np.all(t.picked[done] >= t.ready[done])
    assert np.all(t.picked[done] > t.assigned[done])
    m = city.population.merchants
    c = city.population.customers
    km = haversine_km(
        np.array([m[i]["lat"] for i in t.merchant[done]]),
        np.array([m[i]["lon"] for i in t.merchant[done]]),
        np.array([c[i]["lat"] for i in t.customer[done]]),
        np.array([c[i]["lon"] for i in t.customer[done]]),
    )
    fastest = km * CIRCUITY / max(SPEED_KMH.values()) * 3600
    assert np.all(t.delivered[done] - t.picked[done] >= fastest)
    late = np.mean(t.delivered[done] > t.promised[done])
    assert 0.03 < late < 0.3
    cancelled = np.mean(statuses(t) == "cancelled")
    assert 0.01 < cancelled < 0.08


def test_present_has_every_open_status(city: City) -> None:
    """Right now there are placed, confirmed, assigned and picked-up orders, carried by couriers on shift."""
    status = statuses(city.past)
    for s in (
        OrderStatus.PLACED,
        OrderStatus.CONFIRMED,
        OrderStatus.ASSIGNED,
        OrderStatus.PICKED_UP,
    ):
        assert (status == s).sum() >= 2, s
    carried = np.flatnonzero(np.isin(status, (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)))
    on_shift = {i for i, c in enumerate(city.population.couriers) if c["status"] != "off_shift"}
    assert set(city.past.courier[carried]) <= on_shift


def test_city_scale_has_two_hundred_thousand_orders() -> None:
    """The city scale carries at least 200,000 historical orders."""
    assert build_city(SCALES["city"], 3, NOW).n_orders >= 200_000
