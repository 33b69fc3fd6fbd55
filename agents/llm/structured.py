"""Constrained choices: the model picks among a few options or fills a tool's arguments
under a JSON schema, so a small model cannot answer outside what code accepts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage, SystemMessage

from agents.llm.errors import LLMOutputError
from agents.llm.types import ChatModel, Completion, ToolCall, ToolSpec

REPLY = "reply"  # the step that answers the user instead of calling a tool
STEP_MAX_TOKENS = 192


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


def step_schema(tools: Sequence[ToolSpec]) -> dict[str, Any]:
    """One step of a tool loop as one JSON object: a call of one of ``tools``, or a reply.

    The reply's length is bounded by the token limit, not by ``maxLength``: llama.cpp
    expands a long bounded repetition into a grammar it refuses (and the server dies).
    """
    reply = {
        "type": "object",
        "properties": {
            "name": {"const": REPLY},
            "arguments": {
                "type": "object",
                "properties": {"text": {"type": "string"}},
                "required": ["text"],
            },
        },
        "required": ["name", "arguments"],
    }
    return {"anyOf": [*tool_call_schema(tools)["anyOf"], reply]}


def _listing(tools: Sequence[ToolSpec]) -> str:
    lines = [
        f"- {t.name}({', '.join(t.parameters.get('properties', {}))}): {t.description}"
        for t in tools
    ]
    return (
        "Answer with one JSON object: either a tool call "
        '{"name": TOOL, "arguments": {...}} or a reply to the user '
        f'{{"name": "{REPLY}", "arguments": {{"text": "..."}}}}. Tools:\n' + "\n".join(lines)
    )


def constrained_step(
    model: ChatModel, messages: Sequence[BaseMessage], tools: Sequence[ToolSpec]
) -> Completion:
    """The next step of a tool loop from a model without a tool parser: decoded under a
    grammar, so it is always a well-formed call of a listed tool, or a reply."""
    prompt = [SystemMessage(_listing(tools)), *messages]
    value = model.complete_json(prompt, step_schema(tools), max_tokens=STEP_MAX_TOKENS)
    name, arguments = value.get("name"), value.get("arguments")
    if name == REPLY and isinstance(arguments, dict):
        return Completion(text=str(arguments.get("text", "")), backend=model.backend)
    if name not in {t.name for t in tools} or not isinstance(arguments, dict):
        raise LLMOutputError(f"step: {json.dumps(value)[:200]} names no known tool")
    call = ToolCall(str(name), arguments, id=f"call_{uuid.uuid4().hex[:12]}")
    return Completion(text="", tool_calls=(call,), backend=model.backend)
