"""Agent commands: a customer-service or dispatch conversation over standard input.

One message per line in, one reply per line out; with ``--json`` each reply is
``{"reply": ..., "tool_calls": [{"name", "arguments", "result"}]}``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Protocol
from zoneinfo import ZoneInfo

import typer

from apps.cli.common import (
    MOMENT_HELP,
    DatabaseUrl,
    JsonOutput,
    city_moment,
    err_console,
    fail,
    load_settings,
    open_store,
    print_json,
)
from apps.cli.llm import LlmBaseUrl, LlmModel, LlmTimeout, llm_config
from db.clock import store_clock

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agents.llm import ChatModel
    from agents.runtime import Strategy, ToolMode, Turn

Now = Annotated[
    str | None,
    typer.Option(
        help=f"Treat this moment as now (replaying a seeded store), {MOMENT_HELP}; default: "
        "the store's now (a running simulation's clock, else the wall clock).",
        show_default=False,
    ),
]
NoModel = Annotated[bool, typer.Option("--no-model", help="Run on rules alone, without any model.")]
StrategyOption = Annotated[
    str | None,
    typer.Option(
        "--strategy",
        help="Who decides each turn: rules (code, the model only helps), tools (the model "
        "calls the tools; policy stays inside them), or auto: tools with --llm-base-url, "
        "else rules (default: LONGCAT_AGENT_STRATEGY, auto).",
        show_default=False,
    ),
]
ToolCallsOption = Annotated[
    str | None,
    typer.Option(
        "--tool-calls",
        help="How the model's tool calls are read under --strategy tools: native (the "
        "server's tool calling), grammar (one JSON step under a grammar, for small models), "
        "or auto: native on a server, grammar in-process (default: LONGCAT_LLM_TOOL_CALLS).",
        show_default=False,
    ),
]


class _Agent(Protocol):
    def handle(self, text: str) -> Turn: ...


def _clock(engine: Engine, now: str | None, timezone: str) -> Callable[[], datetime]:
    """``--now`` when given, else the store's now (a live simulation's clock, or the wall
    clock)."""
    if now is None:
        return store_clock(engine)
    return store_clock(engine, city_moment(now, "--now", ZoneInfo(timezone)))


def _runtime(
    strategy: str | None,
    tool_calls: str | None,
    no_model: bool,
    model: str | None,
    base_url: str | None,
    timeout: float | None,
) -> tuple[ChatModel | None, Strategy, ToolMode]:
    """The model, the turn strategy and the tool-call mode from options and settings."""
    from agents.llm import make_chat_model

    overrides = {
        k: v for k, v in {"agent_strategy": strategy, "llm_tool_calls": tool_calls}.items() if v
    }
    try:
        settings = load_settings().model_copy(update=overrides)
        config = None if no_model else llm_config(model, base_url, timeout)
        chosen, mode = settings.agent_runtime(config)
    except ValueError as exc:
        message = str(exc).replace("agent_strategy", "--strategy")
        raise fail(message.replace("llm_tool_calls", "--tool-calls")) from exc
    if no_model and chosen.value == "tools":
        raise fail("--strategy tools: the model decides each turn, so it cannot run --no-model")
    return (None if config is None else make_chat_model(config)), chosen, mode


def _check_order(engine: Engine, customer_id: int, order_id: int | None) -> None:
    from sqlalchemy.orm import Session

    from db.models import Order

    if order_id is None:
        return
    with Session(engine) as session:
        order = session.get(Order, order_id)
    if order is None or order.customer_id != customer_id:
        raise fail(f"--order: order {order_id} is not an order of customer {customer_id}")


def _converse(agent: _Agent, as_json: bool, max_chars: int) -> None:
    for number, line in enumerate(sys.stdin, start=1):
        text = line.strip()
        if not text:
            continue
        if len(text) > max_chars:
            # Refused before anything reads it, as the API refuses it (LONGCAT_MAX_MESSAGE_CHARS).
            raise fail(f"message on line {number}: longer than {max_chars} characters")
        turn = agent.handle(text)
        for warning in turn.warnings:
            if warning == turn.error:
                continue
            err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
        if as_json:
            print_json(turn.as_json())
        else:
            typer.echo(turn.reply)
        sys.stdout.flush()
        if turn.error:
            # The user was answered (an apology, a ticket); the caller must know it failed.
            raise fail(turn.error)


def customer(
    customer_id: Annotated[
        int, typer.Option("--customer", help="The signed-in customer (from the session).")
    ],
    order_id: Annotated[
        int | None,
        typer.Option(
            "--order",
            help="The order a tracking link was signed for: the chat acts on that order only.",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
    strategy: StrategyOption = None,
    tool_calls: ToolCallsOption = None,
    model: LlmModel = None,
    base_url: LlmBaseUrl = None,
    timeout: LlmTimeout = None,
    no_model: NoModel = False,
    now: Now = None,
) -> None:
    """Customer service for one customer: order status, cancel, address, compensation."""
    from agents.customer.agent import CustomerAgent, CustomerNotFoundError
    from agents.customer.classifier import warm_up

    engine = open_store(database_url)
    settings = load_settings(database_url)
    _check_order(engine, customer_id, order_id)
    chat, chosen, mode = _runtime(strategy, tool_calls, no_model, model, base_url, timeout)
    warm_up()
    try:
        agent = CustomerAgent(
            engine,
            customer_id,
            model=chat,
            clock=_clock(engine, now, settings.timezone),
            strategy=chosen,
            tool_mode=mode,
            order_id=order_id,
            search=settings.geocoder(),
            auto_approve_minor=settings.compensation_auto_approve_minor,
            timezone=settings.timezone,
        )
    except CustomerNotFoundError as exc:
        raise fail(str(exc)) from exc
    _converse(agent, json, settings.max_message_chars)


def dispatch(
    operator: Annotated[str, typer.Option("--operator", help="The signed-in operator.")],
    database_url: DatabaseUrl = None,
    json: JsonOutput = False,
    strategy: StrategyOption = None,
    tool_calls: ToolCallsOption = None,
    model: LlmModel = None,
    base_url: LlmBaseUrl = None,
    timeout: LlmTimeout = None,
    no_model: NoModel = False,
    now: Now = None,
) -> None:
    """The dispatch assistant for operators: assign, explain lateness, demand, staffing."""
    from agents.dispatch.agent import DispatchAgent
    from agents.dispatch.planner import RoutingPlanner

    engine = open_store(database_url)
    chat, chosen, mode = _runtime(strategy, tool_calls, no_model, model, base_url, timeout)
    timezone = load_settings(database_url).timezone
    agent = DispatchAgent(
        engine,
        operator,
        model=chat,
        clock=_clock(engine, now, timezone),
        planner=RoutingPlanner(timezone=timezone),
        strategy=chosen,
        tool_mode=mode,
        timezone=timezone,
    )
    _converse(agent, json, load_settings(database_url).max_message_chars)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Customer-service and dispatch agents.", no_args_is_help=True)
    group.command("customer")(customer)
    group.command("dispatch")(dispatch)
    app.add_typer(group, name="agent")
