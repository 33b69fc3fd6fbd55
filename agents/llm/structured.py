"""Constrained choices: the model picks among a few options or fills a tool's arguments
under a JSON schema, so a small model cannot answer outside what code accepts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage

from agents.llm.errors import LLMResponseError
from agents.llm.types import ChatModel, ToolCall, ToolSpec


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
        raise LLMResponseError(f"{field}: {picked!r} is not one of {list(options)}")
    return str(picked)


def tool_call_schema(tools: Sequence[ToolSpec]) -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "object",
                "properties": {"name": {"const": t.name}, "arguments": t.parameters},
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
        raise LLMResponseError(f"tool call: {value!r} names no known tool with arguments")
    return ToolCall(name=str(name), arguments=arguments)
