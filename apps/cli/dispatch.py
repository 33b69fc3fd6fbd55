"""``longcat dispatch``: one dispatch round over the store, printing what changed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from apps.cli.common import (
    DatabaseUrl,
    JsonOutput,
    console,
    fail,
    load_settings,
    open_store,
    print_json,
)
from db.clock import store_now


def dispatch(
    zone: Annotated[int | None, typer.Option(help="Only this zone's orders and couriers.")] = None,
    time_limit: Annotated[
        float, typer.Option(min=0.1, max=600, help="Seconds the solver may search.")
    ] = 5.0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Solve and show, write nothing.")
    ] = False,
    now: Annotated[
        str | None, typer.Option(help="The round's moment, ISO 8601 (default: now).")
    ] = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Assign open orders to couriers on shift and write the new route plan (one transaction)."""
    from routing.dispatch import PlanConflictError, propose_round, run_round
    from routing.live import DispatchInputError

    engine = open_store(database_url)
    timezone = load_settings(database_url).timezone
    if now:
        moment = datetime.fromisoformat(now).astimezone(UTC)
    else:
        with Session(engine) as session:
            moment = store_now(session)
    try:
        if dry_run:
            proposal = propose_round(
                engine, now=moment, zone_id=zone, time_limit_s=time_limit, timezone=timezone
            )
            changes, version = proposal.changes, None
            expired = proposal.snapshot.expired
        else:
            result = run_round(
                engine, now=moment, zone_id=zone, time_limit_s=time_limit, timezone=timezone
            )
            changes, version, expired = result.changes, result.version, result.expired
    except (DispatchInputError, PlanConflictError) as exc:
        raise fail(str(exc)) from exc
    rows = [c.__dict__ for c in changes]
    if json:
        print_json(
            {"version": version, "dry_run": dry_run, "changes": rows, "expired": list(expired)}
        )
        return
    table = Table("order", "before", "after", "note", title="what changed")
    for c in changes:
        note = c.reason or ("new" if c.before is None else "moved")
        table.add_row(str(c.order_id), str(c.before or "-"), str(c.after or "-"), note)
    console.print(table)
    if expired:
        console.print(
            f"[yellow]{len(expired)} order(s) past their latest time need a person:[/] "
            + ", ".join(map(str, expired))
        )
    if dry_run:
        console.print("dry run: nothing written")
    else:
        console.print(f"plan version {version} written" if version else "nothing to dispatch")


def register(app: typer.Typer) -> None:
    app.command()(dispatch)
