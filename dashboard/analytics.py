"""History in numbers: per day and zone, orders, on-time rate, delivery times and what
compensation cost; pure pandas over the rows the data module reads."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from db.domain.status import OrderStatus

COLUMNS = ["day", "zone", "orders", "delivered", "cancelled", "on_time_rate", "avg_min",
           "p90_min", "compensation_yuan"]  # fmt: skip


def with_times(orders: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """Adds the city's ``day`` and ``hour`` of placing, ``minutes`` from placing to
    delivery and ``on_time`` (delivered by the promise); times in, UTC."""
    placed = pd.to_datetime(orders["placed_at"], utc=True).dt.tz_convert(tz)
    delivered = pd.to_datetime(orders["delivered_at"], utc=True)
    promised = pd.to_datetime(orders["promised_at"], utc=True)
    return orders.assign(
        day=placed.dt.date,
        hour=placed.dt.hour,
        minutes=(delivered - placed.dt.tz_convert("UTC")).dt.total_seconds() / 60,
        on_time=delivered <= promised,
    )


def by_day_and_zone(orders: pd.DataFrame, paid: pd.DataFrame) -> pd.DataFrame:
    """One row per day and zone (``orders`` from ``with_times``; ``paid``: compensations
    granted, with ``day``, ``zone`` and ``amount_minor``)."""
    done = orders["status"] == OrderStatus.DELIVERED
    grouped = orders.assign(
        delivered=done,
        cancelled=orders["status"] == OrderStatus.CANCELLED,
        on_time=orders["on_time"] & done,
        minutes=orders["minutes"].where(done),
    ).groupby(["day", "zone"])
    table = grouped.agg(
        orders=("id", "size"),
        delivered=("delivered", "sum"),
        cancelled=("cancelled", "sum"),
        on_time=("on_time", "sum"),
        avg_min=("minutes", "mean"),
        p90_min=("minutes", lambda m: m.quantile(0.9)),
    ).reset_index()
    table["on_time_rate"] = (
        table["on_time"] / table["delivered"].where(table["delivered"] > 0)
    ).round(3)
    cost = paid.groupby(["day", "zone"])["amount_minor"].sum().rename("compensation_yuan") / 100
    table = table.merge(cost.reset_index(), on=["day", "zone"], how="left")
    table["compensation_yuan"] = pd.to_numeric(table["compensation_yuan"]).fillna(0.0)
    table[["avg_min", "p90_min"]] = table[["avg_min", "p90_min"]].round(1)
    return table[COLUMNS].sort_values(["day", "zone"]).reset_index(drop=True)
