"""What every command shares: the store options, opening the store, printing JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from apps.settings import Settings
from db.engine import StoreConfigError, make_engine
from db.migrate import upgrade

console = Console()
# Error lines are never wrapped: a script reading stderr (or a log) gets one line per error.
err_console = Console(stderr=True, soft_wrap=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the store (default: LONGCAT_DATABASE_URL, else a SQLite file "
        "in LONGCAT_DATA_DIR).",
        show_default=False,
    ),
]
JsonOutput = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error for a person and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def load_settings(database_url: str | None = None) -> Settings:
    overrides: dict[str, Any] = {"database_url": database_url} if database_url else {}
    try:
        return Settings(**overrides)
    except (ValidationError, StoreConfigError) as exc:
        raise fail(str(exc)) from exc


def open_store(database_url: str | None = None) -> Engine:
    """An engine on the configured store, migrated to the newest schema."""
    settings = load_settings(database_url)
    try:
        engine = make_engine(settings.store_url)
        upgrade(engine)
    except StoreConfigError as exc:
        raise fail(str(exc)) from exc
    return engine


def _json_default(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, default=_json_default))


MOMENT_HELP = "ISO 8601, e.g. 2026-11-27T12:30; without an offset, the city's local time"


def city_moment(value: str, option: str, tz: ZoneInfo) -> datetime:
    """The one reading of a moment on the command line (``--now``, ``--until`` and the
    like): ISO 8601, and without an offset the city's local time, as a dispatcher says it."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise fail(
            f"{option}: {value!r} is not an ISO 8601 moment like 2026-11-27T12:30 ({exc})"
        ) from exc
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)


def city_day(value: str, now: datetime, tz: ZoneInfo, option: str) -> date:
    """``today``, ``tomorrow`` (the city's days, from the store's now) or YYYY-MM-DD."""
    today = now.astimezone(tz).date()
    named = {"today": today, "tomorrow": today + timedelta(days=1)}
    if value.casefold() in named:
        return named[value.casefold()]
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{option}: {value!r} is not a date like 2026-11-30, today or tomorrow") from exc


def shown(moment: datetime | None, tz: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) moment as a person in the city reads it."""
    return "" if moment is None else moment.astimezone(tz).strftime(fmt)


def add_model_column(table: Table, header: str) -> None:
    """A column of model names, which the user acts on: never cut to an ellipsis nor folded
    inside a name, so the other columns wrap first. Fill it with ``model_cell``."""
    table.add_column(header, no_wrap=True)


# A nested blend's member ("mean(median(mstl,prophet,snaive)," is 33) wider than this is
# wrapped after its own commas: on 80 columns the series' names beside it were folded to
# five characters a line.
MODEL_LINE = 24


def model_cell(name: str) -> str:
    """A model's name for a table cell: a blend's members ("mean(a, b)") on lines of their
    own, a member longer than ``MODEL_LINE`` wrapped after its commas, never inside a word,
    so the column stays narrow and the table fits 80 columns."""
    lines = []
    for member in re.split(r"(?<=,) ", name):
        line = ""
        for piece in re.findall(r"[^,]+,?|,", member):
            if line and len(line) + len(piece) > MODEL_LINE:
                lines.append(line)
                line = ""
            line += piece
        lines.append(line)
    return "\n".join(lines)
