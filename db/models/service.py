"""Customer service: conversations, messages, tickets, compensations, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, one_of

CONVERSATION_KINDS = ("customer", "dispatch")
MESSAGE_ROLES = ("user", "assistant", "tool", "system")
TICKET_STATUSES = ("open", "answered", "closed")
COMPENSATION_STATUSES = ("pending", "approved", "rejected", "paid")


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        one_of("kind", CONVERSATION_KINDS),
        CheckConstraint(
            "(kind = 'customer' AND customer_id IS NOT NULL) "
            "OR (kind = 'dispatch' AND operator IS NOT NULL)",
            name="has_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    operator: Mapped[str | None] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    started_at: Mapped[datetime]
    language: Mapped[str] = mapped_column(String(8), default="en")
    # One chat per tracking link's order, found again by any API process.
    thread_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # The agent runtime's checkpoint thread: random, so an id SQLite hands out again after
    # a conversation was deleted never finds the old conversation's state.
    thread_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    # A lease, not a lock held open: one turn of a conversation at a time, whichever
    # process answers it, and a holder that died lets go when the lease runs out.
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[datetime | None]


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (one_of("role", MESSAGE_ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    data: Mapped[dict[str, Any] | None]


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (one_of("status", TICKET_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    summary: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Compensation(Base):
    """Money given back for a late or wrong delivery; at most one per order."""

    __tablename__ = "compensations"
    __table_args__ = (
        one_of("status", COMPENSATION_STATUSES),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    amount_minor: Mapped[int]
    reason: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Every action an agent or an operator takes, with what it was given and what came back."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(120))
    arguments: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any] | None]
    # Set on a confirmed write: the same pending write can never be run twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
