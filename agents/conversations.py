"""Conversations and their messages in the store, one short transaction per write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
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
