"""``longcat agent customer|dispatch --json``: one JSON line per input line, state carried
across lines (a "yes" on the next line confirms), conversation stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from agents.eval import world
from apps.cli import app
from db.domain.status import OrderStatus
from db.engine import make_engine
from db.models import Message, Order, Ticket

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
NOW = world.SEEDED_NOW.isoformat()


def test_customer_cancel_over_two_lines(seeded_url: str) -> None:
    """A cancel on one input line is confirmed by "yes" on the next: two JSON lines, the order
    cancelled without fee, and four messages stored."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        target = world.sole_open_order(session, OrderStatus.PLACED)
    result = CliRunner().invoke(
        app,
        [
            "agent",
            "customer",
            "--customer",
            str(target.customer_id),
            "--json",
            "--no-model",
            "--database-url",
            seeded_url,
            "--now",
            NOW,
        ],
        input="cancel my order\nyes\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["tool_calls"][0]["result"]["status"] == "needs_confirmation"
    assert lines[1]["tool_calls"][0] == {
        "name": "cancel_order",
        "arguments": {"order_id": target.id, "accepted_fee_minor": 0},
        "result": {
            "status": "ok",
            "order_id": target.id,
            "fee_minor": 0,
            "currency": "CNY",
            "order_status": "cancelled",
        },
    }
    with Session(engine) as session:
        assert session.get(Order, target.id).status == OrderStatus.CANCELLED
        assert session.scalar(select(func.count()).select_from(Message)) == 4


def test_dispatch_answers_in_json(seeded_url: str) -> None:
    """A dispatch question gets one JSON line whose reply quotes the tool's count of orders
    without a courier."""
    result = CliRunner().invoke(
        app,
        [
            "agent",
            "dispatch",
            "--operator",
            "ops",
            "--json",
            "--no-model",
            "--database-url",
            seeded_url,
            "--now",
            NOW,
        ],
        input="which orders are unassigned?\n",
    )
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.strip())
    assert line["tool_calls"][0]["name"] == "list_open_orders"
    assert str(line["tool_calls"][0]["result"]["unassigned"]) in line["reply"]


def test_unknown_customer_fails_cleanly(seeded_url: str) -> None:
    """An unknown customer id exits with status 1 and an error naming customer_id."""
    result = CliRunner().invoke(
        app,
        [
            "agent",
            "customer",
            "--customer",
            "999999",
            "--json",
            "--no-model",
            "--database-url",
            seeded_url,
        ],
        input="hi\n",
    )
    assert result.exit_code == 1 and "customer_id" in result.output


def _unreachable(seeded_url: str, *extra: str) -> object:
    return CliRunner().invoke(
        app,
        [
            "agent",
            "customer",
            "--customer",
            "1",
            "--json",
            "--database-url",
            seeded_url,
            "--llm-base-url",
            "http://127.0.0.1:9/v1",
            "--llm-timeout",
            "3",
            *extra,
        ],
        input="blorp zzz\nno\n",
    )


def test_unreachable_model_server_under_rules_offers_a_colleague(seeded_url: str) -> None:
    """Under rules the model only helps: with its server unreachable the customer is offered
    a colleague, the run goes on (exit 0), and stderr names the URL that cannot be reached."""
    result = _unreachable(seeded_url, "--strategy", "rules")
    assert result.exit_code == 0, result.output
    assert "colleague" in json.loads(result.stdout.splitlines()[0])["reply"]
    assert "http://127.0.0.1:9/v1" in result.stderr and "cannot be reached" in result.stderr


def test_unreachable_model_server_under_tools_apologises_and_fails(seeded_url: str) -> None:
    """With a server the model decides (auto means tools): when it cannot be reached the
    customer gets an apology and a ticket for a person, nothing else is written, and the
    command exits 1 naming the URL."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        tickets = session.scalar(select(func.count()).select_from(Ticket))
    result = _unreachable(seeded_url)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1 and "not available" in lines[0]["reply"]
    assert [c["name"] for c in lines[0]["tool_calls"]] == ["hand_over"]
    assert "http://127.0.0.1:9/v1" in result.stderr and "cannot be reached" in result.stderr
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == tickets + 1


def test_bad_strategy_is_refused(seeded_url: str) -> None:
    """An unknown --strategy exits 1 naming the option and the choices."""
    result = CliRunner().invoke(
        app,
        ["agent", "dispatch", "--operator", "ops", "--database-url", seeded_url, "--strategy", "x"],
        input="hi\n",
    )
    assert result.exit_code == 1 and "--strategy" in result.stderr and "rules" in result.stderr


def test_an_over_long_message_is_refused_before_it_is_read(seeded_url: str) -> None:
    """A line over LONGCAT_MAX_MESSAGE_CHARS ends the run with an error naming the line and
    the limit; the lines before it were answered."""
    result = CliRunner().invoke(
        app,
        ["agent", "customer", "--customer", "1", "--json", "--no-model", "--database-url",
         seeded_url, "--now", NOW],
        input="hello\n" + "x" * 96_000 + "\n",
    )  # fmt: skip
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "line 2" in result.stderr and "1000 characters" in result.stderr


def test_order_must_be_the_customers(seeded_url: str) -> None:
    """--order (a tracking link's order) must belong to --customer."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        target = world.sole_open_order(session, OrderStatus.PLACED)
    result = CliRunner().invoke(
        app,
        ["agent", "customer", "--customer", str(target.customer_id + 1), "--order",
         str(target.id), "--no-model", "--database-url", seeded_url],
        input="hi\n",
    )  # fmt: skip
    assert result.exit_code == 1 and "--order" in result.stderr
