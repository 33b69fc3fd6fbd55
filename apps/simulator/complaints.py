"""Customers of late orders complain through the customer-service agent, as a person would.

A complaint is one conversation linked to its order. A run killed halfway through one
leaves a conversation with fewer than the two exchanges a complaint takes; the next run
removes it and complains again, so every late order ends with at most one complaint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from agents.customer.agent import CustomerAgent
from agents.llm import ChatModel
from apps.simulator import draws
from apps.simulator.settings import SimSettings
from db.domain.rules import CITY_TIMEZONE
from db.domain.status import OrderStatus
from db.models import Compensation, Conversation, Message, Order

MESSAGES_PER_COMPLAINT = 4  # the complaint, the offer, "yes", the confirmation
LOOK_BACK = timedelta(hours=3)  # complaints come within minutes of the delivery


def due_complaints(
    engine: Engine, settings: SimSettings, since: datetime, t1: datetime
) -> list[tuple[int, int, datetime]]:
    """(order, customer, moment) of every complaint due by ``t1`` and not yet made."""
    late = timedelta(minutes=settings.complaint_late_min)
    with Session(engine) as session:
        rows = session.execute(
            select(Order.id, Order.customer_id, Order.delivered_at, Order.promised_at)
            .where(
                Order.status == OrderStatus.DELIVERED,
                Order.delivered_at >= max(since, t1 - LOOK_BACK),
                Order.placed_at >= since,
            )
            .order_by(Order.id)
        ).all()
        # Datetime arithmetic in SQL differs between SQLite and PostgreSQL: filter here.
        delivered = [(o, c, d) for o, c, d, p in rows if d is not None and d > p + late]
        made = _complete(session, [o for o, _, _ in delivered])
    due = []
    for order_id, customer_id, delivered_at in delivered:
        after = draws.complaint_after(settings.seed, order_id, settings.complaint_share)
        if after is None or order_id in made:
            continue
        moment = delivered_at + timedelta(seconds=round(after))
        if moment <= t1:
            due.append((order_id, customer_id, moment))
    return sorted(due, key=lambda d: (d[2], d[0]))


def _complete(session: Session, order_ids: list[int]) -> set[int]:
    if not order_ids:
        return set()
    sizes = session.execute(
        select(Conversation.order_id, func.count(Message.id))
        .join(Message, Message.conversation_id == Conversation.id, isouter=True)
        .where(Conversation.order_id.in_(order_ids), Conversation.kind == "customer")
        .group_by(Conversation.id, Conversation.order_id)
    ).all()
    compensated = set(
        session.scalars(select(Compensation.order_id).where(Compensation.order_id.in_(order_ids)))
    )
    # The query names orders: no conversation without one is counted.
    return {o for o, n in sizes if o is not None and n >= MESSAGES_PER_COMPLAINT} | compensated


def complain(
    engine: Engine,
    order_id: int,
    customer_id: int,
    moment: datetime,
    model: ChatModel | None = None,
    timezone: str = CITY_TIMEZONE,
) -> int:
    """One complaint conversation; returns the compensation granted, in fen (0 if none)."""
    with Session(engine) as session, session.begin():
        unfinished = select(Conversation.id).where(Conversation.order_id == order_id)
        session.execute(delete(Message).where(Message.conversation_id.in_(unfinished)))
        session.execute(delete(Conversation).where(Conversation.order_id == order_id))
    clock: Callable[[], datetime] = lambda: moment  # noqa: E731
    agent = CustomerAgent(engine, customer_id, model=model, clock=clock, timezone=timezone)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Conversation)
            .where(Conversation.id == agent.conversation_id)
            .values(order_id=order_id)
        )
    agent.handle(f"order {order_id} arrived late, I want compensation")
    agent.handle("yes")
    with Session(engine) as session:
        granted = session.scalar(
            select(Compensation.amount_minor).where(Compensation.order_id == order_id)
        )
    return int(granted or 0)
