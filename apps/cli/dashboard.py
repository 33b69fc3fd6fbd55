"""``longcat dashboard``: the Streamlit control room, headless."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from apps.cli.common import DatabaseUrl, open_store

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def dashboard(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    database_url: DatabaseUrl = None,
    now: Annotated[
        str | None,
        typer.Option(
            help="Show the store at this ISO 8601 moment (replaying a seeded store); default: "
            "the store's now, a running simulation's clock or else the wall clock."
        ),
    ] = None,
) -> None:
    """Serve the operator dashboard (no browser is opened; health at /_stcore/health)."""
    open_store(database_url).dispose()
    env = dict(os.environ)
    if database_url:
        env["LONGCAT_DATABASE_URL"] = database_url
    if now:
        env["LONGCAT_NOW"] = now
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
