"""What a turn runs with besides its state: identity and services, injected per turn.

Passed to the graph as LangGraph's runtime context, never stored and never chosen by
the model: the customer or operator comes from the signed link or the login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from agents.llm import ChatModel
from agents.runtime.strategy import ToolMode

DEFAULT_STEP_CAP = 6


@dataclass(frozen=True)
class SessionContext:
    engine: Engine
    conversation_id: int
    identity: Any  # the profile's own identity type (a customer, an operator)
    now: datetime
    message: str  # this turn's message, as the user sent it
    language: str  # this turn's language
    model: ChatModel | None
    # Where the user pinned themselves with this message (the widget's location button).
    location: tuple[float, float] | None = None
    tool_mode: ToolMode = ToolMode.native
    step_cap: int = DEFAULT_STEP_CAP
