"""Fixtures shared by the command-line tests."""

from __future__ import annotations

import pytest
import typer

from apps.cli.forecast import register


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """An app with the forecast commands, as ``longcat`` registers them."""
    app = typer.Typer()
    register(app)
    # A second command keeps Typer from collapsing the app into its only sub-app.
    app.command("noop")(lambda: None)
    return app
