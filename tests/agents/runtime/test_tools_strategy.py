"""The ``tools`` strategy with a model that misbehaves: every call is answered by its call id
(malformed, unknown, invalid ones with the reason), a loop ends in a polite hand-over, a
write only proposes and its confirmation is code's, and a backend that is down gets an
apology and a ticket. The model is a real HTTP server whose answers the test scripts."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agents.customer.agent import CustomerAgent
from agents.dispatch.agent import DispatchAgent
from agents.eval import world
from agents.eval.world import SEEDED_NOW
from agents.llm import LLMConfig, make_chat_model
from agents.runtime import Strategy, ToolMode
from db.domain.status import OrderStatus
from db.models import AuditEntry, Order, RoutePlan, Ticket
from tests.agents.scripted_server import Script, call, say, scripted_server

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def customer_agent(engine: Engine, customer_id: int, url: str) -> CustomerAgent:
    model = make_chat_model(LLMConfig(base_url=url, timeout_s=5))
    return CustomerAgent(
        engine,
        customer_id,
        model=model,
        clock=lambda: SEEDED_NOW,
        strategy=Strategy.tools,
        tool_mode=ToolMode.native,
    )


def tool_answers(request: dict) -> dict[str, dict]:
    """The tool results the agent sent back, by call id."""
    return {
        m["tool_call_id"]: json.loads(m["content"])
        for m in request["messages"]
        if m["role"] == "tool"
    }


def count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_bad_calls_are_answered_by_call_id(seeded_engine: Engine) -> None:
    """Arguments that are not JSON, a tool that does not exist and arguments that fail
    validation each come back to the model as an error result under their own call id;
    the model's final answer then reaches the customer and nothing is written."""
    with Session(seeded_engine) as s:
        order = world.sole_open_order(s, OrderStatus.PLACED)
    script = Script(
        [
            call("cancel_order", "{not json", "c-bad-json"),
            call("delete_everything", {}, "c-unknown"),
            call("order_status", {"order_id": "eighty"}, "c-invalid"),
            say("Your order is being prepared."),
        ]
    )
    with scripted_server(script) as url:
        turn = customer_agent(seeded_engine, order.customer_id, url).handle("where is it?")
    answers = tool_answers(script.requests[-1])
    assert (
        answers["c-bad-json"]["status"] == "error"
        and "not JSON" in answers["c-bad-json"]["message"]
    )
    assert "not a tool" in answers["c-unknown"]["message"]
    assert answers["c-invalid"]["reason"] == "invalid_arguments"
    assert "order_id" in answers["c-invalid"]["message"]
    assert turn.reply == "Your order is being prepared."
    with Session(seeded_engine) as s:
        assert s.get(Order, order.id).status == OrderStatus.PLACED


def test_a_looping_model_ends_in_a_polite_hand_over(seeded_engine: Engine) -> None:
    """A model that repeats the same call is stopped: the customer is offered a colleague,
    nothing is written, and only the customer's "yes" opens the ticket."""
    with Session(seeded_engine) as s:
        order = world.sole_open_order(s, OrderStatus.PLACED)
    script = Script([call("order_status", {"order_id": order.id}, "c1")])
    with scripted_server(script) as url:
        agent = customer_agent(seeded_engine, order.customer_id, url)
        tickets = count(seeded_engine, Ticket)
        turn = agent.handle("where is my order")
        assert "colleague" in turn.reply and count(seeded_engine, Ticket) == tickets
        assert len(script.requests) == 2  # the repeat was caught, not run to the step cap
        done = agent.handle("yes")
    assert done.tool_calls[0].name == "hand_over" and done.tool_calls[0].result["status"] == "ok"
    assert count(seeded_engine, Ticket) == tickets + 1


def test_step_cap_ends_a_turn_of_different_calls(seeded_engine: Engine) -> None:
    """A model that keeps calling, each time differently, is stopped at the step cap."""
    with Session(seeded_engine) as s:
        order = world.sole_open_order(s, OrderStatus.PLACED)
    script = Script([call("order_status", {"order_id": 10_000 + i}, f"c{i}") for i in range(20)])
    with scripted_server(script) as url:
        turn = customer_agent(seeded_engine, order.customer_id, url).handle("where is it")
    assert "colleague" in turn.reply
    assert len(script.requests) == 6 and len(turn.tool_calls) == 6


