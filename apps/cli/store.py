"""Store commands: migrations, the seeded city, statistics, orders and CSV imports."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from apps.cli.common import (
    MOMENT_HELP,
    DatabaseUrl,
    JsonOutput,
    city_moment,
    console,
    fail,
    load_settings,
    open_store,
    print_json,
    shown,
)
from apps.cli.progress import progress_bars
from db.domain.status import ORDER_STATUSES
from db.schemas import StoreStats


class ScaleName(StrEnum):
    small = "small"
    city = "city"


def db_upgrade(database_url: DatabaseUrl = None) -> None:
    """Apply the store's migrations (every command also does this on first use)."""
    from db.migrate import current_revision

    engine = open_store(database_url)
    console.print(f"store at revision [bold]{current_revision(engine)}[/] ({engine.url!r})")


def seed(
    scale: Annotated[
        ScaleName, typer.Option(help="small: fast, for tests; city: 200,000+ orders.")
    ] = ScaleName.small,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed builds the same city.")] = 7,
    now: Annotated[
        str | None,
        typer.Option(help=f"The present moment, {MOMENT_HELP} (default: the wall clock)."),
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Wipe the store first.")] = False,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Build a deterministic synthetic city (Shanghai): 90+ days of history and live work now."""
    timezone = load_settings(database_url).timezone
    present = (
        city_moment(now, "--now", ZoneInfo(timezone))
        if now is not None
        else datetime.now(UTC).replace(second=0, microsecond=0)
    )
    engine = open_store(database_url)
    seed_store(engine, scale, seed, present, replace=replace)
    _show_stats(engine, json, timezone)


def seed_store(engine: Engine, scale: ScaleName, seed: int, now: datetime, replace: bool) -> None:
    from apps.city.build import build_city
    from apps.city.scales import SCALES
    from apps.city.seed import StoreNotEmptyError, seed_city

    city = build_city(SCALES[scale.value], seed, now)
    try:
        with progress_bars({"orders": city.n_orders, "history": None}) as advance:
            seed_city(engine, city, replace=replace, progress=advance)
    except StoreNotEmptyError as exc:
        raise fail(str(exc)) from exc


def stats(database_url: DatabaseUrl = None, json: JsonOutput = False) -> None:
    """Counts of what the store holds: zones, merchants, customers, couriers, orders."""
    _show_stats(open_store(database_url), json, load_settings(database_url).timezone)


def _show_stats(engine: Engine, as_json: bool, timezone: str) -> None:
    from db.queries import store_stats

    with Session(engine) as session:
        result = store_stats(session)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        console.print(stats_table(result, ZoneInfo(timezone)))


def stats_table(s: StoreStats, tz: ZoneInfo) -> Table:
    table = Table(title="LongCat store", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("zones", f"{s.zones}")
    table.add_row("merchants", f"{s.merchants}")
    table.add_row("customers", f"{s.customers}")
    table.add_row("couriers (on shift)", f"{s.couriers} ({s.couriers_on_shift})")
    table.add_row("orders", f"{s.orders:,}")
    for status, n in s.orders_by_status.items():
        table.add_row(f"  {status}", f"{n:,}")
    if s.first_order_at:
        span = f"{shown(s.first_order_at, tz, '%Y-%m-%d')} .. {shown(s.last_order_at, tz)}"
        table.add_row("history", f"{span} ({tz.key})")
    if s.late_share is not None:
        table.add_row("delivered late", f"{s.late_share:.1%}")
    table.add_row("zone-hours of demand", f"{s.demand_observations:,}")
    table.add_row("active assignments", f"{s.active_assignments}")
    return table


order_app = typer.Typer(help="Look up orders.", no_args_is_help=True)


@order_app.command("show")
def order_show(
    order_id: Annotated[int, typer.Argument(help="The order's id.")],
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """One order with its times (the city's local time; UTC with offset in --json), courier,
    drop-off address, expected arrival (the figure the tracking page shows) and status
    history."""
    from db.queries import get_order

    tz = ZoneInfo(load_settings(database_url).timezone)
    with Session(open_store(database_url)) as session:
        order = get_order(session, order_id)
    if order is None:
        raise fail(f"order {order_id}: no such order")
    if json:
        print_json(order.model_dump(mode="json"))
        return
    table = Table(title=f"order {order.id} (times in {tz.key})", show_header=False)
    for key, value in order.model_dump(exclude={"status_history", "items"}).items():
        text = shown(value, tz) if isinstance(value, datetime) else value
        table.add_row(key, "" if text is None else str(text))
    table.add_row("items", ", ".join(f"{i['qty']} x {i['name']}" for i in order.items))
    history = " -> ".join(f"{s.status} {shown(s.at, tz, '%H:%M')}" for s in order.status_history)
    table.add_row("history", history)
    console.print(table)


@order_app.command("list")
def order_list(
    status: Annotated[
        str | None, typer.Option(help=f"One of: {', '.join(ORDER_STATUSES)}.")
    ] = None,
    customer: Annotated[int | None, typer.Option(help="Only this customer's orders.")] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=10_000, help="At most this many, newest first.")
    ] = 20,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Newest orders first, filtered by status and customer."""
    from db.queries import list_orders

    if status is not None and status not in ORDER_STATUSES:
        raise fail(f"--status: {status!r} is not one of {', '.join(ORDER_STATUSES)}")
    with Session(open_store(database_url)) as session:
        orders = list_orders(session, status=status, customer_id=customer, limit=limit)
    if json:
        print_json([o.model_dump(mode="json") for o in orders])
        return
    tz = ZoneInfo(load_settings(database_url).timezone)
    table = Table(
        "id", "status", "customer", "courier", f"placed ({tz.key})", "promised", "drop-off"
    )
    for o in orders:
        table.add_row(
            str(o.id),
            o.status,
            str(o.customer_id),
            str(o.courier_id or ""),
            shown(o.placed_at, tz, "%m-%d %H:%M"),
            shown(o.promised_at, tz, "%m-%d %H:%M"),
            o.dropoff_address,
        )
    console.print(table)


class ImportKind(StrEnum):
    merchants = "merchants"
    customers = "customers"
    couriers = "couriers"
    orders = "orders"


def import_file(
    kind: Annotated[ImportKind, typer.Argument(help="What the file holds.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Import merchants, customers, couriers or orders from CSV: the whole file or nothing.

    Columns (header row required; a time without an offset is UTC; money in minor units):

    merchants: id, zone_id, name, category, lat, lon, prep_minutes

    customers: id, zone_id, name, address, lat, lon, [language en|zh]

    couriers: id, zone_id, name, vehicle_type (bicycle|ebike|scooter|car), capacity,
    [shift_start, shift_end]

    orders: id, customer_id, merchant_id, subtotal_minor, dropoff_address, dropoff_lat,
    dropoff_lon, placed_at, promised_at, [status, courier_id, items (JSON list of
    {name, qty, price_minor}), delivery_fee_minor, currency, confirmed_at, ready_at,
    assigned_at, picked_up_at, delivered_at, cancelled_at, cancel_reason]

    Rows are upserted by id, so importing the same file again changes nothing.
    """
    from db.imports import ImportRejectedError, count_rows, import_csv

    engine = open_store(database_url)
    try:
        with progress_bars({kind.value: count_rows(file)}) as advance:
            result = import_csv(engine, kind.value, file, lambda n: advance(kind.value, n))
    except ImportRejectedError as exc:
        if json:
            print_json(
                {"imported": 0, "errors": [e.__dict__ for e in exc.errors], "bad_rows": exc.total}
            )
        raise fail(str(exc)) from exc
    if json:
        print_json({"imported": result.rows, "kind": result.kind})
    else:
        console.print(f"imported {result.rows:,} {result.kind}")


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The store's schema.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    app.add_typer(db_app, name="db")
    app.command()(seed)
    app.command()(stats)
    app.add_typer(order_app, name="order")
    app.command("import")(import_file)
