"""The store commands as scripts use them: seed, stats, order show/list, import, db upgrade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli import app
from db.domain.status import ORDER_STATUSES, OrderStatus

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def last_json(output: str) -> object:
    return json.loads(output.strip().splitlines()[-1])


def test_help_documents_every_command() -> None:
    """`longcat --help` names each store command with its one-line description."""
    code, output = run("--help")
    assert code == 0
    for command in ("seed", "stats", "order", "import", "db", "demo"):
        assert command in output


def test_seed_then_stats(store_url: str) -> None:
    """Seeding a small city reports counts; stats --json repeats them; seeding again is refused."""
    code, output = run(
        "seed",
        "--scale",
        "small",
        "--seed",
        "5",
        "--now",
        "2026-11-27T04:30:00Z",
        "--database-url",
        store_url,
        "--json",
    )
    assert code == 0, output
    seeded = last_json(output)
    code, output = run("stats", "--json", "--database-url", store_url)
    stats = last_json(output)
    assert stats == seeded
    assert {k: stats[k] > 0 for k in ("zones", "merchants", "customers", "couriers", "orders")} == {
        "zones": True,
        "merchants": True,
        "customers": True,
        "couriers": True,
        "orders": True,
    }
    assert stats["orders"] == sum(stats["orders_by_status"].values())
    code, output = run("seed", "--database-url", store_url)
    assert code == 1 and "--replace" in output


def test_order_show(seeded_url: str) -> None:
    """`order show ID --json` prints the order with its times, courier, address and history."""
    code, output = run(
        "order",
        "list",
        "--status",
        OrderStatus.PICKED_UP,
        "--limit",
        "1",
        "--json",
        "--database-url",
        seeded_url,
    )
    [listed] = last_json(output)
    code, output = run("order", "show", str(listed["id"]), "--json", "--database-url", seeded_url)
    assert code == 0
    order = last_json(output)
    assert order == listed
    assert order["status"] == OrderStatus.PICKED_UP and order["courier_id"] is not None
    assert [s["status"] for s in order["status_history"]][-1] == OrderStatus.PICKED_UP
    assert order["status_history"][0]["status"] == "placed"
    assert {"customer_id", "placed_at", "promised_at", "dropoff_address"} <= set(order)


def test_order_list_filters(seeded_url: str) -> None:
    """`order list` filters by status and customer, newest first, up to the limit."""
    code, output = run("order", "list", "--limit", "30", "--json", "--database-url", seeded_url)
    orders = last_json(output)
    assert len(orders) == 30
    placed = [o["placed_at"] for o in orders]
    assert placed == sorted(placed, reverse=True)
    customer = orders[0]["customer_id"]
    code, output = run(
        "order",
        "list",
        "--customer",
        str(customer),
        "--limit",
        "500",
        "--json",
        "--database-url",
        seeded_url,
    )
    assert {o["customer_id"] for o in last_json(output)} == {customer}
    for status in ORDER_STATUSES:
        code, output = run(
            "order", "list", "--status", status, "--json", "--database-url", seeded_url
        )
        assert code == 0 and {o["status"] for o in last_json(output)} == {status}


def test_unknown_order_and_bad_status(seeded_url: str) -> None:
    """Unknown ids and statuses get an error that names the problem, and exit 1."""
    code, output = run("order", "show", "99999999", "--database-url", seeded_url)
    assert code == 1 and "no such order" in output
    code, output = run("order", "list", "--status", "lost", "--database-url", seeded_url)
    assert code == 1 and "--status" in output


def test_import_command_reports_rows(seeded_url: str, tmp_path: Path) -> None:
    """`import` prints how many rows landed, or the bad rows and exits 1."""
    path = tmp_path / "m.csv"
    path.write_text(
        "id,zone_id,name,category,lat,lon,prep_minutes\n"
        "5001,1,Cafe,coffee,31.2,121.4,5\n5002,1,Bad,coffee,131.2,121.4,5\n"
    )
    code, output = run("import", "merchants", str(path), "--database-url", seeded_url)
    assert code == 1 and "row 3, column lat" in output
    path.write_text(
        "id,zone_id,name,category,lat,lon,prep_minutes\n5001,1,Cafe,coffee,31.2,121.4,5\n"
    )
    code, output = run("import", "merchants", str(path), "--json", "--database-url", seeded_url)
    assert code == 0 and last_json(output) == {"imported": 1, "kind": "merchants"}


def test_database_url_from_environment(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands read LONGCAT_DATABASE_URL when --database-url is not given."""
    monkeypatch.setenv("LONGCAT_DATABASE_URL", seeded_url)
    code, output = run("stats", "--json")
    assert code == 0 and last_json(output)["zones"] == 4


def test_bad_database_url() -> None:
    """An unsupported backend is refused with a message naming the setting."""
    code, output = run("stats", "--database-url", "mysql://root@localhost/x")
    assert code == 1 and "database_url" in output and "not supported" in output


def test_db_upgrade_reports_revision(store_url: str) -> None:
    """`db upgrade` leaves the store at the newest revision and says which."""
    from db.migrate import head_revision

    code, output = run("db", "upgrade", "--database-url", store_url)
    assert code == 0 and head_revision() in output


def test_demo_seeds_once(store_url: str) -> None:
    """`demo` seeds an empty store, then leaves an existing city alone unless asked."""
    code, output = run("demo", "--no-serve", "--database-url", store_url)
    assert code == 0 and "Seeding" in output and "orders" in output
    code, output = run("demo", "--no-serve", "--database-url", store_url)
    assert code == 0 and "already holds a city" in output


@pytest.mark.parametrize("backend", ["sqlite"])
def test_demo_starts_at_lunch_and_links_an_order_that_stays_open(
    store_url: str, backend: str
) -> None:
    """A fresh demo city is at today's lunch rush in the city's time, and the tracking link,
    alone on its line, is for an order still at the restaurant whose promise is at least
    twenty simulated minutes (ten real ones at the default speed) away."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from apps.api.tokens import verify
    from apps.cli.demo import DEMO_SPEED
    from db.engine import make_engine
    from db.models import Order

    code, output = run("demo", "--no-serve", "--database-url", store_url)
    assert code == 0, output
    links = [line for line in output.splitlines() if line.startswith("http://")]
    track = [line for line in links if "/track/" in line]
    assert len(track) == 1
    token = track[0].rsplit("/", 1)[1]
    claims = verify("changethis", token, now=datetime.now(UTC))
    engine = make_engine(store_url)
    with Session(engine) as session:
        present = session.scalar(select(func.max(Order.placed_at)))
        order = session.get(Order, claims.order_id)
    engine.dispose()
    assert present is not None and order is not None
    local = present.astimezone(ZoneInfo("Asia/Shanghai"))
    assert 11 <= local.hour <= 12
    assert order.status in (OrderStatus.PLACED, OrderStatus.CONFIRMED)
    real_minutes = (order.promised_at - present) / timedelta(minutes=1) / DEMO_SPEED
    assert real_minutes >= 10
