"""Write a built city into the store in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, inspect

from apps.city.build import City, couriers, demand_rows, event_rows, order_rows, plan_rows
from db.bulk import clear_all, insert_rows, is_empty, sync_sequences
from db.models import (
    Assignment,
    Courier,
    Customer,
    DemandObservation,
    Merchant,
    Order,
    OrderEvent,
    Place,
    RoutePlan,
    Zone,
)

ProgressFn = Callable[[str, int], None]


class StoreNotEmptyError(RuntimeError):
    """Seeding would mix a new city into an existing one."""


@dataclass(frozen=True)
class SeedResult:
    orders: int
    order_events: int
    demand_observations: int
    assignments: int


def _known_columns(
    conn: Connection, table: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows without the columns the store's schema does not have yet (mid-upgrade)."""
    have = {c["name"] for c in inspect(conn).get_columns(table)}
    return [{k: v for k, v in row.items() if k in have} for row in rows]


def seed_city(
    engine: Engine, city: City, *, replace: bool = False, progress: ProgressFn | None = None
) -> SeedResult:
    """Write the city; with ``replace`` the store is emptied first, in the same transaction."""

    def step(name: str) -> Callable[[int], None] | None:
        return (lambda n: progress(name, n)) if progress else None

    with engine.begin() as conn:
        if replace:
            clear_all(conn)
        elif not is_empty(conn):
            raise StoreNotEmptyError(
                "the store already holds a city; pass --replace to wipe it and seed again"
            )
        pop = city.population
        insert_rows(conn, Zone.__table__, _known_columns(conn, Zone.__tablename__, pop.zones))
        insert_rows(conn, Merchant.__table__, pop.merchants)
        insert_rows(conn, Customer.__table__, pop.customers)
        insert_rows(conn, Courier.__table__, couriers(city))
        written = [Zone, Merchant, Customer, Courier]
        if inspect(conn).has_table(Place.__tablename__):
            insert_rows(conn, Place.__table__, pop.places)
            written.append(Place)
        n = city.n_orders
        orders = insert_rows(conn, Order.__table__, order_rows(city, 0, n), step("orders"))
        events = insert_rows(conn, OrderEvent.__table__, event_rows(city, 0, n), step("history"))
        demand = insert_rows(conn, DemandObservation.__table__, demand_rows(city))
        plan, assignments = plan_rows(city)
        insert_rows(conn, RoutePlan.__table__, [plan])
        insert_rows(conn, Assignment.__table__, assignments)
        # Only the tables written here: an older schema (a store mid-upgrade) lacks others.
        written += [Order, OrderEvent, DemandObservation, RoutePlan, Assignment]
        sync_sequences(conn, [t.__table__ for t in written])
    return SeedResult(orders, events, demand, len(assignments))
