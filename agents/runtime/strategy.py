"""Which strategy decides turns, and how a model's tool calls are read."""

from __future__ import annotations

from enum import StrEnum

from agents.llm import BackendKind


class Strategy(StrEnum):
    rules = "rules"  # code decides; the embedded model may help, never decides policy
    tools = "tools"  # the model calls the tools; policy still inside them


class ToolMode(StrEnum):
    native = "native"  # the server's tool calling (OpenAI tool_calls or tagged text)
    grammar = "grammar"  # one JSON answer under a grammar: a tool call or a reply


STRATEGY_CHOICES = ("auto", "rules", "tools")
TOOL_MODE_CHOICES = ("auto", "native", "grammar")


def resolve_strategy(setting: str, backend: BackendKind | None) -> Strategy:
    """``auto``: ``tools`` with a model server, ``rules`` with the embedded or a local model
    (or none)."""
    if setting not in STRATEGY_CHOICES:
        raise ValueError(f"agent_strategy: {setting!r} is not one of {list(STRATEGY_CHOICES)}")
    if setting != "auto":
        return Strategy(setting)
    return Strategy.tools if backend is BackendKind.openai else Strategy.rules


def resolve_tool_mode(setting: str, backend: BackendKind | None) -> ToolMode:
    """``auto``: the server's own tool calling; a model run in-process has no tool parser,
    so it answers under a grammar."""
    if setting not in TOOL_MODE_CHOICES:
        raise ValueError(f"llm_tool_calls: {setting!r} is not one of {list(TOOL_MODE_CHOICES)}")
    if setting != "auto":
        return ToolMode(setting)
    return ToolMode.native if backend is BackendKind.openai else ToolMode.grammar
