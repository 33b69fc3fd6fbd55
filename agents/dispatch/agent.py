"""The dispatch assistant: its profile for the runtime, and the agent operators talk to.

The operator comes from the login; a plan is only ever previewed by a tool, and the
commit waits at the session's gate for the operator's "yes".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from agents.conversations import start_conversation, thread_of
from agents.dispatch import replies
from agents.dispatch.intents import says_go
from agents.dispatch.planner import Planner, RoutingPlanner
from agents.dispatch.rules import DispatchRules, proposal_of
from agents.dispatch.tools import READS, TOOLS, DispatchContext
from agents.llm import ChatModel
from agents.runtime import (
    AgentSession,
    Decision,
    Pending,
    SessionContext,
    Strategy,
    ToolMode,
    Turn,
)
from agents.runtime.state import AgentState
from agents.tooling import Tool
from db.domain.rules import CITY_TIMEZONE

MAX_REPLY_CHARS = 1200
TOOLS_PROMPT = (
    "You are LongCat's dispatch assistant for a delivery operator. Answer with the numbers "
    "the tools return and never invent them; say which zone, day and hours you looked at. "
    "Times are the city's local time. A plan is only previewed by preview_plan; the operator "
    "confirms it, so do not commit it yourself. Answer briefly."
)
ZONES_HINT = "Zones: call list_open_orders or couriers_on_shift to see them by number."


def _operator(ctx: SessionContext) -> str:
    return str(ctx.identity)


@dataclass(frozen=True)
class DispatchProfile:
    planner: Planner = field(default_factory=RoutingPlanner)
    timezone: str = CITY_TIMEZONE  # the city's: windows and times on screen
    kind: str = "dispatch"
    model_tools: tuple[str, ...] = (*(t.name for t in READS), "preview_plan")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def tools(self) -> dict[str, Tool]:
        return TOOLS

    def actor(self, ctx: SessionContext) -> str:
        return f"agent:dispatch:{_operator(ctx)}"

    def tool_context(self, ctx: SessionContext, complaint: str | None) -> DispatchContext:
        return DispatchContext(_operator(ctx), ctx.now, self.planner, self.tz)

    def rules(self, state: AgentState, ctx: SessionContext) -> Decision:
        return DispatchRules(self, ctx, self.tz, state.get("memory") or {}).decide()

    def system_prompt(self, ctx: SessionContext) -> str:
        local = ctx.now.astimezone(self.tz)
        return TOOLS_PROMPT + f" Now: {local:%A %Y-%m-%d %H:%M} local time. " + ZONES_HINT

    def proposal(
        self,
        ctx: SessionContext,
        name: str,
        arguments: dict[str, Any],
        result: dict[str, Any],
        complaint: str | None,
    ) -> Pending | None:
        if name != "preview_plan":
            return None
        return proposal_of(result, arguments, ctx.language)

    def final(self, ctx: SessionContext, text: str) -> str:
        cleaned = text.strip()
        if not cleaned or TOOLS_PROMPT[:40] in cleaned:
            return "Sorry, I didn't understand that. " + replies.menu(ctx.language)
        return cleaned[:MAX_REPLY_CHARS]

    def done(self, ctx: SessionContext, pending: Pending, result: dict[str, Any]) -> str:
        if result.get("status") == "ok":
            return replies.committed(result, ctx.language, pending.get("subject", ""))
        if result.get("fresh"):
            return replies.overtaken(result["fresh"], ctx.language)
        return replies.refusal(result, ctx.language)

    def again(
        self, ctx: SessionContext, pending: Pending, result: dict[str, Any]
    ) -> Pending | None:
        fresh = result.get("fresh")
        if result.get("status") != "refused" or not fresh:
            return None
        return proposal_of(fresh, pending["arguments"].get("again") or {}, ctx.language)

    def confirms(self, pending: Pending, answer: str) -> bool:
        return says_go(answer)

    def declined(self, ctx: SessionContext, pending: Pending) -> str:
        return replies.declined(ctx.language, pending.get("subject", ""))

    def give_up(self, ctx: SessionContext, state: AgentState) -> Decision:
        return Decision("Sorry, I couldn't work that out. " + replies.menu(ctx.language))

    def unavailable(self, ctx: SessionContext, error: str) -> Decision:
        reply = "Sorry, the assistant's model is not available right now; nothing was changed."
        return Decision(reply, warnings=(error,), error=error)


class DispatchAgent:
    """A conversation with one operator; ``conversation_id`` continues a stored one."""

    def __init__(
        self,
        engine: Engine,
        operator: str,
        *,
        model: ChatModel | None,
        clock: Callable[[], datetime],
        planner: Planner | None = None,
        strategy: Strategy = Strategy.rules,
        tool_mode: ToolMode = ToolMode.native,
        conversation_id: int | None = None,
        timezone: str = CITY_TIMEZONE,
    ) -> None:
        if conversation_id is None:
            conversation_id = start_conversation(
                engine, kind="dispatch", now=clock(), language="en", operator=operator
            )
        self.conversation_id = conversation_id
        profile = DispatchProfile(planner or RoutingPlanner(timezone=timezone), timezone)
        self.session = AgentSession(
            engine=engine,
            profile=profile,
            conversation_id=conversation_id,
            thread_id=thread_of(engine, conversation_id),
            identity=operator,
            strategy=strategy,
            model=model,
            clock=clock,
            tool_mode=tool_mode,
        )

    def handle(self, text: str) -> Turn:
        return self.session.handle(text)
