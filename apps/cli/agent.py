"""Agent commands: a customer-service or dispatch conversation over standard input.

One message per line in, one reply per line out; with ``--json`` each reply is
``{"reply": ..., "tool_calls": [{"name", "arguments", "result"}]}``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol

import typer

from apps.cli.common import (
    DatabaseUrl,
    JsonOutput,
    err_console,
    fail,
    load_settings,
    open_store,
    print_json,
)
from apps.cli.llm import LlmBaseUrl, LlmModel, LlmTimeout, llm_config

Now = Annotated[
    str | None,
    typer.Option(
        help="Treat this ISO 8601 moment as now (replaying a seeded store); default: the clock.",
        show_default=False,
    ),
]
NoModel = Annotated[bool, typer.Option("--no-model", help="Run on rules alone, without any model.")]


class _Agent(Protocol):
    def handle(self, text: str) -> Any: ...


def _clock(now: str | None) -> Callable[[], datetime]:
    if now is None:
        return lambda: datetime.now(UTC)
    try:
        fixed = datetime.fromisoformat(now)
    except ValueError as exc:
        raise fail(f"--now: {now!r} is not an ISO 8601 time ({exc})") from exc
    fixed = fixed if fixed.tzinfo else fixed.replace(tzinfo=UTC)
    return lambda: fixed


def _converse(agent: _Agent, as_json: bool) -> None:
    from agents.llm import LLMError

    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        try:
            turn = agent.handle(text)
        except LLMError as exc:
            raise fail(str(exc)) from exc
        for warning in turn.warnings:
            err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
        if as_json:
            print_json(turn.as_json())
        else:
            typer.echo(turn.reply)
        sys.stdout.flush()


def customer(
    customer_id: Annotated[
        int, typer.Option("--customer", help="The signed-in customer (from the session).")
    ],
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
    model: LlmModel = None,
    base_url: LlmBaseUrl = None,
    timeout: LlmTimeout = None,
    no_model: NoModel = False,
    now: Now = None,
) -> None:
    """Customer service for one customer: order status, cancel, address, compensation."""
    from agents.customer.agent import CustomerAgent, CustomerNotFoundError
    from agents.llm import make_chat_model

    engine = open_store(database_url)
    chat = None if no_model else make_chat_model(llm_config(model, base_url, timeout))
    try:
        agent = CustomerAgent(engine, customer_id, model=chat, clock=_clock(now))
    except CustomerNotFoundError as exc:
        raise fail(str(exc)) from exc
    _converse(agent, json)


def dispatch(
    operator: Annotated[str, typer.Option("--operator", help="The signed-in operator.")],
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
    model: LlmModel = None,
    base_url: LlmBaseUrl = None,
    timeout: LlmTimeout = None,
    no_model: NoModel = False,
    now: Now = None,
) -> None:
    """The dispatch assistant for operators: assign, explain lateness, demand, staffing."""
    from agents.dispatch.agent import DispatchAgent
    from agents.llm import make_chat_model

    engine = open_store(database_url)
    chat = None if no_model else make_chat_model(llm_config(model, base_url, timeout))
    from agents.dispatch.planner import RoutingPlanner

    planner = RoutingPlanner(timezone=load_settings(database_url).timezone)
    _converse(DispatchAgent(engine, operator, model=chat, clock=_clock(now), planner=planner), json)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Customer-service and dispatch agents.", no_args_is_help=True)
    group.command("customer")(customer)
    group.command("dispatch")(dispatch)
    app.add_typer(group, name="agent")
