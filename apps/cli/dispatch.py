"""``longcat dispatch``: one dispatch round over the store, printing what changed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
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
)
from db.clock import store_now

if TYPE_CHECKING:
    from routing.service.dispatch import RoundResult


Zone = Annotated[int | None, typer.Option(help="Only this zone's orders and couriers.")]
TimeLimit = Annotated[float, typer.Option(min=0.1, max=600, help="Seconds the solver may search.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Solve and show, write nothing.")]
Now = Annotated[
    str | None,
    typer.Option(help=f"The round's moment, {MOMENT_HELP} (default: the store's now)."),
]


def dispatch(
    zone: Zone = None,
    time_limit: TimeLimit = 5.0,
    dry_run: DryRun = False,
    now: Now = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Assign open orders to couriers on shift and write the new route plan (one transaction).

    Any number of dispatchers may run at once: a round that another one overtook reads the
    newer plan and plans what is still open. When nothing is left to do, it exits 0 and
    writes nothing ("nothing_left": true with --json).
    """
    import routing.service.dispatch as rounds
    from routing.live.problem import DispatchInputError

    timezone = load_settings(database_url).timezone
    engine = open_store(database_url)
    moment = _round_moment(engine, now, timezone)
    try:
        result = _round(engine, moment, zone, time_limit, timezone, dry_run)
    except (DispatchInputError, rounds.PlanConflictError) as exc:
        raise fail(str(exc)) from exc
    if json:
        print_json(_round_json(result, dry_run))
        return
    _print_round(result, dry_run)


def _round_moment(engine: Engine, now: str | None, timezone: str) -> datetime:
    """The --now moment in the city's time, else the store's now."""
    if now:
        return city_moment(now, "--now", ZoneInfo(timezone))
    with Session(engine) as session:
        return store_now(session)


def _round(
    engine: Engine,
    moment: datetime,
    zone: int | None,
    time_limit: float,
    timezone: str,
    dry_run: bool,
) -> RoundResult:
    """One round: written, or (dry run) only proposed and shaped as a result."""
    import routing.service.dispatch as rounds

    if not dry_run:
        return rounds.run_round(
            engine, now=moment, zone_id=zone, time_limit_s=time_limit, timezone=timezone
        )
    proposal = rounds.propose_round(
        engine, now=moment, zone_id=zone, time_limit_s=time_limit, timezone=timezone
    )
    return rounds.RoundResult(
        None,
        proposal.changes,
        expired=proposal.snapshot.expired,
        note="" if proposal.moves else rounds.NOTHING_CHANGES,
    )


def _round_json(result: RoundResult, dry_run: bool) -> dict[str, Any]:
    return {
        "version": result.version,
        "dry_run": dry_run,
        "changes": [c.__dict__ for c in result.changes],
        "expired": list(result.expired),
        "attempts": result.attempts,
        "nothing_left": not dry_run and result.nothing_left,
        "note": result.note,
    }


def _print_round(result: RoundResult, dry_run: bool) -> None:
    if result.changes:
        table = Table("order", "before", "after", "note", title="what changed")
        for c in result.changes:
            note = c.reason or ("new" if c.before is None else "moved")
            table.add_row(str(c.order_id), str(c.before or "-"), str(c.after or "-"), note)
        console.print(table)
    if result.expired:
        console.print(
            f"[yellow]{len(result.expired)} order(s) past their latest time need a person:[/] "
            + ", ".join(map(str, result.expired))
        )
    if dry_run:
        console.print("dry run: nothing written" + (f" ({result.note})" if result.note else ""))
    elif result.version:
        console.print(f"plan version {result.version} written")
    else:
        console.print(result.note)


def register(app: typer.Typer) -> None:
    app.command()(dispatch)