def test_a_write_only_proposes_and_code_words_the_confirmation(seeded_engine: Engine) -> None:
    """The model's cancel stops the loop at the confirmation; the fee in it is the tool's
    (whatever the model said or offered), and only the customer's next "yes" cancels."""
    with Session(seeded_engine) as s:
        order = world.sole_open_order(s, OrderStatus.ASSIGNED)
    fee = round(order.subtotal_minor * 0.2)
    script = Script(
        [
            call("cancel_order", {"order_id": order.id, "accepted_fee_minor": 999_999}, "c1"),
            say("Cancelled for free, no fee at all!"),
        ]
    )
    with scripted_server(script) as url:
        agent = customer_agent(seeded_engine, order.customer_id, url)
        ask = agent.handle("cancel it please")
        assert len(script.requests) == 1  # no model call after the proposal
        assert f"¥{fee / 100:.2f}" in ask.reply and "yes" in ask.reply
        with Session(seeded_engine) as s:
            assert s.get(Order, order.id).status == OrderStatus.ASSIGNED
        done = agent.handle("yes")
    assert done.tool_calls[0].arguments == {"order_id": order.id, "accepted_fee_minor": fee}
    with Session(seeded_engine) as s:
        assert s.get(Order, order.id).status == OrderStatus.CANCELLED
        assert s.get(Order, order.id).cancel_fee_minor == fee


def test_another_customers_order_stays_out_of_reach(seeded_engine: Engine) -> None:
    """Whatever order id the model picks, the tools act for the session's customer only."""
    with Session(seeded_engine) as s:
        mine = world.sole_open_order(s, OrderStatus.PLACED)
        theirs = world.other_customers_order(s, mine.customer_id, OrderStatus.ASSIGNED)
    script = Script([call("cancel_order", {"order_id": theirs.id}, "c1"), say("Done.")])
    with scripted_server(script) as url:
        agent = customer_agent(seeded_engine, mine.customer_id, url)
        agent.handle(f"cancel order {theirs.id}")
        agent.handle("yes")
    assert tool_answers(script.requests[-1])["c1"]["reason"] == "not_found"
    with Session(seeded_engine) as s:
        assert s.get(Order, theirs.id).status == OrderStatus.ASSIGNED


def test_a_server_that_is_down_gets_an_apology_and_a_ticket(seeded_engine: Engine) -> None:
    """With the model server unreachable the customer is told so, a ticket is opened for a
    person, and the turn reports the error naming the URL."""
    with Session(seeded_engine) as s:
        order = world.sole_open_order(s, OrderStatus.PLACED)
    tickets = count(seeded_engine, Ticket)
    turn = customer_agent(seeded_engine, order.customer_id, "http://127.0.0.1:9/v1").handle("hi")
    assert "not available" in turn.reply and turn.error and "127.0.0.1:9" in turn.error
    assert count(seeded_engine, Ticket) == tickets + 1


def test_dispatch_under_tools_commits_only_on_yes(seeded_engine: Engine) -> None:
    """The dispatch model previews a zone's plan; the commit tool is not offered to it, the
    preview waits for the operator, and the "yes" commits exactly once."""
    with Session(seeded_engine) as s:
        zone_id = world.sole_open_order(s, OrderStatus.CONFIRMED).zone_id
    script = Script(
        [
            call("commit_plan", {"token": "forged"}, "c0"),
            call("preview_plan", {"zone_id": zone_id}, "c1"),
        ]
    )
    with scripted_server(script) as url:
        model = make_chat_model(LLMConfig(base_url=url, timeout_s=5))
        agent = DispatchAgent(
            seeded_engine,
            "ops",
            model=model,
            clock=lambda: SEEDED_NOW,
            strategy=Strategy.tools,
        )
        plans = count(seeded_engine, RoutePlan)
        ask = agent.handle(f"assign the open orders in zone {zone_id}")
        assert "not a tool" in tool_answers(script.requests[-1])["c0"]["message"]
        assert "Reply yes" in ask.reply and count(seeded_engine, RoutePlan) == plans
        done = agent.handle("yes")
    assert done.tool_calls[0].name == "commit_plan" and done.tool_calls[0].result["status"] == "ok"
    assert count(seeded_engine, RoutePlan) == plans + 1
    with Session(seeded_engine) as s:
        commits = s.scalars(select(AuditEntry).where(AuditEntry.action == "commit_plan")).all()
    assert len(commits) == 1
