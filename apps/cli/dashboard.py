"""``longcat dashboard``: the Streamlit control room, headless."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from apps.cli.common import MOMENT_HELP, DatabaseUrl, city_moment, load_settings, open_store

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def dashboard(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    database_url: DatabaseUrl = None,
    now: Annotated[
        str | None,
        typer.Option(
            help=f"Show the store at this moment (replaying a seeded store), {MOMENT_HELP}; "
            "default: the store's now, a running simulation's clock or else the wall clock."
        ),
    ] = None,
) -> None:
    """Serve the operator dashboard (no browser is opened; health at /_stcore/health)."""
    open_store(database_url).dispose()
    env = dict(os.environ)
    if database_url:
        env["LONGCAT_DATABASE_URL"] = database_url
    if now:
        tz = ZoneInfo(load_settings(database_url).timezone)
        env["LONGCAT_NOW"] = city_moment(now, "--now", tz).isoformat()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--browser.gatherUsageStats",
        "false",
    ]
    # Become the Streamlit server rather than its parent, so that stopping this process
    # (Ctrl-C, a supervisor's SIGTERM) stops the server too.
    os.execve(sys.executable, command, env)


def register(app: typer.Typer) -> None:
    app.command()(dashboard)
