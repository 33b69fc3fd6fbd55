"""What a conversation carries from turn to turn: LangGraph state, kept by the checkpointer.

Everything here is plain data (messages, dicts, strings), so any process can load it.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages


class Pending(TypedDict):
    """A write previewed and waiting for the user's yes; run exactly as shown, once."""

    tool: str
    arguments: dict[str, Any]
    complaint: str | None
    key: str  # the write's idempotency key
    prompt: str  # the confirmation the user was shown, built by code from the preview
    subject: str  # what the write is about, said back when it is done or declined


class TurnOut(TypedDict):
    reply: str
    tool_calls: list[dict[str, Any]]
    warnings: list[str]
    error: str | None  # the model backend failed; the reply apologises


class AgentState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    language: str
    memory: dict[str, Any]  # the rules strategy's notes (focus order, a held request)
    pending: Pending | None
    dropped: Pending | None  # the write this turn's message set aside, for its context
    steps: int  # model calls in this turn, against the step cap
    turn: TurnOut


def new_pending(
    tool: str,
    arguments: dict[str, Any],
    prompt: str,
    complaint: str | None = None,
    subject: str = "",
) -> Pending:
    return Pending(
        tool=tool,
        arguments=dict(arguments),
        complaint=complaint,
        key=uuid.uuid4().hex,
        prompt=prompt,
        subject=subject,
    )


def fresh_turn() -> TurnOut:
    return TurnOut(reply="", tool_calls=[], warnings=[], error=None)
