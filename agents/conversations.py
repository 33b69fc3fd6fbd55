"""Conversations and their messages in the store, one short transaction per write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Conversation, Message


class ConversationNotFoundError(LookupError):
    """The conversation does not exist or belongs to someone else."""


def start_conversation(
    engine: Engine,
    *,
    kind: str,
    now: datetime,
    language: str,
    customer_id: int | None = None,
    operator: str | None = None,
) -> int:
    with Session(engine) as session, session.begin():
        conversation = Conversation(
            kind=kind,
            customer_id=customer_id,
            operator=operator,
            started_at=now,
            language=language,
        )
        session.add(conversation)
        session.flush()
        return conversation.id


def thread_conversation(
    engine: Engine,
    thread_key: str,
    *,
    now: datetime,
    language: str,
    customer_id: int,
    order_id: int | None,
) -> int:
    """The customer conversation under ``thread_key`` (one per tracking link's order),
    started if there is none; two processes starting it at once end with the same one."""
    query = select(Conversation.id).where(Conversation.thread_key == thread_key)
    with Session(engine) as session:
        found = session.scalar(query)
    if found is not None:
        return found
    try:
        with Session(engine) as session, session.begin():
            conversation = Conversation(
                kind="customer",
                customer_id=customer_id,
                order_id=order_id,
                started_at=now,
                language=language,
                thread_key=thread_key,
            )
            session.add(conversation)
            session.flush()
            return conversation.id
    except IntegrityError:
        with Session(engine) as session:
            return session.scalars(query).one()


def user_turns(engine: Engine, conversation_id: int) -> int:
    with Session(engine) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.conversation_id == conversation_id, Message.role == "user")
            )
            or 0
        )


def add_message(
    engine: Engine,
    conversation_id: int,
    role: str,
    content: str,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            Message(
                conversation_id=conversation_id,
                role=role,
                content=content,
                created_at=now,
                data=data,
            )
        )


def set_language(engine: Engine, conversation_id: int, language: str) -> None:
    with Session(engine) as session, session.begin():
        conversation = session.get(Conversation, conversation_id)
        if conversation is not None and conversation.language != language:
            conversation.language = language


def recent_user_messages(engine: Engine, conversation_id: int, limit: int = 6) -> list[str]:
    with Session(engine) as session:
        rows = session.scalars(
            select(Message.content)
            .where(Message.conversation_id == conversation_id, Message.role == "user")
            .order_by(Message.id.desc())
            .limit(limit)
        ).all()
    return list(reversed(rows))
