"""The schema itself refuses bad data: foreign keys, checks and the one-active-assignment index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.domain.status import OrderStatus
from db.models import Assignment, Courier, Order, RoutePlan, Zone

NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)


def _refused(engine: Engine, statement: object, rows: list[dict] | dict | None = None) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(statement, rows) if rows is not None else conn.execute(statement)


def _an_order(engine: Engine) -> Order:
    with engine.connect() as conn:
        return conn.execute(
            select(Order).where(Order.status == OrderStatus.CONFIRMED).limit(1)
        ).one()


def test_second_active_assignment_is_refused(seeded_engine: Engine) -> None:
    """An order already on someone's route cannot be given, active, to a second courier."""
    with seeded_engine.connect() as conn:
        taken = conn.execute(select(Assignment).where(Assignment.active).limit(1)).one()
        other = conn.scalar(select(Courier.id).where(Courier.id != taken.courier_id).limit(1))
    row = {
        "plan_id": taken.plan_id,
        "order_id": taken.order_id,
        "courier_id": other,
        "sequence": 0,
        "active": True,
        "created_at": NOW,
    }
    _refused(seeded_engine, insert(Assignment), row)
    # Inactive history rows for the same order are fine: that is how re-plans are kept.
    with seeded_engine.begin() as conn:
        conn.execute(insert(Assignment), {**row, "active": False})
        count = conn.scalar(
            select(Assignment.id).where(Assignment.order_id == taken.order_id).limit(1)
        )
    assert count is not None


def test_reactivating_an_old_assignment_is_refused(seeded_engine: Engine) -> None:
    """The index also holds for updates, not only inserts."""
    with seeded_engine.begin() as conn:
        taken = conn.execute(select(Assignment).where(Assignment.active).limit(1)).one()
        plan = conn.execute(
            insert(RoutePlan).returning(RoutePlan.id),
            {"version": 2, "status": "active", "created_at": NOW, "created_by": "test"},
        ).scalar_one()
        new_id = conn.execute(
            insert(Assignment).returning(Assignment.id),
            {
                "plan_id": plan,
                "order_id": taken.order_id,
                "courier_id": taken.courier_id,
                "sequence": 0,
                "active": False,
                "created_at": NOW,
            },
        ).scalar_one()
    _refused(seeded_engine, update(Assignment).where(Assignment.id == new_id).values(active=True))


def test_foreign_keys_are_enforced(seeded_engine: Engine) -> None:
    """An order cannot point at a customer that does not exist (SQLite included)."""
    order = _an_order(seeded_engine)
    _refused(seeded_engine, update(Order).where(Order.id == order.id).values(customer_id=10**9))


@pytest.mark.parametrize(
    ("values", "what"),
    [
        ({"dropoff_lat": 91.0}, "latitude out of range"),
        ({"dropoff_lon": -181.0}, "longitude out of range"),
        ({"subtotal_minor": -1}, "negative amount"),
        ({"status": "lost"}, "unknown status"),
    ],
)
def test_order_checks(seeded_engine: Engine, values: dict, what: str) -> None:
    """Coordinates, amounts and status values are checked by the database: {what}."""
    order = _an_order(seeded_engine)
    _refused(seeded_engine, update(Order).where(Order.id == order.id).values(**values))


def test_courier_checks(engine: Engine) -> None:
    """A courier needs a known vehicle, a positive capacity and a shift that ends after it starts."""
    with engine.begin() as conn:
        conn.execute(
            insert(Zone),
            {
                "id": 1,
                "code": "Z",
                "name": "Z",
                "center_lat": 31.2,
                "center_lon": 121.4,
                "radius_km": 2,
            },
        )
    good = {
        "id": 1,
        "zone_id": 1,
        "name": "A",
        "vehicle_type": "ebike",
        "capacity": 4,
        "shift_start": NOW,
        "shift_end": NOW + timedelta(hours=8),
        "status": "available",
    }
    for bad in (
        {"vehicle_type": "horse"},
        {"capacity": 0},
        {"shift_end": NOW - timedelta(hours=1)},
        {"shift_start": None},
    ):
        _refused(engine, insert(Courier), {**good, **bad})
    with engine.begin() as conn:
        conn.execute(insert(Courier), good)


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    """Times must carry their zone; the store keeps UTC and will not guess."""
    with pytest.raises(Exception, match="naive datetime"), engine.begin() as conn:
        conn.execute(
            insert(RoutePlan),
            {
                "version": 1,
                "status": "active",
                "created_at": datetime(2026, 1, 1),
                "created_by": "x",
            },
        )
