"""Constrained choices: the model picks among a few options or fills a tool's arguments
under a JSON schema, so a small model cannot answer outside what code accepts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage, SystemMessage

from agents.llm.errors import LLMOutputError
from agents.llm.types import ChatModel, Completion, ToolCall, ToolSpec

REPLY = "reply"  # the step that answers the user instead of calling a tool
REPLY_MAX_TOKENS = 96
ARGUMENTS_MAX_TOKENS = 64


def choice_schema(field: str, options: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {field: {"type": "string", "enum": list(options)}},
        "required": [field],
    }


def choose(
    model: ChatModel, messages: Sequence[BaseMessage], options: Sequence[str], field: str = "choice"
) -> str:
    """One of ``options``, as the model ranks them for these messages."""
    value = model.complete_json(messages, choice_schema(field, options), max_tokens=24)
    picked = value.get(field)
    if picked not in options:
        raise LLMOutputError(f"{field}: {picked!r} is not one of {list(options)}")
    return str(picked)


# llama.cpp writes a bounded repetition out in full; past a few dozen it refuses the
# grammar and aborts the process. Lengths stay checked by the tools' own validation.
GRAMMAR_MAX_REPEAT = 16


def grammar_safe(schema: Any) -> Any:
    """``schema`` without string length bounds llama.cpp cannot compile."""
    if isinstance(schema, list):
        return [grammar_safe(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: grammar_safe(value)
        for key, value in schema.items()
        if not (key in ("maxLength", "minLength") and int(value) > GRAMMAR_MAX_REPEAT)
    }


def tool_call_schema(tools: Sequence[ToolSpec]) -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "object",
                "properties": {"name": {"const": t.name}, "arguments": grammar_safe(t.parameters)},
                "required": ["name", "arguments"],
            }
            for t in tools
        ]
    }


def constrained_tool_call(
    model: ChatModel, messages: Sequence[BaseMessage], tools: Sequence[ToolSpec]
) -> ToolCall:
    """A call of one of ``tools`` whose arguments match that tool's schema."""
    value = model.complete_json(messages, tool_call_schema(tools), max_tokens=96)
    names = {t.name for t in tools}
    name, arguments = value.get("name"), value.get("arguments")
    if name not in names or not isinstance(arguments, dict):
        raise LLMOutputError(f"tool call: {value!r} names no known tool with arguments")
    return ToolCall(name=str(name), arguments=arguments)


def _listing(tools: Sequence[ToolSpec]) -> str:
    lines = [
        f"- {t.name}({', '.join(t.parameters.get('properties', {}))}): {t.description}"
        for t in tools
    ]
    return (
        f"Choose the next step: one of the tools below, or {REPLY} to answer the user.\n"
        + "\n".join(lines)
    )


def constrained_step(
    model: ChatModel, messages: Sequence[BaseMessage], tools: Sequence[ToolSpec]
) -> Completion:
    """The next step of a tool loop from a model without a tool parser, in two short
    decodes: the step's name from a closed list, then that tool's arguments under its own
    schema (or the reply as plain text). A small model asked for the whole step as one
    JSON object loses its way in it (one wrote a 190-token "address" of digits)."""
    names = [t.name for t in tools]
    prompt = [SystemMessage(_listing(tools)), *messages]
    name = choose(model, prompt, [*names, REPLY], field="step")
    if name == REPLY:
        answer = model.complete(prompt[1:], max_tokens=REPLY_MAX_TOKENS)
        return Completion(text=answer.text.strip(), backend=model.backend)
    spec = next(t for t in tools if t.name == name)
    ask = SystemMessage(f"Give the arguments of {name}: {spec.description}")
    # The same prompt first, so an in-process model reuses what it already read.
    arguments = model.complete_json(
        [*prompt, ask], grammar_safe(spec.parameters), max_tokens=ARGUMENTS_MAX_TOKENS
    )
    call = ToolCall(name, arguments, id=f"call_{uuid.uuid4().hex[:12]}")
    return Completion(text="", tool_calls=(call,), backend=model.backend)
