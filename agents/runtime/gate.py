"""The confirmation gate: a proposed write waits at a LangGraph interrupt for the user's
next message, and only a "yes" runs it, once, under the write's idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agents.language import is_plain_no
from agents.runtime.context import SessionContext
from agents.runtime.profile import Calls, Profile
from agents.runtime.state import AgentState, TurnOut, fresh_turn

DECIDE, CONFIRM = "decide", "confirm"


def confirm_node(profile: Profile) -> Callable[..., Command[Any]]:
    def confirm(state: AgentState, runtime: Runtime[SessionContext]) -> Command[Any]:
        pending = state.get("pending")
        if pending is None:
            return Command(goto=END)
        # The graph stops here until the next message; on resume this line returns it.
        answer = str(interrupt({"tool": pending["tool"], "prompt": pending["prompt"]}))
        ctx = runtime.context
        heard = HumanMessage(ctx.message)
        base: dict[str, Any] = {"language": ctx.language, "pending": None}
        if profile.confirms(pending, answer):
            calls = Calls(profile, ctx)
            result = calls.run(
                pending["tool"],
                pending["arguments"],
                confirmed=True,
                complaint=pending["complaint"],
                key=pending["key"],
            )
            reply = profile.done(ctx, pending, result)
            turn = TurnOut(
                reply=reply,
                tool_calls=[r.as_json() for r in calls.records],
                warnings=[],
                error=None,
            )
            update = {**base, "messages": [heard, AIMessage(reply)], "turn": turn}
            fresh = profile.again(ctx, pending, result)
            if fresh is not None:
                # Shown again as it stands now, it waits for its own yes.
                return Command(goto=CONFIRM, update={**update, "pending": fresh})
            return Command(goto=END, update=update)
        if is_plain_no(answer):
            reply = profile.declined(ctx, pending)
            turn = {**fresh_turn(), "reply": reply}
            return Command(
                goto=END, update={**base, "messages": [heard, AIMessage(reply)], "turn": turn}
            )
        # Anything else is a new request: the write is dropped and the message decided anew
        # (knowing what was dropped: "no wait, Raffles City" still means the address).
        update = {
            **base,
            "messages": [heard],
            "steps": 0,
            "turn": fresh_turn(),
            "dropped": pending,
        }
        return Command(goto=DECIDE, update=update)

    return confirm
