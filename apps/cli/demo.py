"""``longcat demo``: the suite on its embedded defaults, from an empty machine."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from apps.cli.common import DatabaseUrl, console, open_store
from apps.cli.store import ScaleName, seed_store, stats_table


def demo(
    scale: Annotated[ScaleName, typer.Option(help="Size of the seeded city.")] = ScaleName.small,
    seed: Annotated[int, typer.Option(help="Random seed of the city.")] = 7,
    reseed: Annotated[
        bool, typer.Option("--reseed", help="Build a fresh city even if one exists.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Seed the city if the store is empty (or with --reseed) and show what it holds."""
    from db.bulk import is_empty
    from db.queries import store_stats

    engine = open_store(database_url)
    with engine.connect() as conn:
        empty = is_empty(conn)
    if empty or reseed:
        console.print(f"Seeding a [bold]{scale.value}[/] city (Shanghai, seed {seed}) ...")
        seed_store(engine, scale, seed, None, replace=True)
    else:
        console.print("The store already holds a city ([dim]--reseed[/] builds a fresh one).")
    with Session(engine) as session:
        console.print(stats_table(store_stats(session)))
    console.print(f"Store: {engine.url.render_as_string(hide_password=True)}")
    console.print("Try: [bold].venv/bin/longcat order list --status picked_up[/]")


def register(app: typer.Typer) -> None:
    app.command()(demo)
