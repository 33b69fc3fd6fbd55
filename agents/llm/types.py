"""Plain values passed across the model interface."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from langchain_core.messages import BaseMessage


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call: its name, what it does and a JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]

    def openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True)
class ToolCall:
    """A call the model made; ``id`` is the server's call id (answered by that id), or one
    made up for calls that arrived as text."""

    name: str
    arguments: dict[str, Any]
    id: str = field(default="", compare=False)


@dataclass(frozen=True)
class InvalidToolCall:
    """A call the model tried to make but that cannot be run as sent (say, arguments that are
    not JSON); it is answered with ``error`` so the model can try again."""

    name: str | None
    raw: str
    error: str
    id: str = field(default="", compare=False)


@dataclass(frozen=True)
class Completion:
    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    invalid_tool_calls: tuple[InvalidToolCall, ...] = ()
    backend: str = ""
    seconds: float = 0.0
    usage: dict[str, int] = field(default_factory=dict)


class ChatModel(Protocol):
    """What the agents need from a model, whichever backend runs it."""

    @property
    def backend(self) -> str:
        """A short description: kind and where (file path or URL)."""
        ...

    def complete(
        self,
        messages: Sequence[BaseMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 256,
        temperature: float = 0.0,
    ) -> Completion: ...

    def complete_json(
        self, messages: Sequence[BaseMessage], schema: dict[str, Any], *, max_tokens: int = 128
    ) -> dict[str, Any]:
        """A JSON object that matches ``schema``, decoded under a grammar where possible."""
        ...

    def stream(
        self, messages: Sequence[BaseMessage], *, max_tokens: int = 256, temperature: float = 0.0
    ) -> Iterator[str]: ...
