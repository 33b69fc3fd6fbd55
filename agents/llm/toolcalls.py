"""Tool calls from a backend's answer: the standard ``tool_calls`` field or tagged text.

Servers without a tool parser (SGLang or vLLM started without one) return LongCat's
calls as ``<longcat_tool_call>{"name": ..., "arguments": {...}}</longcat_tool_call>``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from agents.llm.types import InvalidToolCall, ToolCall

TAG_OPEN = "<longcat_tool_call>"
TAG_CLOSE = "</longcat_tool_call>"
_TAGGED = re.compile(re.escape(TAG_OPEN) + r"(.*?)" + re.escape(TAG_CLOSE), re.DOTALL)


class ToolCallParseError(ValueError):
    """A tagged tool call whose body is not a usable call."""


def _arguments(raw: Any, where: str) -> dict[str, Any]:
    # Servers send arguments either as a JSON string (OpenAI) or as an object.
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as exc:
            raise ToolCallParseError(f"{where}.arguments: not JSON ({exc.msg})") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ToolCallParseError(f"{where}.arguments: expected an object, got {type(raw).__name__}")
    return raw


def _call(body: Mapping[str, Any], where: str) -> ToolCall:
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ToolCallParseError(f"{where}.name: missing or not a string")
    return ToolCall(name=name, arguments=_arguments(body.get("arguments"), where))


def parse_tagged(text: str) -> tuple[str, tuple[ToolCall, ...]]:
    """The text with the tagged calls removed, and the calls in order."""
    calls = []
    for index, match in enumerate(_TAGGED.finditer(text)):
        where = f"tool call {index + 1}"
        try:
            body = json.loads(match.group(1))
        except json.JSONDecodeError as exc:
            raise ToolCallParseError(f"{where}: body is not JSON ({exc.msg})") from exc
        if not isinstance(body, dict):
            raise ToolCallParseError(f"{where}: body is not an object")
        calls.append(_call(body, where))
    return _TAGGED.sub("", text).strip(), tuple(calls)


def parse_standard(tool_calls: Iterable[Mapping[str, Any]] | None) -> tuple[ToolCall, ...]:
    """Calls from the OpenAI ``tool_calls`` field (``{"function": {"name", "arguments"}}``)."""
    calls = []
    for index, item in enumerate(tool_calls or ()):
        function = item.get("function", item)
        calls.append(_call(function, f"tool_calls[{index}]"))
    return tuple(calls)


def extract_tool_calls(
    content: str | None, tool_calls: Iterable[Mapping[str, Any]] | None
) -> tuple[str, tuple[ToolCall, ...]]:
    """Both forms at once: the standard field first, then any tagged calls in the text."""
    standard = parse_standard(tool_calls)
    text, tagged = parse_tagged(content or "")
    return text, standard + tagged


def _new_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"


def _tolerant(body: Any, raw: str, where: str, call_id: str) -> ToolCall | InvalidToolCall:
    name = body.get("name") if isinstance(body, Mapping) else None
    try:
        if not isinstance(body, Mapping):
            raise ToolCallParseError(f"{where}: body is not an object")
        return replace(_call(body, where), id=call_id)
    except ToolCallParseError as exc:
        return InvalidToolCall(name if isinstance(name, str) else None, raw, str(exc), call_id)


def read_tool_calls(
    content: str | None, tool_calls: Iterable[Mapping[str, Any]] | None
) -> tuple[str, tuple[ToolCall, ...], tuple[InvalidToolCall, ...]]:
    """Like ``extract_tool_calls``, but a malformed call does not spoil the others: it comes
    back as an ``InvalidToolCall`` with the reason, so the model can be told by its call id.
    Every call has an id (the server's, or a new one for tagged calls)."""
    found: list[ToolCall | InvalidToolCall] = []
    for index, item in enumerate(tool_calls or ()):
        function = item.get("function", item)
        call_id = str(item.get("id") or _new_id())
        raw = json.dumps(function, default=str)
        found.append(_tolerant(function, raw, f"tool_calls[{index}]", call_id))
    for index, match in enumerate(_TAGGED.finditer(content or "")):
        where = f"tool call {index + 1}"
        try:
            body: Any = json.loads(match.group(1))
        except json.JSONDecodeError as exc:
            error = f"{where}: body is not JSON ({exc.msg})"
            found.append(InvalidToolCall(None, match.group(1), error, _new_id()))
            continue
        found.append(_tolerant(body, match.group(1), where, _new_id()))
    text = _TAGGED.sub("", content or "").strip()
    calls = tuple(c for c in found if isinstance(c, ToolCall))
    invalid = tuple(c for c in found if isinstance(c, InvalidToolCall))
    return text, calls, invalid
