"""``longcat demo``: the suite on its embedded defaults, from an empty machine."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from apps.cli.common import DatabaseUrl, console, load_settings, open_store
from apps.cli.store import ScaleName, seed_store, stats_table
from apps.settings import Settings
from db.domain.status import OrderStatus
from db.models import Order

DEMO_SPEED = 2.0


def demo(
    scale: Annotated[ScaleName, typer.Option(help="Size of the seeded city.")] = ScaleName.small,
    seed: Annotated[int, typer.Option(help="Random seed of the city.")] = 7,
    reseed: Annotated[
        bool, typer.Option("--reseed", help="Build a fresh city even if one exists.")
    ] = False,
    port: Annotated[int, typer.Option(help="Port of the API and the web pages.")] = 8000,
    serve: Annotated[
        bool, typer.Option(help="Start the API after seeding (--no-serve: only seed).")
    ] = True,
    speed: Annotated[
        float,
        typer.Option(
            min=0,
            help="Simulated seconds per real second of the live city beside the API (0: no "
            "simulation). At the default 2, an order takes about twenty real minutes from "
            "placement to the door, so a visitor can follow it on its tracking page.",
        ),
    ] = DEMO_SPEED,
    database_url: DatabaseUrl = None,
) -> None:
    """Seed the city if the store is empty (or --reseed), show it, then serve the API and the
    pages while the live city runs: orders arrive, couriers ride, dispatch plans.

    A fresh city starts at today's lunch rush in the city's time zone, and the tracking link
    printed is for an order that stays open the longest (at least ten real minutes at the
    default speed). While the live city runs, every page and command reads its clock."""
    from db.bulk import is_empty
    from db.queries import store_stats

    engine = open_store(database_url)
    with engine.connect() as conn:
        empty = is_empty(conn)
    if empty or reseed:
        console.print(f"Seeding a [bold]{scale.value}[/] city (Shanghai, seed {seed}) ...")
        tz = ZoneInfo(load_settings(database_url).timezone)
        seed_store(engine, scale, seed, busy_hour(tz).astimezone(UTC), replace=True)
    else:
        console.print("The store already holds a city ([dim]--reseed[/] builds a fresh one).")
    with Session(engine) as session:
        tz = ZoneInfo(load_settings(database_url).timezone)
        console.print(stats_table(store_stats(session), tz))
    console.print(f"Store: {engine.url.render_as_string(hide_password=True)}")
    console.print("Try: [bold].venv/bin/longcat order list --status picked_up[/]")
    settings = load_settings(database_url).model_copy(update={"api_port": port})
    _print_links(engine, settings)
    if serve:
        _serve(engine, port, database_url, speed)


def _print_links(engine: Engine, settings: Settings) -> None:
    """The tracking link of the order to follow, on a line of its own (scripts read it)."""
    from apps.api.tokens import sign

    with Session(engine) as session:
        order = order_to_follow(session)
        if order is None:
            return
        tz = ZoneInfo(settings.timezone)
        about = (
            f"order {order.id} ({order.status}), promised for "
            f"{order.promised_at.astimezone(tz):%H:%M} ({tz.key})"
        )
        token = sign(
            settings.secret_key.get_secret_value(), order.id, order.customer_id, timedelta(hours=12)
        )
    console.print(f"Tracking page of {about}:")
    # Each link alone on its line, without markup or wrapping, so it can be copied whole.
    print(f"{settings.link_base}/track/{token}")
    console.print("Demo host page with the chat widget:")
    print(f"{settings.link_base}/demo?token={token}")


def _serve(engine: Engine, port: int, database_url: str | None, speed: float) -> None:
    import uvicorn

    from apps.api.app import create_app

    settings = load_settings(database_url).model_copy(update={"api_port": port})
    console.print(f"API docs:       {settings.link_base}/docs")
    url = engine.url.render_as_string(hide_password=False)
    helpers = [_start(["dashboard", "--port", str(port + 1), "--database-url", url])]
    console.print(f"Dashboard:      http://{settings.api_host}:{port + 1}")
    if speed:
        log = settings.data_dir / "simulate.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        # Thirty simulated days: a demo left running keeps living until someone stops it.
        simulate = ["simulate", "--name", "demo", "--speed", f"{speed:g}", "--duration", "30d"]
        helpers.append(_start([*simulate, "--database-url", url], log))
        console.print(f"Live city:      simulated at {speed:g}x real time, log in {log}")
    console.print("Ctrl-C stops everything.")
    try:
        uvicorn.run(create_app(settings), host=settings.api_host, port=port, log_level="warning")
    finally:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            helper.wait(timeout=60)


def busy_hour(tz: ZoneInfo, wall: datetime | None = None) -> datetime:
    """Today's lunch rush in the city (11:45 local), where a fresh demo city starts: every
    zone is busy and couriers are out."""
    today = (wall or datetime.now(UTC)).astimezone(tz).date()
    return datetime.combine(today, time(11, 45), tz)


def order_to_follow(session: Session) -> Order | None:
    """The open order furthest from its door: the newest one the restaurant has not sent
    out yet (placed or cooking), else the newest with a courier."""
    from sqlalchemy import select

    for statuses in (
        (OrderStatus.PLACED, OrderStatus.CONFIRMED),
        ("assigned",),
        (OrderStatus.PICKED_UP,),
    ):
        order = session.scalars(
            select(Order)
            .where(Order.status.in_(statuses))
            .order_by(Order.promised_at.desc(), Order.id.desc())
            .limit(1)
        ).first()
        if order is not None:
            return order
    return None


def _start(args: list[str], log: Path | None = None) -> subprocess.Popen:
    out = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - the child owns it
    return subprocess.Popen(
        [sys.executable, "-m", "apps.cli", *args], stdout=out, stderr=subprocess.STDOUT
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
