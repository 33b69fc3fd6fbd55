"""The ``longcat`` command line: each command module registers itself on one Typer app."""

from __future__ import annotations

import typer

from apps.cli import (
    agent,
    api,
    dashboard,
    demo,
    dispatch,
    forecast,
    forecast_jobs,
    llm,
    route,
    simulate,
    store,
)
from apps.cli.help_text import reflow_help

app = typer.Typer(
    name="longcat",
    help="LongCat Logistics: dispatch, forecasting and agents for on-demand delivery.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

# Built-in commands register through the same small interface an extension would use.
COMMAND_MODULES = [
    store, demo, simulate, dispatch, route, forecast, forecast_jobs, llm, agent, api, dashboard,
]  # fmt: skip
for module in COMMAND_MODULES:
    module.register(app)
reflow_help(app)


def main() -> None:
    app()
