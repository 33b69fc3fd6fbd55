"""``longcat dispatch``: one dispatch round over the store, printing what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
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
    from routing.dispatch import RoundResult


def dispatch(
    zone: Annotated[int | None, typer.Option(help="Only this zone's orders and couriers.")] = None,
    time_limit: Annotated[
        float, typer.Option(min=0.1, max=600, help="Seconds the solver may search.")
    ] = 5.0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Solve and show, write nothing.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(help=f"The round's moment, {MOMENT_HELP} (default: the store's now)."),
    ] = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
) -> None:
    """Assign open orders to couriers on shift and write the new route plan (one transaction).

    Any number of dispatchers may run at once: a round that another one overtook reads the
    newer plan and plans what is still open. When nothing is left to do, it exits 0 and
    writes nothing ("nothing_left": true with --json).
    """
    import routing.dispatch as rounds
    from routing.live import DispatchInputError

    timezone = load_settings(database_url).timezone
    engine = open_store(database_url)
    if now:
        moment = city_moment(now, "--now", ZoneInfo(timezone))
    else:
        with Session(engine) as session:
            moment = store_now(session)
    try:
        if dry_run:
            proposal = rounds.propose_round(
                engine, now=moment, zone_id=zone, time_limit_s=time_limit, timezone=timezone
            )
            result = rounds.RoundResult(
                None,
                proposal.changes,
                expired=proposal.snapshot.expired,
                note="" if proposal.moves else rounds.NOTHING_CHANGES,
            )
        else:
            result = rounds.run_round(
                engine, now=moment, zone_id=zone, time_limit_s=time_limit, timezone=timezone
            )
    except (DispatchInputError, rounds.PlanConflictError) as exc:
        raise fail(str(exc)) from exc
    if json:
        print_json(
            {
                "version": result.version,
                "dry_run": dry_run,
                "changes": [c.__dict__ for c in result.changes],
                "expired": list(result.expired),
                "attempts": result.attempts,
                "nothing_left": not dry_run and result.nothing_left,
                "note": result.note,
            }
        )
        return
    _print_round(result, dry_run)


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
