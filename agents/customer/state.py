"""The customer conversation's state between turns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agents.customer.intents import Reading
from agents.tooling import ToolCallRecord


@dataclass(frozen=True)
class Pending:
    """A write previewed and waiting for the customer's yes; run exactly as shown."""

    tool: str
    arguments: dict[str, Any]
    complaint: str | None = None


@dataclass(frozen=True)
class Awaiting:
    """A request put on hold until the customer names the order (or sends the address)."""

    intent: str
    reading: Reading
    order_id: int | None = None


@dataclass(frozen=True)
class CustomerState:
    language: str
    focus_order_id: int | None = None
    pending: Pending | None = None
    awaiting: Awaiting | None = None


@dataclass(frozen=True)
class Turn:
    reply: str
    tool_calls: tuple[ToolCallRecord, ...] = field(default_factory=tuple)
    language: str = "en"
    # Problems handled by falling back (e.g. the model unreachable), for the operator's log.
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"reply": self.reply, "tool_calls": [c.as_json() for c in self.tool_calls]}
