"""Conversations and their messages in the store, one short transaction per write."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
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
            thread_id=uuid.uuid4().hex,
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
                thread_id=uuid.uuid4().hex,
            )
            session.add(conversation)
            session.flush()
            return conversation.id
    except IntegrityError:
        with Session(engine) as session:
            return session.scalars(query).one()


def thread_of(engine: Engine, conversation_id: int) -> str:
    """The conversation's checkpoint thread; one is given to a conversation without."""
    with Session(engine) as session, session.begin():
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            raise ConversationNotFoundError(f"conversation_id: no conversation {conversation_id}")
        if conversation.thread_id is None:
            session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.thread_id.is_(None))
                .values(thread_id=uuid.uuid4().hex)
            )
            session.refresh(conversation)
        assert conversation.thread_id is not None
        return conversation.thread_id


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
