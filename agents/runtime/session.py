"""An agent session: one conversation, whoever decides its turns.

The session stores every message, holds the conversation's lease for the turn, and runs
the turn graph on the conversation's thread: a new message starts a turn, a message
after a proposed write answers the gate's interrupt. The state lives in the store, so a
session object holds nothing a restart would lose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.types import Command
from sqlalchemy import Engine

from agents.conversations import add_message, set_language
from agents.language import detect_language
from agents.llm import ChatModel
from agents.runtime.checkpoint import checkpointer_for
from agents.runtime.context import DEFAULT_STEP_CAP, SessionContext
from agents.runtime.graph import compiled_graph
from agents.runtime.lock import ConversationBusyError, turn_lease
from agents.runtime.profile import Profile
from agents.runtime.state import Pending, fresh_turn
from agents.runtime.strategy import Strategy, ToolMode
from agents.tooling import ToolCallRecord

__all__ = ["AgentSession", "ConversationBusyError", "Turn"]


@dataclass(frozen=True)
class Turn:
    reply: str
    tool_calls: tuple[ToolCallRecord, ...] = field(default_factory=tuple)
    language: str = "en"
    # Problems handled by falling back (e.g. the model unreachable), for the operator's log.
    warnings: tuple[str, ...] = ()
    error: str | None = None  # the model backend failed; the reply apologised

    def as_json(self) -> dict[str, Any]:
        return {"reply": self.reply, "tool_calls": [c.as_json() for c in self.tool_calls]}


def _record(data: dict[str, Any]) -> ToolCallRecord:
    return ToolCallRecord(data["name"], dict(data["arguments"]), dict(data["result"]))


@dataclass(frozen=True)
class AgentSession:
    engine: Engine
    profile: Profile
    conversation_id: int
    thread_id: str  # the conversation's checkpoint thread (``conversations.thread_id``)
    identity: Any
    strategy: Strategy
    model: ChatModel | None
    clock: Callable[[], datetime]
    language: str = "en"
    tool_mode: ToolMode = ToolMode.native
    step_cap: int = DEFAULT_STEP_CAP
    lock_wait_s: float = 30.0

    @property
    def config(self) -> dict[str, Any]:
        return {"configurable": {"thread_id": self.thread_id}}

    def _graph(self) -> Any:
        return compiled_graph(self.profile, self.strategy, checkpointer_for(self.engine))

    def pending(self) -> Pending | None:
        """The write waiting for the user's yes, if any."""
        values = self._graph().get_state(self.config).values
        return values.get("pending") if values else None

    def handle(self, text: str, location: tuple[float, float] | None = None) -> Turn:
        with turn_lease(self.engine, self.conversation_id, self.lock_wait_s):
            return self._turn(text, location)

    def _turn(self, text: str, location: tuple[float, float] | None) -> Turn:
        graph = self._graph()
        snapshot = graph.get_state(self.config)
        known = snapshot.values.get("language") if snapshot.values else None
        lang = detect_language(text, known or self.language)
        if lang != known:
            set_language(self.engine, self.conversation_id, lang)
        now = self.clock()
        shared = None if location is None else {"location": list(location)}
        add_message(self.engine, self.conversation_id, "user", text, now, shared)
        ctx = SessionContext(
            engine=self.engine,
            conversation_id=self.conversation_id,
            identity=self.identity,
            now=now,
            message=text,
            language=lang,
            model=self.model,
            location=location,
            tool_mode=self.tool_mode,
            step_cap=self.step_cap,
        )
        if snapshot.interrupts:
            payload: Any = Command(resume=text)
        else:
            payload = {
                "messages": [HumanMessage(text)],
                "language": lang,
                "steps": 0,
                "turn": fresh_turn(),
                "pending": None,
                "dropped": None,
            }
        # One checkpoint when the turn ends (or stops at the gate): a turn is all or nothing,
        # and a write confirmed in it is guarded by its own idempotency key.
        values = graph.invoke(payload, self.config, context=ctx, durability="exit")
        out = values["turn"]
        turn = Turn(
            reply=out["reply"],
            tool_calls=tuple(_record(c) for c in out["tool_calls"]),
            language=lang,
            warnings=tuple(out["warnings"]),
            error=out["error"],
        )
        pending = values.get("pending")
        data = {
            "tool_calls": list(out["tool_calls"]),
            "pending": None
            if pending is None
            else {"tool": pending["tool"], "arguments": pending["arguments"]},
            "warnings": list(out["warnings"]),
            "strategy": self.strategy.value,
        }
        add_message(self.engine, self.conversation_id, "assistant", turn.reply, now, data)
        return turn
