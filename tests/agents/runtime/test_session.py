"""Sessions live in the store: a conversation goes on in a new agent object (as in another
process, or after a restart) with its pending write; two "yes" at once write once; one
conversation's turns take turns while other conversations go ahead. On SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from agents.customer.agent import CustomerAgent
from agents.customer.context import CustomerContext
from agents.customer.tools import TOOLS
from agents.eval import world
from agents.eval.world import SEEDED_NOW
from agents.runtime import ConversationBusyError
from agents.runtime.lock import HOST, turn_lease
from agents.tooling import call_tool
from db.domain.status import OrderStatus
from db.models import AuditEntry, Compensation, Conversation, Order


def agent(engine: Engine, customer_id: int, conversation_id: int | None = None) -> CustomerAgent:
    return CustomerAgent(
        engine,
        customer_id,
        model=None,
        clock=lambda: SEEDED_NOW,
        conversation_id=conversation_id,
    )


def status(engine: Engine, order_id: int) -> str:
    with Session(engine) as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order.status


def confirmed_runs(engine: Engine, action: str) -> int:
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
    return sum(1 for e in entries if e.arguments.get("_confirmed"))


def test_a_pending_write_survives_a_new_agent(seeded_engine: Engine) -> None:
    """A cancel proposed by one agent object is confirmed through another that only knows
    the conversation id: the pending write came from the store. A "yes" in a conversation
    of its own confirms nothing."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.CONFIRMED)
    first = agent(seeded_engine, target.customer_id)
    assert "yes" in first.handle("please cancel my order").reply
    conversation_id = first.conversation_id
    del first
    stranger = agent(seeded_engine, target.customer_id)
    assert stranger.handle("yes").tool_calls == ()
    assert status(seeded_engine, target.id) == "confirmed"
    done = agent(seeded_engine, target.customer_id, conversation_id).handle("yes")
    assert done.tool_calls[0].name == "cancel_order"
    assert status(seeded_engine, target.id) == "cancelled"


def test_the_rules_notes_survive_too(seeded_engine: Engine) -> None:
    """A request held for its missing address is completed through a new agent object."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    first = agent(seeded_engine, target.customer_id)
    assert "address" in first.handle("I need to change my delivery address").reply
    second = agent(seeded_engine, target.customer_id, first.conversation_id)
    ask = second.handle("No. 5 Century Avenue, Lujiazui (31.24, 121.501)")
    assert str(target.id) in ask.reply and "yes" in ask.reply


def test_two_yes_at_once_write_once(seeded_engine: Engine) -> None:
    """Two "yes" sent at the same moment to one pending cancel cancel it once."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.ASSIGNED)
    proposer = agent(seeded_engine, target.customer_id)
    proposer.handle("cancel my order")
    agents = [agent(seeded_engine, target.customer_id, proposer.conversation_id) for _ in range(2)]
    barrier = threading.Barrier(2)
    replies: list[str] = []

    def say_yes(a: CustomerAgent) -> None:
        barrier.wait()
        replies.append(a.handle("yes").reply)

    threads = [threading.Thread(target=say_yes, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(replies) == 2
    assert status(seeded_engine, target.id) == "cancelled"
    assert confirmed_runs(seeded_engine, "cancel_order") == 1
    assert sum("is cancelled" in r for r in replies) == 1


def test_the_same_confirmed_write_runs_once(seeded_engine: Engine) -> None:
    """A confirmed write retried under its key (a worker died before it could say so)
    gives back the first result and writes nothing more."""
    with Session(seeded_engine) as s:
        late = world.delivered_order(s, late=True, min_late=3)
    ctx = CustomerContext(late.customer_id, SEEDED_NOW, None, f"order {late.id} was late")
    args = {"order_id": late.id, "reason": "late"}
    runs = [
        call_tool(
            seeded_engine,
            TOOLS["request_compensation"],
            args,
            context=ctx,
            actor="test",
            now=SEEDED_NOW,
            confirmed=True,
            idempotency_key="write-1",
        )
        for _ in range(2)
    ]
    assert runs[0].result == runs[1].result and runs[0].result["status"] == "ok"
    with Session(seeded_engine) as s:
        rows = s.scalars(select(Compensation).where(Compensation.order_id == late.id)).all()
    assert len(rows) == 1


def test_one_conversation_at_a_time_others_go_on(seeded_engine: Engine) -> None:
    """While a turn holds its conversation, a second turn of it waits and gives up with
    ConversationBusyError; another customer's conversation is answered meanwhile."""
    with Session(seeded_engine) as s:
        one = world.sole_open_order(s, OrderStatus.PLACED)
        two = world.sole_open_order(s, OrderStatus.PICKED_UP)
    busy = agent(seeded_engine, one.customer_id)
    busy.session = replace(busy.session, lock_wait_s=0.3)
    other = agent(seeded_engine, two.customer_id)
    with turn_lease(seeded_engine, busy.conversation_id):
        with pytest.raises(ConversationBusyError, match="still being answered"):
            busy.handle("where is my order?")
        assert str(two.id) in other.handle("where is my order?").reply
    assert str(one.id) in busy.handle("where is my order?").reply


def test_a_dead_holder_lets_go_at_once(seeded_engine: Engine) -> None:
    """A lease left by a process of this machine that no longer runs is taken over at once,
    long before it expires."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    chat = agent(seeded_engine, target.customer_id)
    gone = os.getpid() + 10**6  # no such process
    with Session(seeded_engine) as s, s.begin():
        s.execute(
            update(Conversation)
            .where(Conversation.id == chat.conversation_id)
            .values(
                locked_by=f"{HOST}:{gone}:x", locked_until=datetime.now(UTC) + timedelta(hours=1)
            )
        )
    chat.session = replace(chat.session, lock_wait_s=2)
    assert str(target.id) in chat.handle("where is my order?").reply
