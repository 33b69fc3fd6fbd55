"""What makes an agent a customer-service or a dispatch agent: its tools and its words.

The runtime's graph is the same for every agent; a ``Profile`` supplies the tools, who the
tools act for, the rules strategy, and every text the gate says (built by code from tool
results, so amounts, fees and addresses are the tools' own).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from agents.runtime.context import SessionContext
from agents.runtime.state import AgentState, Pending
from agents.tooling import Tool, ToolCallRecord, call_tool


@dataclass(frozen=True)
class Decision:
    """A turn's answer: the reply, the tool calls made, and a write to confirm, if any."""

    reply: str
    calls: tuple[ToolCallRecord, ...] = ()
    pending: Pending | None = None
    memory: dict[str, Any] | None = None  # None keeps the notes as they were
    warnings: tuple[str, ...] = ()
    error: str | None = None


class Profile(Protocol):
    # Read-only members: the profiles are frozen dataclasses (hashable, so the compiled
    # graph can be cached per profile).
    @property
    def kind(self) -> str: ...

    @property
    def tools(self) -> Mapping[str, Tool]: ...

    # Offered to a model under the ``tools`` strategy; writes among them only propose.
    @property
    def model_tools(self) -> tuple[str, ...]: ...

    def __hash__(self) -> int: ...

    def actor(self, ctx: SessionContext) -> str: ...

    def tool_context(self, ctx: SessionContext, complaint: str | None) -> object: ...

    def rules(self, state: AgentState, ctx: SessionContext) -> Decision: ...

    def system_prompt(self, ctx: SessionContext) -> str: ...

    def proposal(
        self,
        ctx: SessionContext,
        name: str,
        arguments: dict[str, Any],
        result: dict[str, Any],
        complaint: str | None,
    ) -> Pending | None:
        """The write to run on "yes" after a model's call previewed one, or None."""
        ...

    def final(self, ctx: SessionContext, text: str) -> str:
        """A model's answer as the user will read it (checked, trimmed, never empty)."""
        ...

    def confirms(self, pending: Pending, answer: str) -> bool:
        """Whether ``answer`` is the user's yes to ``pending`` (a yes that names another
        write is not one)."""
        ...

    def done(self, ctx: SessionContext, pending: Pending, result: dict[str, Any]) -> str: ...

    def again(
        self, ctx: SessionContext, pending: Pending, result: dict[str, Any]
    ) -> Pending | None:
        """A write that could not be done as shown, proposed afresh for another yes (a plan
        overtaken by another round), or None."""
        ...

    def declined(self, ctx: SessionContext, pending: Pending) -> str: ...

    def give_up(self, ctx: SessionContext, state: AgentState) -> Decision:
        """The step cap was reached: a polite hand-over, nothing written."""
        ...

    def unavailable(self, ctx: SessionContext, error: str) -> Decision:
        """The model backend failed: an apology (and a ticket where people follow up)."""
        ...


@dataclass
class Calls:
    """Runs tools for one turn with the session's identity, keeping the records."""

    profile: Profile
    ctx: SessionContext
    records: list[ToolCallRecord] = field(default_factory=list)

    def run(
        self,
        name: str,
        arguments: Mapping[str, Any],
        *,
        confirmed: bool = False,
        complaint: str | None = None,
        key: str | None = None,
    ) -> dict[str, Any]:
        record = call_tool(
            self.ctx.engine,
            self.profile.tools[name],
            arguments,
            context=self.profile.tool_context(self.ctx, complaint),
            actor=self.profile.actor(self.ctx),
            now=self.ctx.now,
            confirmed=confirmed,
            idempotency_key=key,
        )
        self.records.append(record)
        return record.result
