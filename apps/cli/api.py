"""``longcat api`` serves the HTTP API; ``longcat link`` prints a signed tracking link."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from apps.cli.common import DatabaseUrl, err_console, fail, load_settings, open_store


def parse_ttl(value: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([smhd])", value.strip())
    if not match:
        raise typer.BadParameter(f"{value!r} is not a duration such as 30m, 2h or 7d")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


def link(
    order_id: Annotated[int, typer.Argument(help="The order to track.")],
    ttl: Annotated[str, typer.Option(help="How long the link works: 30m, 2h, 7d.")] = "2h",
    database_url: DatabaseUrl = None,
) -> None:
    """Print a signed tracking link http://HOST:PORT/track/TOKEN for the order's customer."""
    from apps.api.tokens import sign
    from db.models import Order

    settings = load_settings(database_url)
    with Session(open_store(database_url)) as session:
        order = session.get(Order, order_id)
    if order is None:
        raise fail(f"order {order_id}: no such order")
    token = sign(
        settings.secret_key.get_secret_value(), order.id, order.customer_id, parse_ttl(ttl)
    )
    typer.echo(f"{settings.link_base}/track/{token}")


def api(
    port: Annotated[
        int | None, typer.Option(help="Port (default: LONGCAT_API_PORT, 8000).")
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes. Chats continue in any worker (their state is in the "
            "store); set LONGCAT_REDIS_URL so rate limits are shared by all of them.",
        ),
    ] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the HTTP API with uvicorn; the OpenAPI document is at /openapi.json."""
    import uvicorn

    from apps.api.app import create_app

    settings = load_settings(database_url)
    overrides = {k: v for k, v in {"api_port": port, "api_host": host}.items() if v is not None}
    settings = settings.model_copy(update=overrides)
    open_store(database_url).dispose()
    if workers == 1:
        uvicorn.run(
            create_app(settings), host=settings.api_host, port=settings.api_port, log_level="info"
        )
        return
    if settings.redis_url is None:
        err_console.print(
            f"[yellow]warning:[/] {workers} workers without LONGCAT_REDIS_URL: each worker "
            "counts its own rate limits",
            highlight=False,
        )
    # Workers are fresh processes that build their app from the environment.
    os.environ["LONGCAT_DATABASE_URL"] = settings.store_url
    uvicorn.run(
        "apps.api.app:app_from_env",
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        workers=workers,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    app.command()(link)
    app.command("api")(api)
