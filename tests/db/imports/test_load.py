"""CSV imports land whole or not at all, name the row, column and reason, and are idempotent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from db.domain.status import OrderStatus
from db.imports import ImportRejectedError, import_csv
from db.models import Courier, Merchant, Order, OrderEvent

MERCHANT = {
    "id": "9001",
    "zone_id": "1",
    "name": "Noodle Bar",
    "category": "noodles",
    "lat": "31.23",
    "lon": "121.47",
    "prep_minutes": "12",
}
ORDER = {
    "id": "90001",
    "customer_id": "1",
    "merchant_id": "1",
    "status": OrderStatus.DELIVERED,
    "courier_id": "1",
    "subtotal_minor": "3200",
    "delivery_fee_minor": "500",
    "dropoff_address": "No. 1 Nanjing Road",
    "dropoff_lat": "31.23",
    "dropoff_lon": "121.47",
    "placed_at": "2026-11-20T11:00:00+08:00",
    "promised_at": "2026-11-20T11:40:00+08:00",
    "confirmed_at": "2026-11-20T03:01:00Z",
    "picked_up_at": "2026-11-20T03:15:00",
    "delivered_at": "2026-11-20T03:35:00Z",
    "items": '[{"name": "Beef noodle soup", "qty": 1, "price_minor": 3200}]',
}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


def test_valid_file_lands_whole_and_reimport_is_idempotent(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    """All rows land; importing again adds nothing; a changed row is updated in place."""
    before = _count(seeded_engine, Merchant)
    rows = [{**MERCHANT, "id": str(9001 + i), "name": f"Shop {i}"} for i in range(7)]
    path = write_csv(tmp_path / "m.csv", rows)
    assert import_csv(seeded_engine, "merchants", path).rows == 7
    assert import_csv(seeded_engine, "merchants", path).rows == 7
    assert _count(seeded_engine, Merchant) == before + 7
    rows[0]["name"] = "Renamed"
    import_csv(seeded_engine, "merchants", write_csv(tmp_path / "m2.csv", rows))
    with seeded_engine.connect() as conn:
        assert conn.scalar(select(Merchant.name).where(Merchant.id == 9001)) == "Renamed"


def test_orders_import_with_status_history(seeded_engine: Engine, tmp_path: Path) -> None:
    """An imported order takes its zone from its merchant and gets a history from its times, in UTC."""
    import_csv(seeded_engine, "orders", write_csv(tmp_path / "o.csv", [ORDER]))
    import_csv(seeded_engine, "orders", write_csv(tmp_path / "o.csv", [ORDER]))
    with seeded_engine.connect() as conn:
        order = conn.execute(select(Order).where(Order.id == 90001)).one()
        history = (
            conn.execute(
                select(OrderEvent.status)
                .where(OrderEvent.order_id == 90001)
                .order_by(OrderEvent.at)
            )
            .scalars()
            .all()
        )
        merchant_zone = conn.scalar(select(Merchant.zone_id).where(Merchant.id == 1))
    assert order.zone_id == merchant_zone
    assert order.placed_at.hour == 3 and order.placed_at.tzinfo is not None
    assert history == [
        OrderStatus.PLACED,
        OrderStatus.CONFIRMED,
        OrderStatus.PICKED_UP,
        OrderStatus.DELIVERED,
    ]


COURIER = {
    "id": "900",
    "zone_id": "1",
    "name": "A",
    "vehicle_type": "ebike",
    "capacity": "3",
    "shift_start": "",
    "shift_end": "",
}
GOOD = {"merchants": MERCHANT, "couriers": COURIER, "orders": ORDER}
TABLE = {"merchants": Merchant, "couriers": Courier, "orders": Order}


@pytest.mark.parametrize(
    ("kind", "change", "column", "reason"),
    [
        ("merchants", {"lat": "123"}, "lat", "less than or equal to 90"),
        ("merchants", {"prep_minutes": "soon"}, "prep_minutes", "valid integer"),
        ("merchants", {"zone_id": "999"}, "zone_id", "no zone with id 999"),
        ("merchants", {"name": ""}, "name", "Field required"),
        ("couriers", {"vehicle_type": "horse"}, "vehicle_type", "bicycle"),
        (
            "couriers",
            {"shift_start": "2026-11-20T10:00:00Z", "shift_end": "2026-11-20T09:00:00Z"},
            "shift_end",
            "after shift_start",
        ),
        ("couriers", {"shift_start": "2026-11-20T10:00:00Z"}, "shift_end", "go together"),
        ("orders", {"placed_at": "yesterday"}, "placed_at", "datetime"),
        ("orders", {"promised_at": "2026-11-20T10:00:00+08:00"}, "promised_at", "after placed_at"),
        ("orders", {"delivered_at": ""}, "delivered_at", "required for an order"),
        ("orders", {"status": "lost"}, "status", "'placed'"),
        ("orders", {"items": "[{"}, "items", "not valid JSON"),
        ("orders", {"customer_id": "777777"}, "customer_id", "no customer with id"),
        ("orders", {"subtotal_minor": "-5"}, "subtotal_minor", "greater than or equal"),
    ],
)
def test_bad_row_is_refused_and_nothing_is_written(
    seeded_engine: Engine, tmp_path: Path, kind: str, change: dict, column: str, reason: str
) -> None:
    """One bad row after a good one: the error names row 3 and the column; the store is unchanged."""
    good = GOOD[kind]
    bad = {**good, **change, "id": str(int(good["id"]) + 1)}
    before = _count(seeded_engine, TABLE[kind])
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(seeded_engine, kind, write_csv(tmp_path / "bad.csv", [good, bad]))
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, column)
    assert reason in error.reason
    assert _count(seeded_engine, TABLE[kind]) == before


def test_header_problems_are_reported(seeded_engine: Engine, tmp_path: Path) -> None:
    """A missing required column and an unknown column are both named, before any row is read."""
    row = {k: v for k, v in MERCHANT.items() if k != "lat"} | {"colour": "red"}
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(seeded_engine, "merchants", write_csv(tmp_path / "h.csv", [row]))
    found = {(e.column, e.reason) for e in caught.value.errors}
    assert found == {("lat", "required column is missing"), ("colour", "unknown column")}


def test_duplicate_ids_in_one_file(seeded_engine: Engine, tmp_path: Path) -> None:
    """The same id twice in a file is an error on the second occurrence."""
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(seeded_engine, "merchants", write_csv(tmp_path / "d.csv", [MERCHANT, MERCHANT]))
    assert [str(e) for e in caught.value.errors] == [
        "row 3, column id: id 9001 appears twice in the file"
    ]


def test_many_bad_rows_all_counted(seeded_engine: Engine, tmp_path: Path) -> None:
    """Errors are listed up to a cap but all bad rows are counted; the good ones are not written."""
    rows = [{**MERCHANT, "id": str(9001 + i), "lat": "95" if i % 2 else "31.2"} for i in range(200)]
    before = _count(seeded_engine, Merchant)
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(seeded_engine, "merchants", write_csv(tmp_path / "many.csv", rows))
    assert caught.value.total == 100
    assert len(caught.value.errors) == 50
    assert _count(seeded_engine, Merchant) == before
