"""Customer conversations end to end on the seeded city: nothing is written before the
customer's "yes", a "no" changes nothing, replies follow the message's language, another
customer's order stays invisible, and an unclear request is offered a colleague."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agents.customer.agent import CustomerAgent, CustomerNotFoundError
from agents.eval import world
from agents.eval.world import SEEDED_NOW
from agents.llm import ChatModel
from db.domain.status import OrderStatus
from db.models import AuditEntry, Compensation, Message, Order, Ticket

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def agent(engine: Engine, customer_id: int, model: ChatModel | None = None) -> CustomerAgent:
    return CustomerAgent(engine, customer_id, model=model, clock=lambda: SEEDED_NOW)


def second_open_order(engine: Engine, first: Order) -> int:
    """Give ``first``'s customer a second open order (the store's only confirmed one)."""
    with Session(engine) as s, s.begin():
        other = world.sole_open_order(s, OrderStatus.CONFIRMED)
        other.customer_id = first.customer_id
        return other.id


def status_of(engine: Engine, order_id: int) -> str:
    with Session(engine) as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order.status


def test_cancel_waits_for_yes(seeded_engine: Engine) -> None:
    """A cancel first asks for "yes", naming the order and the fee; only the "yes" cancels it."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.ASSIGNED)
    chat = agent(seeded_engine, target.customer_id)
    ask = chat.handle("Please cancel my order")
    assert str(target.id) in ask.reply and "yes" in ask.reply
    assert "¥" in ask.reply  # an accepted order carries a fee, and the customer is told
    assert status_of(seeded_engine, target.id) == "assigned"
    done = chat.handle("yes")
    assert status_of(seeded_engine, target.id) == "cancelled"
    assert [c.name for c in done.tool_calls] == ["cancel_order"]
    assert done.tool_calls[0].result["status"] == "ok"


def test_declined_confirmation_changes_nothing(seeded_engine: Engine) -> None:
    """A "no" to a pending cancel calls no tool, says nothing changed; the order stays placed."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    chat = agent(seeded_engine, target.customer_id)
    chat.handle(f"cancel order {target.id}")
    reply = chat.handle("no")
    assert "haven't changed anything" in reply.reply and reply.tool_calls == ()
    assert status_of(seeded_engine, target.id) == "placed"


def test_a_new_request_drops_the_pending_write(seeded_engine: Engine) -> None:
    """A new request after a cancel preview drops it; a later "yes" cancels nothing."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    chat = agent(seeded_engine, target.customer_id)
    chat.handle("cancel my order")
    chat.handle("where is my order?")
    chat.handle("yes")
    assert status_of(seeded_engine, target.id) == "placed"


def test_chinese_message_gets_a_chinese_reply(seeded_engine: Engine) -> None:
    """Replies follow each message's language; a bare "好的" keeps the conversation in Chinese."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PICKED_UP)
    chat = agent(seeded_engine, target.customer_id)
    assert "预计" in chat.handle("我的外卖到哪了？").reply
    assert "Expected" in chat.handle("where is my order?").reply
    # A bare "ok" carries no language: the conversation keeps the last one.
    assert chat.handle("好的").language == "zh"


def test_someone_elses_order_is_never_shown(seeded_engine: Engine) -> None:
    """Another customer's order is never shown or cancelled; the agent says it can't find it."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.ASSIGNED)
        mine = world.sole_open_order(s, OrderStatus.PLACED)
    chat = agent(seeded_engine, mine.customer_id)
    for message in (f"where is order {target.id}?", f"cancel order {target.id}", "yes"):
        reply = chat.handle(message).reply
        assert target.dropoff_address not in reply
    assert "can't find order" in chat.handle(f"where is order {target.id}?").reply
    assert status_of(seeded_engine, target.id) == "assigned"


def test_late_compensation_is_capped_and_confirmed(seeded_engine: Engine) -> None:
    """A late order's over-large claim is capped, granted once on "yes", refused the second time."""
    with Session(seeded_engine) as s:
        late = world.delivered_order(s, late=True, min_late=5)
    chat = agent(seeded_engine, late.customer_id)
    offer = chat.handle(f"Order {late.id} arrived late, I want 1000 yuan back")
    assert "most I can offer" in offer.reply
    chat.handle("yes")
    again = chat.handle(f"order {late.id} was late, compensate me again")
    assert "already been compensated" in again.reply
    with Session(seeded_engine) as s:
        rows = s.scalars(select(Compensation).where(Compensation.order_id == late.id)).all()
    assert len(rows) == 1 and rows[0].amount_minor < 100_000


