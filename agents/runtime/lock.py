"""One turn of a conversation at a time, whichever process answers it.

A lease on the conversation's row, taken and given back in short transactions (a lock
held for a whole turn would shut SQLite's other writers out): the holder writes its name
and an expiry; a holder that died lets go when the lease runs out, at once if it ran on
this machine.
"""

from __future__ import annotations

import os
import random
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Update, or_, select, update
from sqlalchemy.orm import Session

from db.models import Conversation

LEASE = timedelta(minutes=3)  # longer than any turn: the model's time limit times the steps
HOST = socket.gethostname()


class ConversationBusyError(RuntimeError):
    """Another message of the same conversation is still being answered."""


def _holder() -> str:
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _dead(holder: str | None) -> bool:
    if not holder:
        return False
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _rowcount(session: Session, statement: Update) -> int:
    """The rows an UPDATE matched (``Session.execute`` returns a ``CursorResult`` for DML,
    though it is typed as a plain ``Result``)."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _take(engine: Engine, conversation_id: int, holder: str) -> bool:
    now = datetime.now(UTC)
    free = or_(Conversation.locked_until.is_(None), Conversation.locked_until < now)
    with Session(engine) as session, session.begin():
        taken = _rowcount(
            session,
            update(Conversation)
            .where(Conversation.id == conversation_id, free)
            .values(locked_by=holder, locked_until=now + LEASE),
        )
        if taken:
            return True
        current = session.scalar(
            select(Conversation.locked_by).where(Conversation.id == conversation_id)
        )
        if not _dead(current):
            return False
        stolen = _rowcount(
            session,
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.locked_by == current)
            .values(locked_by=holder, locked_until=now + LEASE),
        )
        return bool(stolen)


def _give_back(engine: Engine, conversation_id: int, holder: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.locked_by == holder)
            .values(locked_by=None, locked_until=None)
        )


@contextmanager
def turn_lease(engine: Engine, conversation_id: int, wait_s: float = 30.0) -> Iterator[None]:
    """Hold the conversation for one turn; waits (with jitter) up to ``wait_s`` for it."""
    holder = _holder()
    deadline = time.monotonic() + wait_s
    delay = 0.02
    while not _take(engine, conversation_id, holder):
        if time.monotonic() >= deadline:
            raise ConversationBusyError(
                f"conversation {conversation_id}: another message is still being answered"
            )
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, 0.5)
    try:
        yield
    finally:
        _give_back(engine, conversation_id, holder)
