"""The deciding nodes: ``rules`` asks the profile's code; ``tools`` runs a model that calls
the profile's tools, each call answered with its result by call id."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langgraph.runtime import Runtime

from agents.llm import (
    ChatModel,
    Completion,
    InvalidToolCall,
    LLMError,
    LLMOutputError,
    ToolSpec,
    constrained_step,
)
from agents.runtime.context import SessionContext
from agents.runtime.profile import Calls, Decision, Profile
from agents.runtime.state import AgentState, Pending, TurnOut, fresh_turn
from agents.runtime.strategy import ToolMode

HISTORY_TURNS = 6  # user messages of history the model sees, with what followed each


def apply(state: AgentState, decision: Decision) -> dict[str, Any]:
    """The state update for a decided turn: the reply, the calls, the pending write."""
    turn = state.get("turn") or fresh_turn()
    out = TurnOut(
        reply=decision.reply,
        tool_calls=[*turn["tool_calls"], *(r.as_json() for r in decision.calls)],
        warnings=[*turn["warnings"], *decision.warnings],
        error=decision.error,
    )
    update: dict[str, Any] = {
        "messages": [AIMessage(decision.reply)],
        "turn": out,
        "pending": decision.pending,
    }
    if decision.memory is not None:
        update["memory"] = decision.memory
    return update


def rules_node(profile: Profile) -> Callable[..., dict[str, Any]]:
    def decide(state: AgentState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
        return apply(state, profile.rules(state, runtime.context))

    return decide


def history(messages: Sequence[AnyMessage], turns: int = HISTORY_TURNS) -> list[AnyMessage]:
    """The last ``turns`` user messages and everything after them; cut at a user message so
    no tool result is shown without the call it answers."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    first = starts[-turns] if len(starts) >= turns else 0
    return list(messages[first:])


def _plain(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """History for a model without a tool parser: calls and results as plain text."""
    out: list[BaseMessage] = []
    for m in messages:
        if isinstance(m, AIMessage) and m.tool_calls:
            calls = [{"name": c["name"], "arguments": c["args"]} for c in m.tool_calls]
            out.append(AIMessage(json.dumps(calls[0] if len(calls) == 1 else calls)))
        elif isinstance(m, ToolMessage):
            out.append(HumanMessage(f"Result of {m.name}: {m.content}"))
        else:
            out.append(m)
    return out


def _step(
    model: ChatModel, messages: Sequence[BaseMessage], specs: list[ToolSpec], mode: ToolMode
) -> Completion:
    if mode is ToolMode.grammar:
        return constrained_step(model, _plain(messages), specs)
    return model.complete(messages, tools=specs, max_tokens=512)


def _ai_message(completion: Completion) -> AIMessage:
    calls = [{"name": c.name, "args": c.arguments, "id": c.id} for c in completion.tool_calls]
    # A call that could not be read is still answered by its id (with the reason), so
    # it is listed among the calls with no arguments.
    calls += [
        {"name": c.name or "invalid_call", "args": {}, "id": c.id}
        for c in completion.invalid_tool_calls
    ]
    invalid = [
        {"name": c.name, "args": c.raw, "id": c.id, "error": c.error, "type": "invalid_tool_call"}
        for c in completion.invalid_tool_calls
    ]
    return AIMessage(content=completion.text, tool_calls=calls, invalid_tool_calls=invalid)


def _repeats(state: AgentState, completion: Completion) -> bool:
    made = (state.get("turn") or fresh_turn())["tool_calls"]
    seen = {(c["name"], json.dumps(c["arguments"], sort_keys=True)) for c in made}
    return all(
        (c.name, json.dumps(c.arguments, sort_keys=True)) in seen for c in completion.tool_calls
    )


def model_node(profile: Profile) -> Callable[..., dict[str, Any]]:
    def decide(state: AgentState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
        ctx = runtime.context
        steps = state.get("steps", 0)
        if steps >= ctx.step_cap:
            return apply(state, profile.give_up(ctx, state))
        if ctx.model is None:
            return apply(state, profile.unavailable(ctx, "no model is configured"))
        specs = [profile.tools[name].spec() for name in profile.model_tools]
        prompt = [SystemMessage(profile.system_prompt(ctx)), *history(state["messages"])]
        try:
            completion = _step(ctx.model, prompt, specs, ctx.tool_mode)
        except LLMOutputError as exc:
            bad = InvalidToolCall(None, "", str(exc), id=f"call_bad_{steps}")
            completion = Completion(text="", invalid_tool_calls=(bad,))
        except LLMError as exc:
            return apply(state, profile.unavailable(ctx, str(exc)))
        if completion.tool_calls and _repeats(state, completion):
            # The same calls again would get the same answers: the model is looping.
            return apply(state, profile.give_up(ctx, state))
        if completion.tool_calls or completion.invalid_tool_calls:
            return {"messages": [_ai_message(completion)], "steps": steps + 1}
        update = apply(state, Decision(profile.final(ctx, completion.text)))
        return {**update, "steps": steps + 1}

    return decide


def _answer(call_id: str, name: str, content: dict[str, Any]) -> ToolMessage:
    failed = content.get("status") in ("error", "refused", "not_run")
    return ToolMessage(
        json.dumps(content, ensure_ascii=False, default=str),
        tool_call_id=call_id,
        name=name,
        status="error" if failed else "success",
    )


def _complaint(state: AgentState, ctx: SessionContext) -> str:
    # A complaint is the customer's own words: this message and the two before it.
    said = [m.content for m in state["messages"] if isinstance(m, HumanMessage)]
    return " | ".join(str(s) for s in [*said[-3:-1], ctx.message])


def tools_node(profile: Profile) -> Callable[..., dict[str, Any]]:
    def run_tools(state: AgentState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
        ctx = runtime.context
        ai = next(m for m in reversed(state["messages"]) if isinstance(m, AIMessage))
        invalid = {c["id"]: c["error"] for c in ai.invalid_tool_calls}
        calls = Calls(profile, ctx)
        answers: list[AnyMessage] = []
        pending: Pending | None = None
        for call in ai.tool_calls:
            call_id, name = str(call["id"]), call["name"]
            content: dict[str, Any]
            if call_id in invalid:
                content = {"status": "error", "message": invalid[call_id]}
            elif pending is not None:
                content = {
                    "status": "not_run",
                    "message": f"waiting for the user's answer about {pending['tool']}",
                }
            elif name not in profile.model_tools:
                content = {
                    "status": "error",
                    "message": f"{name} is not a tool; use one of {list(profile.model_tools)}",
                }
            else:
                complaint = _complaint(state, ctx)
                content = calls.run(name, call["args"], complaint=complaint)
                if content.get("status") == "needs_confirmation":
                    pending = profile.proposal(ctx, name, call["args"], content, complaint)
            answers.append(_answer(call_id, name, content))
        turn = state.get("turn") or fresh_turn()
        out = TurnOut(
            reply=turn["reply"],
            tool_calls=[*turn["tool_calls"], *(r.as_json() for r in calls.records)],
            warnings=turn["warnings"],
            error=turn["error"],
        )
        update: dict[str, Any] = {"messages": answers, "turn": out}
        if pending is not None:
            out["reply"] = pending["prompt"]
            update |= {"pending": pending, "messages": [*answers, AIMessage(pending["prompt"])]}
        return update

    return run_tools