def test_conversation_and_audit_are_stored(seeded_engine: Engine) -> None:
    """Every turn's messages are stored, a confirmed hand-over opens a ticket with the request,
    and both the preview and the hand-over are audited."""
    chat = agent(seeded_engine, 7)
    chat.handle("I want to talk to a human")
    chat.handle("yes")
    with Session(seeded_engine) as s:
        messages = s.scalar(
            select(func.count()).where(Message.conversation_id == chat.conversation_id)
        )
        ticket = s.scalars(select(Ticket).where(Ticket.customer_id == 7)).one()
        actions = s.scalars(select(AuditEntry.action)).all()
    assert messages == 4 and "I want to talk to a human" in ticket.summary
    assert actions == ["hand_over", "hand_over"]


def test_unknown_customer_is_refused(seeded_engine: Engine) -> None:
    """An agent for a customer id that does not exist refuses to start, naming customer_id."""
    with pytest.raises(CustomerNotFoundError, match="customer_id"):
        agent(seeded_engine, 10**6)


def test_unclear_request_with_the_real_model_offers_a_colleague(
    seeded_engine: Engine, embedded_model: ChatModel
) -> None:
    """With the embedded model an off-topic question is offered a colleague; "yes" hands over."""
    chat = agent(seeded_engine, 3, embedded_model)
    reply = chat.handle("what's the weather like on the moon?")
    assert "colleague" in reply.reply
    assert chat.handle("yes").tool_calls[0].result["status"] == "ok"


def tickets_of(engine: Engine, customer_id: int) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).where(Ticket.customer_id == customer_id)) or 0)


def test_asked_compensation_comes_before_a_person_and_a_yes_to_it_is_not_a_hand_over(
    seeded_engine: Engine,
) -> None:
    """Compensation and a person asked for at once: the compensation is offered first (a
    person named for later); "just the compensation is fine, yes" grants it and opens no
    ticket, while "yes, get me a human" would not accept it."""
    with Session(seeded_engine) as s:
        late = world.delivered_order(s, late=True, min_late=5)
    chat = agent(seeded_engine, late.customer_id)
    offer = chat.handle("My order was late. I want compensation and I want to talk to someone.")
    assert "compensation" in offer.reply and "colleague" in offer.reply
    not_this = chat.handle("yes, get me a human")
    assert not any(c.name == "request_compensation" and c.result["status"] == "ok"
                   for c in not_this.tool_calls)  # fmt: skip
    chat = agent(seeded_engine, late.customer_id)
    chat.handle("My order was late. I want compensation and I want to talk to someone.")
    chat.handle("Actually just the compensation is fine, yes")
    with Session(seeded_engine) as s:
        granted = s.scalars(select(Compensation).where(Compensation.order_id == late.id)).all()
    assert len(granted) == 1 and tickets_of(seeded_engine, late.customer_id) == 0


def test_a_described_problem_and_a_person_go_to_the_person(seeded_engine: Engine) -> None:
    """A problem only described ("my tea was missing") beside "get me a human" is the
    person's to judge: the hand-over is offered, and "sure" opens the ticket."""
    with Session(seeded_engine) as s:
        order = world.delivered_order(s, late=False)
    chat = agent(seeded_engine, order.customer_id)
    chat.handle("my bubble tea was missing from the bag. get me a human agent to sort it out")
    chat.handle("sure")
    assert tickets_of(seeded_engine, order.customer_id) == 1
    with Session(seeded_engine) as s:
        assert not s.scalars(select(Compensation).where(Compensation.order_id == order.id)).all()


def test_a_refused_write_gives_way_to_the_next(seeded_engine: Engine) -> None:
    """Compensation the policy refuses (the order was on time) is explained, and the person
    asked for beside it is offered at once rather than "ask me again later"."""
    with Session(seeded_engine) as s:
        order = world.delivered_order(s, late=False)
    chat = agent(seeded_engine, order.customer_id)
    reply = chat.handle(f"order {order.id} was late, I want a refund and also talk to a manager")
    assert "on time" in reply.reply and "colleague" in reply.reply
    chat.handle("yes")
    assert tickets_of(seeded_engine, order.customer_id) == 1


def test_pinyin_gets_a_chinese_reply(seeded_engine: Engine) -> None:
    """A customer typing pinyin ("wo yao ren gong ke fu") is answered in Chinese."""
    chat = agent(seeded_engine, 7)
    reply = chat.handle("wo yao ren gong ke fu").reply
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reply)
